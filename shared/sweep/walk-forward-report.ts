import type { BacktestOptions } from '../backtest/options';
import type { BacktestStats } from '../backtest/stats';
import type { Bars } from '../market-data/bars';
import { isoTime } from '../market-data/parse-time';
import type { ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import { compareObjective } from './objective';
import { joinOutOfSample } from './out-of-sample';
import type { CombinationResult } from './run-job';
import type { Objective } from './spec';
import type { Fold } from './walk-forward';

/** One fold of the walk-forward report. */
export interface FoldReport {
  readonly index: number;
  readonly inSample: { readonly start: string; readonly end: string; readonly bars: number };
  readonly outOfSample: { readonly start: string; readonly end: string; readonly bars: number };
  /** The in-sample winner, or null when no combination produced a value. */
  readonly winner: ParamValues<ParamSpecs> | null;
  readonly inSampleObjective: number | null;
  readonly outOfSampleObjective: number | null;
  readonly outOfSampleTrades: number;
}

/** Walk-forward validation of one market. */
export interface WalkForwardReport {
  readonly market: string;
  readonly mode: 'rolling' | 'anchored';
  readonly objective: Objective;
  readonly folds: FoldReport[];
  /** Mean of the fold winners' in-sample objective. */
  readonly inSampleObjective: number | null;
  /** The objective over the out-of-sample slices joined together: the walk-forward result. */
  readonly walkForwardObjective: number | null;
  /** walkForwardObjective / inSampleObjective (walk-forward efficiency); null unless the in-sample figure is positive. */
  readonly ratio: number | null;
  /** Statistics of the joined out-of-sample run. */
  readonly outOfSample: BacktestStats;
}

/** The champion of a market: the most recent fold's in-sample winner, judged by the walk-forward result. */
export interface Champion {
  readonly market: string;
  readonly params: ParamValues<ParamSpecs>;
  readonly objective: Objective;
  readonly walkForwardObjective: number | null;
  readonly inSampleObjective: number | null;
  /** Closed trades over the joined out-of-sample slices. */
  readonly outOfSampleTrades: number;
  /** Statistics of the champion's parameters over the whole tested range. */
  readonly fullPeriod: BacktestStats | null;
}

/** What walk-forward validation needs for one market. */
export interface WalkForwardInput {
  readonly market: string;
  readonly bars: Bars;
  readonly strategy: Strategy;
  readonly engine: BacktestOptions;
  readonly mode: 'rolling' | 'anchored';
  readonly folds: readonly Fold[];
  readonly objective: Objective;
  /** Every combination's result for this market, in grid order. */
  readonly results: readonly CombinationResult[];
}

function sameParams(a: ParamValues<ParamSpecs>, b: ParamValues<ParamSpecs>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function range(bars: Bars, start: number, end: number) {
  return { start: isoTime(bars.time[start]!), end: isoTime(bars.time[end]!), bars: end - start + 1 };
}

/** In each fold the best in-sample combination wins (ties: the first in grid order). */
function foldWinner(
  results: readonly CombinationResult[],
  fold: number,
  objective: Objective,
): CombinationResult | null {
  let best: CombinationResult | null = null;
  for (const result of results) {
    const value = result.folds[fold]?.[objective] ?? null;
    if (value === null) continue;
    if (best === null || compareObjective(value, best.folds[fold]![objective]) < 0) best = result;
  }
  return best;
}

/**
 * Validates a market walk-forward: per fold, the in-sample winner trades the out-of-sample slice; the slices
 * joined give the walk-forward objective. The champion is the last fold's winner, its merit the joined result.
 */
export function walkForwardMarket(input: WalkForwardInput): {
  report: WalkForwardReport;
  champion: Champion | null;
} {
  const { bars, objective } = input;
  const winners = input.folds.map((fold) => foldWinner(input.results, fold.index, objective));
  const joined = joinOutOfSample(
    bars,
    input.strategy,
    input.engine,
    input.folds.map((fold, index) => ({ fold, params: winners[index]?.params ?? null })),
  );
  const folds: FoldReport[] = input.folds.map((fold, index) => {
    const winner = winners[index] ?? null;
    const slice = joined.slices[index] ?? null;
    return {
      index: fold.index,
      inSample: range(bars, fold.inSample.start, fold.inSample.end),
      outOfSample: range(bars, fold.outOfSample.start, fold.outOfSample.end),
      winner: winner?.params ?? null,
      inSampleObjective: winner?.folds[index]?.[objective] ?? null,
      outOfSampleObjective: slice ? slice[objective] : null,
      outOfSampleTrades: slice ? slice.trades : 0,
    };
  });
  const inSampleValues = folds
    .map((fold) => fold.inSampleObjective)
    .filter((value): value is number => value !== null);
  const inSampleObjective = inSampleValues.length
    ? inSampleValues.reduce((sum, value) => sum + value, 0) / inSampleValues.length
    : null;
  const walkForwardObjective = joined.stats[objective];
  // Walk-forward efficiency only means something against a positive in-sample figure.
  const ratio =
    walkForwardObjective !== null && inSampleObjective !== null && inSampleObjective > 0
      ? walkForwardObjective / inSampleObjective
      : null;
  const report: WalkForwardReport = {
    market: input.market,
    mode: input.mode,
    objective,
    folds,
    inSampleObjective,
    walkForwardObjective,
    ratio,
    outOfSample: joined.stats,
  };
  const lastWinner = winners[winners.length - 1] ?? null;
  const champion: Champion | null = lastWinner
    ? {
        market: input.market,
        params: lastWinner.params,
        objective,
        walkForwardObjective,
        inSampleObjective: folds[folds.length - 1]!.inSampleObjective,
        outOfSampleTrades: joined.stats.trades,
        fullPeriod:
          input.results.find((result) => sameParams(result.params, lastWinner.params))?.stats ?? null,
      }
    : null;
  return { report, champion };
}

/** The walk-forward objective of fixed parameters (no re-optimisation), on the same out-of-sample slices. */
export function fixedParamsOutOfSample(
  bars: Bars,
  strategy: Strategy,
  engine: BacktestOptions,
  folds: readonly Fold[],
  params: ParamValues<ParamSpecs>,
): BacktestStats {
  return joinOutOfSample(
    bars,
    strategy,
    engine,
    folds.map((fold) => ({ fold, params })),
  ).stats;
}
