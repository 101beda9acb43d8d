import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { CURRENT_SORT_KEY, DynamoPromotionStore } from '@shared/adapters/aws/dynamo-promotion-store';
import { useAwsEmulators } from '../support/aws-emulators';
import { describePromotionStoreContract } from './promotion-store-contract';

const emulators = useAwsEmulators();

describePromotionStoreContract('DynamoPromotionStore (dynalite)', async () => {
  const aws = emulators();
  const table = aws.uniqueName('promotions');
  await aws.createTable(table, 'market', 'sweepId');
  return {
    store: new DynamoPromotionStore({ documents: aws.documents, table }),
    cleanup: () => aws.deleteTables([table]),
  };
});

describe('DynamoPromotionStore storage layout (AWS only)', () => {
  it("writes a promoted decision as the market's #current item too, naming the decision's sweep", async () => {
    // Prepare
    const aws = emulators();
    const table = aws.uniqueName('promotions');
    await aws.createTable(table, 'market', 'sweepId');
    const store = new DynamoPromotionStore({ documents: aws.documents, table });

    // Act
    await store.record({
      market: 'GOOG',
      sweepId: 'sweep-1',
      decidedAt: 1000,
      promoted: true,
      reason: 'first promotion for this market',
      candidate: { params: { fast: 5 } },
    });

    // Assess
    const { Item } = await aws.documents.send(
      new GetCommand({
        TableName: table,
        Key: { market: 'GOOG', sweepId: CURRENT_SORT_KEY },
        ConsistentRead: true,
      }),
    );
    expect(Item).toEqual({
      market: 'GOOG',
      sweepId: '#current',
      decisionSweepId: 'sweep-1',
      decidedAt: 1000,
      promoted: true,
      reason: 'first promotion for this market',
      candidate: '{"params":{"fast":5}}',
    });
    await aws.deleteTables([table]);
  });
});
