import type { BacktestStats } from '../backtest/stats';
import { OBJECTIVES, type Objective } from './spec';

/** The value of every objective for one backtest, plus its closed trade count. */
export type ObjectiveValues = Record<Objective, number | null> & { trades: number };

/** Picks the objectives out of a backtest's statistics. */
export function objectiveValues(stats: BacktestStats): ObjectiveValues {
  const values = { trades: stats.trades } as ObjectiveValues;
  for (const objective of OBJECTIVES) values[objective] = stats[objective];
  return values;
}

/** Orders objective values best first: larger is better, null (undefined) last. */
export function compareObjective(a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return b - a;
}
