import { describe, expect, it } from '@jest/globals';
import { marketFromFileName, parseSweepSpec, SweepSpecError } from '@shared/sweep/spec';

/** Runs act and returns what it threw, so a test can assert the error's class and message together. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const MINIMAL = { strategy: 'sma-cross', datasets: ['GOOG.csv'] };

describe('parseSweepSpec fills in the documented defaults', () => {
  it('turns a strategy and one file into a full spec', () => {
    // Act
    const spec = parseSweepSpec(MINIMAL);

    // Assess
    expect(spec).toEqual({
      strategy: 'sma-cross',
      params: {},
      seed: 1,
      datasets: [{ file: 'GOOG.csv' }],
      objective: 'sqn',
      engine: {
        cash: 10_000,
        commission: 0.002,
        spread: 0,
        slippageBps: 0,
        fractional: false,
        longOnly: false,
      },
      walkForward: { mode: 'rolling', folds: 4, inSample: 0.7 },
      promotion: { margin: 0.05, minTrades: 10 },
      chunkSize: 25,
    });
  });

  it('keeps given fields and defaults the missing ones inside walkForward, promotion and engine', () => {
    // Act
    const spec = parseSweepSpec({
      ...MINIMAL,
      walkForward: { folds: 3 },
      promotion: { threshold: 0.5 },
      engine: { cash: 500, fractional: true },
    });

    // Assess
    expect(spec.walkForward).toEqual({ mode: 'rolling', folds: 3, inSample: 0.7 });
    expect(spec.promotion).toEqual({ threshold: 0.5, margin: 0.05, minTrades: 10 });
    expect(spec.engine).toMatchObject({ cash: 500, fractional: true, commission: 0.002 });
  });

  it('reads engine.from as the start of its day and a date-only engine.to as the end of its day', () => {
    // Act
    const spec = parseSweepSpec({ ...MINIMAL, engine: { from: '2020-01-01', to: '2020-01-31' } });

    // Assess
    expect(spec.engine.from).toBe(Date.parse('2020-01-01T00:00:00Z'));
    expect(spec.engine.to).toBe(Date.parse('2020-01-31T23:59:59.999Z'));
  });

  it('keeps an engine.to with a time of day as written, and epoch milliseconds as they are', () => {
    // Act
    const spec = parseSweepSpec({ ...MINIMAL, engine: { from: 1_000, to: '2020-01-31T12:00:00Z' } });

    // Assess
    expect(spec.engine.from).toBe(1_000);
    expect(spec.engine.to).toBe(Date.parse('2020-01-31T12:00:00Z'));
  });

  it('accepts data sets given by hash or inline candles when they name their market', () => {
    // Act
    const spec = parseSweepSpec({
      strategy: 'sma-cross',
      datasets: [
        { hash: 'abc', market: 'GOOG' },
        { candles: [[1, 2, 3, 1, 2, 10]], market: 'ETH/BTC' },
      ],
    });

    // Assess
    expect(spec.datasets).toEqual([
      { hash: 'abc', market: 'GOOG' },
      { candles: [[1, 2, 3, 1, 2, 10]], market: 'ETH/BTC' },
    ]);
  });
});

describe('parseSweepSpec names the field at fault', () => {
  const cases: readonly [string, unknown, string][] = [
    ['an unknown key', { ...MINIMAL, foo: 1 }, '  - (top level): Unrecognized key: "foo"'],
    [
      'an unknown key inside engine',
      { ...MINIMAL, engine: { feez: 1 } },
      '  - engine: Unrecognized key: "feez"',
    ],
    [
      'an objective that is not one of the five',
      { ...MINIMAL, objective: 'profit' },
      '  - objective: Invalid option: expected one of "sqn"|"sharpe"|"returnPct"|"calmar"|"equityFinal"',
    ],
    [
      'an in-sample share of 1',
      { ...MINIMAL, walkForward: { inSample: 1 } },
      '  - walkForward.inSample: Too big: expected number to be <1',
    ],
    [
      'an in-sample share of 0',
      { ...MINIMAL, walkForward: { inSample: 0 } },
      '  - walkForward.inSample: Too small: expected number to be >0',
    ],
    [
      'a data set entry with both a file and a hash',
      { strategy: 'sma-cross', datasets: [{ file: 'a.csv', hash: 'abc' }] },
      '  - datasets.0: give exactly one of file, hash or candles',
    ],
    [
      'a data set given by hash without a market',
      { strategy: 'sma-cross', datasets: ['GOOG.csv', { hash: 'abc' }] },
      '  - datasets.1: a data set given by hash or candles needs a market',
    ],
    [
      'an engine.from that is not a date',
      { ...MINIMAL, engine: { from: 'yesterday' } },
      '  - engine.from: from "yesterday" is not a date; write YYYY-MM-DD or an ISO time',
    ],
    [
      'an engine.to that is not a date',
      { ...MINIMAL, engine: { to: '2020-13-45' } },
      '  - engine.to: to "2020-13-45" is not a date; write YYYY-MM-DD or an ISO time',
    ],
  ];

  it.each(cases)('rejects %s', (_name, input, problem) => {
    // Act
    const error = thrownBy(() => parseSweepSpec(input));

    // Assess
    expect(error).toBeInstanceOf(SweepSpecError);
    expect((error as Error).message).toBe(`sweep spec is invalid:\n${problem}`);
  });

  it('lists every problem and names the source it was given', () => {
    // Act
    const error = thrownBy(() => parseSweepSpec({ datasets: [] }, 'request body'));

    // Assess
    expect((error as Error).message).toBe(
      'request body is invalid:\n' +
        '  - strategy: Invalid input: expected string, received undefined\n' +
        '  - datasets: Too small: expected array to have >=1 items',
    );
  });
});

describe('marketFromFileName follows ccxt symbols', () => {
  it.each([
    ['GOOG.csv', 'GOOG'],
    ['data/ohlcv/BTCUSD.csv', 'BTCUSD'],
    ['ETH_BTC-5m.json', 'ETH/BTC'],
    ['XRP_USDT_USDT-5m-futures.json', 'XRP/USDT:USDT'],
    ['/abs/path/XRP_USDT_USDT-1h-futures.json', 'XRP/USDT:USDT'],
    ['C:\\data\\LTC_BTC-5m.json', 'LTC/BTC'],
  ])('reads %s as %s', (fileName, market) => {
    // Act
    const result = marketFromFileName(fileName);

    // Assess
    expect(result).toBe(market);
  });
});
