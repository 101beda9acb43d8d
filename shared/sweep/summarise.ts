import { prepareDataset } from '../backtest/dataset';
import type { BacktestOptions } from '../backtest/options';
import type { BacktestStats } from '../backtest/stats';
import type { Bars } from '../market-data/bars';
import type { ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import { compareObjective } from './objective';
import type { CombinationResult } from './run-job';
import type { Objective } from './spec';
import { type Fold, type WalkForwardSettings, walkForwardFolds } from './walk-forward';
import { type Champion, type WalkForwardReport, walkForwardMarket } from './walk-forward-report';

/** One combination's full-period result, as ranked. */
export interface RankedResult {
  readonly market: string;
  readonly params: ParamValues<ParamSpecs>;
  readonly stats: BacktestStats;
}

/** A market's results with its bars, for summarising. */
export interface MarketResults {
  readonly market: string;
  readonly bars: Bars;
  /** Results in grid order (a failed job leaves its combinations out). */
  readonly results: readonly CombinationResult[];
}

/** A market's walk-forward validation and champion. */
export interface MarketSummary {
  readonly market: string;
  readonly folds: readonly Fold[];
  readonly walkForward: WalkForwardReport;
  readonly champion: Champion | null;
}

/**
 * Ranks every combination by the objective over the full period (best first; ties keep market then grid
 * order) and validates each market walk-forward.
 */
export function summariseSweep(input: {
  strategy: Strategy;
  engine: BacktestOptions;
  walkForward: WalkForwardSettings;
  objective: Objective;
  markets: readonly MarketResults[];
}): { results: RankedResult[]; markets: MarketSummary[] } {
  const { objective } = input;
  const results = input.markets
    .flatMap((market) =>
      market.results.map((result) => ({ market: market.market, params: result.params, stats: result.stats })),
    )
    .sort((a, b) => compareObjective(a.stats[objective], b.stats[objective]));
  const markets = input.markets.map((market) => {
    const dataset = prepareDataset(market.bars, { from: input.engine.from, to: input.engine.to });
    const folds = walkForwardFolds(dataset.start, dataset.end, input.walkForward);
    const { report, champion } = walkForwardMarket({
      market: market.market,
      bars: market.bars,
      strategy: input.strategy,
      engine: input.engine,
      mode: input.walkForward.mode,
      folds,
      objective,
      results: market.results,
    });
    return { market: market.market, folds, walkForward: report, champion };
  });
  return { results, markets };
}
