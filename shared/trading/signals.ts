import {
  computeIndicators,
  decideBar,
  HOLD,
  indicatorWarmup,
  type OrderIntent,
  StrategyError,
} from '../backtest/decide';
import type { Bars } from '../market-data/bars';
import type { ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import { createIndicatorLibrary } from '../strategies/indicators';

/** What the strategy wants after one closed bar. */
export interface BarSignal {
  /** Index of the closed bar the signal is for (the last of the bars given). */
  readonly bar: number;
  /** HOLD, ENTER_LONG, ENTER_SHORT or EXIT, exactly as the backtest maps the decision. */
  readonly intent: OrderIntent;
  /** First bar on which every indicator has a value; before it the strategy is not asked. */
  readonly warmupBar: number;
}

/**
 * The live side of the backtest's decision step: on each closed bar, computes the strategy's indicators over
 * the bars seen so far and asks it with the same code the backtest runs (decideBar), so signals match bar by bar.
 */
export class StrategySignals {
  constructor(
    private readonly strategy: Strategy,
    private readonly params: ParamValues<ParamSpecs>,
    /** A spot market: a short decision closes the long, as `--long-only` does in the backtest. */
    private readonly longOnly: boolean,
  ) {}

  /**
   * The signal for the last bar of `bars` (every bar up to the one that just closed) with a signed position
   * size held at that close. Indicators are recomputed from scratch: they are causal, so each value equals the
   * backtest's, and the executor needs no state that a restart could lose.
   */
  onClosedBar(bars: Bars, positionSize: number): BarSignal {
    const bar = bars.length - 1;
    if (bar < 0) throw new RangeError('onClosedBar needs at least one bar');
    const indicators = computeIndicators(this.strategy, bars, this.params, createIndicatorLibrary());
    const warmupBar = indicatorWarmup(indicators, bars.length, this.strategy.name);
    if (bar < warmupBar) return { bar, intent: HOLD, warmupBar };
    try {
      const intent = decideBar(
        this.strategy,
        bar,
        indicators,
        bars,
        this.params,
        positionSize,
        this.longOnly,
      );
      return { bar, intent, warmupBar };
    } catch (error) {
      if (error instanceof StrategyError) throw error;
      throw new StrategyError(
        `${this.strategy.name}: signal() failed at bar ${bar}: ${(error as Error).message}`,
      );
    }
  }
}
