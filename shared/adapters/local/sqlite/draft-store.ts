import {
  DraftConflictError,
  DraftNotFoundError,
  type DraftRecord,
  type DraftStatus,
  type DraftStore,
  type DraftTransition,
} from '../../../ports/draft-store';
import type { Json } from '../../../ports/json';
import { migrate, type SqliteDatabase } from './database';

const SCHEMA = `
CREATE TABLE drafts (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  origin TEXT NOT NULL,
  source_ref TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  scheduled_for INTEGER,
  reason TEXT,
  revision INTEGER NOT NULL
);
CREATE INDEX drafts_by_created ON drafts (created_at DESC);
CREATE INDEX drafts_by_status ON drafts (status, created_at DESC);
CREATE INDEX drafts_by_due ON drafts (status, scheduled_for);
`;

/** How many drafts `list` returns when the caller names no limit. */
const DEFAULT_LIST_LIMIT = 50;

interface DraftRow {
  id: string;
  status: DraftStatus;
  origin: 'user' | 'system';
  source_ref: string;
  content: string;
  created_at: number;
  updated_at: number;
  scheduled_for: number | null;
  reason: string | null;
  revision: number;
}

function toRecord(row: DraftRow): DraftRecord {
  return {
    id: row.id,
    status: row.status,
    origin: row.origin,
    sourceRef: row.source_ref,
    content: JSON.parse(row.content) as Json,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    scheduledFor: row.scheduled_for,
    reason: row.reason,
    revision: row.revision,
  };
}

/** The message of a refused transition: which status the draft is in, and which the change needed. */
function conflictMessage(id: string, current: DraftStatus, change: DraftTransition): string {
  return `draft ${id} is ${current}, so it cannot become ${change.to} (only a draft that is ${change.expected.join(' or ')} can)`;
}

/** Drafts in the runtime's SQLite database, one row per draft; transitions are compare-and-set on the status. */
export class SqliteDraftStore implements DraftStore {
  private readonly statements;
  private readonly db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.db = db;
    migrate(db, 'drafts-v1', SCHEMA);
    this.statements = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO drafts (id, status, origin, source_ref, content, created_at, updated_at, scheduled_for, reason, revision)
         VALUES (@id, @status, @origin, @source_ref, @content, @created_at, @updated_at, @scheduled_for, @reason, 1)`,
      ),
      one: db.prepare<[string], DraftRow>('SELECT * FROM drafts WHERE id = ?'),
      newest: db.prepare<[number], DraftRow>(
        'SELECT * FROM drafts ORDER BY created_at DESC, id DESC LIMIT ?',
      ),
      newestIn: db.prepare<[string, number], DraftRow>(
        'SELECT * FROM drafts WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT ?',
      ),
      due: db.prepare<[number], DraftRow>(
        "SELECT * FROM drafts WHERE status = 'scheduled' AND scheduled_for <= ? ORDER BY scheduled_for, id",
      ),
      update: db.prepare(
        `UPDATE drafts SET status = @to, updated_at = @at, scheduled_for = @scheduled_for, reason = @reason,
         revision = revision + 1 WHERE id = @id AND revision = @revision`,
      ),
    };
  }

  async create(draft: Omit<DraftRecord, 'revision' | 'updatedAt'>): Promise<DraftRecord> {
    this.statements.insert.run({
      id: draft.id,
      status: draft.status,
      origin: draft.origin,
      source_ref: draft.sourceRef,
      content: JSON.stringify(draft.content),
      created_at: draft.createdAt,
      updated_at: draft.createdAt,
      scheduled_for: draft.scheduledFor,
      reason: draft.reason,
    });
    return toRecord(this.statements.one.get(draft.id)!);
  }

  async get(id: string): Promise<DraftRecord | undefined> {
    const row = this.statements.one.get(id);
    return row ? toRecord(row) : undefined;
  }

  async list(filter: { status?: DraftStatus; limit?: number } = {}): Promise<DraftRecord[]> {
    const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
    const rows =
      filter.status === undefined
        ? this.statements.newest.all(limit)
        : this.statements.newestIn.all(filter.status, limit);
    return rows.map(toRecord);
  }

  async due(now: number): Promise<DraftRecord[]> {
    return this.statements.due.all(now).map(toRecord);
  }

  async transition(id: string, change: DraftTransition): Promise<DraftRecord> {
    const apply = this.db.transaction(() => {
      const row = this.statements.one.get(id);
      if (!row) throw new DraftNotFoundError(`no draft has id ${id}`);
      if (!change.expected.includes(row.status))
        throw new DraftConflictError(conflictMessage(id, row.status, change));
      this.statements.update.run({
        id,
        to: change.to,
        at: change.at,
        scheduled_for: change.scheduledFor === undefined ? row.scheduled_for : change.scheduledFor,
        reason: change.reason === undefined ? row.reason : change.reason,
        revision: row.revision,
      });
      return toRecord(this.statements.one.get(id)!);
    });
    return apply.immediate();
  }
}
