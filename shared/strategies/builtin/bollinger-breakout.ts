import { defineStrategy } from '../api';

/** Breakout from Bollinger bands: enter on a close outside a band, leave when the close is back past the middle. */
export const bollingerBreakout = defineStrategy({
  name: 'bollinger-breakout',
  description:
    'Long on a close above the upper band, short on a close below the lower band; exit a long when the close falls back through the middle band (SMA), a short when it rises through it.',
  params: {
    period: {
      type: 'int',
      default: 20,
      min: 2,
      description: 'Band period in bars (SMA and population standard deviation)',
    },
    deviations: { type: 'number', default: 2, min: 0, description: 'Band width in standard deviations' },
  },
  indicators: (bars, { period, deviations }, ta) => {
    const { upper, middle, lower } = ta.bollinger(bars.close, period, deviations);
    return { upper, middle, lower };
  },
  signal: (i, { upper, middle, lower }, bars, _params, position) => {
    const close = bars.close[i]!;
    if (close > upper[i]!) return 'long';
    if (close < lower[i]!) return 'short';
    const previous = bars.close[i - 1]!;
    if (position === 'long' && previous >= middle[i - 1]! && close < middle[i]!) return 'exit';
    if (position === 'short' && previous <= middle[i - 1]! && close > middle[i]!) return 'exit';
    return null;
  },
});
