import { runBacktest } from '../backtest/backtest';
import { prepareDatasetRange } from '../backtest/dataset';
import type { SimulationResult } from '../backtest/engine';
import type { BacktestOptions } from '../backtest/options';
import { type BacktestStats, computeStats } from '../backtest/stats';
import type { Trade } from '../backtest/trade';
import { summariseTrades } from '../backtest/trade-stats';
import type { Bars } from '../market-data/bars';
import type { ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import type { Fold } from './walk-forward';

/** One out-of-sample slice and the parameters traded on it (null: no winner, stay flat). */
export interface OutOfSampleSegment {
  readonly fold: Fold;
  readonly params: ParamValues<ParamSpecs> | null;
}

/** The out-of-sample slices joined into one run, and each slice's own statistics. */
export interface JoinedOutOfSample {
  /** Statistics of the joined run: equity chained across slices, trades of every slice. */
  readonly stats: BacktestStats;
  /** Each slice's statistics on its own (null for a flat slice). */
  readonly slices: (BacktestStats | null)[];
}

/**
 * Trades each segment's parameters on its out-of-sample slice and joins the slices: each starts flat, its equity
 * is scaled onto the capital the previous slice ended with, and a position open at a slice's end is marked at
 * its last close (it is not a closed trade). Indicators warm up on the bars before each slice.
 */
export function joinOutOfSample(
  bars: Bars,
  strategy: Strategy,
  engine: BacktestOptions,
  segments: readonly OutOfSampleSegment[],
): JoinedOutOfSample {
  const first = segments[0]!.fold.outOfSample.start;
  const last = segments[segments.length - 1]!.fold.outOfSample.end;
  const equity = new Float64Array(last - first + 1);
  const trades: Trade[] = [];
  const slices: (BacktestStats | null)[] = [];
  let capital = engine.cash;
  let commissions = 0;
  let exposedBars = 0;
  for (const { fold, params } of segments) {
    const { start, end } = fold.outOfSample;
    if (params === null) {
      equity.fill(capital, start - first, end - first + 1);
      slices.push(null);
      continue;
    }
    const result = runBacktest(prepareDatasetRange(bars, start, end), strategy, params, engine);
    const scale = capital / engine.cash;
    for (let i = 0; i < result.equity.length; i++) equity[start - first + i] = result.equity[i]! * scale;
    for (const trade of result.trades) {
      trades.push({
        ...trade,
        size: trade.size * scale,
        pnl: trade.pnl * scale,
        commission: trade.commission * scale,
      });
    }
    commissions += result.commissions * scale;
    exposedBars += result.exposedBars;
    capital = equity[end - first]!;
    slices.push(result.stats);
  }
  const joined: SimulationResult = {
    equity,
    trades,
    tradeStats: summariseTrades(trades),
    openTrade: undefined,
    commissions,
    exposedBars,
    warmupBar: first,
  };
  return { stats: computeStats(prepareDatasetRange(bars, first, last), joined, engine.cash), slices };
}
