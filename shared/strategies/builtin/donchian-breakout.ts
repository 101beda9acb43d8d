import { defineStrategy } from '../api';

/** Turtle-style channel breakout over the previous bars' highs and lows. */
export const donchianBreakout = defineStrategy({
  name: 'donchian-breakout',
  description:
    'Long on a close above the highest high of the previous `entry` bars, short on a close below their lowest low; exit a long on a close below the lowest low of the previous `exit` bars, a short on a close above their highest high.',
  params: {
    entry: { type: 'int', default: 20, min: 1, description: 'Entry channel length in bars' },
    exit: { type: 'int', default: 10, min: 1, description: 'Exit channel length in bars' },
  },
  indicators: (bars, { entry, exit }, ta) => ({
    entryHigh: ta.shift(ta.highest(bars.high, entry), 1),
    entryLow: ta.shift(ta.lowest(bars.low, entry), 1),
    exitHigh: ta.shift(ta.highest(bars.high, exit), 1),
    exitLow: ta.shift(ta.lowest(bars.low, exit), 1),
  }),
  signal: (i, { entryHigh, entryLow, exitHigh, exitLow }, bars, _params, position) => {
    const close = bars.close[i]!;
    if (close > entryHigh[i]!) return 'long';
    if (close < entryLow[i]!) return 'short';
    if (position === 'long' && close < exitLow[i]!) return 'exit';
    if (position === 'short' && close > exitHigh[i]!) return 'exit';
    return null;
  },
});
