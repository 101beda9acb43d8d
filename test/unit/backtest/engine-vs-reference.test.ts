import { describe, expect, it } from '@jest/globals';
import { backtest, runBacktest } from '@shared/backtest/backtest';
import { prepareDataset } from '@shared/backtest/dataset';
import { type BacktestOptionsInput, BacktestOptionsSchema } from '@shared/backtest/options';
import { builtinStrategies } from '@shared/strategies/builtin';
import { resolveParams } from '@shared/strategies/params';
import { referenceBacktest } from '../../support/reference-backtest';
import { loadSample, SAMPLE_FILES } from '../../support/sample-data';

const VARIANTS: Record<string, BacktestOptionsInput> = {
  defaults: {},
  'no commission': { commission: 0 },
  'long-only with stops': { longOnly: true, stopLossPct: 2, takeProfitPct: 4 },
  'spread and slippage': { spread: 0.001, slippageBps: 5, stopLossPct: 3 },
  'fractional lots': { fractional: true, lotStep: 0.01, takeProfitPct: 1.5 },
};

const cases = SAMPLE_FILES.flatMap((file) =>
  builtinStrategies.flatMap((strategy) =>
    Object.keys(VARIANTS).map((variant) => [file, strategy.name, variant] as const),
  ),
);

describe('the typed-array kernel agrees with the plain reference engine on every sample file', () => {
  it.each(cases)('%s · %s · %s', (file, name, variant) => {
    // Prepare
    const bars = loadSample(file);
    const strategy = builtinStrategies.find((s) => s.name === name)!;
    const options = BacktestOptionsSchema.parse({ fractional: file.endsWith('.json'), ...VARIANTS[variant] });
    // Act
    const kernel = backtest(bars, strategy, {}, options);
    const reference = referenceBacktest(bars, strategy, resolveParams(strategy), options);
    // Assess
    expect(kernel.trades.length).toBe(reference.trades.length);
    kernel.trades.forEach((trade, index) => {
      const expected = reference.trades[index]!;
      expect([trade.entryBar, trade.exitBar, trade.side, trade.exitReason]).toEqual([
        expected.entryBar,
        expected.exitBar,
        expected.side,
        expected.exitReason,
      ]);
      expect(trade.size).toBeCloseTo(expected.size, 9);
      expect(trade.pnl).toBeCloseTo(expected.pnl, 6);
    });
    expect(kernel.openTrade?.entryBar).toBe(reference.openTrade?.entryBar);
    expect(kernel.equity).toHaveLength(reference.equity.length);
    reference.equity.forEach((value, index) => {
      expect(kernel.equity[index]).toBeCloseTo(value, 6);
    });
    for (const value of Object.values(kernel.stats)) {
      if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
    }
    // A lean run (sweeps) lists no trades but gives the same statistics.
    const lean = runBacktest(
      prepareDataset(bars, { from: options.from, to: options.to }),
      strategy,
      resolveParams(strategy),
      options,
      {
        equity: new Float64Array(bars.length),
      },
    );
    expect(lean.trades).toEqual([]);
    for (const [key, value] of Object.entries(kernel.stats)) {
      const leanValue = lean.stats[key as keyof typeof lean.stats];
      if (typeof value === 'number') expect([key, leanValue]).toEqual([key, expect.closeTo(value, 8)]);
      else expect([key, leanValue]).toEqual([key, value]);
    }
  });
});
