import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runFlywheel } from '../support/run-cli';
import { GOOG_SMA_GRID_FLAGS } from '../support/sweep-grid';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');
const GRID = [...GOOG_SMA_GRID_FLAGS, '--workers', '1'];
const sweep = (home: string, ...argv: string[]) =>
  runFlywheel(['sweep', ...argv], { cwd: ROOT, env: { FLYWHEEL_HOME: home } });
const withoutElapsed = (text: string) => {
  const { elapsedMs, ...rest } = JSON.parse(text) as Record<string, unknown>;
  expect(typeof elapsedMs).toBe('number');
  return rest;
};

describe('flywheel sweep run', () => {
  it('runs a grid through the queue and prints ranked results, walk-forward, champion and promotion as JSON', async () => {
    const { code, stdout, stderr } = await sweep(tempHome(), 'run', ...GRID, '--json');
    expect(code).toBe(0);
    expect(stderr).toMatch(/3 jobs \(3 queued, 0 already stored\) on 1 worker thread/);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining(['sweepId', 'elapsedMs', 'results', 'walkForward', 'champion', 'promotion']),
    );
    expect(result.results).toHaveLength(75);
    const finals = result.results.map((r: { stats: { equityFinal: number } }) => r.stats.equityFinal);
    expect(finals).toEqual([...finals].sort((a: number, b: number) => b - a));
    expect(result.results[0]).toMatchObject({
      market: 'GOOG',
      params: { fast: 10, slow: 20 },
      stats: { equityFinal: expect.closeTo(56263.51934, 4), trades: 93 },
    });
    expect(result.walkForward).toMatchObject({ market: 'GOOG', mode: 'rolling', objective: 'equityFinal' });
    expect(result.walkForward.folds).toHaveLength(4);
    expect(result.champion.params).toEqual(result.walkForward.folds[3].winner);
    expect(result.promotion).toMatchObject({
      market: 'GOOG',
      promoted: expect.any(Boolean),
      reason: expect.any(String),
    });
  });

  it('gives identical JSON, except elapsedMs, for the same spec and data; a repeat reuses every stored result', async () => {
    const home = tempHome();
    const first = await sweep(home, 'run', ...GRID, '--json');
    const elsewhere = await sweep(tempHome(), 'run', ...GRID, '--json');
    const again = await sweep(home, 'run', ...GRID, '--json');
    expect(withoutElapsed(elsewhere.stdout)).toEqual(withoutElapsed(first.stdout));
    expect(withoutElapsed(again.stdout)).toEqual(withoutElapsed(first.stdout));
    expect(again.stderr).toMatch(/3 jobs \(0 queued, 3 already stored\)/);
  });

  it('reads a YAML spec, prints the human report, and lists and shows sweeps', async () => {
    const home = tempHome();
    const spec = join(home, 'sweep.yaml');
    writeFileSync(
      spec,
      `strategy: ema-cross\nparams:\n  fast: [5, 10]\n  slow: 20:40:10\ndatasets:\n  - ${join(ROOT, 'data/ohlcv/GOOG.csv')}\nwalkForward:\n  mode: anchored\n  folds: 3\n`,
    );
    const run = await sweep(home, 'run', spec, '--workers', '1');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ema-cross on GOOG, 6 combinations, ranked by sqn/);
    expect(run.stdout).toMatch(/Walk-forward for GOOG \(anchored, 3 folds\)/);
    expect(run.stdout).toMatch(/Promotion for GOOG: (PROMOTED|not promoted)/);
    const list = JSON.parse((await sweep(home, 'list', '--json')).stdout);
    expect(list.sweeps).toHaveLength(1);
    const id = list.sweeps[0].sweepId;
    const status = await sweep(home, 'status', id, '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({
      sweepId: id,
      status: 'completed',
      jobs: { total: 1, done: 1, failed: 0 },
    });
  });

  it.each([
    [
      ['run', '--data', 'data/ohlcv/GOOG.csv'],
      /give a spec file .* or at least --data FILE and --strategy NAME/,
    ],
    [['run', ...GRID.slice(0, 4), '--grid', 'fast=5:50:0'], /fast.*step/],
    [['run', ...GRID.slice(0, 4), '--grid', 'fats=5:50:5'], /fats/],
    [['run', ...GRID.slice(0, 4), '--constraint', 'fast<<slow'], /fast<<slow/],
    [
      [
        'run',
        '--data',
        'data/ohlcv/XRP_USDT_USDT-1h-futures.json',
        '--strategy',
        'sma-cross',
        '--folds',
        '50',
      ],
      /XRP_USDT_USDT-1h-futures\.json\): 100 bars are too few for 50 walk-forward folds/,
    ],
    [['run', ...GRID.slice(0, 4), '--objective', 'profit'], /argument 'profit' is invalid/],
    [['status', 'nope'], /no sweep has id nope/],
  ])('rejects %j with exit code 2 and the reason', async (argv, message) => {
    const { code, stderr } = await sweep(tempHome(), ...(argv as string[]));
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });

  it('names the field of a bad spec file', async () => {
    const home = tempHome();
    const spec = join(home, 'bad.yaml');
    writeFileSync(
      spec,
      'strategy: sma-cross\ndatasets: [GOOG.csv]\nobjectve: sqn\nwalkForward:\n  inSample: 1.5\n',
    );
    const { code, stderr } = await sweep(home, 'run', spec);
    expect(code).toBe(2);
    expect(stderr).toContain('Unrecognized key: "objectve"');
    expect(stderr).toMatch(/walkForward\.inSample: /);
  });

  it('sends a poison job to the dead-letter queue with its error and completes "with failures" (exit 1)', async () => {
    const home = tempHome();
    const argv = [
      'run',
      '--data',
      'data/ohlcv/GOOG.csv',
      '--strategy',
      './test/fixtures/strategies/poison.ts',
      '--grid',
      'period=10:15:1',
      '--chunk-size',
      '1',
      '--workers',
      '1',
      '--json',
    ];
    const { code, stdout } = await sweep(home, ...argv);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.status).toBe('completed-with-failures');
    expect(result.jobs).toEqual({ total: 6, done: 5, failed: 1 });
    expect(result.failedJobs).toEqual([
      { jobId: expect.any(String), attempts: 3, error: expect.stringContaining('period 13 is poison') },
    ]);
    expect(result.results.map((r: { params: { period: number } }) => r.params.period).sort()).toEqual([
      10, 11, 12, 14, 15,
    ]);
    const status = await sweep(home, 'status', result.sweepId);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(
      /1 job\(s\) failed and went to the dead-letter queue:\n {2}\w+ after 3 attempt\(s\): poison: signal\(\) failed at bar \d+: period 13 is poison/,
    );
  });
});
