import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { S3OutboxPublisher } from '@shared/adapters/aws/s3-outbox';
import { mockClient } from 'aws-sdk-client-mock';
import { RESOURCE_VARIABLES } from '../../../events/topology';
import { awsContentDependencies } from '../../../functions/lib/aws-content-dependencies';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING = '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const s3 = mockClient(S3Client);

describe('content publishers on AWS', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
  });

  it('makes the outbox channel the artifacts bucket the function was deployed with', async () => {
    // Prepare
    const dependencies = awsContentDependencies({
      environment: { [RESOURCE_VARIABLES.bucket('artifacts')]: 'flywheel-prod-artifacts-9f2' },
    });

    // Act
    const publishers = await dependencies.publishers();
    const receipt = await publishers.outbox!.publish({
      draftId: 'draft-1',
      platform: 'linkedin',
      text: 'Momentum held up out of sample.',
      idempotencyKey: 'draft-1:linkedin',
    });

    // Assess
    expect(publishers.outbox).toBeInstanceOf(S3OutboxPublisher);
    expect(receipt.url).toBe('s3://flywheel-prod-artifacts-9f2/outbox/draft-1/linkedin.json');
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Bucket)).toEqual([
      'flywheel-prod-artifacts-9f2',
    ]);
  });

  it('has no outbox channel in a function without the artifacts bucket', async () => {
    // Prepare
    const dependencies = awsContentDependencies({ environment: {} });

    // Act
    const publishers = await dependencies.publishers();

    // Assess
    expect(publishers.outbox).toBeUndefined();
  });
});
