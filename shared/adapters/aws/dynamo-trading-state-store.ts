import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Json } from '../../ports/json';
import {
  TradingStateConflictError,
  type TradingStateDocument,
  type TradingStateKey,
  type TradingStateStore,
} from '../../ports/trading-state-store';

/** Settings of one {@link DynamoTradingStateStore}. */
export interface DynamoTradingStateStoreOptions {
  /** The document client (lib-dynamodb); its owner configures the underlying DynamoDB client. */
  readonly documents: DynamoDBDocumentClient;
  /** The `trading-state` table: partition key `market` (S), sort key `strategyId` (S). */
  readonly table: string;
  readonly now?: () => number;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException';
}

// The state is kept as a JSON string: DynamoDB rejects empty sets and turns numbers into decimals, JSON does not.
function toDocument(item: Record<string, unknown>): TradingStateDocument {
  return {
    market: String(item.market),
    strategyId: String(item.strategyId),
    revision: Number(item.revision),
    state: JSON.parse(String(item.state)) as Json,
    updatedAt: Number(item.updatedAt),
  };
}

function byKey(a: TradingStateDocument, b: TradingStateDocument): number {
  const first = a.market === b.market ? a.strategyId : a.market;
  const second = a.market === b.market ? b.strategyId : b.market;
  return first < second ? -1 : first > second ? 1 : 0;
}

/** The trading-state table in DynamoDB: one item per market and strategy, written with a revision condition. */
export class DynamoTradingStateStore implements TradingStateStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => number;

  constructor(options: DynamoTradingStateStoreOptions) {
    this.documents = options.documents;
    this.table = options.table;
    this.now = options.now ?? Date.now;
  }

  async get(key: TradingStateKey): Promise<TradingStateDocument | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.table,
        Key: { market: key.market, strategyId: key.strategyId },
        ConsistentRead: true,
      }),
    );
    return Item && toDocument(Item);
  }

  async put(key: TradingStateKey, state: Json, expectedRevision: number): Promise<number> {
    const revision = expectedRevision + 1;
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            market: key.market,
            strategyId: key.strategyId,
            revision,
            state: JSON.stringify(state),
            updatedAt: this.now(),
          },
          ...(expectedRevision === 0
            ? { ConditionExpression: 'attribute_not_exists(market)' }
            : {
                ConditionExpression: 'revision = :expected',
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new TradingStateConflictError(key, expectedRevision);
      throw error;
    }
    return revision;
  }

  async list(market?: string): Promise<TradingStateDocument[]> {
    const documents: TradingStateDocument[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        market === undefined
          ? new ScanCommand({
              TableName: this.table,
              ConsistentRead: true,
              ...(start ? { ExclusiveStartKey: start } : {}),
            })
          : new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: '#market = :market',
              ExpressionAttributeNames: { '#market': 'market' },
              ExpressionAttributeValues: { ':market': market },
              ConsistentRead: true,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
      );
      for (const item of page.Items ?? []) documents.push(toDocument(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return documents.sort(byKey);
  }
}
