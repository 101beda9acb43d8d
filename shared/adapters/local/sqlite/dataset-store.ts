import type { DatasetStore, OhlcvColumns } from '../../../ports/dataset-store';
import { migrate, type SqliteDatabase } from './database';

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Data sets in SQLite: the six columns as one blob of float64 values, keyed by content hash. */
export class SqliteDatasetStore implements DatasetStore {
  private readonly insert;
  private readonly select;

  constructor(db: SqliteDatabase) {
    migrate(
      db,
      'datasets-v1',
      'CREATE TABLE datasets (hash TEXT PRIMARY KEY, market TEXT NOT NULL, name TEXT NOT NULL, length INTEGER NOT NULL, data BLOB NOT NULL)',
    );
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO datasets (hash, market, name, length, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.select = db.prepare<[string], { length: number; data: Buffer }>(
      'SELECT length, data FROM datasets WHERE hash = ?',
    );
  }

  async put(dataset: { hash: string; market: string; name: string; bars: OhlcvColumns }) {
    const { bars } = dataset;
    const blob = Buffer.alloc(bars.length * 8 * COLUMNS.length);
    COLUMNS.forEach((column, index) => {
      const source = bars[column];
      blob.set(new Uint8Array(source.buffer, source.byteOffset, source.byteLength), index * bars.length * 8);
    });
    this.insert.run(dataset.hash, dataset.market, dataset.name, bars.length, blob);
  }

  async get(hash: string): Promise<OhlcvColumns | undefined> {
    const row = this.select.get(hash);
    if (!row) return undefined;
    // Copy into a fresh buffer: a blob from SQLite need not be 8-byte aligned for Float64Array views.
    const aligned = new Float64Array(row.length * COLUMNS.length);
    new Uint8Array(aligned.buffer).set(row.data);
    const column = (index: number) => aligned.subarray(index * row.length, (index + 1) * row.length);
    return {
      time: column(0),
      open: column(1),
      high: column(2),
      low: column(3),
      close: column(4),
      volume: column(5),
      length: row.length,
    };
  }
}
