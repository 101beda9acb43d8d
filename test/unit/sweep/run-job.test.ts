import { describe, expect, it } from '@jest/globals';
import { backtest } from '@shared/backtest/backtest';
import { type BacktestOptions, BacktestOptionsSchema } from '@shared/backtest/options';
import { findBuiltinStrategy } from '@shared/strategies/builtin';
import { objectiveValues } from '@shared/sweep/objective';
import { runJob } from '@shared/sweep/run-job';
import { type WalkForwardSettings, walkForwardFolds } from '@shared/sweep/walk-forward';
import { loadSample } from '../../support/sample-data';

const smaCross = findBuiltinStrategy('sma-cross')!;
const goog = loadSample('GOOG.csv');
const COMBINATIONS = [
  { fast: 10, slow: 20 },
  { fast: 5, slow: 50 },
  { fast: 20, slow: 60 },
];

/** Checks every combination of a job against plain backtests over the full range and each in-sample range. */
function expectJobMatchesPlainBacktests(engine: BacktestOptions, walkForward: WalkForwardSettings) {
  // Act
  const results = runJob({ bars: goog, strategy: smaCross, combinations: COMBINATIONS, engine, walkForward });

  // Assess
  const full = backtest(goog, smaCross, {}, engine).dataset;
  const folds = walkForwardFolds(full.start, full.end, walkForward);
  expect(results).toHaveLength(COMBINATIONS.length);
  for (const [index, combination] of COMBINATIONS.entries()) {
    const result = results[index]!;
    expect(result.params).toEqual(combination);
    expect(result.stats).toEqual(backtest(goog, smaCross, combination, engine).stats);
    expect(result.folds).toHaveLength(walkForward.folds);
    for (const fold of folds) {
      const inSample = backtest(goog, smaCross, combination, {
        ...engine,
        from: goog.time[fold.inSample.start]!,
        to: goog.time[fold.inSample.end]!,
      });
      expect(inSample.dataset.start).toBe(fold.inSample.start);
      expect(inSample.dataset.end).toBe(fold.inSample.end);
      expect(result.folds[fold.index]).toEqual(objectiveValues(inSample.stats));
    }
  }
  return results;
}

describe('runJob on GOOG.csv with sma-cross', () => {
  it('gives each combination the statistics of a plain backtest and the objectives of each rolling in-sample range', () => {
    // Prepare
    const engine = BacktestOptionsSchema.parse({});

    // Act + Assess
    const results = expectJobMatchesPlainBacktests(engine, { mode: 'rolling', folds: 4, inSample: 0.7 });

    // Assess: the values are real figures, not empty ones (10/20 trades throughout GOOG).
    expect(results[0]!.stats.trades).toBeGreaterThan(50);
    expect(results[0]!.folds.every((fold) => fold.trades > 0 && fold.sqn !== null)).toBe(true);
  });

  it('does the same for anchored folds inside a from/to range', () => {
    // Prepare
    const engine = BacktestOptionsSchema.parse({
      from: Date.parse('2008-01-01'),
      to: Date.parse('2012-12-31'),
      commission: 0,
    });

    // Act + Assess
    expectJobMatchesPlainBacktests(engine, { mode: 'anchored', folds: 3, inSample: 0.6 });
  });

  it('fills in the strategy defaults for parameters a combination leaves out', () => {
    // Prepare
    const engine = BacktestOptionsSchema.parse({});

    // Act
    const [result] = runJob({
      bars: goog,
      strategy: smaCross,
      combinations: [{ fast: 5 }],
      engine,
      walkForward: { mode: 'rolling', folds: 2, inSample: 0.7 },
    });

    // Assess
    expect(result!.params).toEqual({ fast: 5, slow: 20 });
    expect(result!.stats).toEqual(backtest(goog, smaCross, { fast: 5, slow: 20 }, engine).stats);
  });
});
