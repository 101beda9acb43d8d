import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runFlywheel } from '../support/run-cli';

const ROOT = join(__dirname, '../..');
const GOOG = 'data/ohlcv/GOOG.csv';
const run = (...argv: string[]) => runFlywheel(argv, { cwd: ROOT });
const scratch = () => mkdtempSync(join(tmpdir(), 'flywheel-cli-'));

describe('flywheel backtest', () => {
  it('prints { stats, trades } as JSON with camelCase keys, ISO times and input bar numbers', async () => {
    const { code, stdout } = await run(
      'backtest',
      '--data',
      GOOG,
      '--strategy',
      'sma-cross',
      '--param',
      'fast=10',
      '--param',
      'slow=20',
      '--json',
    );
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    expect(document.stats).toMatchObject({
      start: '2004-08-19T00:00:00.000Z',
      end: '2013-03-01T00:00:00.000Z',
      bars: 2148,
      trades: 93,
    });
    expect(Object.keys(document.stats)).toEqual(
      expect.arrayContaining([
        'equityFinal',
        'returnPct',
        'buyHoldReturnPct',
        'sharpe',
        'sqn',
        'kelly',
        'maxDrawdownPct',
      ]),
    );
    expect(Object.keys(document.trades[0])).toEqual(
      expect.arrayContaining([
        'entryBar',
        'exitBar',
        'entryTime',
        'exitTime',
        'side',
        'size',
        'entryPrice',
        'exitPrice',
        'pnl',
        'returnPct',
        'commission',
      ]),
    );
    const firstShort = document.trades.find((t: { side: string }) => t.side === 'short');
    expect(firstShort.size).toBeLessThan(0);
    expect(document.trades[0].entryTime).toMatch(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/);
    expect(document.params).toEqual({ fast: 10, slow: 20 });
  });

  it('prints an aligned table by default', async () => {
    const { code, stdout } = await run('backtest', '--data', GOOG, '--strategy', 'ema-cross');
    expect(code).toBe(0);
    expect(stdout).toContain('ema-cross (fast=12, slow=26) on data/ohlcv/GOOG.csv');
    const rows = stdout.split('\n').filter((line) => /^(Return|Sharpe ratio|SQN) {2}/.test(line));
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((line) => line.length)).size).toBe(1);
  });

  it('writes trades and equity CSV and a self-contained HTML report', async () => {
    const dir = scratch();
    const { code, stdout } = await run(
      'backtest',
      '--data',
      'data/ohlcv/ETH_BTC-5m.json',
      '--strategy',
      'rsi-reversion',
      '--fractional',
      '--long-only',
      '--trades-out',
      join(dir, 'trades.csv'),
      '--equity-out',
      join(dir, 'equity.csv'),
      '--report',
      join(dir, 'report.html'),
      '--json',
    );
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    const tradeLines = readFileSync(join(dir, 'trades.csv'), 'utf8').trim().split('\n');
    expect(tradeLines[0]).toBe(
      'entryBar,exitBar,entryTime,exitTime,side,size,entryPrice,exitPrice,pnl,returnPct,commission,exitReason',
    );
    expect(tradeLines).toHaveLength(document.trades.length + 1);
    expect(readFileSync(join(dir, 'equity.csv'), 'utf8').trim().split('\n')).toHaveLength(5760 + 1);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(3);
    expect(html.match(/<g class="trade">/g)?.length).toBe(
      document.trades.length + (document.openTrade ? 1 : 0),
    );
  });

  it('tests a date range, warming indicators up on earlier bars', async () => {
    const { code, stdout } = await run(
      'backtest',
      '--data',
      GOOG,
      '--strategy',
      'sma-cross',
      '--from',
      '2010-01-01',
      '--to',
      '2010-12-31',
      '--json',
    );
    expect(code).toBe(0);
    const { stats, trades } = JSON.parse(stdout);
    expect(stats.start).toBe('2010-01-04T00:00:00.000Z');
    expect(stats.end).toBe('2010-12-31T00:00:00.000Z');
    expect(trades[0].entryTime >= '2010-01-04').toBe(true);
  });

  it('runs a user strategy written in TypeScript', async () => {
    const { code, stdout } = await run(
      'backtest',
      '--data',
      GOOG,
      '--strategy',
      './examples/my-strategy.ts',
      '--param',
      'trend=100',
      '--json',
    );
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    expect(document.strategy).toBe('trend-pullback');
    expect(document.params).toEqual({ trend: 100, period: 14, entry: 55 });
    expect(document.stats.trades).toBeGreaterThan(0);
    expect(document.trades.every((t: { side: string }) => t.side === 'long')).toBe(true);
  });
});

describe('flywheel backtest rejects bad input with exit code 2 and a message that names the fix', () => {
  it.each([
    [
      ['--data', 'test/fixtures/ohlcv/bad-close.csv', '--strategy', 'sma-cross'],
      /test\/fixtures\/ohlcv\/bad-close\.csv:3: column "Close" has "n\/a", which is not a number\. Write a plain decimal/,
    ],
    [['--data', 'missing.csv', '--strategy', 'sma-cross'], /data file not found: .*missing\.csv/],
    [
      ['--data', GOOG, '--strategy', 'sma-crossover'],
      /unknown strategy "sma-crossover"\. Built-in strategies: sma-cross, ema-cross/,
    ],
    [
      ['--data', GOOG, '--strategy', 'sma-cross', '--param', 'fast=ten'],
      /sma-cross: fast must be a whole number ≥ 1, got "ten"/,
    ],
    [
      ['--data', GOOG, '--strategy', 'sma-cross', '--param', 'fats=3'],
      /sma-cross has no parameter "fats"; its parameters are fast, slow/,
    ],
    [['--data', GOOG, '--strategy', 'sma-cross', '--param', 'fast'], /expected key=value/],
    [
      ['--data', GOOG, '--strategy', 'sma-cross', '--cash', '-5'],
      /option '--cash <amount>' argument '-5' is invalid\. expected a number > 0/,
    ],
    [['--data', GOOG, '--strategy', 'sma-cross', '--commission', 'abc'], /expected a number ≥ 0 < 1/],
    [
      ['--data', GOOG, '--strategy', 'sma-cross', '--from', '2012-01-01', '--to', '2011-01-01'],
      /--from: from must not be after to/,
    ],
    [
      ['--data', GOOG, '--strategy', 'sma-cross', '--from', '2030-01-01'],
      /no bars between 2030-01-01T00:00:00\.000Z and the end; the data runs from 2004-08-19/,
    ],
    [
      ['--data', GOOG, '--strategy', 'sma-cross', '--from', 'yesterday'],
      /expected a date such as 2010-01-31/,
    ],
    [
      ['--data', GOOG, '--strategy', 'sma-cross', '--lot-step', '0.5'],
      /--lot-step: lotStep below 1 or with decimals needs fractional sizes/,
    ],
    [
      ['--data', GOOG, '--strategy', 'sma-cross', '--param', 'slow=5000'],
      /sma-cross's indicators never all have a value in the 2148 bars up to the end of the tested range: there is nothing to trade/,
    ],
    [
      ['--data', GOOG, '--strategy', './test/fixtures/strategies/malformed.ts'],
      /malformed\.ts does not export a valid strategy:\n {2}- name: name must be kebab-case/,
    ],
    [
      ['--data', GOOG, '--strategy', './test/fixtures/strategies/no-export.ts'],
      /exports no strategy: use `export default defineStrategy/,
    ],
    [
      ['--data', GOOG, '--strategy', './test/fixtures/strategies/bad-decision.ts'],
      /bad-decision: signal\(\) returned "buy" at bar 0; return 'long', 'short', 'exit' or null/,
    ],
    [
      ['--data', GOOG, '--strategy', './nowhere/strategy.ts'],
      /strategy module not found: \.\/nowhere\/strategy\.ts/,
    ],
    [['--data', GOOG], /required option '--strategy <name\|path>' not specified/],
    [['--data', GOOG, '--strategy', 'sma-cross', '--fast', '3'], /unknown option '--fast'/],
  ])('%j', async (args, message) => {
    const { code, stderr, stdout } = await run('backtest', ...(args as string[]));
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    expect(stdout).toBe('');
  });

  it('writes nothing when the data is bad', async () => {
    const dir = scratch();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[[1,2,3,1,2,3],[0,2,3,1,2,3]]');
    const { code } = await run(
      'backtest',
      '--data',
      bad,
      '--strategy',
      'sma-cross',
      '--report',
      join(dir, 'report.html'),
    );
    expect(code).toBe(2);
    expect(() => readFileSync(join(dir, 'report.html'))).toThrow();
  });
});
