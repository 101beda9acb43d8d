import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CcxtMarketDataSource } from '@shared/adapters/ccxt/market-data';
import { type IngestDependencies, ingestCandles } from '@shared/market/ingest';
import { MemoryCandleStore } from '@shared/market/memory-candle-store';
import {
  FakeExchange,
  internalErrorResponse,
  invalidSymbolResponse,
  makeCandles,
  rateLimitedResponse,
  unavailableResponse,
} from '../support/fake-exchange';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const SERIES = { market: 'binance:BTC/USDT', timeframe: '1h' };

describe('ingesting candles from Binance through ccxt (loopback exchange)', () => {
  let exchange: FakeExchange;
  let store: MemoryCandleStore;
  let waits: number[];
  let now: number;

  const deps = (): IngestDependencies => ({
    source: new CcxtMarketDataSource({ exchangeId: 'binance', baseUrl: exchange.url }),
    store,
    clock: { now: () => now },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });

  beforeEach(async () => {
    exchange = await new FakeExchange().start();
    store = new MemoryCandleStore();
    waits = [];
    now = START + 10 * HOUR + 30 * 60_000;
  });

  afterEach(async () => {
    await exchange.close();
  });

  it('pages forward from the start until now and stores only closed candles', async () => {
    // Prepare: eleven candles; the last (10:00) is still open at 10:30.
    exchange.setCandles('BTCUSDT', '1h', makeCandles(START, HOUR, 11));

    // Act
    const report = await ingestCandles(deps(), {
      symbol: 'BTC/USDT',
      timeframe: '1h',
      start: START,
      pageLimit: 4,
    });

    // Assess
    const pages = exchange.requestsTo('/api/v3/klines').map((request) => Number(request.query.startTime));
    expect(pages).toEqual([START, START + 4 * HOUR, START + 8 * HOUR]);
    expect(report).toMatchObject({
      fetched: 10,
      inserted: 10,
      duplicates: 0,
      gaps: [],
      errors: [],
      complete: true,
    });
    expect(report.firstCandleTime).toBe(START);
    expect(report.lastCandleTime).toBe(START + 9 * HOUR);
    expect((await store.range(SERIES, 0, Number.MAX_SAFE_INTEGER)).map((candle) => candle.openTime)).toEqual(
      makeCandles(START, HOUR, 10).map((candle) => candle.openTime),
    );
  });

  it('resumes from the last stored candle and stores nothing twice', async () => {
    // Prepare
    exchange.setCandles('BTCUSDT', '1h', makeCandles(START, HOUR, 11));
    now = START + 5 * HOUR;
    await ingestCandles(deps(), { symbol: 'BTC/USDT', timeframe: '1h', start: START });
    now = START + 10 * HOUR + 30 * 60_000;

    // Act
    const report = await ingestCandles(deps(), { symbol: 'BTC/USDT', timeframe: '1h', start: START });
    const again = await ingestCandles(deps(), { symbol: 'BTC/USDT', timeframe: '1h', start: START });

    // Assess
    const starts = exchange.requestsTo('/api/v3/klines').map((request) => Number(request.query.startTime));
    expect(starts[1]).toBe(START + 5 * HOUR);
    expect(report).toMatchObject({ inserted: 5, duplicates: 0, firstCandleTime: START + 5 * HOUR });
    // 10:00 is still open at 10:30: nothing closed is left to ask for.
    expect(again).toMatchObject({ pages: 0, fetched: 0, inserted: 0, complete: true });
    expect(exchange.requestsTo('/api/v3/klines')).toHaveLength(2);
    expect(await store.range(SERIES, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(10);
  });

  it('counts candles already stored as duplicates when asked to start over', async () => {
    // Prepare
    exchange.setCandles('BTCUSDT', '1h', makeCandles(START, HOUR, 11));
    await ingestCandles(deps(), {
      symbol: 'BTC/USDT',
      timeframe: '1h',
      start: START,
      until: START + 6 * HOUR,
    });

    // Act
    const report = await ingestCandles(deps(), {
      symbol: 'BTC/USDT',
      timeframe: '1h',
      start: START,
      resume: false,
    });

    // Assess
    expect(report).toMatchObject({ fetched: 10, inserted: 4, duplicates: 6 });
    expect(await store.range(SERIES, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(10);
  });

  it('records a gap between consecutive candles, with the first and last missing open time', async () => {
    // Prepare: 03:00 and 04:00 never traded.
    const candles = makeCandles(START, HOUR, 11).filter((_, index) => index !== 3 && index !== 4);
    exchange.setCandles('BTCUSDT', '1h', candles);

    // Act
    const report = await ingestCandles(deps(), {
      symbol: 'BTC/USDT',
      timeframe: '1h',
      start: START,
      pageLimit: 3,
    });

    // Assess
    const gap = { from: START + 3 * HOUR, to: START + 4 * HOUR, missing: 2, detectedAt: now };
    expect(report.gaps).toEqual([gap]);
    expect(await store.gaps(SERIES)).toEqual([gap]);
    expect(report.inserted).toBe(8);
  });

  it('backs off for the Retry-After a 429 carries, then carries on', async () => {
    // Prepare
    exchange.setCandles('BTCUSDT', '1h', makeCandles(START, HOUR, 11));
    exchange.failNext('/api/v3/klines', rateLimitedResponse(3), 2);

    // Act
    const report = await ingestCandles(deps(), { symbol: 'BTC/USDT', timeframe: '1h', start: START });

    // Assess
    expect(waits).toEqual([3000, 3000]);
    expect(report).toMatchObject({ inserted: 10, errors: [], complete: true });
    expect(exchange.requestsTo('/api/v3/klines')).toHaveLength(3);
  });

  it('retries a network failure (503) with growing waits, a bounded number of times', async () => {
    // Prepare
    exchange.setCandles('BTCUSDT', '1h', makeCandles(START, HOUR, 11));
    exchange.failNext('/api/v3/klines', unavailableResponse());
    exchange.failNext('/api/v3/klines', internalErrorResponse());

    // Act
    const recovered = await ingestCandles(deps(), {
      symbol: 'BTC/USDT',
      timeframe: '1h',
      start: START,
      retry: { baseDelayMs: 100 },
    });
    exchange.failNext('/api/v3/klines', unavailableResponse(), 10);
    now += 5 * HOUR;
    exchange.setCandles('BTCUSDT', '1h', makeCandles(START, HOUR, 16));
    const givenUp = await ingestCandles(deps(), {
      symbol: 'BTC/USDT',
      timeframe: '1h',
      start: START,
      retry: { baseDelayMs: 100, networkRetries: 3 },
    });

    // Assess
    expect(recovered).toMatchObject({ inserted: 10, errors: [], complete: true });
    expect(givenUp).toMatchObject({ inserted: 0, complete: false });
    expect(givenUp.errors).toEqual([
      expect.objectContaining({ kind: 'network', attempts: 4, since: START + 10 * HOUR }),
    ]);
    expect(waits).toEqual([100, 200, 100, 200, 400]);
  });

  it('records an exchange rejection without retrying it', async () => {
    // Prepare
    exchange.setCandles('BTCUSDT', '1h', makeCandles(START, HOUR, 11));
    exchange.failNext('/api/v3/klines', invalidSymbolResponse());

    // Act
    const report = await ingestCandles(deps(), { symbol: 'BTC/USDT', timeframe: '1h', start: START });

    // Assess
    expect(report.errors).toEqual([expect.objectContaining({ kind: 'exchange', attempts: 1 })]);
    expect(report.errors[0]?.message).toContain('Invalid symbol');
    expect(report).toMatchObject({ inserted: 0, complete: false });
    expect(waits).toEqual([]);
    expect(exchange.requestsTo('/api/v3/klines')).toHaveLength(1);
  });

  it('reports a symbol the exchange does not list as an exchange error', async () => {
    // Act
    const report = await ingestCandles(deps(), { symbol: 'NOPE/USDT', timeframe: '1h', start: START });

    // Assess
    expect(report.errors).toEqual([expect.objectContaining({ kind: 'exchange' })]);
    expect(exchange.requestsTo('/api/v3/klines')).toHaveLength(0);
  });
});
