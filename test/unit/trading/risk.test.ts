import { describe, expect, it } from '@jest/globals';
import { ENTER_LONG, ENTER_SHORT, EXIT } from '@shared/backtest/decide';
import { planDecision, type TradeDecision } from '@shared/trading/orders';
import {
  INITIAL_RISK_STATE,
  judgeDecision,
  observeEquity,
  type RiskSnapshot,
  recordOrders,
  resumeTrading,
} from '@shared/trading/risk';
import { RiskLimitsSchema, TradingSettingsSchema } from '@shared/trading/settings';
import { TradingHaltedSchema } from '../../../events/catalog';

const T0 = Date.parse('2024-03-01T10:00:00Z');
const context = { strategyId: 'sma-cross(fast=10,slow=30)', symbol: 'BTC/USDT', barTime: T0 };
const enterLong = planDecision(ENTER_LONG, { ...context, positionAmount: 0 }) as TradeDecision;
const reversal = planDecision(ENTER_SHORT, { ...context, positionAmount: 0.2 }) as TradeDecision;
const exit = planDecision(EXIT, { ...context, positionAmount: 0.2 }) as TradeDecision;
const snapshot: RiskSnapshot = { now: T0, openOrders: 0, equity: 10_000, price: 50_000 };

describe('risk limits judge each decision', () => {
  it('let every decision through when no limit is set', () => {
    for (const decision of [enterLong, reversal, exit]) {
      expect(judgeDecision(decision, snapshot, INITIAL_RISK_STATE, {})).toBeUndefined();
    }
  });

  it('refuse an entry that could trade more than the maximum order notional', () => {
    expect(judgeDecision(enterLong, snapshot, INITIAL_RISK_STATE, { maxOrderNotional: 5_000 })).toEqual({
      code: 'max-order-notional',
      reason: expect.stringContaining('maximum per order is 5000'),
    });
    expect(
      judgeDecision(enterLong, snapshot, INITIAL_RISK_STATE, { maxOrderNotional: 10_000 }),
    ).toBeUndefined();
  });

  it('refuse an entry whose position could be worth more than the maximum position notional', () => {
    expect(judgeDecision(enterLong, snapshot, INITIAL_RISK_STATE, { maxPositionNotional: 9_999 })?.code).toBe(
      'max-position-notional',
    );
    expect(
      judgeDecision(enterLong, snapshot, INITIAL_RISK_STATE, { maxPositionNotional: 10_000 }),
    ).toBeUndefined();
  });

  it('judge a reversal once, by its entry, and never hold an exit to the notional limits', () => {
    const limits = { maxOrderNotional: 5_000, maxPositionNotional: 5_000 };
    expect(judgeDecision(reversal, snapshot, INITIAL_RISK_STATE, limits)?.code).toBe('max-order-notional');
    expect(judgeDecision(exit, snapshot, INITIAL_RISK_STATE, limits)).toBeUndefined();
  });

  it('refuse a decision while the maximum number of orders is open', () => {
    const limits = { maxOpenOrders: 2 };
    expect(
      judgeDecision(reversal, { ...snapshot, openOrders: 1 }, INITIAL_RISK_STATE, limits),
    ).toBeUndefined();
    expect(judgeDecision(exit, { ...snapshot, openOrders: 2 }, INITIAL_RISK_STATE, limits)).toEqual({
      code: 'max-open-orders',
      reason: '2 orders are open; the maximum is 2',
    });
  });

  it('refuse a decision too soon after the last one that placed orders', () => {
    const limits = { minSecondsBetweenOrders: 60 };
    const state = recordOrders(INITIAL_RISK_STATE, T0);
    expect(judgeDecision(enterLong, { ...snapshot, now: T0 + 59_000 }, state, limits)).toEqual({
      code: 'min-time-between-orders',
      reason: 'only 59s since the last order; the minimum is 60s',
    });
    expect(judgeDecision(enterLong, { ...snapshot, now: T0 + 60_000 }, state, limits)).toBeUndefined();
  });
});

describe('the daily-loss kill switch', () => {
  const limits = { maxDailyLoss: 500 };

  it('trips when the loss since the start of the UTC day reaches the limit, and announces it once', () => {
    let { state } = observeEquity(INITIAL_RISK_STATE, T0, 10_000, limits);
    const below = observeEquity(state, T0 + 3_600_000, 9_501, limits);
    expect(below.halted).toBeUndefined();
    const tripped = observeEquity(below.state, T0 + 7_200_000, 9_500, limits);
    expect(tripped.halted).toMatchObject({ haltedAt: T0 + 7_200_000, dailyLoss: 500, maxDailyLoss: 500 });
    expect(
      TradingHaltedSchema.safeParse({ ...tripped.halted, strategyId: context.strategyId, market: 'BTC/USDT' })
        .success,
    ).toBe(true);
    const again = observeEquity(tripped.state, T0 + 7_300_000, 9_000, limits);
    expect(again.halted).toBeUndefined();
    state = again.state;
    expect(state.halt).not.toBeNull();
  });

  it('halts every decision, exits included, across days until an explicit resume', () => {
    const tripped = observeEquity(
      observeEquity(INITIAL_RISK_STATE, T0, 10_000, limits).state,
      T0 + 1,
      9_000,
      limits,
    );
    const nextDay = observeEquity(tripped.state, T0 + 86_400_000, 9_000, limits).state;
    for (const decision of [enterLong, reversal, exit]) {
      expect(judgeDecision(decision, { ...snapshot, now: T0 + 86_400_000 }, nextDay, limits)?.code).toBe(
        'trading-halted',
      );
    }
    const resumed = resumeTrading(nextDay);
    expect(judgeDecision(exit, snapshot, resumed, limits)).toBeUndefined();
    // The loss is measured again from the equity at resume, so it does not trip at once.
    expect(observeEquity(resumed, T0 + 86_400_001, 9_000, limits).halted).toBeUndefined();
  });

  it('measures each UTC day from its own opening equity', () => {
    const day1 = observeEquity(INITIAL_RISK_STATE, T0, 10_000, limits).state;
    const lateDay1 = observeEquity(day1, T0 + 3_600_000, 9_600, limits);
    const day2 = observeEquity(lateDay1.state, T0 + 86_400_000, 9_600, limits);
    expect(day2.halted).toBeUndefined();
    expect(observeEquity(day2.state, T0 + 86_400_000 + 1, 9_150, limits).halted).toBeUndefined();
    expect(observeEquity(day2.state, T0 + 86_400_000 + 2, 9_100, limits).halted).toBeDefined();
  });
});

describe('trading settings', () => {
  it('default to paper trading with no limits', () => {
    expect(TradingSettingsSchema.parse({})).toEqual({ mode: 'paper', risk: {} });
  });

  it('reject a limit that makes no sense, naming it', () => {
    const result = RiskLimitsSchema.safeParse({ maxOpenOrders: 0 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['maxOpenOrders']);
    expect(RiskLimitsSchema.safeParse({ maxDailyLoss: 100, typo: 1 }).success).toBe(false);
  });
});
