import { defineStrategy } from '../api';

/** Mean reversion on RSI: long while oversold, short while overbought. */
export const rsiReversion = defineStrategy({
  name: 'rsi-reversion',
  description:
    'Mean reversion: long when RSI is below the oversold level, short when it is above the overbought level.',
  params: {
    period: { type: 'int', default: 14, min: 2, description: 'RSI period in bars (Wilder smoothing)' },
    oversold: { type: 'number', default: 30, min: 0, max: 100, description: 'Go long below this RSI' },
    overbought: { type: 'number', default: 70, min: 0, max: 100, description: 'Go short above this RSI' },
  },
  validate: ({ oversold, overbought }) =>
    oversold < overbought ? undefined : `oversold (${oversold}) must be below overbought (${overbought})`,
  indicators: (bars, { period }, ta) => ({ rsi: ta.rsi(bars.close, period) }),
  signal: (i, { rsi }, _bars, { oversold, overbought }) => {
    const value = rsi[i]!;
    return value < oversold ? 'long' : value > overbought ? 'short' : null;
  },
});
