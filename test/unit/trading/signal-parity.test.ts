import { describe, expect, it } from '@jest/globals';
import { runBacktest } from '@shared/backtest/backtest';
import { prepareDatasetRange } from '@shared/backtest/dataset';
import { ENTER_LONG, ENTER_SHORT, EXIT, HOLD, type OrderIntent } from '@shared/backtest/decide';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import { sliceBars } from '@shared/market-data/bars';
import type { Decision, PositionSide, Strategy } from '@shared/strategies/api';
import { builtinStrategies } from '@shared/strategies/builtin';
import { resolveParams } from '@shared/strategies/params';
import { StrategySignals } from '@shared/trading/signals';
import { loadSample } from '../../support/sample-data';

interface Asked {
  bar: number;
  position: PositionSide;
  decision: Decision;
}

/** The backtest's strategy with every signal() call it makes recorded. */
function recording(strategy: Strategy, asked: Asked[]): Strategy {
  return {
    ...strategy,
    signal: (i, indicators, bars, params, position) => {
      const decision = strategy.signal(i, indicators, bars, params, position);
      asked.push({ bar: i, position, decision });
      return decision;
    },
  };
}

/** What the backtest does with a decision, written out independently of the code under test. */
function expectedIntent(decision: Decision, position: PositionSide, longOnly: boolean): OrderIntent {
  if (decision === 'long') return position === 'long' ? HOLD : ENTER_LONG;
  if (decision === 'short') {
    if (longOnly) return position === 'long' ? EXIT : HOLD;
    return position === 'short' ? HOLD : ENTER_SHORT;
  }
  if (decision === 'exit') return position === 'flat' ? HOLD : EXIT;
  return HOLD;
}

const SIZE: Record<PositionSide, number> = { long: 3, short: -3, flat: 0 };
const bars = sliceBars(loadSample('GOOG.csv'), 0, 700);

describe.each(builtinStrategies.map((strategy) => [strategy.name, strategy] as const))(
  'the executor signals %s exactly as the backtest decides',
  (_name, strategy) => {
    it.each([false, true])('bar by bar on the same data (long-only %s)', (longOnly) => {
      const asked: Asked[] = [];
      const params = resolveParams(strategy, {});
      const options = BacktestOptionsSchema.parse({ longOnly, stopLossPct: 3 });
      const result = runBacktest(
        prepareDatasetRange(bars, 0, bars.length - 1),
        recording(strategy, asked),
        params,
        options,
      );
      expect(result.trades.length).toBeGreaterThan(0);

      const signals = new StrategySignals(strategy, params, longOnly);
      const byBar = new Map(asked.map((call) => [call.bar, call]));
      let decisive = 0;
      for (let i = 0; i < bars.length - 1; i++) {
        const call = byBar.get(i);
        const position = call?.position ?? 'flat';
        const signal = signals.onClosedBar(sliceBars(bars, 0, i + 1), SIZE[position]);
        if (!call) {
          // The backtest did not ask the strategy: it was still warming up.
          expect(i).toBeLessThan(signal.warmupBar);
          expect(signal.intent).toBe(HOLD);
          continue;
        }
        expect(signal.intent).toBe(expectedIntent(call.decision, position, longOnly));
        if (signal.intent !== HOLD) decisive++;
      }
      expect(decisive).toBeGreaterThanOrEqual(result.trades.length);
    });
  },
);
