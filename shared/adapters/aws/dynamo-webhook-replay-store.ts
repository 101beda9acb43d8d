import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebhookReplayStore } from '../../ports/webhook-replay-store';

/** Settings of one {@link DynamoWebhookReplayStore}. */
export interface DynamoWebhookReplayStoreOptions {
  /** The document client (lib-dynamodb); its owner configures the underlying DynamoDB client. */
  readonly documents: DynamoDBDocumentClient;
  /** The `webhook-events` table: partition key `eventKey` (S), TTL on `expiresAt` (epoch seconds). */
  readonly table: string;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * Accepted webhook event ids in DynamoDB: remembering is a put conditional on the key being new or expired, so
 * of two racing deliveries exactly one wins. TTL deletes expired items within days; the condition does not wait
 * for it, comparing `expiresAtMs` itself.
 */
export class DynamoWebhookReplayStore implements WebhookReplayStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoWebhookReplayStoreOptions) {
    this.documents = options.documents;
    this.table = options.table;
  }

  async remember(key: string, expiresAt: number, now: number): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: { eventKey: key, expiresAt: Math.ceil(expiresAt / 1000), expiresAtMs: expiresAt },
          ConditionExpression: 'attribute_not_exists(eventKey) OR expiresAtMs <= :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async forget(key: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.table, Key: { eventKey: key } }));
  }
}
