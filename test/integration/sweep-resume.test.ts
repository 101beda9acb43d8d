import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');
const ARGS = [
  'sweep',
  'run',
  '--data',
  'data/ohlcv/EURUSD.csv',
  '--strategy',
  'sma-cross',
  '--grid',
  'fast=2:40:2',
  '--grid',
  'slow=10:150:5',
  '--constraint',
  'fast<slow',
  '--chunk-size',
  '10',
  '--workers',
  '1',
  '--json',
];

function start(home: string): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [join(ROOT, 'bin/flywheel.cjs'), ...ARGS], {
    cwd: ROOT,
    env: { ...process.env, FLYWHEEL_HOME: home },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  return { child, done };
}

function storedResults(home: string): number {
  try {
    const db = new Database(join(home, 'flywheel.db'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM job_results').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

const withoutElapsed = (text: string) => {
  const { elapsedMs: _elapsed, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return rest;
};

describe('a sweep killed mid-run resumes where it stopped', () => {
  it('runs every job exactly once across the kill, with the results of an uninterrupted run', async () => {
    // Prepare: the reference, uninterrupted.
    const reference = await start(tempHome('reference')).done;
    expect(reference.code).toBe(0);
    // Act: SIGKILL the first run once some results are stored, then run the same command again.
    const home = tempHome('killed');
    const first = start(home);
    const deadline = Date.now() + 60_000;
    while (storedResults(home) < 5 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const storedBeforeKill = storedResults(home);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    const resumed = await start(home).done;
    // Assess
    expect(killed.signal).toBe('SIGKILL');
    expect(storedBeforeKill).toBeGreaterThanOrEqual(5);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/0 queued, \d+ already stored|released \d+ message/);
    expect(withoutElapsed(resumed.stdout)).toEqual(withoutElapsed(reference.stdout));
    const db = new Database(join(home, 'flywheel.db'), { readonly: true });
    const sweep = db.prepare('SELECT total, done, failed, status FROM sweeps').get() as Record<
      string,
      unknown
    >;
    const jobs = db.prepare("SELECT COUNT(*) AS n, SUM(state = 'done') AS done FROM sweep_jobs").get() as {
      n: number;
      done: number;
    };
    const results = (db.prepare('SELECT COUNT(*) AS n FROM job_results').get() as { n: number }).n;
    const queued = (db.prepare('SELECT COUNT(*) AS n FROM queue_messages').get() as { n: number }).n;
    db.close();
    expect(sweep).toEqual({ total: jobs.n, done: jobs.n, failed: 0, status: 'completed' });
    expect(jobs.done).toBe(jobs.n);
    expect(results).toBe(jobs.n);
    expect(queued).toBe(0);
  });
});
