import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  assertStorableEntry,
  type RecordOutcome,
  type TradeEntry,
  type TradeQuery,
  type TradeStore,
} from '../../ports/trade-store';

/**
 * The `trades` table's global secondary indexes (events/topology.ts declares the same names): entries of one
 * kind, and of one kind and strategy, newest first. `timeKey` is the zero-padded time, `|` and the id, so the
 * order is exact (ties by id) and a time range is one key condition.
 */
export const TRADE_INDEXES = {
  byKind: { name: 'kind-timeKey', partitionKey: 'kind', sortKey: 'timeKey' },
  byStrategy: { name: 'kindStrategy-timeKey', partitionKey: 'kindStrategy', sortKey: 'timeKey' },
} as const;

/** Settings of one {@link DynamoTradeStore}. */
export interface DynamoTradeStoreOptions {
  /** The document client (lib-dynamodb); its owner configures the underlying DynamoDB client. */
  readonly documents: DynamoDBDocumentClient;
  /** The `trades` table: partition key `tradeId` (S), with the {@link TRADE_INDEXES}. */
  readonly table: string;
  readonly now?: () => number;
}

// Epoch milliseconds fit in 16 digits until the year 318857.
const padTime = (time: number) => String(time).padStart(16, '0');
/** Attributes the store adds for its keys; removed when an entry is read back. */
const KEY_ATTRIBUTES = ['tradeId', 'kindStrategy', 'timeKey', 'recordedAt'] as const;

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * The trades table in DynamoDB, one item per fill or order update with the entry's fields as attributes (so the
 * table's stream carries them as they are). A record is a put conditional on the id being new.
 */
export class DynamoTradeStore implements TradeStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => number;

  constructor(options: DynamoTradeStoreOptions) {
    this.documents = options.documents;
    this.table = options.table;
    this.now = options.now ?? Date.now;
  }

  async record(entry: TradeEntry): Promise<RecordOutcome> {
    assertStorableEntry(entry);
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...entry,
            tradeId: entry.id,
            kindStrategy: `${entry.kind}|${entry.strategy}`,
            timeKey: `${padTime(entry.time)}|${entry.id}`,
            recordedAt: this.now(),
          },
          ConditionExpression: 'attribute_not_exists(tradeId)',
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'duplicate';
      throw error;
    }
  }

  async list(query: TradeQuery = {}): Promise<TradeEntry[]> {
    const kind = query.kind ?? 'fill';
    const index = query.strategy === undefined ? TRADE_INDEXES.byKind : TRADE_INDEXES.byStrategy;
    const partition = query.strategy === undefined ? kind : `${kind}|${query.strategy}`;
    // '}' sorts after '|', so every key at time `to` is below the upper bound and every later time above it.
    const lower = `${padTime(query.from ?? 0)}|`;
    const upper = `${padTime(query.to ?? Number.MAX_SAFE_INTEGER)}}`;
    const entries: TradeEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: index.name,
          KeyConditionExpression: '#partition = :partition AND #time BETWEEN :lower AND :upper',
          ...(query.market === undefined ? {} : { FilterExpression: '#market = :market' }),
          ExpressionAttributeNames: {
            '#partition': index.partitionKey,
            '#time': index.sortKey,
            ...(query.market === undefined ? {} : { '#market': 'market' }),
          },
          ExpressionAttributeValues: {
            ':partition': partition,
            ':lower': lower,
            ':upper': upper,
            ...(query.market === undefined ? {} : { ':market': query.market }),
          },
          ScanIndexForward: false,
          // With a market filter, DynamoDB limits the items read, not those returned: read on until enough.
          ...(query.limit !== undefined && query.market === undefined
            ? { Limit: query.limit - entries.length }
            : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) entries.push(toEntry(item));
      start = page.LastEvaluatedKey;
    } while (start && (query.limit === undefined || entries.length < query.limit));
    return query.limit === undefined ? entries : entries.slice(0, query.limit);
  }
}

function toEntry(item: Record<string, unknown>): TradeEntry {
  const entry = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete entry[attribute];
  return entry as unknown as TradeEntry;
}
