import type { Bars } from '../market-data/bars';

/** OHLCV columns, one value per bar. */
export type OhlcvColumns = Bars;

/** Market data sets stored by the hash of their contents, so workers can read exactly what was planned. */
export interface DatasetStore {
  /** Stores a data set unless one with this hash is stored. */
  put(dataset: { hash: string; market: string; name: string; bars: OhlcvColumns }): Promise<void>;
  get(hash: string): Promise<OhlcvColumns | undefined>;
}
