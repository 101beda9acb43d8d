import {
  assertStorableEntry,
  type RecordOutcome,
  type TradeEntry,
  type TradeQuery,
  type TradeStore,
} from '../../../ports/trade-store';
import { migrate, type SqliteDatabase } from './database';

const SCHEMA = `
CREATE TABLE trades (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  strategy TEXT NOT NULL,
  market TEXT NOT NULL,
  time INTEGER NOT NULL,
  entry TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX trades_kind_time ON trades (kind, time DESC, id DESC);
CREATE INDEX trades_strategy_time ON trades (kind, strategy, time DESC, id DESC);
`;

/**
 * The trades table in the runtime's SQLite database: one row per fill or order update, keyed by its id (an
 * `INSERT … ON CONFLICT DO NOTHING`, so a retried write is a no-op). The entry itself is kept as JSON.
 */
export class SqliteTradeStore implements TradeStore {
  private readonly statements;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {
    migrate(db, 'trades-v1', SCHEMA);
    this.statements = {
      insert: db.prepare(
        `INSERT INTO trades (id, kind, strategy, market, time, entry, recorded_at)
         VALUES (@id, @kind, @strategy, @market, @time, @entry, @recordedAt) ON CONFLICT (id) DO NOTHING`,
      ),
    };
  }

  async record(entry: TradeEntry): Promise<RecordOutcome> {
    assertStorableEntry(entry);
    const { changes } = this.statements.insert.run({
      id: entry.id,
      kind: entry.kind,
      strategy: entry.strategy,
      market: entry.market,
      time: entry.time,
      entry: JSON.stringify(entry),
      recordedAt: this.now(),
    });
    return changes > 0 ? 'recorded' : 'duplicate';
  }

  async list(query: TradeQuery = {}): Promise<TradeEntry[]> {
    const parameters: Record<string, string | number> = { kind: query.kind ?? 'fill' };
    const conditions = ['kind = @kind'];
    const where = (column: string, operator: string, name: keyof TradeQuery) => {
      const value = query[name];
      if (value === undefined) return;
      parameters[name] = value;
      conditions.push(`${column} ${operator} @${name}`);
    };
    where('strategy', '=', 'strategy');
    where('market', '=', 'market');
    where('time', '>=', 'from');
    where('time', '<=', 'to');
    if (query.limit !== undefined) parameters.limit = query.limit;
    const rows = this.db
      .prepare<Record<string, string | number>, { entry: string }>(
        `SELECT entry FROM trades WHERE ${conditions.join(' AND ')} ORDER BY time DESC, id DESC${query.limit === undefined ? '' : ' LIMIT @limit'}`,
      )
      .all(parameters);
    return rows.map((row) => JSON.parse(row.entry) as TradeEntry);
  }
}
