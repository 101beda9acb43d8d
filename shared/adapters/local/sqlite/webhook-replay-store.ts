import type { WebhookReplayStore } from '../../../ports/webhook-replay-store';
import { migrate, type SqliteDatabase } from './database';

const SCHEMA = `
CREATE TABLE webhook_events (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX webhook_events_expiry ON webhook_events (expires_at);
`;

/**
 * Accepted webhook event ids in the runtime's SQLite database. Remembering is one upsert that only takes over an
 * expired row, so of two racing deliveries of one id exactly one wins; expired rows are pruned as it goes.
 */
export class SqliteWebhookReplayStore implements WebhookReplayStore {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    migrate(db, 'webhook-events-v1', SCHEMA);
    this.statements = {
      remember: db.prepare(
        `INSERT INTO webhook_events (key, expires_at) VALUES (@key, @expiresAt)
         ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE webhook_events.expires_at <= @now`,
      ),
      prune: db.prepare('DELETE FROM webhook_events WHERE expires_at <= ?'),
      forget: db.prepare('DELETE FROM webhook_events WHERE key = ?'),
    };
  }

  async remember(key: string, expiresAt: number, now: number): Promise<boolean> {
    const { changes } = this.statements.remember.run({ key, expiresAt, now });
    // Expired ids would otherwise pile up: DynamoDB's TTL does this on AWS.
    this.statements.prune.run(now);
    return changes > 0;
  }

  async forget(key: string): Promise<void> {
    this.statements.forget.run(key);
  }
}
