/** OHLCV bars in columnar typed arrays: the one shape every backtest, indicator and chart reads. */
export interface Bars {
  /** Bar open time, epoch milliseconds UTC, strictly increasing. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly length: number;
}

/** Allocates zero-filled bars of the given length. */
export function allocateBars(length: number): Bars {
  return {
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
    length,
  };
}

/** A zero-copy view of bars [start, end). */
export function sliceBars(bars: Bars, start: number, end: number): Bars {
  if (start === 0 && end === bars.length) return bars;
  return {
    time: bars.time.subarray(start, end),
    open: bars.open.subarray(start, end),
    high: bars.high.subarray(start, end),
    low: bars.low.subarray(start, end),
    close: bars.close.subarray(start, end),
    volume: bars.volume.subarray(start, end),
    length: Math.max(0, end - start),
  };
}

/** Index of the first bar whose time is at or after `timeMs` (bars.length when none is). */
export function firstIndexAtOrAfter(time: Float64Array, timeMs: number): number {
  let low = 0;
  let high = time.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (time[middle]! < timeMs) low = middle + 1;
    else high = middle;
  }
  return low;
}
