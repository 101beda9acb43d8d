import type { Candle } from './market-data-source';

/** A series of candles: one market (exchange and symbol, e.g. `binance:BTC/USDT`) at one timeframe. */
export interface CandleSeries {
  readonly market: string;
  readonly timeframe: string;
}

/** Candles missing between two stored ones: the open times of the first and last missing candle. */
export interface CandleGap {
  /** Open time (epoch ms) of the first missing candle. */
  readonly from: number;
  /** Open time (epoch ms) of the last missing candle (inclusive). */
  readonly to: number;
  /** How many candles are missing. */
  readonly missing: number;
  /** When the gap was found (epoch ms). */
  readonly detectedAt: number;
}

/** What one append did: candles new to the store, and candles it already held (left as they were). */
export interface AppendResult {
  readonly inserted: number;
  readonly duplicates: number;
}

/** Stored candles per series, each open time once, and the gaps found in them. */
export interface CandleStore {
  /** Stores candles idempotently: a candle whose open time is already stored is counted as a duplicate and kept as is. */
  append(series: CandleSeries, candles: readonly Candle[]): Promise<AppendResult>;
  /** The stored candle with the latest open time, if any. */
  lastCandle(series: CandleSeries): Promise<Candle | undefined>;
  /** Stored candles opening in [from, to), oldest first. */
  range(series: CandleSeries, from: number, to: number): Promise<Candle[]>;
  /** Records a gap; recording the same gap (same `from`) again changes nothing. */
  recordGap(series: CandleSeries, gap: CandleGap): Promise<void>;
  /** Every gap recorded for the series, oldest first. */
  gaps(series: CandleSeries): Promise<CandleGap[]>;
}
