import { describe, expect, it } from '@jest/globals';
import { ENTER_LONG, ENTER_SHORT, EXIT, HOLD } from '@shared/backtest/decide';
import { clientOrderId, planDecision, strategyIdentity } from '@shared/trading/orders';

const context = {
  strategyId: strategyIdentity('sma-cross', { slow: 30, fast: 10 }),
  symbol: 'BTC/USDT',
  barTime: Date.parse('2024-03-01T10:00:00Z'),
};

describe('decisions become orders with legs', () => {
  it('enters from flat with one leg spending all funds, carrying the protective exits', () => {
    const decision = planDecision(ENTER_LONG, {
      ...context,
      positionAmount: 0,
      protection: { stopLossPct: 2 },
    });
    expect(decision?.action).toBe('long');
    expect(decision?.legs).toEqual([
      expect.objectContaining({
        role: 'open',
        side: 'buy',
        size: { kind: 'all-funds' },
        reduceOnly: false,
        protection: { stopLossPct: 2 },
      }),
    ]);
  });

  it('reverses a long into a short as one decision with two legs, closing first', () => {
    const decision = planDecision(ENTER_SHORT, { ...context, positionAmount: 1.5 });
    expect(decision?.action).toBe('short');
    expect(decision?.legs.map((leg) => [leg.role, leg.side, leg.size, leg.reduceOnly])).toEqual([
      ['close', 'sell', { kind: 'base', amount: 1.5 }, true],
      ['open', 'sell', { kind: 'all-funds' }, false],
    ]);
    expect(new Set(decision?.legs.map((leg) => leg.clientOrderId)).size).toBe(2);
  });

  it('exits a short by buying back exactly the amount held', () => {
    const decision = planDecision(EXIT, { ...context, positionAmount: -2 });
    expect(decision?.legs).toEqual([
      expect.objectContaining({
        role: 'close',
        side: 'buy',
        size: { kind: 'base', amount: 2 },
        reduceOnly: true,
      }),
    ]);
  });

  it('places nothing for a hold or an exit while flat', () => {
    expect(planDecision(HOLD, { ...context, positionAmount: 1 })).toBeUndefined();
    expect(planDecision(EXIT, { ...context, positionAmount: 0 })).toBeUndefined();
  });
});

describe('client order ids', () => {
  it('are the same for the same strategy, market, bar, side and leg, so a retry never orders twice', () => {
    const first = planDecision(ENTER_SHORT, { ...context, positionAmount: 1 });
    const retry = planDecision(ENTER_SHORT, { ...context, positionAmount: 1 });
    expect(retry?.legs.map((leg) => leg.clientOrderId)).toEqual(first?.legs.map((leg) => leg.clientOrderId));
  });

  it('differ when any part differs, and fit exchange rules (32 letters and digits)', () => {
    const base = clientOrderId(context.strategyId, 'BTC/USDT', context.barTime, 'buy', 'open');
    const variants = [
      clientOrderId(
        strategyIdentity('sma-cross', { slow: 30, fast: 11 }),
        'BTC/USDT',
        context.barTime,
        'buy',
        'open',
      ),
      clientOrderId(context.strategyId, 'ETH/USDT', context.barTime, 'buy', 'open'),
      clientOrderId(context.strategyId, 'BTC/USDT', context.barTime + 3_600_000, 'buy', 'open'),
      clientOrderId(context.strategyId, 'BTC/USDT', context.barTime, 'sell', 'open'),
      clientOrderId(context.strategyId, 'BTC/USDT', context.barTime, 'buy', 'close'),
    ];
    expect(new Set([base, ...variants]).size).toBe(6);
    for (const id of [base, ...variants]) expect(id).toMatch(/^fw[0-9a-f]{30}$/);
  });

  it('name a strategy by its parameters whatever their order', () => {
    expect(strategyIdentity('sma-cross', { fast: 10, slow: 30 })).toBe(
      strategyIdentity('sma-cross', { slow: 30, fast: 10 }),
    );
  });
});
