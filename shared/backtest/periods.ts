const DAY_MS = 86_400_000;

/** How returns are sampled for annualised statistics. */
export interface Periodicity {
  readonly kind: 'daily' | 'weekly' | 'monthly' | 'yearly';
  /** D: 252 (daily, no weekend bars), 365 (daily with weekend bars), 52, 12 or 1. */
  readonly periodsPerYear: number;
  /** Absolute index of the last bar of each calendar period in the tested range. */
  readonly periodEnds: Int32Array;
}

/** Median spacing between bars; long series use an evenly spaced sample of at most 10,001 gaps. */
function medianSpacing(time: Float64Array, start: number, end: number): number {
  const gapCount = end - start;
  const sampleSize = Math.min(gapCount, 10_001);
  const gaps = new Float64Array(sampleSize);
  for (let k = 0; k < sampleSize; k++) {
    const i = start + 1 + Math.floor((k * gapCount) / sampleSize);
    gaps[k] = time[i]! - time[i - 1]!;
  }
  gaps.sort();
  const middle = sampleSize >> 1;
  return sampleSize % 2 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2;
}

/**
 * Detects the bar period from the median spacing of the tested bars: at least 360 days is yearly, 28 monthly,
 * 7 weekly, anything shorter daily (intraday bars are resampled to calendar days). Daily data counts 365
 * periods a year when over 60% of the 2/7 share expected of weekend bars is present, else 252.
 */
export function detectPeriodicity(time: Float64Array, start: number, end: number): Periodicity {
  const spacingDays = end > start ? medianSpacing(time, start, end) / DAY_MS : 1;
  if (spacingDays >= 360)
    return { kind: 'yearly', periodsPerYear: 1, periodEnds: periodEnds(time, start, end, yearKey) };
  if (spacingDays >= 28)
    return { kind: 'monthly', periodsPerYear: 12, periodEnds: periodEnds(time, start, end, monthKey) };
  if (spacingDays >= 7)
    return { kind: 'weekly', periodsPerYear: 52, periodEnds: periodEnds(time, start, end, weekKey) };
  let weekendBars = 0;
  for (let i = start; i <= end; i++) {
    // 1970-01-01 was a Thursday: day numbers 2 and 3 (mod 7) are Saturday and Sunday.
    const weekday = ((Math.floor(time[i]! / DAY_MS) % 7) + 7) % 7;
    if (weekday === 2 || weekday === 3) weekendBars++;
  }
  const hasWeekends = weekendBars / (end - start + 1) > (2 / 7) * 0.6;
  return {
    kind: 'daily',
    periodsPerYear: hasWeekends ? 365 : 252,
    periodEnds: periodEnds(time, start, end, dayKey),
  };
}

function dayKey(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS);
}

/** Weeks run Monday to Sunday (1970-01-01 was a Thursday). */
function weekKey(timeMs: number): number {
  return Math.floor((dayKey(timeMs) + 3) / 7);
}

function monthKey(timeMs: number): number {
  const date = new Date(timeMs);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function yearKey(timeMs: number): number {
  return new Date(timeMs).getUTCFullYear();
}

function periodEnds(
  time: Float64Array,
  start: number,
  end: number,
  key: (timeMs: number) => number,
): Int32Array {
  const ends: number[] = [];
  for (let i = start; i <= end; i++) {
    if (i === end || key(time[i + 1]!) !== key(time[i]!)) ends.push(i);
  }
  return Int32Array.from(ends);
}
