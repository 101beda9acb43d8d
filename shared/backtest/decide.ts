import type { Bars } from '../market-data/bars';
import type {
  Decision,
  IndicatorSeries,
  ParamSpecs,
  ParamValues,
  PositionSide,
  Strategy,
} from '../strategies/api';

/** A strategy broke its contract (wrong indicator length, an unknown decision). */
export class StrategyError extends Error {
  override readonly name = 'StrategyError';
}

/** No order: hold what is held. */
export const HOLD = 0;
/** Go long, closing a short first. */
export const ENTER_LONG = 1;
/** Go short, closing a long first. */
export const ENTER_SHORT = -1;
/** Close the position and stay flat. */
export const EXIT = 2;

/**
 * What a decision asks the broker to do on the next bar's open, as a small number so the backtest loop
 * allocates nothing: HOLD, ENTER_LONG, ENTER_SHORT or EXIT.
 */
export type OrderIntent = typeof HOLD | typeof ENTER_LONG | typeof ENTER_SHORT | typeof EXIT;

/** The side a signed position size holds. */
export function positionSide(size: number): PositionSide {
  return size > 0 ? 'long' : size < 0 ? 'short' : 'flat';
}

/**
 * Maps a strategy's decision to an order intent for a signed position size: an entry on the side already held
 * is ignored, and a long-only market turns `short` into an exit of the long.
 */
export function orderIntent(
  decision: Decision,
  size: number,
  longOnly: boolean,
  strategyName: string,
  bar: number,
): OrderIntent {
  if (decision === null || decision === undefined) return HOLD;
  if (decision === 'long') return size <= 0 ? ENTER_LONG : HOLD;
  if (decision === 'short') {
    if (longOnly) return size > 0 ? EXIT : HOLD;
    return size >= 0 ? ENTER_SHORT : HOLD;
  }
  if (decision === 'exit') return size !== 0 ? EXIT : HOLD;
  throw new StrategyError(
    `${strategyName}: signal() returned ${JSON.stringify(decision)} at bar ${bar}; return 'long', 'short', 'exit' or null`,
  );
}

/**
 * The one decision step shared by the backtest and the live executor: asks the strategy about closed bar i
 * with the position held, and maps its answer to an order intent. Indicators are computed from bars up to i.
 */
export function decideBar(
  strategy: Strategy,
  i: number,
  indicators: IndicatorSeries,
  bars: Bars,
  params: ParamValues<ParamSpecs>,
  size: number,
  longOnly: boolean,
): OrderIntent {
  const decision = strategy.signal(i, indicators, bars, params, positionSide(size));
  return orderIntent(decision, size, longOnly, strategy.name, i);
}

/** Index of the first bar on which every indicator series has a value. */
export function indicatorWarmup(indicators: IndicatorSeries, length: number, strategyName: string): number {
  let warmup = 0;
  for (const [name, series] of Object.entries(indicators)) {
    if (!(series instanceof Float64Array) || series.length !== length) {
      throw new StrategyError(
        `${strategyName}: indicator "${name}" must be a Float64Array of ${length} values (one per bar), got ${
          series instanceof Float64Array ? `${series.length} values` : typeof series
        }`,
      );
    }
    let first = 0;
    while (first < length && Number.isNaN(series[first]!)) first++;
    if (first > warmup) warmup = first;
  }
  return warmup;
}

/** Computes a strategy's indicators, naming the strategy when they fail. */
export function computeIndicators(
  strategy: Strategy,
  bars: Bars,
  params: ParamValues<ParamSpecs>,
  ta: Parameters<Strategy['indicators']>[2],
): IndicatorSeries {
  try {
    return strategy.indicators(bars, params, ta);
  } catch (error) {
    throw new StrategyError(`${strategy.name}: indicators() failed: ${(error as Error).message}`);
  }
}
