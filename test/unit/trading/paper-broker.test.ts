import { describe, expect, it } from '@jest/globals';
import { type MarketConstraints, OrderNotFoundError, OrderRejectedError } from '@shared/ports/broker';
import { type PaperBar, PaperBroker } from '@shared/trading/paper-broker';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const HOUR = 3_600_000;
const SPOT: MarketConstraints = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', shortable: false };
const MARGIN: MarketConstraints = { ...SPOT, shortable: true };

function broker(market: MarketConstraints = MARGIN, overrides: { fractional?: boolean; cash?: number } = {}) {
  let now = T0;
  const paper = new PaperBroker(
    {
      market,
      strategyId: 'sma-cross(fast=10,slow=30)',
      cash: overrides.cash ?? 10_000,
      commission: 0.002,
      spread: 0.001,
      slippageBps: 10,
      fractional: overrides.fractional ?? false,
    },
    { now: () => now },
  );
  let hour = 0;
  const bar = (open: number, high: number, low: number, close: number): PaperBar => {
    hour++;
    now = T0 + hour * HOUR;
    return { time: now, open, high, low, close };
  };
  return { paper, bar };
}

describe('PaperBroker fills like the backtest', () => {
  it('fills a market order at the next bar open with spread, slippage and commission, sized from cash', async () => {
    const { paper, bar } = broker();
    const placed = await paper.placeMarketOrder({
      clientOrderId: 'entry',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'all-funds' },
    });
    expect(placed).toMatchObject({ status: 'open', filled: 0, averagePrice: null });

    const fills = paper.onBar(bar(100, 105, 99, 104));
    // 100 × 1.001 spread × 1.001 slippage; floor(10000 / (price × 1.002)) whole units.
    expect(fills).toEqual([
      expect.objectContaining({
        side: 'buy',
        amount: 99,
        price: 100.20009999999998,
        fee: 19.839619799999998,
        reason: 'order',
      }),
    ]);
    expect(await paper.fetchOrder('BTC/USDT', 'entry')).toMatchObject({
      status: 'filled',
      filled: 99,
      averagePrice: 100.20009999999998,
      fee: 19.839619799999998,
      filledAt: T0 + HOUR,
    });
    expect(await paper.balances()).toEqual({
      USDT: { free: 60.350480200002494, total: 60.350480200002494 },
      BTC: { free: 99, total: 99 },
    });

    await paper.placeMarketOrder({
      clientOrderId: 'exit',
      symbol: 'BTC/USDT',
      side: 'sell',
      size: { kind: 'base', amount: 99 },
      reduceOnly: true,
    });
    const exit = paper.onBar(bar(110, 111, 108, 109));
    // Exits pay slippage only: 110 × 0.999, commission on 99 × 109.89.
    expect(exit).toEqual([
      expect.objectContaining({ side: 'sell', amount: 99, price: 109.89, fee: 21.75822 }),
    ]);
    expect(paper.equity(109)).toBe(10_917.702260200003);
    expect(await paper.position('BTC/USDT')).toEqual({ symbol: 'BTC/USDT', amount: 0 });
  });

  it('places an order once per client order id, however often it is retried', async () => {
    const { paper, bar } = broker();
    const request = {
      clientOrderId: 'same',
      symbol: 'BTC/USDT',
      side: 'buy' as const,
      size: { kind: 'all-funds' as const },
    };
    const first = await paper.placeMarketOrder(request);
    const retry = await paper.placeMarketOrder(request);
    expect(retry).toEqual(first);
    expect(await paper.openOrders()).toHaveLength(1);
    expect(paper.onBar(bar(100, 100, 100, 100))).toHaveLength(1);
    expect(await paper.placeMarketOrder(request)).toMatchObject({ status: 'filled', filled: 99 });
    expect(paper.onBar(bar(100, 100, 100, 100))).toEqual([]);
  });

  it('cancels an open order so it never fills, and says when there is no such order', async () => {
    const { paper, bar } = broker();
    await paper.placeMarketOrder({
      clientOrderId: 'c1',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'quote', amount: 500 },
    });
    expect(await paper.cancelOrder('BTC/USDT', 'c1')).toMatchObject({ status: 'canceled', filled: 0 });
    expect(paper.onBar(bar(100, 100, 100, 100))).toEqual([]);
    expect(await paper.openOrders()).toEqual([]);
    await expect(paper.cancelOrder('BTC/USDT', 'nope')).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('sizes a quote-sized order within its budget and rounds fractional sizes to the lot step', async () => {
    const { paper, bar } = broker({ ...MARGIN, lotStep: 0.01 }, { fractional: true });
    await paper.placeMarketOrder({
      clientOrderId: 'q',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'quote', amount: 500 },
    });
    // 500 / (100.2001 × 1.002) = 4.98 lots of 0.01 after rounding down.
    expect(paper.onBar(bar(100, 100, 100, 100))).toEqual([expect.objectContaining({ amount: 4.98 })]);
  });

  it('refuses to open a short on a spot market but sells what is held', async () => {
    const { paper, bar } = broker(SPOT);
    await expect(
      paper.placeMarketOrder({
        clientOrderId: 's',
        symbol: 'BTC/USDT',
        side: 'sell',
        size: { kind: 'all-funds' },
      }),
    ).rejects.toBeInstanceOf(OrderRejectedError);
    await paper.placeMarketOrder({
      clientOrderId: 'b',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 10 },
    });
    paper.onBar(bar(100, 100, 100, 100));
    await paper.placeMarketOrder({
      clientOrderId: 'x',
      symbol: 'BTC/USDT',
      side: 'sell',
      size: { kind: 'base', amount: 10 },
      reduceOnly: true,
    });
    expect(paper.onBar(bar(100, 100, 100, 100))).toEqual([
      expect.objectContaining({ side: 'sell', amount: 10 }),
    ]);
  });

  it('rejects an entry it cannot pay for', async () => {
    const { paper, bar } = broker(MARGIN, { cash: 50 });
    await paper.placeMarketOrder({
      clientOrderId: 'poor',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'all-funds' },
    });
    expect(paper.onBar(bar(100, 100, 100, 100))).toEqual([]);
    expect(await paper.fetchOrder('BTC/USDT', 'poor')).toMatchObject({ status: 'rejected', filled: 0 });
  });

  it('opens a short with the cash it would take to buy, and credits the proceeds', async () => {
    const { paper, bar } = broker();
    await paper.placeMarketOrder({
      clientOrderId: 'short',
      symbol: 'BTC/USDT',
      side: 'sell',
      size: { kind: 'all-funds' },
    });
    // Shorts get the spread and slippage the other way: 100 × 0.999 × 0.999.
    expect(paper.onBar(bar(100, 100, 100, 100))).toEqual([
      expect.objectContaining({ side: 'sell', amount: 100, price: 99.8001, fee: 19.96002 }),
    ]);
    expect(await paper.position('BTC/USDT')).toEqual({ symbol: 'BTC/USDT', amount: -100 });
    expect(paper.equity(99.8001)).toBeCloseTo(10_000 - 19.96002, 9);
  });
});

describe('PaperBroker protective exits and liquidation', () => {
  it('fills a stop-loss gapped through at the open, before any take-profit', async () => {
    const { paper, bar } = broker();
    await paper.placeMarketOrder({
      clientOrderId: 'e',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'all-funds' },
      protection: { stopLossPct: 5, takeProfitPct: 5 },
    });
    paper.onBar(bar(100, 101, 99, 100));
    expect(paper.onBar(bar(90, 120, 85, 110))).toEqual([
      expect.objectContaining({
        clientOrderId: 'esl',
        side: 'sell',
        amount: 99,
        price: 89.91,
        reason: 'stop-loss',
      }),
    ]);
  });

  it('fills a take-profit touched within the bar at its level', async () => {
    const { paper, bar } = broker();
    await paper.placeMarketOrder({
      clientOrderId: 'e',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'all-funds' },
      protection: { takeProfitPct: 5 },
    });
    paper.onBar(bar(100, 101, 99, 100));
    expect(paper.onBar(bar(101, 106, 100, 104))).toEqual([
      // Level 100.2001 × 1.05, less the exit slippage.
      expect.objectContaining({ price: 100.20009999999998 * 1.05 * (1 - 0.001), reason: 'take-profit' }),
    ]);
  });

  it('liquidates a short at the close on which equity is gone, and trades nothing more', async () => {
    const { paper, bar } = broker();
    await paper.placeMarketOrder({
      clientOrderId: 's',
      symbol: 'BTC/USDT',
      side: 'sell',
      size: { kind: 'all-funds' },
    });
    paper.onBar(bar(100, 100, 100, 100));
    expect(paper.onBar(bar(150, 260, 150, 250))).toEqual([
      expect.objectContaining({ side: 'buy', amount: 100, price: 250 * 1.001, reason: 'liquidated' }),
    ]);
    expect(paper.equity(250)).toBe(0);
    await paper.placeMarketOrder({
      clientOrderId: 'again',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'all-funds' },
    });
    expect(paper.onBar(bar(250, 250, 250, 250))).toEqual([]);
  });
});
