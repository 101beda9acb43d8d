import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { FillRecord, OrderUpdateRecord, TradeStore } from '@shared/ports/trade-store';
import { TradeEntryError } from '@shared/ports/trade-store';
import { positionsIn } from '@shared/trade-ledger/positions';

/** A fresh, empty trade store for one test. */
export interface TradeStoreContractFixture {
  readonly store: TradeStore;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 2, 2, 10, 0, 0);
const HOUR = 3_600_000;

/** A fill of `sma-cross` on BTC/USDT, with the given changes. */
function fill(id: string, changes: Partial<FillRecord> = {}): FillRecord {
  return {
    kind: 'fill',
    id,
    strategy: 'sma-cross',
    market: 'BTC/USDT',
    side: 'buy',
    quantity: 0.5,
    price: 60_000,
    fee: 30,
    time: T0,
    source: 'paper',
    ...changes,
  };
}

const ORDER_UPDATE: OrderUpdateRecord = {
  kind: 'order-update',
  id: 'webhook:binance:u-1',
  strategy: 'sma-cross',
  market: 'BTC/USDT',
  side: 'buy',
  orderId: '8389765',
  clientOrderId: 'sma-cross-1740909600000-buy-0',
  status: 'partially-filled',
  quantity: 1,
  filledQuantity: 0.25,
  price: 59_900,
  time: T0 + 5,
  source: 'webhook:binance',
};

/**
 * The behaviour every `TradeStore` adapter shares: an entry is stored once by its id, entries of a kind list
 * newest first with filters by strategy, market and time and a limit, and positions derive from what is stored.
 */
export function describeTradeStoreContract(
  adapterName: string,
  makeFixture: () => Promise<TradeStoreContractFixture>,
): void {
  describe(`TradeStore contract: ${adapterName}`, () => {
    let fixture: TradeStoreContractFixture;
    let store: TradeStore;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('stores a fill and returns it as it was given', async () => {
      // Prepare
      const entry = fill('f-1', { orderId: '8389765', clientOrderId: 'c-1' });

      // Act
      const outcome = await store.record(entry);

      // Assess
      expect(outcome).toBe('recorded');
      expect(await store.list()).toEqual([entry]);
    });

    it('records an id once: a retried write is a duplicate and changes nothing', async () => {
      // Prepare
      await store.record(fill('f-1'));

      // Act
      const retry = await store.record(fill('f-1', { price: 1, quantity: 99 }));

      // Assess
      expect(retry).toBe('duplicate');
      expect(await store.list()).toEqual([fill('f-1')]);
    });

    it('lets exactly one of two racing writes of one id record it', async () => {
      // Act
      const outcomes = await Promise.all([store.record(fill('f-1')), store.record(fill('f-1'))]);

      // Assess
      expect([...outcomes].sort()).toEqual(['duplicate', 'recorded']);
    });

    it('lists newest first, ties by id descending, and honours the limit', async () => {
      // Prepare
      await store.record(fill('f-a', { time: T0 }));
      await store.record(fill('f-c', { time: T0 + HOUR }));
      await store.record(fill('f-b', { time: T0 + HOUR }));
      await store.record(fill('f-d', { time: T0 + 2 * HOUR }));

      // Act
      const all = await store.list();
      const two = await store.list({ limit: 2 });

      // Assess
      expect(all.map((entry) => entry.id)).toEqual(['f-d', 'f-c', 'f-b', 'f-a']);
      expect(two.map((entry) => entry.id)).toEqual(['f-d', 'f-c']);
    });

    it('filters by strategy, market and time range (bounds inclusive)', async () => {
      // Prepare
      await store.record(fill('f-1', { time: T0 }));
      await store.record(fill('f-2', { time: T0 + HOUR, market: 'ETH/USDT' }));
      await store.record(fill('f-3', { time: T0 + 2 * HOUR, strategy: 'breakout' }));
      await store.record(fill('f-4', { time: T0 + 3 * HOUR }));
      await store.record(fill('f-5', { time: T0 + 4 * HOUR, strategy: 'breakout', market: 'ETH/USDT' }));

      // Act
      const ids = async (query: Parameters<TradeStore['list']>[0]) =>
        (await store.list(query)).map((entry) => entry.id);

      // Assess
      expect(await ids({ strategy: 'sma-cross' })).toEqual(['f-4', 'f-2', 'f-1']);
      expect(await ids({ market: 'ETH/USDT' })).toEqual(['f-5', 'f-2']);
      expect(await ids({ strategy: 'breakout', market: 'ETH/USDT' })).toEqual(['f-5']);
      expect(await ids({ from: T0 + HOUR, to: T0 + 3 * HOUR })).toEqual(['f-4', 'f-3', 'f-2']);
      expect(await ids({ strategy: 'sma-cross', from: T0 + HOUR })).toEqual(['f-4', 'f-2']);
      expect(await ids({ market: 'BTC/USDT', limit: 1 })).toEqual(['f-4']);
      expect(await ids({ strategy: 'nobody' })).toEqual([]);
    });

    it('keeps order updates apart from fills', async () => {
      // Prepare
      await store.record(fill('f-1'));
      await store.record(ORDER_UPDATE);

      // Act
      const fills = await store.list();
      const updates = await store.list({ kind: 'order-update', strategy: 'sma-cross' });

      // Assess
      expect(fills.map((entry) => entry.id)).toEqual(['f-1']);
      expect(updates).toEqual([ORDER_UPDATE]);
    });

    it('refuses an entry without a usable time, naming the field', async () => {
      // Act
      const refused = store.record(fill('f-1', { time: -1 }));

      // Assess
      await expect(refused).rejects.toThrow(TradeEntryError);
      await expect(refused).rejects.toThrow(/time -1/);
      expect(await store.list()).toEqual([]);
    });

    it('derives positions per strategy and market from the stored fills, counting a retried fill once', async () => {
      // Prepare
      await store.record(fill('f-1', { side: 'buy', quantity: 1, price: 100, fee: 1, time: T0 }));
      await store.record(fill('f-1', { side: 'buy', quantity: 1, price: 100, fee: 1, time: T0 }));
      await store.record(fill('f-2', { side: 'sell', quantity: 0.4, price: 110, fee: 0.5, time: T0 + HOUR }));
      await store.record(fill('f-3', { strategy: 'breakout', side: 'sell', quantity: 2, price: 50, fee: 0 }));

      // Act
      const positions = await positionsIn(store);

      // Assess
      expect(positions).toEqual([
        {
          strategy: 'breakout',
          market: 'BTC/USDT',
          size: -2,
          averageEntryPrice: 50,
          realizedPnl: 0,
          fees: 0,
          netRealizedPnl: 0,
          fills: 1,
          lastFillAt: T0,
        },
        {
          strategy: 'sma-cross',
          market: 'BTC/USDT',
          size: 0.6,
          averageEntryPrice: 100,
          realizedPnl: expect.closeTo(4, 9),
          fees: 1.5,
          netRealizedPnl: expect.closeTo(2.5, 9),
          fills: 2,
          lastFillAt: T0 + HOUR,
        },
      ]);
    });
  });
}
