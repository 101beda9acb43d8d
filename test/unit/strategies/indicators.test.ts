import { describe, expect, it } from '@jest/globals';
import {
  atr,
  bollinger,
  createIndicatorLibrary,
  ema,
  highest,
  lowest,
  macd,
  rsi,
  shift,
  sma,
  stdev,
} from '@shared/strategies/indicators';
import fc from 'fast-check';

const series = (...values: number[]) => Float64Array.from(values);
const values = (array: Float64Array) => Array.from(array, (v) => (Number.isNaN(v) ? null : v));

describe('moving averages', () => {
  it('sma averages the last n values and has no value before n', () => {
    expect(values(sma(series(1, 2, 3, 4, 5), 3))).toEqual([null, null, 2, 3, 4]);
  });

  it('ema seeds with the SMA of the first n values, then smooths with alpha = 2 / (n + 1)', () => {
    // seed (1 + 2 + 3) / 3 = 2; then 2 + 0.5 × (4 − 2) = 3; 3 + 0.5 × (8 − 3) = 5.5
    expect(values(ema(series(1, 2, 3, 4, 8), 3))).toEqual([null, null, 2, 3, 5.5]);
  });

  it('skips a source’s leading NaNs, so indicators chain', () => {
    expect(values(sma(series(Number.NaN, Number.NaN, 2, 4, 6), 2))).toEqual([null, null, null, 3, 5]);
  });

  it('rejects a period that is not a whole number of at least 1', () => {
    expect(() => sma(series(1, 2), 0)).toThrow('sma period must be a whole number of at least 1, got 0');
    expect(() => ema(series(1, 2), 2.5)).toThrow(RangeError);
  });

  it('matches a plain windowed mean on random series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        (list, n) => {
          const result = sma(Float64Array.from(list), n);
          list.forEach((_, i) => {
            if (i < n - 1) expect(Number.isNaN(result[i]!)).toBe(true);
            else
              expect(result[i]).toBeCloseTo(list.slice(i - n + 1, i + 1).reduce((a, b) => a + b, 0) / n, 8);
          });
        },
      ),
    );
  });
});

describe('oscillators and bands', () => {
  it('rsi uses Wilder smoothing seeded with the mean gain and loss of the first n changes', () => {
    // changes +1, −1, +2: seed gain (1 + 0) / 2 = 0.5, loss 0.5 → 50; then gain (0.5 + 2) / 2 = 1.25, loss 0.25 → 83.33
    const result = rsi(series(10, 11, 10, 12), 2);
    expect(values(result).slice(0, 3)).toEqual([null, null, 50]);
    expect(result[3]).toBeCloseTo(100 - 100 / (1 + 1.25 / 0.25), 12);
  });

  it('rsi is 100 with gains only and 50 on a flat series', () => {
    expect(rsi(series(1, 2, 3, 4), 2)[3]).toBe(100);
    expect(rsi(series(5, 5, 5, 5), 2)[3]).toBe(50);
  });

  it('stdev is the population standard deviation of the window', () => {
    // window 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4
    const result = stdev(series(2, 4, 4, 4, 5, 5, 7, 9), 8);
    expect(result[7]).toBeCloseTo(2, 12);
  });

  it('bollinger bands sit the given deviations around the SMA', () => {
    const { upper, middle, lower } = bollinger(series(2, 4, 4, 4, 5, 5, 7, 9), 8, 2);
    expect([upper[7], middle[7], lower[7]]).toEqual([expect.closeTo(9, 12), 5, expect.closeTo(1, 12)]);
  });

  it('macd is EMA(fast) − EMA(slow) with an EMA signal line started at its first value', () => {
    const source = Float64Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i / 3) * 5 + i * 0.2);
    const lines = macd(source, 3, 6, 4);
    const expectedLine = Array.from(source, (_, i) => ema(source, 3)[i]! - ema(source, 6)[i]!);
    expect(values(lines.macd)).toEqual(expectedLine.map((v) => (Number.isNaN(v) ? null : v)));
    expect(values(lines.signal)).toEqual(values(ema(Float64Array.from(expectedLine), 4)));
    expect(values(lines.signal).findIndex((v) => v !== null)).toBe(5 + 3);
    expect(lines.histogram[20]).toBeCloseTo(lines.macd[20]! - lines.signal[20]!, 12);
  });

  it('atr smooths the true range, which counts gaps from the previous close', () => {
    const high = series(10, 12, 15);
    const low = series(9, 11, 13);
    const close = series(9.5, 11.5, 14);
    // true ranges: bar 1 max(1, 2.5, 1.5) = 2.5; bar 2 max(2, 3.5, 1.5) = 3.5 → seed (2.5 + 3.5) / 2 = 3
    expect(values(atr(high, low, close, 2))).toEqual([null, null, 3]);
  });
});

describe('channels and shifts', () => {
  it('highest and lowest cover the current value and the n − 1 before it', () => {
    const source = series(3, 1, 4, 1, 5, 9, 2, 6);
    expect(values(highest(source, 3))).toEqual([null, null, 4, 4, 5, 9, 9, 9]);
    expect(values(lowest(source, 3))).toEqual([null, null, 1, 1, 1, 1, 2, 2]);
  });

  it('match a plain window scan on random series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 20 }),
        (list, n) => {
          const source = Float64Array.from(list);
          const high = highest(source, n);
          const low = lowest(source, n);
          list.forEach((_, i) => {
            if (i < n - 1) return;
            const window = list.slice(i - n + 1, i + 1);
            expect(high[i]).toBe(Math.max(...window));
            expect(low[i]).toBe(Math.min(...window));
          });
        },
      ),
    );
  });

  it('shift delays a series so a rule reads earlier bars only', () => {
    expect(values(shift(series(1, 2, 3), 1))).toEqual([null, 1, 2]);
  });
});

describe('indicator library', () => {
  it('computes each indicator once per source and arguments', () => {
    const ta = createIndicatorLibrary();
    const close = series(1, 2, 3, 4);
    expect(ta.sma(close, 2)).toBe(ta.sma(close, 2));
    expect(ta.sma(close, 2)).not.toBe(ta.sma(close, 3));
    expect(ta.sma(close, 2)).not.toBe(ta.sma(series(1, 2, 3, 4), 2));
    expect(ta.bollinger(close, 2, 2)).toBe(ta.bollinger(close, 2, 2));
  });
});
