/**
 * A worked example of a user strategy (the README walks through it):
 *   npx flywheel backtest --data data/ohlcv/GOOG.csv --strategy ./examples/my-strategy.ts --param trend=100
 *
 * A strategy module default-exports a plain object. The only import is a type, which disappears at run time,
 * so a strategy file works anywhere on disk; inside this repository you may also import helpers such as
 * crossAbove from @shared/strategies/api (`@shared` is the repository's shared/ folder).
 */
import type { Strategy } from '@shared/strategies/api';

const params = {
  trend: { type: 'int', default: 50, min: 2, description: 'EMA period that defines the trend' },
  period: { type: 'int', default: 14, min: 2, description: 'RSI period' },
  entry: {
    type: 'number',
    default: 55,
    min: 0,
    max: 100,
    description: 'Enter when RSI rises through this level',
  },
} as const;

type Indicators = { trend: Float64Array; rsi: Float64Array };

const trendPullback: Strategy<typeof params, Indicators> = {
  name: 'trend-pullback',
  description:
    'Long when the close is above its trend EMA and RSI rises through the entry level; exit below the EMA.',
  params,
  // Indicators come from `ta`, which caches them: a parameter sweep computes each one once.
  indicators: (bars, p, ta) => ({ trend: ta.ema(bars.close, p.trend), rsi: ta.rsi(bars.close, p.period) }),
  // Decide on bar i with data up to its close; the engine fills at the next bar's open.
  signal: (i, { trend, rsi }, bars, p) => {
    const close = bars.close[i]!;
    if (close < trend[i]!) return 'exit';
    const risingThroughEntry = rsi[i - 1]! < p.entry && rsi[i]! >= p.entry;
    return risingThroughEntry ? 'long' : null;
  },
};

export default trendPullback;
