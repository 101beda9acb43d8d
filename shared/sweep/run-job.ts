import { runBacktest } from '../backtest/backtest';
import { narrowDataset, prepareDataset } from '../backtest/dataset';
import type { BacktestOptions } from '../backtest/options';
import type { BacktestStats } from '../backtest/stats';
import type { Bars } from '../market-data/bars';
import type { ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import { resolveParams } from '../strategies/params';
import { type ObjectiveValues, objectiveValues } from './objective';
import { type WalkForwardSettings, walkForwardFolds } from './walk-forward';

/** What a backtest job computes for one parameter combination. */
export interface CombinationResult {
  readonly params: ParamValues<ParamSpecs>;
  /** Statistics over the whole tested range. */
  readonly stats: BacktestStats;
  /** Objective values on each fold's in-sample range, in fold order. */
  readonly folds: ObjectiveValues[];
}

/** One job: a chunk of combinations of one strategy on one data set. */
export interface JobInput {
  readonly bars: Bars;
  readonly strategy: Strategy;
  readonly combinations: readonly Readonly<Record<string, number | boolean>>[];
  readonly engine: BacktestOptions;
  readonly walkForward: WalkForwardSettings;
}

/**
 * Backtests every combination over the full tested range and over each fold's in-sample range. The folds share
 * the full period's bars and indicator cache, and every run is lean (one shared equity buffer, no trade list), so a job allocates little.
 */
export function runJob(input: JobInput): CombinationResult[] {
  const { bars, strategy, engine } = input;
  const full = prepareDataset(bars, { from: engine.from, to: engine.to });
  const folds = walkForwardFolds(full.start, full.end, input.walkForward).map((fold) =>
    narrowDataset(full, fold.inSample.start, fold.inSample.end),
  );
  const lean = { equity: new Float64Array(full.end - full.start + 1) };
  return input.combinations.map((raw) => {
    const params = resolveParams(strategy, raw);
    return {
      params,
      stats: runBacktest(full, strategy, params, engine, lean).stats,
      folds: folds.map((dataset) =>
        objectiveValues(runBacktest(dataset, strategy, params, engine, lean).stats),
      ),
    };
  });
}
