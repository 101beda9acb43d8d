import { describe, expect, it } from '@jest/globals';
import { findGaps } from '@shared/market/gaps';
import { ingestCandles } from '@shared/market/ingest';
import { MemoryCandleStore } from '@shared/market/memory-candle-store';
import { TimeframeError, timeframeMs } from '@shared/market/timeframe';
import {
  type Candle,
  type CandleRequest,
  MarketDataRateLimitError,
  type MarketDataSource,
} from '@shared/ports/market-data-source';
import { makeCandles } from '../../support/fake-exchange';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);

/** A source that answers from a script: a list of candles or an error per call. */
function scriptedSource(script: (Candle[] | Error)[]): MarketDataSource & { requests: CandleRequest[] } {
  const requests: CandleRequest[] = [];
  return {
    exchange: 'binance',
    requests,
    async fetchCandles(request) {
      requests.push(request);
      const next = script.shift() ?? [];
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

describe('timeframeMs', () => {
  it('turns ccxt timeframes into milliseconds', () => {
    expect(['1m', '15m', '1h', '4h', '1d', '1w'].map(timeframeMs)).toEqual([
      60_000,
      900_000,
      HOUR,
      4 * HOUR,
      24 * HOUR,
      168 * HOUR,
    ]);
  });

  it('refuses months (they vary in length) and typos', () => {
    expect(() => timeframeMs('1M')).toThrow(TimeframeError);
    expect(() => timeframeMs('hour')).toThrow(/use a number and one of s, m, h, d, w/);
  });
});

describe('findGaps', () => {
  it('finds each missing run between consecutive open times, and one after the previous run', () => {
    // Act
    const gaps = findGaps(START, [START + 3 * HOUR, START + 4 * HOUR, START + 6 * HOUR], HOUR, 99);

    // Assess
    expect(gaps).toEqual([
      { from: START + HOUR, to: START + 2 * HOUR, missing: 2, detectedAt: 99 },
      { from: START + 5 * HOUR, to: START + 5 * HOUR, missing: 1, detectedAt: 99 },
    ]);
  });

  it('finds nothing in a continuous run, or before the first candle ever seen', () => {
    expect(findGaps(undefined, [START + 5 * HOUR, START + 6 * HOUR], HOUR, 0)).toEqual([]);
  });
});

describe('ingestCandles', () => {
  it('backs off exponentially when the exchange gives no Retry-After, capped, then records the rate limit', async () => {
    // Prepare
    const waits: number[] = [];
    const source = scriptedSource(Array.from({ length: 6 }, () => new MarketDataRateLimitError('429')));

    // Act
    const report = await ingestCandles(
      {
        source,
        store: new MemoryCandleStore(),
        clock: { now: () => START + 10 * HOUR },
        sleep: async (ms) => void waits.push(ms),
      },
      { symbol: 'BTC/USDT', timeframe: '1h', start: START, retry: { baseDelayMs: 1000, maxDelayMs: 5000 } },
    );

    // Assess
    expect(waits).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(report.errors).toEqual([{ kind: 'rate-limit', message: '429', attempts: 6, since: START }]);
    expect(report.complete).toBe(false);
  });

  it('lets a failure that is not the exchange’s (a bug) through instead of recording it', async () => {
    // Prepare
    const source = scriptedSource([new TypeError('cannot read properties of undefined')]);

    // Act
    const run = ingestCandles(
      {
        source,
        store: new MemoryCandleStore(),
        clock: { now: () => START + 10 * HOUR },
        sleep: async () => {},
      },
      { symbol: 'BTC/USDT', timeframe: '1h', start: START },
    );

    // Assess
    await expect(run).rejects.toThrow(TypeError);
  });

  it('stops at its page budget and says the series is not complete; the next run carries on', async () => {
    // Prepare
    const candles = makeCandles(START, HOUR, 9);
    const source = scriptedSource([candles.slice(0, 3), candles.slice(3, 6), candles.slice(6, 9)]);
    const store = new MemoryCandleStore();
    const deps = { source, store, clock: { now: () => START + 9 * HOUR }, sleep: async () => {} };

    // Act
    const first = await ingestCandles(deps, {
      symbol: 'BTC/USDT',
      timeframe: '1h',
      start: START,
      pageLimit: 3,
      maxPages: 2,
    });
    const second = await ingestCandles(deps, {
      symbol: 'BTC/USDT',
      timeframe: '1h',
      start: START,
      pageLimit: 3,
      maxPages: 2,
    });

    // Assess
    expect(first).toMatchObject({ pages: 2, inserted: 6, complete: false });
    expect(second).toMatchObject({ inserted: 3, complete: true });
    expect(source.requests.map((request) => request.since)).toEqual([
      START,
      START + 3 * HOUR,
      START + 6 * HOUR,
    ]);
  });

  it('never stores the candle that is still open, nor one repeated within a page', async () => {
    // Prepare: at 02:30 the 02:00 candle is still moving.
    const candles = makeCandles(START, HOUR, 3);
    const source = scriptedSource([[candles[0]!, candles[1]!, candles[1]!, candles[2]!]]);
    const store = new MemoryCandleStore();

    // Act
    const report = await ingestCandles(
      { source, store, clock: { now: () => START + 2.5 * HOUR }, sleep: async () => {} },
      { symbol: 'BTC/USDT', timeframe: '1h', start: START },
    );

    // Assess
    expect(report).toMatchObject({ fetched: 2, inserted: 2, lastCandleTime: START + HOUR });
    expect(await store.lastCandle(report.series)).toEqual(candles[1]);
  });
});
