import { describe, expect, it } from '@jest/globals';
import { MemoryCandleStore } from '@shared/market/memory-candle-store';
import type { BusEvent } from '@shared/ports/event-bus';
import { MarketDataExchangeError, type MarketDataSource } from '@shared/ports/market-data-source';
import { CandlesIngestedSchema } from '../../../events/catalog';
import { createMarketIngester } from '../../../functions/market-ingest/app';
import { makeCandles } from '../../support/fake-exchange';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);

describe('market-ingest', () => {
  it('brings every configured symbol and timeframe up to date and emits CandlesIngested for each that stored candles', async () => {
    // Prepare: ETH/USDT is delisted; BTC/USDT 1h misses 02:00.
    const hourly = makeCandles(START, HOUR, 6).filter((_, index) => index !== 2);
    const source: MarketDataSource = {
      exchange: 'binance',
      async fetchCandles(request) {
        if (request.symbol === 'ETH/USDT')
          throw new MarketDataExchangeError('binance {"code":-1121,"msg":"Invalid symbol."}');
        const candles = request.timeframe === '1h' ? hourly : makeCandles(START, 4 * HOUR, 2);
        return candles.filter((candle) => candle.openTime >= request.since);
      },
    };
    const published: BusEvent[] = [];
    const ingester = createMarketIngester({
      store: new MemoryCandleStore(),
      source: () => source,
      bus: { put: async (events) => void published.push(...events) },
      clock: { now: () => START + 8 * HOUR },
      sleep: async () => {},
    });

    // Act
    const result = await ingester.run({
      schedule: 'candles-hourly',
      exchange: 'binance',
      symbols: ['BTC/USDT', 'ETH/USDT'],
      timeframes: ['1h', '4h'],
      start: '2024-01-01',
    });

    // Assess
    expect(
      result.reports.map((report) => [report.series.market, report.series.timeframe, report.inserted]),
    ).toEqual([
      ['binance:BTC/USDT', '1h', 5],
      ['binance:BTC/USDT', '4h', 2],
      ['binance:ETH/USDT', '1h', 0],
      ['binance:ETH/USDT', '4h', 0],
    ]);
    expect(result.reports[2]?.errors).toEqual([expect.objectContaining({ kind: 'exchange' })]);
    expect(published.map((event) => event.detailType)).toEqual(['CandlesIngested', 'CandlesIngested']);
    expect(published[0]?.detail).toEqual({
      market: 'binance:BTC/USDT',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      firstCandleTime: START,
      lastCandleTime: START + 5 * HOUR,
      count: 5,
      gaps: [{ from: START + 2 * HOUR, to: START + 2 * HOUR, missing: 1 }],
    });
    for (const event of published) expect(CandlesIngestedSchema.safeParse(event.detail).success).toBe(true);
  });

  it('refuses a payload without symbols, naming the field', async () => {
    // Prepare
    const ingester = createMarketIngester({
      store: new MemoryCandleStore(),
      source: () => {
        throw new Error('not reached');
      },
      bus: { put: async () => {} },
      clock: { now: () => START },
      sleep: async () => {},
    });

    // Act
    const run = ingester.run({ exchange: 'binance', symbols: [], timeframes: ['1h'], start: '2024-01-01' });

    // Assess
    await expect(run).rejects.toThrow(/symbols/);
  });
});
