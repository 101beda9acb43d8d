import { describe, expect, it } from '@jest/globals';
import { backtest } from '@shared/backtest/backtest';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import { type Decision, defineStrategy } from '@shared/strategies/api';
import type { ObjectiveValues } from '@shared/sweep/objective';
import { joinOutOfSample } from '@shared/sweep/out-of-sample';
import type { CombinationResult } from '@shared/sweep/run-job';
import type { Fold } from '@shared/sweep/walk-forward';
import { fixedParamsOutOfSample, walkForwardMarket } from '@shared/sweep/walk-forward-report';
import { barsFrom } from '../../support/bars';
import { scriptedStrategy } from '../../support/scripted-strategy';

/**
 * Scripts chosen by the `script` parameter: 0 stays flat, 1 goes long on bars 4 and 8 and exits on 6 and 10,
 * 2 does the same short. A decision on bar i fills at bar i+1's open.
 */
const SCRIPTS: Readonly<Record<number, Readonly<Record<number, Decision>>>> = {
  0: {},
  1: { 4: 'long', 6: 'exit', 8: 'long', 10: 'exit' },
  2: { 4: 'short', 6: 'exit', 8: 'short', 10: 'exit' },
};

const scripted = defineStrategy({
  name: 'scripted-by-param',
  description: 'test double: the script parameter picks a script of decisions',
  params: { script: { type: 'int', default: 0, min: 0, max: 2, description: 'which script to follow' } },
  indicators: () => ({}),
  signal: (i, _indicators, _bars, params) => SCRIPTS[params.script]?.[i] ?? null,
});

/**
 * Twelve weekday bars from Monday 2024-01-01 with open = high = low = close. Slice A is bars 4..7 (100, 100,
 * 110, 120), slice B bars 8..11 (100, 100, 90, 80). With 1,000 cash, no commission and whole units, a trade
 * entered at 100 holds 10 units.
 */
const BARS = barsFrom([100, 100, 100, 100, 100, 100, 110, 120, 100, 100, 90, 80]);
const ENGINE = BacktestOptionsSchema.parse({ cash: 1000, commission: 0 });

/** Hand-made folds: fold 0 optimises on bars 0..3 and trades slice A, fold 1 optimises on slice A and trades B. */
const FOLDS: Fold[] = [
  { index: 0, inSample: { start: 0, end: 3 }, outOfSample: { start: 4, end: 7 } },
  { index: 1, inSample: { start: 4, end: 7 }, outOfSample: { start: 8, end: 11 } },
];

const FLAT = { script: 0 };
const LONG = { script: 1 };
const SHORT = { script: 2 };

function foldValues(returnPct: number | null): ObjectiveValues {
  return { sqn: null, sharpe: null, returnPct, calmar: null, equityFinal: null, trades: 0 };
}

/** A combination with its real full-period statistics and hand-picked in-sample returns per fold. */
function combination(params: { script: number }, inSample: readonly (number | null)[]): CombinationResult {
  return {
    params,
    stats: backtest(BARS, scripted, params, ENGINE).stats,
    folds: inSample.map(foldValues),
  };
}

function report(results: readonly CombinationResult[]) {
  return walkForwardMarket({
    market: 'TEST',
    bars: BARS,
    strategy: scripted,
    engine: ENGINE,
    mode: 'rolling',
    folds: FOLDS,
    objective: 'returnPct',
    results,
  });
}

describe('joinOutOfSample chains the out-of-sample slices', () => {
  it('scales slice B onto the capital slice A ended with, and counts both trades with scaled PnL', () => {
    // Prepare: long on A: 1,000 → 1,200 (+200). Long on B alone: 1,000 → 800 (−200); scaled by 1.2: 1,200 → 960 (−240).

    // Act
    const joined = joinOutOfSample(BARS, scripted, ENGINE, [
      { fold: FOLDS[0]!, params: LONG },
      { fold: FOLDS[1]!, params: LONG },
    ]);

    // Assess
    expect(joined.stats).toMatchObject({
      start: '2024-01-05T00:00:00.000Z',
      end: '2024-01-16T00:00:00.000Z',
      bars: 8,
      trades: 2,
      equityFinal: 960,
      equityPeak: 1200,
      winRatePct: 50,
      bestTradePct: 20,
      worstTradePct: -20,
    });
    expect(joined.stats.returnPct).toBeCloseTo(-4, 10);
    expect(joined.stats.maxDrawdownPct).toBeCloseTo(-20, 10);
    // PnL 200 and −240: SQN = √2 · mean / sample std = √2 · (−20) / (440 / √2) = −40 / 440.
    expect(joined.stats.sqn).toBeCloseTo(-40 / 440, 12);
    // Kelly = W − (1 − W) / (mean win / mean loss) = 0.5 − 0.5 / (200 / 240) = −0.1 (unscaled PnL would give 0).
    expect(joined.stats.kelly).toBeCloseTo(-0.1, 12);
  });

  it("reports each slice's own, unscaled statistics", () => {
    // Act
    const joined = joinOutOfSample(BARS, scripted, ENGINE, [
      { fold: FOLDS[0]!, params: LONG },
      { fold: FOLDS[1]!, params: LONG },
    ]);

    // Assess
    expect(joined.slices.map((slice) => [slice?.equityFinal, slice?.trades])).toEqual([
      [1200, 1],
      [800, 1],
    ]);
  });

  it('keeps the capital through a flat slice (no winner): flat A then long B ends on 800', () => {
    // Act
    const joined = joinOutOfSample(BARS, scripted, ENGINE, [
      { fold: FOLDS[0]!, params: null },
      { fold: FOLDS[1]!, params: LONG },
    ]);

    // Assess
    expect(joined.slices[0]).toBeNull();
    expect(joined.stats).toMatchObject({ trades: 1, equityFinal: 800, equityPeak: 1000 });
    expect(joined.stats.maxDrawdownPct).toBeCloseTo(-20, 10);
  });

  it('carries the capital of slice A through a flat slice B: long A then flat B ends on 1,200', () => {
    // Act
    const joined = joinOutOfSample(BARS, scripted, ENGINE, [
      { fold: FOLDS[0]!, params: LONG },
      { fold: FOLDS[1]!, params: null },
    ]);

    // Assess
    expect(joined.slices[1]).toBeNull();
    expect(joined.stats).toMatchObject({ trades: 1, equityFinal: 1200, equityPeak: 1200, maxDrawdownPct: 0 });
    expect(joined.stats.returnPct).toBeCloseTo(20, 10);
  });

  it('starts each slice flat: a short on A and a long on B are two separate trades', () => {
    // Prepare: short on A: 1,000 → 800 (−200). Long on B scaled by 0.8: 800 → 640 (−160).

    // Act
    const joined = joinOutOfSample(BARS, scripted, ENGINE, [
      { fold: FOLDS[0]!, params: SHORT },
      { fold: FOLDS[1]!, params: LONG },
    ]);

    // Assess
    expect(joined.stats).toMatchObject({ trades: 2, equityFinal: 640, winRatePct: 0 });
    expect(joined.stats.returnPct).toBeCloseTo(-36, 10);
  });
});

describe('joinOutOfSample warms indicators up on earlier bars', () => {
  it('asks a strategy whose indicator needs 6 bars from the first bar of slice B, which starts at bar 8', () => {
    // Prepare
    const { strategy, asked } = scriptedStrategy({ 8: 'long', 10: 'exit' }, 6);

    // Act
    const joined = joinOutOfSample(BARS, strategy, ENGINE, [
      { fold: FOLDS[0]!, params: null },
      { fold: FOLDS[1]!, params: {} },
    ]);

    // Assess: long at 100 on bar 9, out at 80 on bar 11.
    expect(asked).toEqual([8, 9, 10]);
    expect(joined.stats).toMatchObject({ trades: 1, equityFinal: 800 });
  });
});

describe('walkForwardMarket picks fold winners and the champion', () => {
  // Grid order: flat, short, long. Fold 0: long wins with 3 (flat has no value). Fold 1: short and long tie at 2,
  // so short, first in grid order, wins. Out of sample: long on A 1,000 → 1,200, then short on B scaled by 1.2:
  // 1,200 → 1,440 (+44%).
  const RESULTS = [combination(FLAT, [null, null]), combination(SHORT, [1, 2]), combination(LONG, [3, 2])];

  it('reports each fold with its ranges, winner and in- and out-of-sample figures', () => {
    // Act
    const { report: walkForward } = report(RESULTS);

    // Assess
    expect(walkForward.folds).toEqual([
      {
        index: 0,
        inSample: { start: '2024-01-01T00:00:00.000Z', end: '2024-01-04T00:00:00.000Z', bars: 4 },
        outOfSample: { start: '2024-01-05T00:00:00.000Z', end: '2024-01-10T00:00:00.000Z', bars: 4 },
        winner: LONG,
        inSampleObjective: 3,
        outOfSampleObjective: expect.closeTo(20, 10),
        outOfSampleTrades: 1,
      },
      {
        index: 1,
        inSample: { start: '2024-01-05T00:00:00.000Z', end: '2024-01-10T00:00:00.000Z', bars: 4 },
        outOfSample: { start: '2024-01-11T00:00:00.000Z', end: '2024-01-16T00:00:00.000Z', bars: 4 },
        winner: SHORT,
        inSampleObjective: 2,
        outOfSampleObjective: expect.closeTo(20, 10),
        outOfSampleTrades: 1,
      },
    ]);
  });

  it('joins the winners out of sample: +44%, against a mean in-sample 2.5, ratio 17.6', () => {
    // Act
    const { report: walkForward } = report(RESULTS);

    // Assess
    expect(walkForward).toMatchObject({ market: 'TEST', mode: 'rolling', objective: 'returnPct' });
    expect(walkForward.inSampleObjective).toBe(2.5);
    expect(walkForward.walkForwardObjective).toBeCloseTo(44, 10);
    expect(walkForward.ratio).toBeCloseTo(17.6, 10);
    expect(walkForward.outOfSample).toMatchObject({ trades: 2, equityFinal: 1440, winRatePct: 100 });
  });

  it("makes the last fold's winner the champion, with the joined result and its full-period statistics", () => {
    // Act
    const { champion } = report(RESULTS);

    // Assess
    expect(champion).toMatchObject({
      market: 'TEST',
      params: SHORT,
      objective: 'returnPct',
      inSampleObjective: 2,
      outOfSampleTrades: 2,
    });
    expect(champion!.walkForwardObjective).toBeCloseTo(44, 10);
    expect(champion!.fullPeriod).toEqual(RESULTS[1]!.stats);
  });

  it('leaves a fold without any in-sample value flat, and has no champion when that is the last fold', () => {
    // Prepare
    const results = [combination(FLAT, [null, null]), combination(LONG, [3, null])];

    // Act
    const { report: walkForward, champion } = report(results);

    // Assess
    expect(champion).toBeNull();
    expect(walkForward.folds[1]).toMatchObject({
      winner: null,
      inSampleObjective: null,
      outOfSampleObjective: null,
      outOfSampleTrades: 0,
    });
    expect(walkForward.inSampleObjective).toBe(3);
    expect(walkForward.outOfSample).toMatchObject({ trades: 1, equityFinal: 1200 });
    expect(walkForward.ratio).toBeCloseTo(20 / 3, 10);
  });

  it('gives no ratio when the mean in-sample objective is negative, even with a positive walk-forward result', () => {
    // Prepare: same winners as above (long, then short), but every in-sample value is below zero.
    const results = [combination(SHORT, [-3, -2]), combination(LONG, [-1, -4])];

    // Act
    const { report: walkForward } = report(results);

    // Assess
    expect(walkForward.inSampleObjective).toBe(-1.5);
    expect(walkForward.walkForwardObjective).toBeCloseTo(44, 10);
    expect(walkForward.ratio).toBeNull();
  });

  it('gives no ratio when both figures are negative (their quotient would look like a good efficiency)', () => {
    // Prepare: short wins fold 0 and long fold 1: −36% out of sample.
    const results = [combination(SHORT, [-1, -4]), combination(LONG, [-3, -2])];

    // Act
    const { report: walkForward } = report(results);

    // Assess
    expect(walkForward.walkForwardObjective).toBeCloseTo(-36, 10);
    expect(walkForward.ratio).toBeNull();
  });

  it('gives no ratio when the mean in-sample objective is 0', () => {
    // Prepare
    const results = [combination(LONG, [0, null]), combination(SHORT, [null, 0])];

    // Act
    const { report: walkForward } = report(results);

    // Assess
    expect(walkForward.inSampleObjective).toBe(0);
    expect(walkForward.ratio).toBeNull();
  });
});

describe('fixedParamsOutOfSample', () => {
  it('equals joining the slices with the same parameters on every one: long throughout ends on 960', () => {
    // Act
    const fixed = fixedParamsOutOfSample(BARS, scripted, ENGINE, FOLDS, LONG);

    // Assess
    const joined = joinOutOfSample(
      BARS,
      scripted,
      ENGINE,
      FOLDS.map((fold) => ({ fold, params: LONG })),
    );
    expect(fixed).toEqual(joined.stats);
    expect(fixed).toMatchObject({ trades: 2, equityFinal: 960 });
  });
});
