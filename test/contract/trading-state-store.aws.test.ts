import { DynamoTradingStateStore } from '@shared/adapters/aws/dynamo-trading-state-store';
import { useAwsEmulators } from '../support/aws-emulators';
import { createTopologyTable } from './draft-store-table';
import { describeTradingStateStoreContract } from './trading-state-store-contract';

const emulators = useAwsEmulators();

describeTradingStateStoreContract('DynamoTradingStateStore (dynalite)', async () => {
  const aws = emulators();
  const table = aws.uniqueName('trading-state');
  await createTopologyTable(aws.dynamo, table, 'trading-state');
  return {
    store: new DynamoTradingStateStore({ documents: aws.documents, table }),
    cleanup: () => aws.deleteTables([table]),
  };
});
