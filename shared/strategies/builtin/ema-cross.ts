import { defineStrategy } from '../api';

/** Long when the fast EMA of closes crosses above the slow one, short when it crosses below. */
export const emaCross = defineStrategy({
  name: 'ema-cross',
  description: 'Long when the fast EMA of closes crosses above the slow EMA, short when it crosses below.',
  params: {
    fast: { type: 'int', default: 12, min: 1, description: 'Fast EMA period in bars' },
    slow: { type: 'int', default: 26, min: 2, description: 'Slow EMA period in bars' },
  },
  validate: ({ fast, slow }) => (fast < slow ? undefined : `fast (${fast}) must be less than slow (${slow})`),
  indicators: (bars, { fast, slow }, ta) => {
    const fastLine = ta.ema(bars.close, fast);
    const slowLine = ta.ema(bars.close, slow);
    return { fast: fastLine, slow: slowLine, cross: ta.cross(fastLine, slowLine) };
  },
  // Crossings are precomputed once per (fast, slow) pair, so a parameter grid shares them.
  signal: (i, { cross }) => (cross[i]! > 0 ? 'long' : cross[i]! < 0 ? 'short' : null),
});
