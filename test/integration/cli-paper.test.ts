import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runFlywheel } from '../support/run-cli';

const ROOT = join(__dirname, '../..');
const run = (...argv: string[]) => runFlywheel(argv, { cwd: ROOT });

const CASES: readonly (readonly string[])[] = [
  ['--data', 'data/ohlcv/GOOG.csv', '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30'],
  [
    '--data',
    'data/ohlcv/GOOG.csv',
    '--strategy',
    'donchian-breakout',
    '--stop-loss',
    '2',
    '--take-profit',
    '5',
    '--spread',
    '0.001',
    '--slippage-bps',
    '5',
  ],
  [
    '--data',
    'data/ohlcv/EURUSD.csv',
    '--strategy',
    'rsi-reversion',
    '--fractional',
    '--long-only',
    '--cash',
    '2500',
    '--commission',
    '0.0005',
  ],
  [
    '--data',
    'data/ohlcv/XRP_USDT_USDT-5m-futures.json',
    '--strategy',
    'macd-cross',
    '--fractional',
    '--lot-step',
    '0.1',
  ],
  [
    '--data',
    'data/ohlcv/ETH_BTC-5m.json',
    '--strategy',
    'bollinger-breakout',
    '--fractional',
    '--stop-loss',
    '1',
  ],
  [
    '--data',
    'data/ohlcv/LTC_BTC-5m.json',
    '--strategy',
    'ema-cross',
    '--fractional',
    '--long-only',
    '--take-profit',
    '2',
    '--spread',
    '0.0005',
  ],
  [
    '--data',
    'data/ohlcv/GOOG.csv',
    '--strategy',
    'sma-cross',
    '--from',
    '2008-01-01',
    '--to',
    '2010-12-31',
    '--cash',
    '1000',
  ],
];

describe('flywheel paper run', () => {
  it.each(CASES.map((flags) => [flags.join(' '), flags] as const))(
    'gives the same trades and statistics as flywheel backtest: %s',
    async (_name, flags) => {
      const backtest = await run('backtest', ...flags, '--json');
      const paper = await run('paper', 'run', ...flags, '--speed', 'max', '--json');
      expect(backtest.code).toBe(0);
      expect(paper).toMatchObject({ code: 0, stderr: '' });
      const expected = JSON.parse(backtest.stdout);
      const actual = JSON.parse(paper.stdout);
      expect(expected.trades.length).toBeGreaterThan(0);
      expect(actual.trades).toEqual(expected.trades);
      expect(actual.stats).toEqual(expected.stats);
      expect(actual.openTrade).toEqual(expected.openTrade);
      expect(actual.paper.refusals).toEqual([]);
      // Every round trip is an entry and an exit fill; orders placed on the last bar never fill.
      expect(actual.paper.fills).toBe(expected.trades.length * 2 + (expected.openTrade ? 1 : 0));
    },
  );

  it('rejects a pace it cannot read, as bad usage, and gives the same trades at a paced speed', async () => {
    const bad = await run(
      'paper',
      'run',
      '--data',
      'data/ohlcv/GOOG.csv',
      '--strategy',
      'sma-cross',
      '--speed',
      'fast',
    );
    const flags = [
      '--data',
      'data/ohlcv/BTCUSD.csv',
      '--strategy',
      'sma-cross',
      '--param',
      'fast=5',
      '--param',
      'slow=20',
      '--fractional',
      '--json',
    ];
    const paced = await run('paper', 'run', ...flags, '--speed', '1000');
    const fast = await run('paper', 'run', ...flags, '--speed', 'max');

    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--speed: speed "fast" is not understood: use max, a multiple of real time such as 60x',
    );
    expect(paced.code).toBe(0);
    expect(paced.stderr).toContain('Replaying 156 bars at 1000');
    expect(JSON.parse(paced.stdout).trades).toEqual(JSON.parse(fast.stdout).trades);
  });

  it('prints the backtest table with a line of paper activity without --json', async () => {
    const { code, stdout } = await run(
      'paper',
      'run',
      '--data',
      'data/ohlcv/GOOG.csv',
      '--strategy',
      'sma-cross',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/closed trades/);
    expect(stdout).toMatch(/Paper: \d+ orders placed, \d+ fills, 0 refused by risk controls\./);
  });
});
