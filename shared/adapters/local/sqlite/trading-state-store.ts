import type { Json } from '../../../ports/json';
import {
  TradingStateConflictError,
  type TradingStateDocument,
  type TradingStateKey,
  type TradingStateStore,
} from '../../../ports/trading-state-store';
import { migrate, type SqliteDatabase } from './database';

const SCHEMA = `
CREATE TABLE trading_state (
  market TEXT NOT NULL,
  strategy_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (market, strategy_id)
);
`;

interface Row {
  market: string;
  strategy_id: string;
  revision: number;
  state: string;
  updated_at: number;
}

const toDocument = (row: Row): TradingStateDocument => ({
  market: row.market,
  strategyId: row.strategy_id,
  revision: row.revision,
  state: JSON.parse(row.state) as Json,
  updatedAt: row.updated_at,
});

/** The trading-state table in the runtime's SQLite database: a JSON document per strategy and market. */
export class SqliteTradingStateStore implements TradingStateStore {
  private readonly statements;

  constructor(
    db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {
    migrate(db, 'trading-state-v1', SCHEMA);
    this.statements = {
      get: db.prepare<[string, string], Row>(
        'SELECT * FROM trading_state WHERE market = ? AND strategy_id = ?',
      ),
      insert: db.prepare(
        `INSERT INTO trading_state (market, strategy_id, revision, state, updated_at)
         VALUES (@market, @strategyId, 1, @state, @now) ON CONFLICT DO NOTHING`,
      ),
      update: db.prepare(
        `UPDATE trading_state SET revision = revision + 1, state = @state, updated_at = @now
         WHERE market = @market AND strategy_id = @strategyId AND revision = @expected`,
      ),
      all: db.prepare<[], Row>('SELECT * FROM trading_state ORDER BY market, strategy_id'),
      ofMarket: db.prepare<[string], Row>(
        'SELECT * FROM trading_state WHERE market = ? ORDER BY strategy_id',
      ),
    };
  }

  async get(key: TradingStateKey): Promise<TradingStateDocument | undefined> {
    const row = this.statements.get.get(key.market, key.strategyId);
    return row && toDocument(row);
  }

  async put(key: TradingStateKey, state: Json, expectedRevision: number): Promise<number> {
    const parameters = {
      market: key.market,
      strategyId: key.strategyId,
      state: JSON.stringify(state),
      now: this.now(),
    };
    const { changes } =
      expectedRevision === 0
        ? this.statements.insert.run(parameters)
        : this.statements.update.run({ ...parameters, expected: expectedRevision });
    if (changes === 0) throw new TradingStateConflictError(key, expectedRevision);
    return expectedRevision + 1;
  }

  async list(market?: string): Promise<TradingStateDocument[]> {
    const rows = market === undefined ? this.statements.all.all() : this.statements.ofMarket.all(market);
    return rows.map(toDocument);
  }
}
