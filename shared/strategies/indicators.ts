/**
 * Technical indicators over typed arrays. Each returns a new Float64Array of the source's length with NaN
 * where the indicator has no value yet; leading NaNs in a source are skipped, so indicators chain.
 */

function firstValue(source: Float64Array): number {
  let index = 0;
  while (index < source.length && Number.isNaN(source[index]!)) index++;
  return index;
}

function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

function assertPeriod(name: string, period: number) {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`${name} period must be a whole number of at least 1, got ${period}`);
  }
}

/** Simple moving average of the last `period` values. */
export function sma(source: Float64Array, period: number): Float64Array {
  assertPeriod('sma', period);
  const out = nanArray(source.length);
  const start = firstValue(source);
  let sum = 0;
  for (let i = start; i < source.length; i++) {
    sum += source[i]!;
    if (i - start >= period) sum -= source[i - period]!;
    if (i - start >= period - 1) out[i] = sum / period;
  }
  return out;
}

/** Exponential moving average, alpha = 2 / (period + 1), seeded with the SMA of the first `period` values. */
export function ema(source: Float64Array, period: number): Float64Array {
  assertPeriod('ema', period);
  const out = nanArray(source.length);
  const start = firstValue(source);
  const seedAt = start + period - 1;
  if (seedAt >= source.length) return out;
  let value = 0;
  for (let i = start; i <= seedAt; i++) value += source[i]!;
  value /= period;
  out[seedAt] = value;
  const alpha = 2 / (period + 1);
  for (let i = seedAt + 1; i < source.length; i++) {
    value += alpha * (source[i]! - value);
    out[i] = value;
  }
  return out;
}

/** Relative strength index with Wilder's smoothing, seeded with the mean gain and loss of the first `period` changes. */
export function rsi(source: Float64Array, period: number): Float64Array {
  assertPeriod('rsi', period);
  const out = nanArray(source.length);
  const start = firstValue(source);
  const seedAt = start + period;
  if (seedAt >= source.length) return out;
  let gain = 0;
  let loss = 0;
  for (let i = start + 1; i <= seedAt; i++) {
    const change = source[i]! - source[i - 1]!;
    if (change > 0) gain += change;
    else loss -= change;
  }
  gain /= period;
  loss /= period;
  out[seedAt] = rsiValue(gain, loss);
  for (let i = seedAt + 1; i < source.length; i++) {
    const change = source[i]! - source[i - 1]!;
    gain = (gain * (period - 1) + Math.max(change, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-change, 0)) / period;
    out[i] = rsiValue(gain, loss);
  }
  return out;
}

function rsiValue(gain: number, loss: number): number {
  if (loss === 0) return gain === 0 ? 50 : 100;
  return 100 - 100 / (1 + gain / loss);
}

/** Population standard deviation (divisor `period`) of the last `period` values. */
export function stdev(source: Float64Array, period: number): Float64Array {
  assertPeriod('stdev', period);
  const out = nanArray(source.length);
  const mean = sma(source, period);
  for (let i = firstValue(mean); i < source.length; i++) {
    const m = mean[i]!;
    let squares = 0;
    for (let j = i - period + 1; j <= i; j++) {
      const d = source[j]! - m;
      squares += d * d;
    }
    out[i] = Math.sqrt(squares / period);
  }
  return out;
}

/** Bollinger bands: the SMA and `deviations` population standard deviations either side of it. */
export function bollinger(
  source: Float64Array,
  period: number,
  deviations: number,
): { upper: Float64Array; middle: Float64Array; lower: Float64Array } {
  const middle = sma(source, period);
  const spread = stdev(source, period);
  const upper = new Float64Array(source.length);
  const lower = new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) {
    upper[i] = middle[i]! + deviations * spread[i]!;
    lower[i] = middle[i]! - deviations * spread[i]!;
  }
  return { upper, middle, lower };
}

function rollingExtreme(source: Float64Array, period: number, takeMax: boolean): Float64Array {
  const out = nanArray(source.length);
  const start = firstValue(source);
  // Monotonic deque of indices: the front is the window's extreme, so each value enters and leaves once.
  const deque = new Int32Array(source.length);
  let head = 0;
  let tail = 0;
  for (let i = start; i < source.length; i++) {
    const value = source[i]!;
    while (tail > head && (takeMax ? source[deque[tail - 1]!]! <= value : source[deque[tail - 1]!]! >= value))
      tail--;
    deque[tail++] = i;
    if (deque[head]! <= i - period) head++;
    if (i - start >= period - 1) out[i] = source[deque[head]!]!;
  }
  return out;
}

/** Highest value of the last `period` values (the current one included). */
export function highest(source: Float64Array, period: number): Float64Array {
  assertPeriod('highest', period);
  return rollingExtreme(source, period, true);
}

/** Lowest value of the last `period` values (the current one included). */
export function lowest(source: Float64Array, period: number): Float64Array {
  assertPeriod('lowest', period);
  return rollingExtreme(source, period, false);
}

/** The source delayed by `bars` (out[i] = source[i - bars]), so a rule can compare with earlier bars only. */
export function shift(source: Float64Array, bars: number): Float64Array {
  if (!Number.isInteger(bars) || bars < 0)
    throw new RangeError(`shift needs a whole number of bars, got ${bars}`);
  const out = nanArray(source.length);
  out.set(source.subarray(0, Math.max(0, source.length - bars)), bars);
  return out;
}

/** MACD: EMA(fast) − EMA(slow), its EMA(signal) signal line, and their difference. */
export function macd(
  source: Float64Array,
  fast: number,
  slow: number,
  signal: number,
): { macd: Float64Array; signal: Float64Array; histogram: Float64Array } {
  const fastLine = ema(source, fast);
  const slowLine = ema(source, slow);
  const line = new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) line[i] = fastLine[i]! - slowLine[i]!;
  const signalLine = ema(line, signal);
  const histogram = new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) histogram[i] = line[i]! - signalLine[i]!;
  return { macd: line, signal: signalLine, histogram };
}

/** Average true range with Wilder's smoothing, seeded with the mean of the first `period` true ranges. */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): Float64Array {
  assertPeriod('atr', period);
  const trueRange = nanArray(close.length);
  for (let i = 1; i < close.length; i++) {
    const previous = close[i - 1]!;
    trueRange[i] = Math.max(high[i]! - low[i]!, Math.abs(high[i]! - previous), Math.abs(low[i]! - previous));
  }
  const out = nanArray(close.length);
  const seedAt = period;
  if (seedAt >= close.length) return out;
  let value = 0;
  for (let i = 1; i <= seedAt; i++) value += trueRange[i]!;
  value /= period;
  out[seedAt] = value;
  for (let i = seedAt + 1; i < close.length; i++) {
    value = (value * (period - 1) + trueRange[i]!) / period;
    out[i] = value;
  }
  return out;
}

/**
 * Crossings of a over b: +1 on bar i when a[i-1] < b[i-1] and a[i] > b[i], −1 when a[i-1] > b[i-1] and
 * a[i] < b[i], otherwise 0; NaN until both series have a value. Equality on either bar is not a cross.
 */
export function cross(a: Float64Array, b: Float64Array): Float64Array {
  const out = nanArray(a.length);
  const start = Math.max(firstValue(a), firstValue(b));
  if (start < a.length) out[start] = 0;
  for (let i = start + 1; i < a.length; i++) {
    const before = a[i - 1]! - b[i - 1]!;
    const now = a[i]! - b[i]!;
    out[i] = before < 0 && now > 0 ? 1 : before > 0 && now < 0 ? -1 : 0;
  }
  return out;
}

/** The indicator functions a strategy receives; one library memoises results for one data set. */
export interface IndicatorLibrary {
  sma: typeof sma;
  ema: typeof ema;
  rsi: typeof rsi;
  stdev: typeof stdev;
  bollinger: typeof bollinger;
  highest: typeof highest;
  lowest: typeof lowest;
  shift: typeof shift;
  macd: typeof macd;
  atr: typeof atr;
  cross: typeof cross;
}

/**
 * An indicator library that computes each (function, inputs, arguments) once, so a parameter grid over one
 * data set shares its moving averages. Results are shared: strategies must not write into them.
 */
export function createIndicatorLibrary(): IndicatorLibrary {
  const arrayIds = new WeakMap<object, number>();
  const cache = new Map<string, unknown>();
  let arrayCount = 0;
  const idOf = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return String(value);
    let id = arrayIds.get(value);
    if (id === undefined) {
      id = ++arrayCount;
      arrayIds.set(value, id);
    }
    return `#${id}`;
  };
  const memo =
    <A extends unknown[], R>(name: string, compute: (...args: A) => R) =>
    (...args: A): R => {
      const key = `${name}(${args.map(idOf).join(',')})`;
      if (cache.has(key)) return cache.get(key) as R;
      const result = compute(...args);
      cache.set(key, result);
      return result;
    };
  return {
    sma: memo('sma', sma),
    ema: memo('ema', ema),
    rsi: memo('rsi', rsi),
    stdev: memo('stdev', stdev),
    bollinger: memo('bollinger', bollinger),
    highest: memo('highest', highest),
    lowest: memo('lowest', lowest),
    shift: memo('shift', shift),
    macd: memo('macd', macd),
    atr: memo('atr', atr),
    cross: memo('cross', cross),
  };
}
