import { defineStrategy } from '../api';

/** Long when the MACD line crosses above its signal line, short when it crosses below. */
export const macdCross = defineStrategy({
  name: 'macd-cross',
  description:
    'Long when the MACD line (fast EMA − slow EMA) crosses above its signal line, short when it crosses below.',
  params: {
    fast: { type: 'int', default: 12, min: 1, description: 'Fast EMA period in bars' },
    slow: { type: 'int', default: 26, min: 2, description: 'Slow EMA period in bars' },
    signal: { type: 'int', default: 9, min: 1, description: 'Signal line EMA period in bars' },
  },
  validate: ({ fast, slow }) => (fast < slow ? undefined : `fast (${fast}) must be less than slow (${slow})`),
  indicators: (bars, { fast, slow, signal }, ta) => {
    const lines = ta.macd(bars.close, fast, slow, signal);
    return { macd: lines.macd, signal: lines.signal, cross: ta.cross(lines.macd, lines.signal) };
  },
  signal: (i, { cross }) => (cross[i]! > 0 ? 'long' : cross[i]! < 0 ? 'short' : null),
});
