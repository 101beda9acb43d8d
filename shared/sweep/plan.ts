import { z } from 'zod';
import { prepareDataset } from '../backtest/dataset';
import { type BacktestOptions, BacktestOptionsSchema } from '../backtest/options';
import type { Bars } from '../market-data/bars';
import type { StrategyRef } from '../ports/strategy-resolver';
import type { Strategy } from '../strategies/api';
import { canonicalJson, contentId, digestId } from './ids';
import { expandParamSpace } from './param-space';
import { type SweepSpec, SweepSpecError } from './spec';
import { type WalkForwardSettings, walkForwardFolds } from './walk-forward';

/** A data set as a plan records it. */
export interface PlannedDataset {
  readonly market: string;
  readonly name: string;
  readonly hash: string;
  readonly bars: number;
}

/** One backtest job: a chunk of combinations of the strategy on one market's data. */
export interface BacktestJob {
  readonly sweepId: string;
  readonly jobId: string;
  readonly market: string;
  readonly datasetHash: string;
  readonly strategy: StrategyRef;
  /** Index of the chunk's first combination in the grid. */
  readonly firstIndex: number;
  readonly combinations: Readonly<Record<string, number | boolean>>[];
  readonly engine: BacktestOptions;
  readonly walkForward: WalkForwardSettings;
}

/** What a sweep stores about itself: everything aggregation needs, and nothing tied to a machine. */
export const SweepPlanSchema = z.object({
  sweepId: z.string(),
  strategy: z.object({ name: z.string(), module: z.string().optional(), identity: z.string() }),
  params: z.record(z.string(), z.unknown()),
  constraint: z.string().optional(),
  random: z.number().optional(),
  seed: z.number(),
  objective: z.enum(['sqn', 'sharpe', 'returnPct', 'calmar', 'equityFinal']),
  engine: z.record(z.string(), z.unknown()),
  walkForward: z.object({ mode: z.enum(['rolling', 'anchored']), folds: z.number(), inSample: z.number() }),
  promotion: z.object({ threshold: z.number().optional(), margin: z.number(), minTrades: z.number() }),
  datasets: z.array(z.object({ market: z.string(), name: z.string(), hash: z.string(), bars: z.number() })),
  combinations: z.number(),
  jobs: z.array(
    z.object({ jobId: z.string(), market: z.string(), firstIndex: z.number(), count: z.number() }),
  ),
});

/** A stored sweep plan. */
export type SweepPlan = z.infer<typeof SweepPlanSchema>;

/** A data set ready to plan: its bars and content hash. */
export interface DatasetForPlan {
  readonly market: string;
  readonly name: string;
  readonly hash: string;
  readonly bars: Bars;
}

/**
 * Turns a spec into jobs. Job ids hash what changes a result (strategy identity, engine, walk-forward settings,
 * the market, its data's hash and the chunk's combinations), so an identical job is never run twice; the sweep
 * id hashes the whole spec and the data.
 */
export function planSweep(input: {
  spec: SweepSpec;
  strategy: Strategy;
  strategyRef: StrategyRef;
  datasets: readonly DatasetForPlan[];
}): { plan: SweepPlan; jobs: BacktestJob[] } {
  const { spec, strategy, strategyRef } = input;
  const engineParsed = BacktestOptionsSchema.safeParse(spec.engine);
  if (!engineParsed.success) {
    const issue = engineParsed.error.issues[0]!;
    throw new SweepSpecError(`sweep spec is invalid:\n  - engine.${issue.path.join('.')}: ${issue.message}`);
  }
  const engine = engineParsed.data;
  const markets = new Set<string>();
  for (const dataset of input.datasets) {
    if (markets.has(dataset.market)) {
      throw new SweepSpecError(
        `sweep spec is invalid:\n  - datasets: two data sets for market ${dataset.market}; give each its own market`,
      );
    }
    markets.add(dataset.market);
    try {
      const prepared = prepareDataset(dataset.bars, { from: engine.from, to: engine.to });
      walkForwardFolds(prepared.start, prepared.end, spec.walkForward);
    } catch (error) {
      throw new SweepSpecError(
        `sweep spec is invalid:\n  - datasets (${dataset.name}): ${(error as Error).message}`,
      );
    }
  }
  const { combinations } = expandParamSpace(strategy, spec.params, {
    constraint: spec.constraint,
    random: spec.random,
    seed: spec.seed,
  });
  const datasets = input.datasets.map(({ market, name, hash, bars }) => ({
    market,
    name,
    hash,
    bars: bars.length,
  }));
  const sweepId = contentId({
    v: 1,
    strategy: strategyRef.identity,
    params: spec.params,
    constraint: spec.constraint ?? null,
    random: spec.random ?? null,
    seed: spec.seed,
    objective: spec.objective,
    engine,
    walkForward: spec.walkForward,
    promotion: spec.promotion,
    chunkSize: spec.chunkSize,
    datasets: datasets.map(({ market, hash }) => ({ market, hash })),
  });
  const jobs: BacktestJob[] = [];
  const jobHeader = canonicalJson({
    v: 1,
    strategy: strategyRef.identity,
    engine,
    walkForward: spec.walkForward,
  });
  for (const dataset of datasets) {
    for (let firstIndex = 0; firstIndex < combinations.length; firstIndex += spec.chunkSize) {
      const chunk = combinations.slice(firstIndex, firstIndex + spec.chunkSize);
      // Combinations list their parameters in the strategy's declaration order, so plain JSON is canonical.
      const jobId = digestId(jobHeader, dataset.market, dataset.hash, JSON.stringify(chunk));
      jobs.push({
        sweepId,
        jobId,
        market: dataset.market,
        datasetHash: dataset.hash,
        strategy: strategyRef,
        firstIndex,
        combinations: chunk,
        engine,
        walkForward: spec.walkForward,
      });
    }
  }
  const plan: SweepPlan = {
    sweepId,
    strategy: {
      name: strategyRef.name,
      identity: strategyRef.identity,
      ...(strategyRef.module ? { module: strategyRef.module } : {}),
    },
    params: spec.params,
    ...(spec.constraint ? { constraint: spec.constraint } : {}),
    ...(spec.random ? { random: spec.random } : {}),
    seed: spec.seed,
    objective: spec.objective,
    engine: { ...engine },
    walkForward: spec.walkForward,
    promotion: spec.promotion,
    datasets,
    combinations: combinations.length,
    jobs: jobs.map(({ jobId, market, firstIndex, combinations: chunk }) => ({
      jobId,
      market,
      firstIndex,
      count: chunk.length,
    })),
  };
  return { plan, jobs };
}
