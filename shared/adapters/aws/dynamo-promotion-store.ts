import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Json } from '../../ports/json';
import type { PromotionDecision, PromotionStore } from '../../ports/promotion-store';

/** The sort key of a market's current promoted decision, beside its decisions keyed by sweep id. */
export const CURRENT_SORT_KEY = '#current';

/** A promotions item that lacks a field every decision has. */
export class PromotionItemError extends Error {
  override readonly name = 'PromotionItemError';
  constructor(table: string, problem: string) {
    super(
      `A decision in DynamoDB table "${table}" ${problem}; it was not written by DynamoPromotionStore. ` +
        `Fix or delete the item.`,
    );
  }
}

/** Settings of one {@link DynamoPromotionStore}. */
export interface DynamoPromotionStoreOptions {
  /** The document client (lib-dynamodb); its owner configures the underlying DynamoDB client. */
  readonly documents: DynamoDBDocumentClient;
  /** The `promotions` table: partition key `market` (S), sort key `sweepId` (S). */
  readonly table: string;
}

/**
 * Promotion decisions in DynamoDB, one item per (market, sweep id). A promoted decision is also written as the
 * market's `#current` item in the same transaction, unless a decision taken later is already current.
 */
export class DynamoPromotionStore implements PromotionStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoPromotionStoreOptions) {
    this.documents = options.documents;
    this.table = options.table;
  }

  /** The market's `#current` item: its latest promoted decision. */
  async current(market: string): Promise<PromotionDecision | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.table,
        Key: { market, sweepId: CURRENT_SORT_KEY },
        ConsistentRead: true,
      }),
    );
    return Item ? this.toDecision(Item) : undefined;
  }

  /** The decision the sweep took for the market, if recorded. */
  async decisionFor(market: string, sweepId: string): Promise<PromotionDecision | undefined> {
    if (sweepId === CURRENT_SORT_KEY) return undefined;
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { market, sweepId }, ConsistentRead: true }),
    );
    return Item ? this.toDecision(Item) : undefined;
  }

  /**
   * Records the decision once per (market, sweep id); a repeat is ignored. A promoted decision becomes the
   * market's current one unless the current one was decided later (a tie goes to the one recorded last).
   */
  async record(decision: PromotionDecision): Promise<void> {
    const item = {
      market: decision.market,
      sweepId: decision.sweepId,
      decidedAt: decision.decidedAt,
      promoted: decision.promoted,
      reason: decision.reason,
      candidate: JSON.stringify(decision.candidate),
    };
    const putDecision = {
      TableName: this.table,
      Item: item,
      ConditionExpression: 'attribute_not_exists(#sweepId)',
      ExpressionAttributeNames: { '#sweepId': 'sweepId' },
    };
    if (!decision.promoted) {
      await this.putUnlessRecorded(putDecision);
      return;
    }
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: putDecision },
            {
              Put: {
                TableName: this.table,
                Item: { ...item, sweepId: CURRENT_SORT_KEY, decisionSweepId: decision.sweepId },
                ConditionExpression: 'attribute_not_exists(#sweepId) OR #decidedAt <= :decidedAt',
                ExpressionAttributeNames: { '#sweepId': 'sweepId', '#decidedAt': 'decidedAt' },
                ExpressionAttributeValues: { ':decidedAt': decision.decidedAt },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!isTransactionCanceled(error)) throw error;
      const [decisionCode, currentCode] = cancellationCodes(error);
      if (decisionCode === 'ConditionalCheckFailed') return; // recorded before
      // A later decision is current: store this one as history only.
      if (currentCode === 'ConditionalCheckFailed') await this.putUnlessRecorded(putDecision);
      else throw error;
    }
  }

  /**
   * Every decision (never the `#current` items, dropped here because a Query filter may not test the sort key),
   * newest first, optionally for one market: a Query per market, or a Scan for all.
   */
  async history(market?: string): Promise<PromotionDecision[]> {
    const items: Record<string, unknown>[] = [];
    if (market === undefined) {
      const input: ScanCommandInput = { TableName: this.table, ConsistentRead: true };
      for await (const page of paginateScan({ client: this.documents }, input))
        items.push(...(page.Items ?? []));
    } else {
      const input: QueryCommandInput = {
        TableName: this.table,
        ConsistentRead: true,
        KeyConditionExpression: '#market = :market',
        ExpressionAttributeNames: { '#market': 'market' },
        ExpressionAttributeValues: { ':market': market },
      };
      for await (const page of paginateQuery({ client: this.documents }, input))
        items.push(...(page.Items ?? []));
    }
    // Newest first; DynamoDB keeps no insertion order, so equal times fall back to market, then sweep id.
    return items
      .filter((item) => item.sweepId !== CURRENT_SORT_KEY)
      .map((item) => this.toDecision(item))
      .sort(
        (a, b) =>
          b.decidedAt - a.decidedAt || compareText(a.market, b.market) || compareText(b.sweepId, a.sweepId),
      );
  }

  private async putUnlessRecorded(input: ConstructorParameters<typeof PutCommand>[0]): Promise<void> {
    try {
      await this.documents.send(new PutCommand(input));
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  private toDecision(item: Record<string, unknown>): PromotionDecision {
    const { market, decidedAt, promoted, reason, candidate } = item;
    const sweepId = item.sweepId === CURRENT_SORT_KEY ? item.decisionSweepId : item.sweepId;
    if (typeof market !== 'string' || typeof sweepId !== 'string') {
      throw new PromotionItemError(this.table, 'has no market or sweep id');
    }
    if (typeof decidedAt !== 'number' || typeof promoted !== 'boolean' || typeof reason !== 'string') {
      throw new PromotionItemError(
        this.table,
        `for ${market} and sweep ${sweepId} lacks decidedAt, promoted or reason`,
      );
    }
    if (typeof candidate !== 'string') {
      throw new PromotionItemError(this.table, `for ${market} and sweep ${sweepId} has no candidate JSON`);
    }
    return { market, sweepId, decidedAt, promoted, reason, candidate: JSON.parse(candidate) as Json };
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException';
}

function isTransactionCanceled(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'TransactionCanceledException';
}

/** The cancellation reason code of each item of a cancelled transaction, in request order. */
function cancellationCodes(error: unknown): (string | undefined)[] {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code);
}
