import { describe, expect, it } from '@jest/globals';
import type { MarketConstraints } from '@shared/ports/broker';
import type { Fill } from '@shared/trading/ledger';
import { type PaperAccountSnapshot, type PaperBar, PaperBroker } from '@shared/trading/paper-broker';

const MARKET: MarketConstraints = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', shortable: true };
const SETTINGS = {
  market: MARKET,
  strategyId: 'sma-cross(fast=10,slow=30)',
  cash: 10_000,
  commission: 0.001,
  spread: 0.0005,
  slippageBps: 5,
  fractional: true,
};
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1);

function bar(i: number, open: number, high: number, low: number, close: number): PaperBar {
  return { time: T0 + i * HOUR, open, high, low, close };
}

describe('a PaperBroker snapshot', () => {
  it('restores an account that continues with identical fills: queued orders, resting exits, cash and position', async () => {
    // Prepare: a long entry with a stop-loss and take-profit fills, then a reversal is queued.
    const clock = { now: () => T0 };
    const original = new PaperBroker(SETTINGS, clock);
    await original.placeMarketOrder({
      clientOrderId: 'fwentry',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'all-funds' },
      protection: { stopLossPct: 5, takeProfitPct: 8 },
    });
    original.onBar(bar(1, 100, 101, 99, 100.5));
    await original.placeMarketOrder({
      clientOrderId: 'fwclose',
      symbol: 'BTC/USDT',
      side: 'sell',
      size: { kind: 'base', amount: 40 },
      reduceOnly: true,
    });
    // Act: the snapshot travels as JSON, as the trading-state table stores it.
    const snapshot = JSON.parse(JSON.stringify(original.snapshot())) as PaperAccountSnapshot;
    const restored = new PaperBroker(SETTINGS, clock);
    restored.restore(snapshot);
    const rest = [bar(2, 101, 102, 100, 101), bar(3, 101, 110, 100, 109), bar(4, 109, 115, 108, 113)];
    const play = async (broker: PaperBroker) => {
      const fills: Fill[] = [];
      for (const [index, next] of rest.entries()) {
        fills.push(...broker.onBar(next));
        if (index === 1) {
          await broker.placeMarketOrder({
            clientOrderId: 'fwshort',
            symbol: 'BTC/USDT',
            side: 'sell',
            size: { kind: 'all-funds' },
            protection: { stopLossPct: 3 },
          });
        }
      }
      return {
        fills,
        equity: broker.equity(113),
        open: await broker.openOrders(),
        order: await broker.fetchOrder('BTC/USDT', 'fwentry'),
      };
    };
    const expected = await play(original);
    const actual = await play(restored);
    // Assess
    expect(expected.fills.map((fill) => fill.reason)).toEqual(['order', 'take-profit', 'order', 'stop-loss']);
    expect(actual).toEqual(expected);
    expect(snapshot.stopLevel).toBeCloseTo(100.05 * 0.95, 0);
  });

  it('answers a retried order from the snapshot instead of placing it again', async () => {
    // Prepare
    const clock = { now: () => T0 };
    const original = new PaperBroker(SETTINGS, clock);
    const placed = await original.placeMarketOrder({
      clientOrderId: 'fwentry',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'all-funds' },
    });
    const restored = new PaperBroker(SETTINGS, clock);
    restored.restore(original.snapshot());
    // Act
    const retried = await restored.placeMarketOrder({
      clientOrderId: 'fwentry',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'all-funds' },
    });
    const next = await restored.placeMarketOrder({
      clientOrderId: 'fwother',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'quote', amount: 10 },
    });
    // Assess
    expect(retried).toEqual(placed);
    expect(await restored.openOrders()).toHaveLength(2);
    expect(next.exchangeOrderId).toBe('paper-2');
  });
});
