import type { CandleGap } from '../ports/candle-store';

/**
 * The gaps in a run of open times (ascending) that follows `previous` (the last open time already known, if any):
 * every place where the next candle opens more than one timeframe after the one before it.
 */
export function findGaps(
  previous: number | undefined,
  openTimes: readonly number[],
  intervalMs: number,
  detectedAt: number,
): CandleGap[] {
  const gaps: CandleGap[] = [];
  let before = previous;
  for (const openTime of openTimes) {
    if (before !== undefined && openTime - before > intervalMs) {
      const from = before + intervalMs;
      const to = openTime - intervalMs;
      gaps.push({ from, to, missing: Math.round((to - from) / intervalMs) + 1, detectedAt });
    }
    before = openTime;
  }
  return gaps;
}
