import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PublicationLog, PublicationState } from '../../ports/draft-store';
import type { Json } from '../../ports/json';

/** Settings of one {@link DynamoPublicationLog}. */
export interface DynamoPublicationLogOptions {
  /** The document client (lib-dynamodb); its owner configures the underlying DynamoDB client. */
  readonly documents: DynamoDBDocumentClient;
  /** The `publications` table: partition key `publicationKey` (S). */
  readonly table: string;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * The publication log in DynamoDB, one item per draft and platform. A claim is a conditional update (the key is
 * new or failed before), so of two concurrent attempts exactly one publishes.
 */
export class DynamoPublicationLog implements PublicationLog {
  private readonly documents: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoPublicationLogOptions) {
    this.documents = options.documents;
    this.table = options.table;
  }

  async claim(
    key: string,
    at: number,
  ): Promise<{ claimed: true } | { claimed: false; current: PublicationState }> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { publicationKey: key },
          UpdateExpression:
            'SET #state = :publishing, #since = :at, #attempts = if_not_exists(#attempts, :zero) + :one REMOVE #reason',
          ConditionExpression: 'attribute_not_exists(#key) OR #state = :failed',
          ExpressionAttributeNames: {
            '#key': 'publicationKey',
            '#state': 'state',
            '#since': 'since',
            '#attempts': 'attempts',
            '#reason': 'reason',
          },
          ExpressionAttributeValues: {
            ':publishing': 'publishing',
            ':failed': 'failed',
            ':at': at,
            ':zero': 0,
            ':one': 1,
          },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = await this.get(key);
      if (!current) throw error;
      return { claimed: false, current };
    }
  }

  async published(key: string, receipt: Json): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { publicationKey: key },
        UpdateExpression:
          'SET #state = :published, #receipt = :receipt, #attempts = if_not_exists(#attempts, :one) REMOVE #reason',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#receipt': 'receipt',
          '#attempts': 'attempts',
          '#reason': 'reason',
        },
        ExpressionAttributeValues: {
          ':published': 'published',
          ':receipt': JSON.stringify(receipt),
          ':one': 1,
        },
      }),
    );
  }

  async failed(key: string, reason: string): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { publicationKey: key },
          UpdateExpression:
            'SET #state = :failed, #reason = :reason, #attempts = if_not_exists(#attempts, :one)',
          // A published key stays published: a late failure report of an attempt cannot undo a receipt.
          ConditionExpression: 'attribute_not_exists(#state) OR #state <> :published',
          ExpressionAttributeNames: { '#state': 'state', '#reason': 'reason', '#attempts': 'attempts' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':published': 'published',
            ':reason': reason,
            ':one': 1,
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async get(key: string): Promise<PublicationState | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { publicationKey: key }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const attempts = typeof Item.attempts === 'number' ? Item.attempts : 0;
    if (Item.state === 'published')
      return { state: 'published', receipt: JSON.parse(String(Item.receipt ?? 'null')) as Json };
    if (Item.state === 'failed') return { state: 'failed', reason: String(Item.reason ?? ''), attempts };
    return { state: 'publishing', since: typeof Item.since === 'number' ? Item.since : 0, attempts };
  }
}
