import type { PublicationLog, PublicationState } from '../../../ports/draft-store';
import type { Json } from '../../../ports/json';
import { migrate, type SqliteDatabase } from './database';

const SCHEMA = `
CREATE TABLE publications (
  key TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  since INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  receipt TEXT,
  reason TEXT
);
`;

interface PublicationRow {
  key: string;
  state: 'publishing' | 'published' | 'failed';
  since: number | null;
  attempts: number;
  receipt: string | null;
  reason: string | null;
}

function toState(row: PublicationRow): PublicationState {
  if (row.state === 'published') return { state: 'published', receipt: JSON.parse(row.receipt ?? 'null') };
  if (row.state === 'failed') return { state: 'failed', reason: row.reason ?? '', attempts: row.attempts };
  return { state: 'publishing', since: row.since ?? 0, attempts: row.attempts };
}

/**
 * The publication log in the runtime's SQLite database: one row per draft and platform. A claim is a
 * compare-and-set in one immediate transaction, so two processes sharing the file never both publish a key.
 */
export class SqlitePublicationLog implements PublicationLog {
  private readonly statements;
  private readonly db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.db = db;
    migrate(db, 'publications-v1', SCHEMA);
    this.statements = {
      one: db.prepare<[string], PublicationRow>('SELECT * FROM publications WHERE key = ?'),
      claim: db.prepare(
        `INSERT INTO publications (key, state, since, attempts) VALUES (@key, 'publishing', @at, 1)
         ON CONFLICT (key) DO UPDATE SET state = 'publishing', since = @at, attempts = attempts + 1, reason = NULL
         WHERE publications.state = 'failed'`,
      ),
      published: db.prepare(
        `INSERT INTO publications (key, state, receipt, attempts) VALUES (@key, 'published', @receipt, 1)
         ON CONFLICT (key) DO UPDATE SET state = 'published', receipt = @receipt, reason = NULL`,
      ),
      // A published key stays published: a late failure report of an attempt cannot undo a receipt.
      failed: db.prepare(
        `INSERT INTO publications (key, state, reason, attempts) VALUES (@key, 'failed', @reason, 1)
         ON CONFLICT (key) DO UPDATE SET state = 'failed', reason = @reason WHERE publications.state <> 'published'`,
      ),
    };
  }

  async claim(
    key: string,
    at: number,
  ): Promise<{ claimed: true } | { claimed: false; current: PublicationState }> {
    const take = this.db.transaction(() => {
      const { changes } = this.statements.claim.run({ key, at });
      if (changes > 0) return { claimed: true } as const;
      return { claimed: false, current: toState(this.statements.one.get(key)!) } as const;
    });
    return take.immediate();
  }

  async published(key: string, receipt: Json): Promise<void> {
    this.statements.published.run({ key, receipt: JSON.stringify(receipt) });
  }

  async failed(key: string, reason: string): Promise<void> {
    this.statements.failed.run({ key, reason });
  }

  async get(key: string): Promise<PublicationState | undefined> {
    const row = this.statements.one.get(key);
    return row ? toState(row) : undefined;
  }
}
