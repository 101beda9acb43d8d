import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { S3OutboxPublisher } from '@shared/adapters/aws/s3-outbox';
import { OutboxPublisher } from '@shared/adapters/publish/outbox';
import { type Publication, PublishError } from '@shared/ports/publisher';
import { mockClient } from 'aws-sdk-client-mock';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING = '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BUCKET = 'flywheel-dev-artifacts-123';
const FIRST_DAY = Date.parse('2026-11-25T09:30:00Z');
const NEXT_DAY = Date.parse('2026-11-26T10:00:00Z');

const thread: Publication = {
  draftId: 'draft-7f3a',
  platform: 'x-thread',
  posts: ['1/ Momentum on ETH/BTC held up out of sample.', '2/ Sharpe 1.4 over 18 months — “Ünïcødé” too.'],
  idempotencyKey: 'draft-7f3a:x-thread',
};

/** An error as the S3 client throws it for an HTTP answer. */
function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} (secret-looking detail: x-amz-security-token=abc)`,
  });
}

/** A GetObject answer whose body is `text`, as the SDK's stream mixin exposes it. */
function objectBody(text: string, lastModified?: Date) {
  return {
    Body: { transformToString: async () => text } as never,
    ...(lastModified ? { LastModified: lastModified } : {}),
  };
}

describe('S3OutboxPublisher (mocked S3)', () => {
  const client = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const s3 = mockClient(client);
  let now = FIRST_DAY;
  const outbox = new S3OutboxPublisher({ s3: client, bucket: BUCKET, now: () => now });

  beforeEach(() => {
    s3.reset();
    now = FIRST_DAY;
  });

  it('writes outbox/<draftId>/<platform>.json only if new, holding the document the file outbox writes', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({ ETag: '"e1"' });
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-outbox-'));

    try {
      // Act
      const receipt = await outbox.publish(thread);
      await new OutboxPublisher({ dir, now: () => now }).publish(thread);

      // Assess
      expect(receipt).toEqual({
        channel: 'outbox',
        externalId: 'outbox/draft-7f3a/x-thread.json',
        url: `s3://${BUCKET}/outbox/draft-7f3a/x-thread.json`,
        publishedAt: FIRST_DAY,
      });
      const puts = s3.commandCalls(PutObjectCommand);
      expect(puts).toHaveLength(1);
      const input = puts[0]!.args[0].input;
      expect(input).toMatchObject({
        Bucket: BUCKET,
        Key: 'outbox/draft-7f3a/x-thread.json',
        ContentType: 'application/json',
        IfNoneMatch: '*',
      });
      expect(JSON.parse(String(input.Body))).toEqual({
        draftId: 'draft-7f3a',
        platform: 'x-thread',
        idempotencyKey: 'draft-7f3a:x-thread',
        posts: thread.posts,
        publishedAt: '2026-11-25T09:30:00.000Z',
      });
      const local = readFileSync(join(dir, '2026-11-25', readdirSync(join(dir, '2026-11-25'))[0]!), 'utf8');
      expect(input.Body).toBe(local);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on a later day, does not write again: a 412 reads the first object back and returns its receipt', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolvesOnce({ ETag: '"e1"' }).rejects(s3Error('PreconditionFailed', 412));
    const first = await outbox.publish(thread);
    const written = String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body);
    s3.on(GetObjectCommand).resolves(objectBody(written));
    now = NEXT_DAY;

    // Act
    const again = await outbox.publish(thread);

    // Assess
    expect(again).toEqual(first);
    expect(again.publishedAt).toBe(FIRST_DAY);
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: 'outbox/draft-7f3a/x-thread.json' },
    ]);
    // The second PutObject was refused by its condition: only the first one stored anything.
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.IfNoneMatch)).toEqual([
      '*',
      '*',
    ]);
  });

  it('dates an earlier object that is not outbox JSON by its LastModified', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    s3.on(GetObjectCommand).resolves(objectBody('posted by hand', new Date(FIRST_DAY)));
    now = NEXT_DAY;

    // Act
    const receipt = await outbox.publish(thread);

    // Assess
    expect(receipt.publishedAt).toBe(FIRST_DAY);
    expect(receipt.externalId).toBe('outbox/draft-7f3a/x-thread.json');
  });

  it('keeps keys safe: a draft id with slashes or dots cannot reach outside outbox/', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});

    // Act
    const receipt = await outbox.publish({ ...thread, draftId: '../../datasets/abc', platform: 'x' });

    // Assess
    expect(receipt.externalId).toBe('outbox/__.._datasets_abc/x.json');
  });

  it('fails retryably on a 503 SlowDown, without S3’s message', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(s3Error('SlowDown', 503));

    // Act
    const failure = await outbox.publish(thread).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(PublishError);
    expect(failure).toMatchObject({ retryable: true, status: 503 });
    expect((failure as Error).message).toContain(`s3://${BUCKET}/outbox/draft-7f3a/x-thread.json`);
    expect((failure as Error).message).not.toContain('x-amz-security-token');
  });

  it('fails retryably when the network fails before S3 answers', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));

    // Act
    const failure = await outbox.publish(thread).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'PublishError', retryable: true });
    expect((failure as Error).message).toContain('ECONNRESET');
  });

  it('fails for good on AccessDenied, saying which grant is missing', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));

    // Act
    const failure = await outbox.publish(thread).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(PublishError);
    expect(failure).toMatchObject({ retryable: false, status: 403 });
    expect((failure as Error).message).toMatch(
      /AccessDenied.*buckets: \{ artifacts: 'readWrite' \}.*topology/,
    );
    expect((failure as Error).message).not.toContain('x-amz-security-token');
  });

  it('fails retryably when a concurrent write holds the key and nothing is readable yet', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    s3.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));

    // Act
    const failure = await outbox.publish(thread).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'PublishError', retryable: true, status: 409 });
  });
});
