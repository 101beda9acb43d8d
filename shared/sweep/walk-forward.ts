/** Walk-forward settings: how many folds, rolling or anchored, and the in-sample share of a fold. */
export interface WalkForwardSettings {
  readonly mode: 'rolling' | 'anchored';
  readonly folds: number;
  /** In-sample fraction of a fold, between 0 and 1 (0.7: 70% in-sample, 30% out-of-sample). */
  readonly inSample: number;
}

/** A range of bar indices, both ends included. */
export interface BarRange {
  readonly start: number;
  readonly end: number;
}

/** One walk-forward fold: optimise on `inSample`, then trade the winner on `outOfSample`. */
export interface Fold {
  readonly index: number;
  readonly inSample: BarRange;
  readonly outOfSample: BarRange;
}

/** The data cannot hold the requested folds. */
export class WalkForwardError extends Error {
  override readonly name = 'WalkForwardError';
}

/** Fewest bars an out-of-sample slice may have. */
export const MIN_OUT_OF_SAMPLE_BARS = 5;

/**
 * Splits the tested bars [start, end] into folds. Out-of-sample slices are consecutive, do not overlap and end
 * on the last bar. Rolling: every fold is `inSample` (70%) in-sample then the rest out-of-sample, sliding by
 * one slice. Anchored: the first fold is split the same way and every in-sample part starts at `start`.
 */
export function walkForwardFolds(start: number, end: number, settings: WalkForwardSettings): Fold[] {
  const bars = end - start + 1;
  const { folds, inSample } = settings;
  // n = I + F·O with I = O·f / (1 − f): the out-of-sample slice length O.
  const slice = Math.floor((bars * (1 - inSample)) / ((1 - inSample) * folds + inSample));
  if (slice < MIN_OUT_OF_SAMPLE_BARS) {
    throw new WalkForwardError(
      `${bars} bars are too few for ${folds} walk-forward folds: out-of-sample slices would have ${slice} bars (at least ${MIN_OUT_OF_SAMPLE_BARS}). Use fewer folds or more data.`,
    );
  }
  const inSampleBars = bars - folds * slice;
  const result: Fold[] = [];
  for (let index = 0; index < folds; index++) {
    const outStart = end - (folds - index) * slice + 1;
    result.push({
      index,
      inSample: { start: settings.mode === 'anchored' ? start : outStart - inSampleBars, end: outStart - 1 },
      outOfSample: { start: outStart, end: outStart + slice - 1 },
    });
  }
  return result;
}
