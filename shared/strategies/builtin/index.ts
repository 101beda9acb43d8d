import type { Strategy } from '../api';
import { bollingerBreakout } from './bollinger-breakout';
import { donchianBreakout } from './donchian-breakout';
import { emaCross } from './ema-cross';
import { macdCross } from './macd-cross';
import { rsiReversion } from './rsi-reversion';
import { smaCross } from './sma-cross';

/** Every built-in strategy, in the order `flywheel strategies` lists them. */
export const builtinStrategies: readonly Strategy[] = [
  smaCross,
  emaCross,
  rsiReversion,
  bollingerBreakout,
  donchianBreakout,
  macdCross,
];

/** The built-in strategy with this name, or undefined. */
export function findBuiltinStrategy(name: string): Strategy | undefined {
  return builtinStrategies.find((strategy) => strategy.name === name);
}
