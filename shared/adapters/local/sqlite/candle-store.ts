import type { AppendResult, CandleGap, CandleSeries, CandleStore } from '../../../ports/candle-store';
import type { Candle } from '../../../ports/market-data-source';
import { migrate, type SqliteDatabase } from './database';

interface CandleRow {
  open_time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface GapRow {
  from_time: number;
  to_time: number;
  missing: number;
  detected_at: number;
}

function toCandle(row: CandleRow): Candle {
  return {
    openTime: row.open_time,
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    volume: row.volume,
  };
}

/** Candles and their gaps in the local SQLite database, one row per market, timeframe and open time. */
export class SqliteCandleStore implements CandleStore {
  private readonly db: SqliteDatabase;
  private readonly statements;

  constructor(db: SqliteDatabase) {
    migrate(
      db,
      'candles-v1',
      `CREATE TABLE candles (
        market TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        open_time INTEGER NOT NULL,
        open REAL NOT NULL,
        high REAL NOT NULL,
        low REAL NOT NULL,
        close REAL NOT NULL,
        volume REAL NOT NULL,
        PRIMARY KEY (market, timeframe, open_time)
      ) WITHOUT ROWID;
      CREATE TABLE candle_gaps (
        market TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        from_time INTEGER NOT NULL,
        to_time INTEGER NOT NULL,
        missing INTEGER NOT NULL,
        detected_at INTEGER NOT NULL,
        PRIMARY KEY (market, timeframe, from_time)
      );`,
    );
    this.db = db;
    this.statements = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO candles (market, timeframe, open_time, open, high, low, close, volume)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      last: db.prepare(
        'SELECT * FROM candles WHERE market = ? AND timeframe = ? ORDER BY open_time DESC LIMIT 1',
      ),
      range: db.prepare(
        `SELECT * FROM candles WHERE market = ? AND timeframe = ? AND open_time >= ? AND open_time < ?
         ORDER BY open_time`,
      ),
      insertGap: db.prepare(
        `INSERT OR IGNORE INTO candle_gaps (market, timeframe, from_time, to_time, missing, detected_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      gaps: db.prepare('SELECT * FROM candle_gaps WHERE market = ? AND timeframe = ? ORDER BY from_time'),
    };
  }

  async append(series: CandleSeries, candles: readonly Candle[]): Promise<AppendResult> {
    const insertAll = this.db.transaction(() => {
      let inserted = 0;
      for (const candle of candles) {
        inserted += this.statements.insert.run(
          series.market,
          series.timeframe,
          candle.openTime,
          candle.open,
          candle.high,
          candle.low,
          candle.close,
          candle.volume,
        ).changes;
      }
      return inserted;
    });
    const inserted = insertAll.immediate();
    return { inserted, duplicates: candles.length - inserted };
  }

  async lastCandle(series: CandleSeries): Promise<Candle | undefined> {
    const row = this.statements.last.get(series.market, series.timeframe) as CandleRow | undefined;
    return row ? toCandle(row) : undefined;
  }

  async range(series: CandleSeries, from: number, to: number): Promise<Candle[]> {
    return (this.statements.range.all(series.market, series.timeframe, from, to) as CandleRow[]).map(
      toCandle,
    );
  }

  async recordGap(series: CandleSeries, gap: CandleGap): Promise<void> {
    this.statements.insertGap.run(
      series.market,
      series.timeframe,
      gap.from,
      gap.to,
      gap.missing,
      gap.detectedAt,
    );
  }

  async gaps(series: CandleSeries): Promise<CandleGap[]> {
    return (this.statements.gaps.all(series.market, series.timeframe) as GapRow[]).map((row) => ({
      from: row.from_time,
      to: row.to_time,
      missing: row.missing,
      detectedAt: row.detected_at,
    }));
  }
}
