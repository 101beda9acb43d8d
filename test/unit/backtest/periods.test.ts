import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { detectPeriodicity } from '@shared/backtest/periods';
import { parseOhlcv } from '@shared/market-data/parse-ohlcv';
import { barsFrom } from '../../support/bars';

const DAY_MS = 86_400_000;
const sample = (name: string) => {
  const path = join(__dirname, '../../../data/ohlcv', name);
  return parseOhlcv(readFileSync(path, 'utf8'), path);
};
const detect = (name: string) => {
  const bars = sample(name);
  return detectPeriodicity(bars.time, 0, bars.length - 1);
};

describe('periodicity of the sample data', () => {
  it('treats trading-day stock data as daily with 252 periods a year', () => {
    expect(detect('GOOG.csv')).toMatchObject({ kind: 'daily', periodsPerYear: 252 });
  });

  it('resamples hourly forex to days, without weekends (252)', () => {
    const result = detect('EURUSD.csv');
    expect(result).toMatchObject({ kind: 'daily', periodsPerYear: 252 });
  });

  it('resamples 5-minute crypto to calendar days with weekends (365)', () => {
    const result = detect('ETH_BTC-5m.json');
    expect(result).toMatchObject({ kind: 'daily', periodsPerYear: 365 });
    // 2018-01-10 04:55 to 2018-01-30 04:50: 21 calendar days.
    expect(result.periodEnds).toHaveLength(21);
  });

  it('keeps month-end data monthly (12)', () => {
    const result = detect('BTCUSD.csv');
    expect(result).toMatchObject({ kind: 'monthly', periodsPerYear: 12 });
    expect(result.periodEnds).toHaveLength(156);
  });

  it('keeps weekly data weekly (52), one period per Monday–Sunday week', () => {
    const bars = barsFrom([1, 2, 3, 4, 5], { startIso: '2024-01-05T00:00:00Z', stepMs: 7 * DAY_MS });
    const result = detectPeriodicity(bars.time, 0, 4);
    expect(result).toMatchObject({ kind: 'weekly', periodsPerYear: 52 });
    expect(Array.from(result.periodEnds)).toEqual([0, 1, 2, 3, 4]);
  });

  it('ends each period on its last bar', () => {
    const bars = barsFrom([1, 2, 3, 4], { startIso: '2024-01-01T10:00:00Z', stepMs: 8 * 3_600_000 });
    // 10:00, 18:00, 02:00 (next day), 10:00
    expect(Array.from(detectPeriodicity(bars.time, 0, 3).periodEnds)).toEqual([1, 3]);
  });
});
