import type { Bars } from '../market-data/bars';
import type { ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import { type RawParams, resolveParams } from '../strategies/params';
import { type Dataset, prepareDataset } from './dataset';
import { type LeanRun, type SimulationResult, simulate } from './engine';
import { type BacktestOptions, type BacktestOptionsInput, BacktestOptionsSchema } from './options';
import { type BacktestStats, computeStats } from './stats';

/** Everything one backtest produces. */
export interface BacktestResult extends SimulationResult {
  readonly stats: BacktestStats;
  readonly strategy: string;
  readonly params: ParamValues<ParamSpecs>;
  readonly dataset: Dataset;
}

/** Runs a strategy with resolved parameters and validated options on a prepared dataset (see LeanRun). */
export function runBacktest(
  dataset: Dataset,
  strategy: Strategy,
  params: ParamValues<ParamSpecs>,
  options: BacktestOptions,
  lean?: LeanRun,
): BacktestResult {
  const simulation = simulate(dataset, strategy, params, options, lean);
  return {
    ...simulation,
    stats: computeStats(dataset, simulation, options.cash),
    strategy: strategy.name,
    params,
    dataset,
  };
}

/**
 * One-call backtest: validates options and parameters (defaults fill the gaps), prepares the range and runs.
 * Throws StrategyParamError, EmptyRangeError or a zod error on bad input.
 */
export function backtest(
  bars: Bars,
  strategy: Strategy,
  rawParams: RawParams = {},
  optionsInput: BacktestOptionsInput = {},
): BacktestResult {
  const options = BacktestOptionsSchema.parse(optionsInput);
  const params = resolveParams(strategy, rawParams);
  const dataset = prepareDataset(bars, { from: options.from, to: options.to });
  return runBacktest(dataset, strategy, params, options);
}

/** True when the strategy's indicators never all have a value inside the tested range. */
export function neverTradable(result: Pick<BacktestResult, 'warmupBar' | 'dataset'>): boolean {
  return result.warmupBar >= result.dataset.end;
}
