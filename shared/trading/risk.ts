import type { OrderSize } from '../ports/broker';
import type { TradeDecision } from './orders';
import type { RiskLimits } from './settings';

const DAY_MS = 86_400_000;

/** Why trading stopped: the day's loss reached the limit. */
export interface Halt {
  readonly haltedAt: number;
  readonly reason: string;
  /** Loss since the start of the UTC day when the switch tripped, in quote currency. */
  readonly dailyLoss: number;
  readonly maxDailyLoss: number;
}

/** What risk control remembers between decisions; plain data, so it can be stored and restored. */
export interface RiskState {
  /** Set by the kill switch; only resumeTrading clears it. */
  readonly halt: Halt | null;
  /** When the last decision placed orders. */
  readonly lastOrderAt: number | null;
  /** The UTC day being measured (epoch ms of its midnight) and the equity it started with. */
  readonly day: { readonly start: number; readonly openingEquity: number } | null;
}

/** Risk state before any trading. */
export const INITIAL_RISK_STATE: RiskState = { halt: null, lastOrderAt: null, day: null };

/** Why a decision was refused. */
export type RefusalCode =
  | 'trading-halted'
  | 'min-time-between-orders'
  | 'max-open-orders'
  | 'max-order-notional'
  | 'max-position-notional';

/** A refused decision: a code to count by and a sentence to record. */
export interface Refusal {
  readonly code: RefusalCode;
  readonly reason: string;
}

/** What the account looks like when a decision is judged. */
export interface RiskSnapshot {
  readonly now: number;
  /** Orders not yet filled or canceled, on this account. */
  readonly openOrders: number;
  /** Equity (cash plus positions at the last close), in quote: what an all-funds entry can spend at most. */
  readonly equity: number;
  /** Last close of the market, to value base amounts. */
  readonly price: number;
}

/** What an order of this size can trade at most, in quote currency. */
export function orderNotional(size: OrderSize, snapshot: Pick<RiskSnapshot, 'equity' | 'price'>): number {
  if (size.kind === 'base') return size.amount * snapshot.price;
  if (size.kind === 'quote') return size.amount;
  return Math.max(0, snapshot.equity);
}

/**
 * Judges one decision as a unit (a reversal's two legs together), before any leg is placed. Entries are held to
 * the notional limits by their opening leg, the worst case; exits only reduce exposure, so only the halt, the
 * pacing and the open-order limits apply to them. Returns the refusal, or undefined when the decision may go.
 */
export function judgeDecision(
  decision: TradeDecision,
  snapshot: RiskSnapshot,
  state: RiskState,
  limits: RiskLimits,
): Refusal | undefined {
  if (state.halt) {
    return {
      code: 'trading-halted',
      reason: `trading is halted since ${new Date(state.halt.haltedAt).toISOString()} (${state.halt.reason}); run \`flywheel trading resume\` to trade again`,
    };
  }
  if (limits.minSecondsBetweenOrders !== undefined && state.lastOrderAt !== null) {
    const waited = snapshot.now - state.lastOrderAt;
    if (waited < limits.minSecondsBetweenOrders * 1000) {
      return {
        code: 'min-time-between-orders',
        reason: `only ${waited / 1000}s since the last order; the minimum is ${limits.minSecondsBetweenOrders}s`,
      };
    }
  }
  if (limits.maxOpenOrders !== undefined && snapshot.openOrders >= limits.maxOpenOrders) {
    return {
      code: 'max-open-orders',
      reason: `${snapshot.openOrders} orders are open; the maximum is ${limits.maxOpenOrders}`,
    };
  }
  const entry = decision.legs.find((leg) => leg.role === 'open');
  if (entry) {
    const notional = orderNotional(entry.size, snapshot);
    if (limits.maxOrderNotional !== undefined && notional > limits.maxOrderNotional) {
      return {
        code: 'max-order-notional',
        reason: `the ${decision.action} entry would trade up to ${notional.toFixed(2)}; the maximum per order is ${limits.maxOrderNotional}`,
      };
    }
    // The close leg (if any) flattens first, so the position left is the entry alone.
    if (limits.maxPositionNotional !== undefined && notional > limits.maxPositionNotional) {
      return {
        code: 'max-position-notional',
        reason: `the ${decision.action} position would be worth up to ${notional.toFixed(2)}; the maximum is ${limits.maxPositionNotional}`,
      };
    }
  }
  return undefined;
}

/** Remembers that a decision placed orders at `now`, for the minimum time between orders. */
export function recordOrders(state: RiskState, now: number): RiskState {
  return { ...state, lastOrderAt: now };
}

/**
 * Tracks the day's loss from the equity seen at `now` and trips the kill switch when it reaches the limit.
 * Returns the new state and, only on the observation that trips it, the halt to announce (TradingHalted).
 */
export function observeEquity(
  state: RiskState,
  now: number,
  equity: number,
  limits: RiskLimits,
): { state: RiskState; halted?: Halt } {
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const day =
    state.day && state.day.start === dayStart ? state.day : { start: dayStart, openingEquity: equity };
  const next: RiskState = day === state.day ? state : { ...state, day };
  if (state.halt || limits.maxDailyLoss === undefined) return { state: next };
  const dailyLoss = day.openingEquity - equity;
  if (dailyLoss < limits.maxDailyLoss) return { state: next };
  const halt: Halt = {
    haltedAt: now,
    reason: `the loss since the start of the UTC day (${dailyLoss.toFixed(2)}) reached the maximum daily loss (${limits.maxDailyLoss})`,
    dailyLoss,
    maxDailyLoss: limits.maxDailyLoss,
  };
  return { state: { ...next, halt }, halted: halt };
}

/** Lifts a halt on an explicit resume; the day's loss is measured again from the next equity seen. */
export function resumeTrading(state: RiskState): RiskState {
  return { ...state, halt: null, day: null };
}
