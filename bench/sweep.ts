import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SqliteQueue } from '@shared/adapters/local/sqlite/queue';
import { startRuntime } from '../local/runtime/runtime';
import { tempHome } from '../test/support/temp-home';

/** One end-to-end sweep measurement. */
export interface SweepMeasurement {
  workers: number;
  combinations: number;
  jobs: number;
  backtests: number;
  barEvaluations: number;
  totalMs: number;
  planningMs: number;
  queueMs: number;
  backtestsPerSecond: number;
  barEvaluationsPerSecond: number;
  overheadPct: number;
}

const ROOT = join(__dirname, '..');

/** The benchmark sweep: 1,000+ sma-cross combinations on EURUSD (5,000 hourly bars), 4 walk-forward folds. */
export const BENCH_SPEC = {
  strategy: 'sma-cross',
  params: { fast: '2:60:2', slow: '10:200:5' },
  constraint: 'fast<slow',
  datasets: ['data/ohlcv/EURUSD.csv'],
  chunkSize: 25,
};

/** Adds up the time spent inside queue calls that moved messages (long-poll waits with nothing to do are left out). */
function instrumentQueue(): { elapsed: () => number; restore: () => void } {
  const prototype = SqliteQueue.prototype as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  const originals: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  let total = 0;
  for (const name of ['send', 'receive', 'delete', 'changeVisibility']) {
    const original = prototype[name]!;
    originals[name] = original;
    prototype[name] = async function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      const result = await original.apply(this, args);
      const moved = !Array.isArray(result) || result.length > 0;
      if (moved) total += performance.now() - started;
      return result;
    };
  }
  return {
    elapsed: () => total,
    restore: () => {
      for (const [name, original] of Object.entries(originals)) prototype[name] = original;
    },
  };
}

/** Runs the benchmark sweep end to end: runtime start (worker threads included), planning, queue, aggregation. */
export async function measureSweep(workers: number): Promise<SweepMeasurement> {
  const queue = instrumentQueue();
  try {
    const started = performance.now();
    const runtime = await startRuntime({ home: tempHome('bench'), cwd: ROOT, workers, log: () => {} });
    const planStarted = performance.now();
    const submitted = await runtime.planner.submit(BENCH_SPEC, ROOT);
    const planningMs = performance.now() - planStarted;
    let sweep = await runtime.adapters.sweeps.getSweep(submitted.sweepId);
    while (sweep && sweep.status !== 'completed') {
      await new Promise((resolve) => setTimeout(resolve, 5));
      sweep = await runtime.adapters.sweeps.getSweep(submitted.sweepId);
    }
    const totalMs = performance.now() - started;
    const plan = sweep!.spec as {
      combinations: number;
      datasets: { bars: number }[];
      walkForward: { folds: number; inSample: number };
    };
    await runtime.stop();
    const combinations = plan.combinations;
    const backtests = combinations * (1 + plan.walkForward.folds);
    // Each combination runs the full period and each fold's in-sample part.
    const bars = plan.datasets[0]!.bars;
    const slice = Math.floor(
      (bars * (1 - plan.walkForward.inSample)) /
        ((1 - plan.walkForward.inSample) * plan.walkForward.folds + plan.walkForward.inSample),
    );
    const inSampleBars = bars - plan.walkForward.folds * slice;
    const barEvaluations = combinations * (bars + plan.walkForward.folds * inSampleBars);
    const queueMs = queue.elapsed();
    return {
      workers,
      combinations,
      jobs: sweep!.total,
      backtests,
      barEvaluations,
      totalMs,
      planningMs,
      queueMs,
      backtestsPerSecond: backtests / (totalMs / 1000),
      barEvaluationsPerSecond: barEvaluations / (totalMs / 1000),
      overheadPct: ((planningMs + queueMs) / totalMs) * 100,
    };
  } finally {
    queue.restore();
  }
}

/** The sweep benchmark: one worker, then every core; the ratio of the two is the parallel speed-up. */
export async function sweepBenchmark(
  log: (line: string) => void,
): Promise<{ results: SweepMeasurement[]; speedup: number; cores: number }> {
  const cores = availableParallelism();
  log('sweep throughput, warm-up run…');
  await measureSweep(cores);
  const results: SweepMeasurement[] = [];
  for (const workers of [1, cores]) {
    log(`sweep throughput with ${workers} worker thread(s)…`);
    results.push(await measureSweep(workers));
  }
  return { results, speedup: results[0]!.totalMs / results[1]!.totalMs, cores };
}
