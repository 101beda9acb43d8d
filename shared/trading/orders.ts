import { createHash } from 'node:crypto';
import { ENTER_LONG, ENTER_SHORT, EXIT, type OrderIntent } from '../backtest/decide';
import type { OrderSide, OrderSize, Protection } from '../ports/broker';
import type { ParamSpecs, ParamValues } from '../strategies/api';

/** Which part of a decision a leg is: `close` reduces the position held, `open` enters the new one. */
export type LegRole = 'close' | 'open';

/** One order of a decision. */
export interface OrderLeg {
  readonly role: LegRole;
  readonly side: OrderSide;
  readonly size: OrderSize;
  /** Deterministic: the same strategy, market, bar, side and leg always give the same id. */
  readonly clientOrderId: string;
  readonly reduceOnly: boolean;
  readonly protection?: Protection;
}

/** What a decision does: go long, go short or exit. */
export type DecisionAction = 'long' | 'short' | 'exit';

/**
 * One decision of one strategy on one closed bar, as a unit: a reversal is one decision with two legs (close
 * the long, open the short), and risk limits judge the decision, not its legs.
 */
export interface TradeDecision {
  readonly strategyId: string;
  readonly symbol: string;
  /** Open time of the closed bar the decision was taken on, epoch ms. */
  readonly barTime: number;
  readonly action: DecisionAction;
  /** Legs in the order they must be placed (close before open). */
  readonly legs: readonly OrderLeg[];
}

/** The id of a strategy with its parameters, stable across runs: what makes a client order id unique. */
export function strategyIdentity(name: string, params: ParamValues<ParamSpecs>): string {
  const sorted = Object.keys(params)
    .sort()
    .map((key) => `${key}=${String(params[key])}`)
    .join(',');
  return `${name}(${sorted})`;
}

/**
 * A deterministic client order id: `fw` and 30 hex digits of a SHA-256 over (strategy, market, bar, side, leg).
 * 32 letters and digits fit every major exchange's client id rules (Binance 36, OKX 32 alphanumeric).
 */
export function clientOrderId(
  strategyId: string,
  symbol: string,
  barTime: number,
  side: OrderSide,
  role: LegRole,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([strategyId, symbol, barTime, side, role]))
    .digest('hex');
  return `fw${digest.slice(0, 30)}`;
}

/** Where the decision is taken: who decides, on which market and bar, and the exits an entry carries. */
export interface DecisionContext {
  readonly strategyId: string;
  readonly symbol: string;
  readonly barTime: number;
  /** Signed base units held at the bar's close. */
  readonly positionAmount: number;
  readonly protection?: Protection;
}

/**
 * Turns an order intent into a decision with legs, or undefined for HOLD. An entry spends all funds, as the
 * backtest sizes it; a close sells or buys back exactly the amount held.
 */
export function planDecision(intent: OrderIntent, context: DecisionContext): TradeDecision | undefined {
  if (intent !== ENTER_LONG && intent !== ENTER_SHORT && intent !== EXIT) return undefined;
  const { strategyId, symbol, barTime, positionAmount } = context;
  const legs: OrderLeg[] = [];
  const direction = intent === EXIT ? 0 : intent;
  if (positionAmount !== 0 && (intent === EXIT || direction * positionAmount < 0)) {
    const side: OrderSide = positionAmount > 0 ? 'sell' : 'buy';
    legs.push({
      role: 'close',
      side,
      size: { kind: 'base', amount: Math.abs(positionAmount) },
      clientOrderId: clientOrderId(strategyId, symbol, barTime, side, 'close'),
      reduceOnly: true,
    });
  }
  if (intent !== EXIT) {
    const side: OrderSide = intent === ENTER_LONG ? 'buy' : 'sell';
    const protection = context.protection;
    legs.push({
      role: 'open',
      side,
      size: { kind: 'all-funds' },
      clientOrderId: clientOrderId(strategyId, symbol, barTime, side, 'open'),
      reduceOnly: false,
      ...(protection && (protection.stopLossPct !== undefined || protection.takeProfitPct !== undefined)
        ? { protection }
        : {}),
    });
  }
  if (legs.length === 0) return undefined;
  const action: DecisionAction = intent === EXIT ? 'exit' : intent === ENTER_LONG ? 'long' : 'short';
  return { strategyId, symbol, barTime, action, legs };
}
