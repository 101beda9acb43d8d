import { allocateBars, type Bars } from './bars';

/** A small, fast, seeded PRNG (mulberry32): the same seed always gives the same series. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates a reproducible OHLCV random walk (log-normal steps with slow regime changes), for benchmarks
 * and property tests: `length` bars of `stepMs` from `startMs`.
 */
export function syntheticBars(
  length: number,
  options: { seed?: number; startMs?: number; stepMs?: number; startPrice?: number } = {},
): Bars {
  const random = mulberry32(options.seed ?? 42);
  const step = options.stepMs ?? 3_600_000;
  const bars = allocateBars(length);
  let time = options.startMs ?? Date.UTC(2020, 0, 1);
  let price = options.startPrice ?? 100;
  let drift = 0;
  for (let i = 0; i < length; i++) {
    if (i % 500 === 0) drift = (random() - 0.5) * 0.002;
    const open = price;
    const close = open * Math.exp(drift + (random() - 0.5) * 0.02);
    const high = Math.max(open, close) * (1 + random() * 0.005);
    const low = Math.min(open, close) * (1 - random() * 0.005);
    bars.time[i] = time;
    bars.open[i] = open;
    bars.high[i] = high;
    bars.low[i] = low;
    bars.close[i] = close;
    bars.volume[i] = 1000 + random() * 9000;
    price = close;
    time += step;
  }
  return bars;
}
