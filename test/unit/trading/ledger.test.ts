import { describe, expect, it } from '@jest/globals';
import { type Fill, PositionLedger } from '@shared/trading/ledger';

const fill = (overrides: Partial<Fill>): Fill => ({
  strategyId: 'a',
  symbol: 'BTC/USDT',
  clientOrderId: 'id',
  side: 'buy',
  amount: 1,
  price: 100,
  fee: 0.2,
  time: 1,
  reason: 'order',
  ...overrides,
});

describe('positions and PnL per strategy, from fills', () => {
  it('closes a round trip net of both fees, as the backtest counts a trade', () => {
    const ledger = new PositionLedger();
    ledger.apply(fill({ amount: 2, price: 100, fee: 0.4, time: 1 }));
    const trip = ledger.apply(fill({ side: 'sell', amount: 2, price: 110, fee: 0.44, time: 2 }));
    expect(trip).toEqual({
      strategyId: 'a',
      symbol: 'BTC/USDT',
      side: 'long',
      size: 2,
      entryTime: 1,
      exitTime: 2,
      entryPrice: 100,
      exitPrice: 110,
      pnl: 2 * 10 - 0.4 - 0.44,
      returnPct: ((2 * 10 - 0.4 - 0.44) / 200) * 100,
      commission: 0.4 + 0.44,
      exitReason: 'signal',
    });
    expect(ledger.position('a', 'BTC/USDT')).toMatchObject({
      amount: 0,
      realizedPnl: 2 * 10 - 0.4 - 0.44,
      fees: 0.4 + 0.44,
    });
    expect(ledger.fees()).toBeCloseTo(0.84, 12);
  });

  it('keeps strategies apart, charges a partial close its share of the entry fee, and flips on an oversized fill', () => {
    const ledger = new PositionLedger();
    ledger.apply(fill({ amount: 4, price: 100, fee: 0.8 }));
    ledger.apply(fill({ strategyId: 'b', side: 'sell', amount: 1, price: 100, fee: 0.2 }));
    const partial = ledger.apply(fill({ side: 'sell', amount: 1, price: 90, fee: 0.18, time: 2 }));
    expect(partial?.pnl).toBeCloseTo(-10 - 0.2 - 0.18, 12);
    const flip = ledger.apply(
      fill({ side: 'sell', amount: 5, price: 95, fee: 0.95, time: 3, reason: 'stop-loss' }),
    );
    expect(flip).toMatchObject({ side: 'long', size: 3, exitReason: 'stop-loss' });
    expect(flip?.pnl).toBeCloseTo(3 * -5 - 0.6 - 0.57, 12);
    expect(ledger.position('a', 'BTC/USDT')).toMatchObject({ amount: -2, entryPrice: 95, entryTime: 3 });
    expect(ledger.position('a', 'BTC/USDT')?.entryFee).toBeCloseTo(0.38, 12);
    expect(ledger.position('b', 'BTC/USDT')).toMatchObject({ amount: -1, realizedPnl: 0 });
    expect(ledger.markOpen('a', 'BTC/USDT', 90, 4)).toMatchObject({
      side: 'short',
      size: -2,
      exitReason: 'end',
    });
    expect(ledger.markOpen('a', 'BTC/USDT', 90, 4)?.pnl).toBeCloseTo(-2 * (90 - 95) - 0.38, 12);
  });

  it('averages the entry price of a position added to', () => {
    const ledger = new PositionLedger();
    ledger.apply(fill({ amount: 1, price: 100 }));
    ledger.apply(fill({ amount: 3, price: 120 }));
    expect(ledger.position('a', 'BTC/USDT')).toMatchObject({ amount: 4, entryPrice: 115 });
  });
});
