import { DynamoWebhookReplayStore } from '@shared/adapters/aws/dynamo-webhook-replay-store';
import { useAwsEmulators } from '../support/aws-emulators';
import { createTopologyTable } from './draft-store-table';
import { describeWebhookReplayStoreContract } from './webhook-replay-store-contract';

const emulators = useAwsEmulators();

describeWebhookReplayStoreContract('DynamoWebhookReplayStore (dynalite)', async () => {
  const aws = emulators();
  const table = aws.uniqueName('webhook-events');
  await createTopologyTable(aws.dynamo, table, 'webhook-events');
  return {
    store: new DynamoWebhookReplayStore({ documents: aws.documents, table }),
    cleanup: () => aws.deleteTables([table]),
  };
});
