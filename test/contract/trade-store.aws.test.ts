import { DynamoTradeStore } from '@shared/adapters/aws/dynamo-trade-store';
import { useAwsEmulators } from '../support/aws-emulators';
import { createTopologyTable } from './draft-store-table';
import { describeTradeStoreContract } from './trade-store-contract';

const emulators = useAwsEmulators();

describeTradeStoreContract('DynamoTradeStore (dynalite)', async () => {
  const aws = emulators();
  const table = aws.uniqueName('trades');
  await createTopologyTable(aws.dynamo, table, 'trades');
  return {
    store: new DynamoTradeStore({ documents: aws.documents, table }),
    cleanup: () => aws.deleteTables([table]),
  };
});
