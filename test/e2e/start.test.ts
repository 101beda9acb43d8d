import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runFlywheel } from '../support/run-cli';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `flywheel start` the way `npm start` does, on a free port. */
function startRuntime(home: string): Started {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/flywheel.cjs'), 'start', '--port', '0', '--workers', '1'],
    {
      cwd: ROOT,
      env: { ...process.env, FLYWHEEL_HOME: home },
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start (flywheel start)', () => {
  it('boots the runtime, runs the demo sweep on a fresh database, serves it over HTTP and stops cleanly', async () => {
    // Act: first start on an empty home.
    const home = tempHome('start');
    const first = startRuntime(home);
    const url = await waitFor(
      () => /API:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(first.output())?.[1],
      'the API address',
    );
    const sweepId = await waitFor(
      () => /submitted the demo sweep (\w+)/.exec(first.output())?.[1],
      'the demo sweep',
    );
    const token = readFileSync(join(home, 'token'), 'utf8').trim();
    const headers = { authorization: `Bearer ${token}` };
    const sweep = await waitFor(async () => {
      const body = (await (await fetch(`${url}/sweeps/${sweepId}`, { headers })).json()) as {
        status: string;
        summary: { markets: { market: string; promotion: { reason: string } }[] };
      };
      return body.status === 'completed' ? body : undefined;
    }, 'the demo sweep to complete');
    // The sweep's insights (SweepCompleted, and StrategyPromoted for GOOG) become drafts awaiting approval.
    const drafts = await waitFor(async () => {
      const body = (await (await fetch(`${url}/content/drafts`, { headers })).json()) as {
        drafts: { status: string; origin: string; sourceRef: string; platforms: string[] }[];
      };
      return body.drafts.length >= 2 ? body.drafts : undefined;
    }, 'the insight drafts');
    // The promoted GOOG strategy paper-trades a replay of GOOG's data in the background.
    const replay = await waitFor(
      () =>
        /GOOG: paper-traded sma-cross over (\d+) bars: (\d+) trades, equity ([\d.]+)/.exec(first.output()) ??
        undefined,
      'the GOOG paper-trading replay to end',
    );
    first.child.kill('SIGTERM');
    const firstExit = await first.exited;
    const listed = await runFlywheel(['trades', '--market', 'GOOG', '--limit', '10000', '--json'], {
      env: { FLYWHEEL_HOME: home },
    });
    // A second start on the same database does not submit the demo again.
    const second = startRuntime(home);
    await waitFor(
      () => (second.output().includes('Press Ctrl-C to stop.') ? true : undefined),
      'the second start',
    );
    second.child.kill('SIGINT');
    const secondExit = await second.exited;
    // Assess
    expect(sweep.summary.markets.map((market) => market.market)).toEqual(['GOOG', 'ETH/BTC']);
    expect(sweep.summary.markets.every((market) => market.promotion.reason.length > 0)).toBe(true);
    expect(first.output()).toMatch(/Dependency check: 2 manifests \(package\.json\), no errors/);
    expect(first.output()).toContain(`Token:     ${join(home, 'token')}`);
    expect(first.output()).not.toContain(token);
    expect(first.output()).toContain('stopped.');
    expect(firstExit).toBe(0);
    expect(second.output()).not.toContain('submitted the demo sweep');
    expect(secondExit).toBe(0);
    expect(drafts.map((draft) => draft.sourceRef.split(' ')[0]).sort()).toEqual([
      'StrategyPromoted',
      'SweepCompleted',
    ]);
    expect(drafts.every((draft) => draft.status === 'draft' && draft.origin === 'system')).toBe(true);
    expect(drafts[0]!.platforms).toHaveLength(11);
    expect(first.output()).toMatch(/GOOG: paper trading sma-cross\(fast=\d+,slow=\d+\) on a replay of /);
    const [, bars, trades] = replay.map(Number);
    expect(bars).toBeGreaterThan(1000);
    expect(trades).toBeGreaterThan(0);
    const fills = (JSON.parse(listed.stdout) as { trades: { strategy: string; source: string }[] }).trades;
    expect(listed.code).toBe(0);
    expect(fills).toHaveLength(trades!);
    expect(fills.every((fill) => fill.source === 'paper' && fill.strategy.startsWith('sma-cross('))).toBe(
      true,
    );
  });
});
