import { allocateBars, type Bars } from '@shared/market-data/bars';

const DAY_MS = 86_400_000;

/** One bar for a hand-written series: [open, high, low, close] or a bare close (open = high = low = close). */
export type BarSpec = readonly [number, number, number, number] | number;

/**
 * Builds bars from hand-written rows, one per step of `stepMs` from `startIso` (default: weekdays only,
 * starting Monday 2024-01-01, so the series reads as daily stock data).
 */
export function barsFrom(
  rows: readonly BarSpec[],
  options: { startIso?: string; stepMs?: number } = {},
): Bars {
  const bars = allocateBars(rows.length);
  let time = Date.parse(options.startIso ?? '2024-01-01T00:00:00Z');
  rows.forEach((row, i) => {
    const [open, high, low, close] = typeof row === 'number' ? [row, row, row, row] : row;
    bars.time[i] = time;
    bars.open[i] = open;
    bars.high[i] = high;
    bars.low[i] = low;
    bars.close[i] = close;
    bars.volume[i] = 1000;
    if (options.stepMs) time += options.stepMs;
    else {
      time += DAY_MS;
      while ([0, 6].includes(new Date(time).getUTCDay())) time += DAY_MS;
    }
  });
  return bars;
}

/** Bars whose open is the previous close and whose high and low sit one unit around the bar's body. */
export function barsFromCloses(closes: readonly number[]): Bars {
  return barsFrom(
    closes.map((close, i) => {
      const open = i === 0 ? close : closes[i - 1]!;
      return [open, Math.max(open, close) + 1, Math.min(open, close) - 1, close] as const;
    }),
  );
}
