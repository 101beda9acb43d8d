import * as ccxt from 'ccxt';
import {
  type Candle,
  type CandleRequest,
  MarketDataExchangeError,
  MarketDataNetworkError,
  MarketDataRateLimitError,
  type MarketDataSource,
} from '../../ports/market-data-source';

/** The exchange id is not one ccxt knows. */
export class UnknownExchangeError extends Error {
  override readonly name = 'UnknownExchangeError';
}

/** Settings of one {@link CcxtMarketDataSource}. */
export interface CcxtMarketDataSourceOptions {
  /** A ccxt exchange id, e.g. `binance`. */
  readonly exchangeId: string;
  /**
   * Sends every request to this origin instead of the exchange's own hosts, keeping each endpoint's path
   * (`https://api.binance.com/api/v3` becomes `<baseUrl>/api/v3`): for tests against a loopback server.
   */
  readonly baseUrl?: string;
  /** Milliseconds before a request counts as failed; default ccxt's (10 s). */
  readonly timeoutMs?: number;
}

type ExchangeConstructor = new (config: Record<string, unknown>) => ccxt.Exchange;

/** Rewrites every URL of a ccxt `urls.api` tree onto another origin, keeping the paths. */
function rebase(api: unknown, baseUrl: string): unknown {
  if (typeof api === 'string') {
    const url = new URL(api);
    return `${baseUrl.replace(/\/+$/, '')}${url.pathname.replace(/\/+$/, '')}`;
  }
  if (api && typeof api === 'object') {
    return Object.fromEntries(Object.entries(api).map(([key, value]) => [key, rebase(value, baseUrl)]));
  }
  return api;
}

/** The Retry-After of the exchange's last answer, in ms: delta seconds, or an HTTP date. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after');
  const value = entry?.[1];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Candles from an exchange through ccxt's fetchOHLCV (with ccxt's own rate limiter on), its errors mapped to the
 * port's classes: RateLimitExceeded/DDoSProtection → rate limit (with the Retry-After the exchange sent), other
 * OperationFailed (NetworkError, RequestTimeout, ExchangeNotAvailable, BadResponse) → network, ExchangeError (BadSymbol, …) →
 * exchange.
 */
export class CcxtMarketDataSource implements MarketDataSource {
  readonly exchange: string;
  private readonly client: ccxt.Exchange;

  constructor(options: CcxtMarketDataSourceOptions) {
    // The namespace holds every exchange class by id, beside the error classes and helpers.
    const candidate = (ccxt as unknown as Record<string, unknown>)[options.exchangeId];
    const Exchange =
      typeof candidate === 'function' && candidate.prototype instanceof ccxt.Exchange
        ? (candidate as ExchangeConstructor)
        : undefined;
    if (!Exchange) {
      throw new UnknownExchangeError(
        `ccxt has no exchange "${options.exchangeId}": use a ccxt id such as binance, kraken, coinbase or bybit`,
      );
    }
    this.exchange = options.exchangeId;
    this.client = new Exchange({
      enableRateLimit: true,
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    });
    if (options.baseUrl) {
      const urls = this.client.urls as Record<string, unknown>;
      urls.api = rebase(urls.api, options.baseUrl);
    }
  }

  async fetchCandles(request: CandleRequest): Promise<readonly Candle[]> {
    try {
      const rows = await this.client.fetchOHLCV(
        request.symbol,
        request.timeframe,
        request.since,
        request.limit,
      );
      return rows.map(([openTime, open, high, low, close, volume]) => ({
        openTime: Number(openTime),
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume ?? 0),
      }));
    } catch (error) {
      throw this.mapError(error, request);
    }
  }

  private mapError(error: unknown, request: CandleRequest): unknown {
    const what = `${this.exchange} ${request.symbol} ${request.timeframe} candles since ${new Date(request.since).toISOString()}`;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection) {
      return new MarketDataRateLimitError(
        `${what}: the exchange is rate limiting us (${message})`,
        retryAfterMs(this.client.last_response_headers),
      );
    }
    // OperationFailed is ccxt's transient class: NetworkError, BadResponse, and overload codes such as -1001.
    if (error instanceof ccxt.OperationFailed) {
      return new MarketDataNetworkError(`${what}: the exchange could not be reached (${message})`);
    }
    if (error instanceof ccxt.BaseError) {
      return new MarketDataExchangeError(
        `${what}: the exchange rejected the request (${message}); check the symbol and timeframe`,
      );
    }
    return error;
  }
}
