import { type Bars, firstIndexAtOrAfter, sliceBars } from '../market-data/bars';
import { isoTime } from '../market-data/parse-time';
import { createIndicatorLibrary, type IndicatorLibrary } from '../strategies/indicators';
import { detectPeriodicity, type Periodicity } from './periods';

/** The requested date range selects no bars. */
export class EmptyRangeError extends Error {
  override readonly name = 'EmptyRangeError';
}

/**
 * One data set prepared for any number of backtests: the tested range, its return periods and an indicator
 * cache shared by every run on it (a parameter grid computes each moving average once).
 */
export interface Dataset {
  /** Bars up to the last tested one; later bars are cut off so nothing can look ahead. */
  readonly bars: Bars;
  /** Index of the first tested bar; the bars before it only warm indicators up. */
  readonly start: number;
  /** Index of the last tested bar (inclusive). */
  readonly end: number;
  readonly periodicity: Periodicity;
  readonly ta: IndicatorLibrary;
}

/** Prepares bars for backtesting over [from, to] (epoch ms, both inclusive, either optional). */
export function prepareDataset(
  bars: Bars,
  range: { from?: number | undefined; to?: number | undefined } = {},
): Dataset {
  const start = range.from === undefined ? 0 : firstIndexAtOrAfter(bars.time, range.from);
  const end = range.to === undefined ? bars.length - 1 : firstIndexAtOrAfter(bars.time, range.to + 1) - 1;
  if (start > end || start >= bars.length || end < 0) {
    const first = bars.length ? isoTime(bars.time[0]!) : 'none';
    const last = bars.length ? isoTime(bars.time[bars.length - 1]!) : 'none';
    throw new EmptyRangeError(
      `no bars between ${range.from === undefined ? 'the start' : isoTime(range.from)} and ${range.to === undefined ? 'the end' : isoTime(range.to)}; the data runs from ${first} to ${last}`,
    );
  }
  return prepareDatasetRange(bars, start, end);
}

/** Prepares bars for backtesting bars [start, end] by index (both inclusive); earlier bars warm indicators up. */
export function prepareDatasetRange(bars: Bars, start: number, end: number): Dataset {
  if (!(start >= 0 && start <= end && end < bars.length)) {
    throw new EmptyRangeError(`bar range ${start}..${end} is outside the ${bars.length} bars`);
  }
  const visible = sliceBars(bars, 0, end + 1);
  return {
    bars: visible,
    start,
    end,
    periodicity: detectPeriodicity(visible.time, start, end),
    ta: createIndicatorLibrary(),
  };
}

/**
 * A narrower tested range [start, end] of a prepared dataset, sharing its bars and indicator cache: a sweep
 * computes each indicator once for the full period and every fold. Indicators must be causal (a value at bar i
 * reads bars up to i only), as the strategy API requires; the engine itself never reads past `end`.
 */
export function narrowDataset(dataset: Dataset, start: number, end: number): Dataset {
  if (!(start >= 0 && start <= end && end <= dataset.end)) {
    throw new EmptyRangeError(
      `bar range ${start}..${end} is outside the dataset's ${dataset.start}..${dataset.end}`,
    );
  }
  return {
    bars: dataset.bars,
    start,
    end,
    periodicity: detectPeriodicity(dataset.bars.time, start, end),
    ta: dataset.ta,
  };
}
