import type { Json } from '../../../ports/json';
import type { PromotionDecision, PromotionStore } from '../../../ports/promotion-store';
import { migrate, type SqliteDatabase } from './database';

interface DecisionRow {
  market: string;
  sweep_id: string;
  decided_at: number;
  promoted: number;
  reason: string;
  candidate: string;
}

function toDecision(row: DecisionRow): PromotionDecision {
  return {
    market: row.market,
    sweepId: row.sweep_id,
    decidedAt: row.decided_at,
    promoted: row.promoted === 1,
    reason: row.reason,
    candidate: JSON.parse(row.candidate) as Json,
  };
}

/** Promotion decisions in SQLite, one per market and sweep; the newest promoted one is the market's current. */
export class SqlitePromotionStore implements PromotionStore {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    migrate(
      db,
      'promotions-v1',
      `CREATE TABLE promotions (
        market TEXT NOT NULL,
        sweep_id TEXT NOT NULL,
        decided_at INTEGER NOT NULL,
        promoted INTEGER NOT NULL,
        reason TEXT NOT NULL,
        candidate TEXT NOT NULL,
        PRIMARY KEY (market, sweep_id)
      )`,
    );
    this.statements = {
      insert: db.prepare(
        'INSERT OR IGNORE INTO promotions (market, sweep_id, decided_at, promoted, reason, candidate) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      current: db.prepare<[string], DecisionRow>(
        'SELECT * FROM promotions WHERE market = ? AND promoted = 1 ORDER BY decided_at DESC, rowid DESC LIMIT 1',
      ),
      one: db.prepare<[string, string], DecisionRow>(
        'SELECT * FROM promotions WHERE market = ? AND sweep_id = ?',
      ),
      all: db.prepare<[], DecisionRow>('SELECT * FROM promotions ORDER BY decided_at DESC, rowid DESC'),
      forMarket: db.prepare<[string], DecisionRow>(
        'SELECT * FROM promotions WHERE market = ? ORDER BY decided_at DESC, rowid DESC',
      ),
    };
  }

  async current(market: string) {
    const row = this.statements.current.get(market);
    return row ? toDecision(row) : undefined;
  }

  async decisionFor(market: string, sweepId: string) {
    const row = this.statements.one.get(market, sweepId);
    return row ? toDecision(row) : undefined;
  }

  async record(decision: PromotionDecision) {
    this.statements.insert.run(
      decision.market,
      decision.sweepId,
      decision.decidedAt,
      decision.promoted ? 1 : 0,
      decision.reason,
      JSON.stringify(decision.candidate),
    );
  }

  async history(market?: string) {
    const rows = market === undefined ? this.statements.all.all() : this.statements.forMarket.all(market);
    return rows.map(toDecision);
  }
}
