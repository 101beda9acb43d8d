import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(__dirname, '../..');
const execFileAsync = promisify(execFile);

async function flywheelIn(cwd: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      [join(ROOT, 'bin/flywheel.cjs'), ...args],
      { cwd },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const flywheel = (...args: string[]) => flywheelIn(ROOT, ...args);

describe('the flywheel executable (package.json bin)', () => {
  it('runs a TypeScript user strategy through tsx and exits 0', async () => {
    const { code, stdout } = await flywheel(
      'backtest',
      '--data',
      'data/ohlcv/GOOG.csv',
      '--strategy',
      './examples/my-strategy.ts',
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).strategy).toBe('trend-pullback');
  });

  it('works from any folder', async () => {
    const { code, stdout } = await flywheelIn(
      tmpdir(),
      'backtest',
      '--data',
      join(ROOT, 'data/ohlcv/GOOG.csv'),
      '--strategy',
      'sma-cross',
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).stats.trades).toBe(93);
  });

  it('exits 2 with the file and line of bad data', async () => {
    const { code, stderr } = await flywheel(
      'backtest',
      '--data',
      'test/fixtures/ohlcv/bad-close.csv',
      '--strategy',
      'sma-cross',
    );
    expect(code).toBe(2);
    expect(stderr).toContain('bad-close.csv:3:');
  });
});
