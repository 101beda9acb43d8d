import type { CandleGap, CandleSeries, CandleStore } from '../ports/candle-store';
import type { Clock } from '../ports/clock';
import {
  type Candle,
  MarketDataExchangeError,
  MarketDataNetworkError,
  MarketDataRateLimitError,
  type MarketDataSource,
} from '../ports/market-data-source';
import { findGaps } from './gaps';
import { timeframeMs } from './timeframe';

/** How patient the ingestion is with a failing exchange; every field has a default. */
export interface IngestRetryPolicy {
  /** Waits after rate-limit refusals before giving up on the series for this run. Default 5. */
  readonly rateLimitRetries: number;
  /** Retries after network failures before giving up on the series for this run. Default 3. */
  readonly networkRetries: number;
  /** First backoff when the exchange gives no Retry-After, doubled at each attempt. Default 1 s. */
  readonly baseDelayMs: number;
  /** Longest single wait, Retry-After included. Default 60 s. */
  readonly maxDelayMs: number;
}

/** The default retry policy. */
export const DEFAULT_RETRY_POLICY: IngestRetryPolicy = {
  rateLimitRetries: 5,
  networkRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
};

/** What ingestion needs from the world. */
export interface IngestDependencies {
  readonly source: MarketDataSource;
  readonly store: CandleStore;
  readonly clock: Clock;
  /** Waits (a timer in production, a recorder in tests). */
  readonly sleep: (ms: number) => Promise<void>;
}

/** One series to bring up to date. */
export interface IngestRequest {
  readonly symbol: string;
  readonly timeframe: string;
  /** Where to start (epoch ms) when nothing is stored yet. */
  readonly start: number;
  /** Start at `start` even when candles are stored (stored ones come back as duplicates). Default: resume. */
  readonly resume?: boolean;
  /** Stop before this open time (epoch ms). Default: now. */
  readonly until?: number;
  /** Candles per request. Default 1000 (Binance's most). */
  readonly pageLimit?: number;
  /** Most requests in one run, so a scheduled run stays within its time; the next run carries on. Default 200. */
  readonly maxPages?: number;
  readonly retry?: Partial<IngestRetryPolicy>;
  /** Called after each page is stored, with the running totals (progress for a person watching). */
  readonly onPage?: (progress: {
    pages: number;
    fetched: number;
    inserted: number;
    lastCandleTime: number;
  }) => void;
}

/** A failure that ended (or interrupted) a series' ingestion. */
export interface IngestFailure {
  readonly kind: 'rate-limit' | 'network' | 'exchange';
  readonly message: string;
  /** Requests tried for the page that failed. */
  readonly attempts: number;
  /** The `since` of the page that failed. */
  readonly since: number;
}

/** What one ingestion run did. */
export interface IngestReport {
  readonly series: CandleSeries;
  /** Requests that returned candles or an empty page (retries not counted). */
  readonly pages: number;
  /** Closed candles received (the still-open candle is never stored). */
  readonly fetched: number;
  readonly inserted: number;
  readonly duplicates: number;
  /** Open times of the first and last candle stored by this run; null when none was. */
  readonly firstCandleTime: number | null;
  readonly lastCandleTime: number | null;
  /** Gaps found (and recorded) by this run. */
  readonly gaps: readonly CandleGap[];
  /** Waits taken after rate-limit refusals and network failures, in ms. */
  readonly waits: readonly number[];
  /** The failure that stopped the run, if one did (the next run resumes from the last stored candle). */
  readonly errors: readonly IngestFailure[];
  /** True when the series is up to date (no failure, and the page budget did not run out). */
  readonly complete: boolean;
}

/** The market key of a series: `<exchange>:<symbol>`, e.g. `binance:BTC/USDT`. */
export function marketKey(exchange: string, symbol: string): string {
  return `${exchange}:${symbol}`;
}

type PageOutcome = { readonly candles: readonly Candle[] } | { readonly failure: IngestFailure };

/**
 * Brings one series up to date: pages forward from the last stored candle (or `start`) until now, stores closed
 * candles idempotently, records every gap between consecutive candles, and handles failures by class (rate limit:
 * back off, honouring Retry-After; network: bounded retries; exchange rejection: recorded, no retry).
 */
export async function ingestCandles(deps: IngestDependencies, request: IngestRequest): Promise<IngestReport> {
  const intervalMs = timeframeMs(request.timeframe);
  const policy = { ...DEFAULT_RETRY_POLICY, ...request.retry };
  const pageLimit = request.pageLimit ?? 1000;
  const maxPages = request.maxPages ?? 200;
  const series: CandleSeries = {
    market: marketKey(deps.source.exchange, request.symbol),
    timeframe: request.timeframe,
  };
  const waits: number[] = [];
  const gaps: CandleGap[] = [];
  const errors: IngestFailure[] = [];
  let pages = 0;
  let fetched = 0;
  let inserted = 0;
  let duplicates = 0;
  let firstCandleTime: number | null = null;
  let lastCandleTime: number | null = null;

  const until = request.until ?? Number.POSITIVE_INFINITY;
  const last = request.resume === false ? undefined : await deps.store.lastCandle(series);
  let previous = last?.openTime;
  let since = previous === undefined ? request.start : previous + intervalMs;
  let budgetLeft = true;

  const fetchPage = async (): Promise<PageOutcome> => {
    let rateLimited = 0;
    let networkFailures = 0;
    for (;;) {
      const attempts = rateLimited + networkFailures + 1;
      try {
        return {
          candles: await deps.source.fetchCandles({
            symbol: request.symbol,
            timeframe: request.timeframe,
            since,
            limit: pageLimit,
          }),
        };
      } catch (error) {
        if (error instanceof MarketDataRateLimitError) {
          if (rateLimited >= policy.rateLimitRetries)
            return { failure: { kind: 'rate-limit', message: error.message, attempts, since } };
          const backoff = policy.baseDelayMs * 2 ** rateLimited;
          rateLimited++;
          const wait = Math.min(error.retryAfterMs ?? backoff, policy.maxDelayMs);
          waits.push(wait);
          await deps.sleep(wait);
        } else if (error instanceof MarketDataNetworkError) {
          if (networkFailures >= policy.networkRetries)
            return { failure: { kind: 'network', message: error.message, attempts, since } };
          const wait = Math.min(policy.baseDelayMs * 2 ** networkFailures, policy.maxDelayMs);
          networkFailures++;
          waits.push(wait);
          await deps.sleep(wait);
        } else if (error instanceof MarketDataExchangeError) {
          return { failure: { kind: 'exchange', message: error.message, attempts, since } };
        } else {
          throw error;
        }
      }
    }
  };

  for (;;) {
    // Only a candle whose whole interval has passed is final; the exchange's last one is still moving.
    if (since + intervalMs > deps.clock.now() || since >= until) break;
    if (pages >= maxPages) {
      budgetLeft = false;
      break;
    }
    const outcome = await fetchPage();
    if ('failure' in outcome) {
      errors.push(outcome.failure);
      break;
    }
    pages++;
    const now = deps.clock.now();
    const closed = uniqueByOpenTime(outcome.candles).filter(
      (candle) => candle.openTime >= since && candle.openTime < until && candle.openTime + intervalMs <= now,
    );
    if (closed.length === 0) break;
    fetched += closed.length;
    const found = findGaps(
      previous,
      closed.map((candle) => candle.openTime),
      intervalMs,
      now,
    );
    for (const gap of found) await deps.store.recordGap(series, gap);
    gaps.push(...found);
    const appended = await deps.store.append(series, closed);
    inserted += appended.inserted;
    duplicates += appended.duplicates;
    firstCandleTime ??= closed[0]!.openTime;
    lastCandleTime = closed[closed.length - 1]!.openTime;
    previous = lastCandleTime;
    since = lastCandleTime + intervalMs;
    request.onPage?.({ pages, fetched, inserted, lastCandleTime });
  }

  return {
    series,
    pages,
    fetched,
    inserted,
    duplicates,
    firstCandleTime,
    lastCandleTime,
    gaps,
    waits,
    errors,
    complete: errors.length === 0 && budgetLeft,
  };
}

/** Candles sorted by open time, each open time once (the first one received wins). */
function uniqueByOpenTime(candles: readonly Candle[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const candle of candles) if (!byTime.has(candle.openTime)) byTime.set(candle.openTime, candle);
  return [...byTime.values()].sort((a, b) => a.openTime - b.openTime);
}
