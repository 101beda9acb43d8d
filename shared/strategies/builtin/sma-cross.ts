import { defineStrategy } from '../api';

/** Long when the fast SMA of closes crosses above the slow one, short when it crosses below. */
export const smaCross = defineStrategy({
  name: 'sma-cross',
  description: 'Long when the fast SMA of closes crosses above the slow SMA, short when it crosses below.',
  params: {
    fast: { type: 'int', default: 10, min: 1, description: 'Fast SMA period in bars' },
    slow: { type: 'int', default: 20, min: 2, description: 'Slow SMA period in bars' },
  },
  validate: ({ fast, slow }) => (fast < slow ? undefined : `fast (${fast}) must be less than slow (${slow})`),
  indicators: (bars, { fast, slow }, ta) => {
    const fastLine = ta.sma(bars.close, fast);
    const slowLine = ta.sma(bars.close, slow);
    return { fast: fastLine, slow: slowLine, cross: ta.cross(fastLine, slowLine) };
  },
  // Crossings are precomputed once per (fast, slow) pair, so a parameter grid shares them.
  signal: (i, { cross }) => (cross[i]! > 0 ? 'long' : cross[i]! < 0 ? 'short' : null),
});
