import { describe, expect, it } from '@jest/globals';
import { DynamoCandleStore } from '@shared/adapters/aws/dynamo-candle-store';
import { TABLES } from '../../events/topology';
import { useAwsEmulators } from '../support/aws-emulators';
import { describeCandleStoreContract } from './candle-store-contract';
import { createTopologyTable } from './draft-store-table';

const emulators = useAwsEmulators();

describeCandleStoreContract('DynamoCandleStore (dynalite)', async () => {
  const aws = emulators();
  const table = aws.uniqueName('candles');
  await createTopologyTable(aws.dynamo, table, 'candles');
  return {
    store: new DynamoCandleStore({ documents: aws.documents, table }),
    cleanup: () => aws.deleteTables([table]),
  };
});

describe('DynamoCandleStore and the topology', () => {
  it('uses the keys the topology declares on the candles table', () => {
    // Assess
    expect(TABLES.candles).toMatchObject({ partitionKey: 'series', sortKey: 'at' });
  });
});
