import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { SqliteQueue } from '@shared/adapters/local/sqlite/queue';
import type { SweepPlan } from '@shared/sweep/plan';
import { startRuntime } from '../local/runtime/runtime';
import { LocalTradingSettingsSchema } from '../local/trading/settings';
import { tempHome } from '../test/support/temp-home';
import { parallelCeiling } from './parallel-ceiling';

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

/**
 * The benchmark sweep: sma-cross over 1,000+ combinations on each of two 5-minute markets (5,760 bars each),
 * 4 walk-forward folds, so every combination is 5 backtests.
 */
export const BENCH_SPEC = {
  strategy: 'sma-cross',
  params: { fast: '2:60:2', slow: '10:400:5' },
  constraint: 'fast<slow',
  datasets: ['data/ohlcv/ETH_BTC-5m.json', 'data/ohlcv/LTC_BTC-5m.json'],
  engine: { fractional: true },
  chunkSize: 50,
};

/**
 * Adds up the time a queue spends in its SQLite work (sending, taking, deleting, changing visibility), lock waits
 * included and long-poll sleeps left out: the queueing overhead.
 */
function instrumentQueue(queue: SqliteQueue): () => number {
  let total = 0;
  const target = queue as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['sendAll', 'receiveVisible', 'deleteHandles', 'changeVisibility']) {
    const original = target[name]!.bind(queue);
    target[name] = (...args: unknown[]) => {
      const started = performance.now();
      try {
        return original(...args);
      } finally {
        total += performance.now() - started;
      }
    };
  }
  return () => total;
}

/** Runs the benchmark sweep end to end: runtime start (worker threads included), planning, queue, aggregation. */
export async function measureSweep(workers: number): Promise<SweepMeasurement> {
  const started = performance.now();
  // The sweep alone: no paper-trading replay of the promoted strategy (it would run on the same cores).
  const runtime = await startRuntime({
    home: tempHome('bench'),
    cwd: ROOT,
    workers,
    log: () => {},
    trading: LocalTradingSettingsSchema.parse({ replay: { enabled: false } }),
  });
  const queueMs = instrumentQueue(runtime.adapters.queues['backtest-jobs']);
  const planStarted = performance.now();
  const submitted = await runtime.planner.submit(BENCH_SPEC, ROOT);
  const planningMs = performance.now() - planStarted;
  let sweep = await runtime.adapters.sweeps.getSweep(submitted.sweepId);
  while (sweep && sweep.status !== 'completed') {
    await new Promise((resolve) => setTimeout(resolve, 20));
    sweep = await runtime.adapters.sweeps.getSweep(submitted.sweepId);
  }
  const totalMs = performance.now() - started;
  await runtime.stop();
  const plan = sweep!.spec as unknown as SweepPlan;
  const { folds, inSample } = plan.walkForward;
  // Each combination runs the full period and each fold's in-sample part, on every market.
  const barEvaluations = plan.datasets.reduce((sum, dataset) => {
    const slice = Math.floor((dataset.bars * (1 - inSample)) / ((1 - inSample) * folds + inSample));
    return sum + plan.combinations * (dataset.bars + folds * (dataset.bars - folds * slice));
  }, 0);
  const combinations = plan.combinations * plan.datasets.length;
  const backtests = combinations * (1 + folds);
  const queue = queueMs();
  return {
    workers,
    combinations,
    jobs: sweep!.total,
    backtests,
    barEvaluations,
    totalMs,
    planningMs,
    queueMs: queue,
    backtestsPerSecond: backtests / (totalMs / 1000),
    barEvaluationsPerSecond: barEvaluations / (totalMs / 1000),
    overheadPct: ((planningMs + queue) / totalMs) * 100,
  };
}

/** The sweep benchmark: one worker, then every core; the ratio of the two is the parallel speed-up. */
export async function sweepBenchmark(
  log: (line: string) => void,
): Promise<{ results: SweepMeasurement[]; speedup: number; cores: number; ceiling: number }> {
  const cores = availableParallelism();
  log('sweep throughput, warm-up run…');
  await measureSweep(cores);
  const results: SweepMeasurement[] = [];
  for (const workers of [1, cores]) {
    log(`sweep throughput with ${workers} worker thread(s)…`);
    results.push(await measureSweep(workers));
  }
  log(`the machine's parallel ceiling for the kernel with ${cores} threads…`);
  const ceiling = await parallelCeiling(cores);
  return { results, speedup: results[0]!.totalMs / results[1]!.totalMs, cores, ceiling };
}
