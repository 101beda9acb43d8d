/** One OHLCV candle as an exchange reports it: its open time (epoch ms UTC) and the five numbers. */
export interface Candle {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** One page of candles to fetch: those opening at or after `since`, at most `limit` of them. */
export interface CandleRequest {
  /** The exchange's unified symbol, e.g. `BTC/USDT`. */
  readonly symbol: string;
  /** A ccxt timeframe, e.g. `1m`, `1h`, `1d`. */
  readonly timeframe: string;
  /** Epoch ms: the earliest open time wanted. */
  readonly since: number;
  readonly limit: number;
}

/** Where candles come from: an exchange's public market data (ccxt's fetchOHLCV). */
export interface MarketDataSource {
  /** The exchange id, e.g. `binance`. */
  readonly exchange: string;
  /** Fetches one page of candles, oldest first; throws one of the MarketData…Error classes below on failure. */
  fetchCandles(request: CandleRequest): Promise<readonly Candle[]>;
}

/** The exchange refused the request for its rate limit (HTTP 429/418); wait before asking again. */
export class MarketDataRateLimitError extends Error {
  override readonly name = 'MarketDataRateLimitError';
  constructor(
    message: string,
    /** How long the exchange asked us to wait (its Retry-After header), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The exchange could not be reached or did not answer in time (a transient failure: retry later). */
export class MarketDataNetworkError extends Error {
  override readonly name = 'MarketDataNetworkError';
}

/** The exchange answered and rejected the request (unknown symbol, bad timeframe): retrying will not help. */
export class MarketDataExchangeError extends Error {
  override readonly name = 'MarketDataExchangeError';
}
