/** OHLCV columns, one value per bar (the shape of shared/market-data's Bars). */
export interface OhlcvColumns {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly length: number;
}

/** Market data sets stored by the hash of their contents, so workers can read exactly what was planned. */
export interface DatasetStore {
  /** Stores a data set unless one with this hash is stored. */
  put(dataset: { hash: string; market: string; name: string; bars: OhlcvColumns }): Promise<void>;
  get(hash: string): Promise<OhlcvColumns | undefined>;
}
