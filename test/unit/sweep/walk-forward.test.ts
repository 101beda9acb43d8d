import { describe, expect, it } from '@jest/globals';
import { MIN_OUT_OF_SAMPLE_BARS, WalkForwardError, walkForwardFolds } from '@shared/sweep/walk-forward';
import fc from 'fast-check';

/** Runs act and returns what it threw, so a test can assert the error's class and message together. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const length = (range: { start: number; end: number }) => range.end - range.start + 1;

describe('walkForwardFolds splits 100 bars into 4 folds at 70% in-sample', () => {
  // O = floor(100 · 0.3 / (0.3 · 4 + 0.7)) = floor(30 / 1.9) = floor(15.79) = 15; in-sample = 100 − 4 · 15 = 40.

  it('gives rolling folds of 40 in-sample bars followed by consecutive 15-bar out-of-sample slices ending on the last bar', () => {
    // Act
    const folds = walkForwardFolds(0, 99, { mode: 'rolling', folds: 4, inSample: 0.7 });

    // Assess
    expect(folds).toEqual([
      { index: 0, inSample: { start: 0, end: 39 }, outOfSample: { start: 40, end: 54 } },
      { index: 1, inSample: { start: 15, end: 54 }, outOfSample: { start: 55, end: 69 } },
      { index: 2, inSample: { start: 30, end: 69 }, outOfSample: { start: 70, end: 84 } },
      { index: 3, inSample: { start: 45, end: 84 }, outOfSample: { start: 85, end: 99 } },
    ]);
  });

  it('gives anchored folds whose in-sample part always starts on the first bar and grows by one slice per fold', () => {
    // Act
    const folds = walkForwardFolds(0, 99, { mode: 'anchored', folds: 4, inSample: 0.7 });

    // Assess
    expect(folds).toEqual([
      { index: 0, inSample: { start: 0, end: 39 }, outOfSample: { start: 40, end: 54 } },
      { index: 1, inSample: { start: 0, end: 54 }, outOfSample: { start: 55, end: 69 } },
      { index: 2, inSample: { start: 0, end: 69 }, outOfSample: { start: 70, end: 84 } },
      { index: 3, inSample: { start: 0, end: 84 }, outOfSample: { start: 85, end: 99 } },
    ]);
  });

  it('splits the first fold about 70/30: 40 in-sample bars to 15 out-of-sample (72.7%)', () => {
    // Act
    const [first] = walkForwardFolds(0, 99, { mode: 'rolling', folds: 4, inSample: 0.7 });

    // Assess
    const inSampleBars = length(first!.inSample);
    const outOfSampleBars = length(first!.outOfSample);
    expect([inSampleBars, outOfSampleBars]).toEqual([40, 15]);
    expect(inSampleBars / (inSampleBars + outOfSampleBars)).toBeCloseTo(0.727, 3);
  });

  it('shifts every fold by the start offset when the tested range starts at bar 100', () => {
    // Act
    const rolling = walkForwardFolds(100, 199, { mode: 'rolling', folds: 4, inSample: 0.7 });
    const anchored = walkForwardFolds(100, 199, { mode: 'anchored', folds: 4, inSample: 0.7 });

    // Assess
    expect(rolling).toEqual([
      { index: 0, inSample: { start: 100, end: 139 }, outOfSample: { start: 140, end: 154 } },
      { index: 1, inSample: { start: 115, end: 154 }, outOfSample: { start: 155, end: 169 } },
      { index: 2, inSample: { start: 130, end: 169 }, outOfSample: { start: 170, end: 184 } },
      { index: 3, inSample: { start: 145, end: 184 }, outOfSample: { start: 185, end: 199 } },
    ]);
    expect(anchored.map((fold) => fold.inSample)).toEqual([
      { start: 100, end: 139 },
      { start: 100, end: 154 },
      { start: 100, end: 169 },
      { start: 100, end: 184 },
    ]);
  });

  it('gives one fold of 70 in-sample and 30 out-of-sample bars when asked for a single fold', () => {
    // Act
    const folds = walkForwardFolds(0, 99, { mode: 'rolling', folds: 1, inSample: 0.7 });

    // Assess: O = floor(30 / 1) = 30.
    expect(folds).toEqual([
      { index: 0, inSample: { start: 0, end: 69 }, outOfSample: { start: 70, end: 99 } },
    ]);
  });
});

describe('walkForwardFolds refuses data too short for the folds', () => {
  it('throws WalkForwardError telling to use fewer folds or more data when slices would have 3 bars', () => {
    // Prepare: 20 bars, 4 folds: O = floor(20 · 0.3 / 1.9) = floor(3.16) = 3 < 5.

    // Act
    const error = thrownBy(() => walkForwardFolds(0, 19, { mode: 'rolling', folds: 4, inSample: 0.7 }));

    // Assess
    expect(error).toBeInstanceOf(WalkForwardError);
    expect((error as Error).message).toBe(
      '20 bars are too few for 4 walk-forward folds: out-of-sample slices would have 3 bars (at least 5). Use fewer folds or more data.',
    );
  });

  it('accepts the shortest data that gives 5-bar slices and refuses one bar less', () => {
    // Prepare: 4 folds at 70%: O = floor(n · 0.3 / 1.9) reaches 5 at n = 32 (9.6 / 1.9 = 5.05); n = 31 gives 4.89.

    // Act
    const folds = walkForwardFolds(0, 31, { mode: 'rolling', folds: 4, inSample: 0.7 });
    const error = thrownBy(() => walkForwardFolds(0, 30, { mode: 'rolling', folds: 4, inSample: 0.7 }));

    // Assess
    expect(folds.map((fold) => length(fold.outOfSample))).toEqual([5, 5, 5, 5]);
    expect(length(folds[0]!.inSample)).toBe(12);
    expect(error).toBeInstanceOf(WalkForwardError);
    expect((error as Error).message).toContain('31 bars are too few for 4 walk-forward folds');
  });
});

describe('walkForwardFolds holds its invariants for any data length, fold count and in-sample share', () => {
  it('gives equal, consecutive, non-overlapping slices ending on the last bar, with in-sample windows as specified', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.constantFrom('rolling' as const, 'anchored' as const),
        (start, bars, folds, inSample, mode) => {
          // Prepare
          const end = start + bars - 1;
          const expectedSlice = Math.floor((bars * (1 - inSample)) / ((1 - inSample) * folds + inSample));

          // Act
          const act = () => walkForwardFolds(start, end, { mode, folds, inSample });

          // Assess
          if (expectedSlice < MIN_OUT_OF_SAMPLE_BARS) {
            expect(act).toThrow(WalkForwardError);
            return;
          }
          const result = act();
          const inSampleBars = bars - folds * expectedSlice;
          expect(result).toHaveLength(folds);
          expect(result[result.length - 1]!.outOfSample.end).toBe(end);
          result.forEach((fold, index) => {
            expect(fold.index).toBe(index);
            expect(length(fold.outOfSample)).toBe(expectedSlice);
            expect(fold.inSample.end).toBe(fold.outOfSample.start - 1);
            if (index > 0) expect(fold.outOfSample.start).toBe(result[index - 1]!.outOfSample.end + 1);
            if (mode === 'rolling') expect(length(fold.inSample)).toBe(inSampleBars);
            else expect(fold.inSample.start).toBe(start);
          });
          // The first fold starts on the first bar, and its in-sample share is at least f with less than
          // F + f / (1 − f) bars of rounding left over.
          expect(result[0]!.inSample.start).toBe(start);
          const ideal = (expectedSlice * inSample) / (1 - inSample);
          expect(inSampleBars).toBeGreaterThanOrEqual(ideal - 1e-6);
          expect(inSampleBars - ideal).toBeLessThan(folds + inSample / (1 - inSample) + 1e-6);
        },
      ),
      { numRuns: 500 },
    );
  });
});
