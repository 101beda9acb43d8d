import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runFlywheel } from '../support/run-cli';

const ROOT = join(__dirname, '../..');
const run = (...argv: string[]) => runFlywheel(argv, { cwd: ROOT });

describe('help and usage', () => {
  it.each([[[]], [['backtest']], [['strategies']], [['demo']]])(
    '%j --help prints usage and exits 0',
    async (command) => {
      const { code, stdout } = await run(...(command as string[]), '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: flywheel/);
    },
  );

  it('shows help on standard error and exits 2 without a command', async () => {
    const { code, stderr } = await run();
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: flywheel');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const { code, stderr } = await run('backtset');
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'backtset'");
  });
});

describe('flywheel strategies', () => {
  it('lists every built-in strategy with its parameters and defaults', async () => {
    const { code, stdout } = await run('strategies');
    expect(code).toBe(0);
    for (const name of [
      'sma-cross',
      'ema-cross',
      'rsi-reversion',
      'bollinger-breakout',
      'donchian-breakout',
      'macd-cross',
    ]) {
      expect(stdout).toContain(name);
    }
    expect(stdout).toMatch(/fast\s+10\s+a whole number ≥ 1\s+Fast SMA period in bars/);
  });

  it('prints the same as JSON', async () => {
    const { stdout } = await run('strategies', '--json');
    const list = JSON.parse(stdout);
    expect(list[0]).toEqual({
      name: 'sma-cross',
      description: expect.any(String),
      params: [
        { name: 'fast', type: 'int', default: 10, min: 1, description: 'Fast SMA period in bars' },
        { name: 'slow', type: 'int', default: 20, min: 2, description: 'Slow SMA period in bars' },
      ],
    });
  });
});

describe('flywheel demo', () => {
  it('backtests every built-in strategy on every file, prints the table and writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-demo-'));
    copyFileSync(join(ROOT, 'data/ohlcv/GOOG.csv'), join(dir, 'GOOG.csv'));
    copyFileSync(join(ROOT, 'data/ohlcv/XRP_USDT_USDT-5m-futures.json'), join(dir, 'XRP.json'));
    const { code, stdout, stderr } = await runFlywheel(['demo', '--data-dir', dir], {
      cwd: dir,
      env: { FLYWHEEL_HOME: join(dir, 'home') },
    });
    expect(code).toBe(0);
    expect(stderr).toContain('Backtesting 6 strategies on 2 data files');
    expect(stdout.split('\n').filter((line) => /^(GOOG\.csv|XRP\.json) /.test(line))).toHaveLength(12);
    const report = join(dir, 'home', 'reports', 'demo-report.html');
    expect(stdout).toContain(`Report: ${report}`);
    expect(existsSync(report)).toBe(true);
  });

  it('fails with exit code 2 on a folder without data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-demo-'));
    const { code, stderr } = await runFlywheel(['demo', '--data-dir', dir], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('holds no .csv or .json OHLCV files');
  });
});
