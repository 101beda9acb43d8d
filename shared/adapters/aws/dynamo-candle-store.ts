import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AppendResult, CandleGap, CandleSeries, CandleStore } from '../../ports/candle-store';
import type { Candle } from '../../ports/market-data-source';

/** Settings of one {@link DynamoCandleStore}. */
export interface DynamoCandleStoreOptions {
  /** The document client (lib-dynamodb); its owner configures the underlying DynamoDB client. */
  readonly documents: DynamoDBDocumentClient;
  /** The `candles` table: partition key `series` (S, `<market>#<timeframe>`), sort key `at` (S). */
  readonly table: string;
  /** Waits between retries of unprocessed batch items; default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A batch write still had unprocessed items after every retry (the table is throttled); run again later. */
export class CandleWriteError extends Error {
  override readonly name = 'CandleWriteError';
}

const CANDLE_PREFIX = 'candle#';
const GAP_PREFIX = 'gap#';
const BATCH_SIZE = 25;
const BATCH_RETRIES = 5;

/** A sort key that orders as the time does: epoch ms, zero-padded to 15 digits. */
function sortKey(prefix: string, time: number): string {
  return `${prefix}${String(time).padStart(15, '0')}`;
}

function seriesKey(series: CandleSeries): string {
  return `${series.market}#${series.timeframe}`;
}

function toCandle(item: Record<string, unknown>): Candle {
  return {
    openTime: Number(item.openTime),
    open: Number(item.open),
    high: Number(item.high),
    low: Number(item.low),
    close: Number(item.close),
    volume: Number(item.volume),
  };
}

/**
 * Candles in DynamoDB: one partition per market and timeframe, one item per candle sorted by open time
 * (`candle#<ms>`), and the series' gaps beside them (`gap#<from>`). Appends read which open times are already
 * stored, then batch-write only the new ones, so a retried run stores nothing twice.
 */
export class DynamoCandleStore implements CandleStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: DynamoCandleStoreOptions) {
    this.documents = options.documents;
    this.table = options.table;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async append(series: CandleSeries, candles: readonly Candle[]): Promise<AppendResult> {
    if (candles.length === 0) return { inserted: 0, duplicates: 0 };
    const times = candles.map((candle) => candle.openTime);
    const stored = new Set(
      (await this.range(series, Math.min(...times), Math.max(...times) + 1)).map((candle) => candle.openTime),
    );
    const fresh = new Map<number, Candle>();
    for (const candle of candles) {
      if (!stored.has(candle.openTime) && !fresh.has(candle.openTime)) fresh.set(candle.openTime, candle);
    }
    const items = [...fresh.values()].map((candle) => ({
      series: seriesKey(series),
      at: sortKey(CANDLE_PREFIX, candle.openTime),
      ...candle,
    }));
    for (let start = 0; start < items.length; start += BATCH_SIZE) {
      await this.writeBatch(items.slice(start, start + BATCH_SIZE));
    }
    return { inserted: items.length, duplicates: candles.length - items.length };
  }

  async lastCandle(series: CandleSeries): Promise<Candle | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#series = :series AND begins_with(#at, :prefix)',
        ExpressionAttributeNames: { '#series': 'series', '#at': 'at' },
        ExpressionAttributeValues: { ':series': seriesKey(series), ':prefix': CANDLE_PREFIX },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    return item ? toCandle(item) : undefined;
  }

  async range(series: CandleSeries, from: number, to: number): Promise<Candle[]> {
    if (to <= from) return [];
    return (
      await this.query({
        KeyConditionExpression: '#series = :series AND #at BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#series': 'series', '#at': 'at' },
        ExpressionAttributeValues: {
          ':series': seriesKey(series),
          ':from': sortKey(CANDLE_PREFIX, Math.max(0, from)),
          ':to': sortKey(CANDLE_PREFIX, to - 1),
        },
      })
    ).map(toCandle);
  }

  async recordGap(series: CandleSeries, gap: CandleGap): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: { series: seriesKey(series), at: sortKey(GAP_PREFIX, gap.from), ...gap },
          ConditionExpression: 'attribute_not_exists(#at)',
          ExpressionAttributeNames: { '#at': 'at' },
        }),
      );
    } catch (error) {
      // The gap is recorded already: the first record (and when it was found) stands.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async gaps(series: CandleSeries): Promise<CandleGap[]> {
    return (
      await this.query({
        KeyConditionExpression: '#series = :series AND begins_with(#at, :prefix)',
        ExpressionAttributeNames: { '#series': 'series', '#at': 'at' },
        ExpressionAttributeValues: { ':series': seriesKey(series), ':prefix': GAP_PREFIX },
      })
    ).map((item) => ({
      from: Number(item.from),
      to: Number(item.to),
      missing: Number(item.missing),
      detectedAt: Number(item.detectedAt),
    }));
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      { TableName: this.table, ConsistentRead: true, ...input },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  private async writeBatch(items: readonly Record<string, unknown>[]): Promise<void> {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > BATCH_RETRIES) {
        throw new CandleWriteError(
          `DynamoDB table "${this.table}" left ${requests.length} candle(s) unprocessed after ${BATCH_RETRIES} retries (throttled); run the ingestion again, it resumes where it stopped`,
        );
      }
      // Unprocessed items come back when the table throttles; AWS advises an exponential backoff.
      if (attempt > 0) await this.sleep(50 * 2 ** attempt);
      const { UnprocessedItems } = await this.documents.send(
        new BatchWriteCommand({ RequestItems: { [this.table]: requests } }),
      );
      requests = (UnprocessedItems?.[this.table] ?? []) as typeof requests;
    }
  }
}
