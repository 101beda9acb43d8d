import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TradingStateConflictError, type TradingStateStore } from '@shared/ports/trading-state-store';

/** A fresh, empty trading state store for one test. */
export interface TradingStateStoreContractFixture {
  readonly store: TradingStateStore;
  cleanup(): Promise<void>;
}

const SMA = { strategyId: 'sma-cross(fast=10,slow=30)', market: 'BTC/USDT' };
const RSI = { strategyId: 'rsi-reversion(period=14)', market: 'BTC/USDT' };
const GOOG = { strategyId: 'sma-cross(fast=10,slow=30)', market: 'GOOG' };
const STATE = {
  version: 1,
  lastBarTime: 1_740_909_600_000,
  risk: { halt: { haltedAt: 1_740_909_600_000, reason: 'daily loss', dailyLoss: 512.5 }, day: null },
  paper: { cash: 9_876.54321, size: -0.125, stopLevel: null, orders: [] },
};

/** The behaviour every TradingStateStore adapter must have: revisions, conditional writes, listing. */
export function describeTradingStateStoreContract(
  name: string,
  open: () => Promise<TradingStateStoreContractFixture>,
): void {
  describe(`${name} (TradingStateStore contract)`, () => {
    let fixture: TradingStateStoreContractFixture;
    beforeEach(async () => {
      fixture = await open();
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('has nothing before the first write, then returns the state exactly as written at revision 1', async () => {
      // Prepare
      const { store } = fixture;
      const before = await store.get(SMA);
      // Act
      const revision = await store.put(SMA, STATE, 0);
      const after = await store.get(SMA);
      // Assess
      expect(before).toBeUndefined();
      expect(revision).toBe(1);
      expect(after).toMatchObject({ ...SMA, revision: 1, state: STATE });
      expect(typeof after?.updatedAt).toBe('number');
    });

    it('advances the revision on each write made over the revision read', async () => {
      // Prepare
      const { store } = fixture;
      await store.put(SMA, STATE, 0);
      // Act
      const second = await store.put(SMA, { ...STATE, lastBarTime: 2 }, 1);
      const third = await store.put(SMA, { ...STATE, lastBarTime: 3 }, 2);
      // Assess
      expect([second, third]).toEqual([2, 3]);
      expect((await store.get(SMA))?.state).toEqual({ ...STATE, lastBarTime: 3 });
    });

    it('refuses a write over a stale revision and keeps what the first writer stored', async () => {
      // Prepare: two invocations read revision 1; the first writes.
      const { store } = fixture;
      await store.put(SMA, STATE, 0);
      await store.put(SMA, { ...STATE, lastBarTime: 2 }, 1);
      // Act
      const stale = store.put(SMA, { ...STATE, lastBarTime: 99 }, 1);
      const recreate = store.put(SMA, { ...STATE, lastBarTime: 98 }, 0);
      // Assess
      await expect(stale).rejects.toBeInstanceOf(TradingStateConflictError);
      await expect(recreate).rejects.toBeInstanceOf(TradingStateConflictError);
      expect(await store.get(SMA)).toMatchObject({ revision: 2, state: { lastBarTime: 2 } });
    });

    it('refuses a write that names a revision when nothing is stored', async () => {
      await expect(fixture.store.put(SMA, STATE, 3)).rejects.toBeInstanceOf(TradingStateConflictError);
      expect(await fixture.store.get(SMA)).toBeUndefined();
    });

    it('keeps strategies and markets apart and lists them by market then strategy', async () => {
      // Prepare
      const { store } = fixture;
      await store.put(SMA, { n: 1 }, 0);
      await store.put(GOOG, { n: 2 }, 0);
      await store.put(RSI, { n: 3 }, 0);
      // Act
      const all = await store.list();
      const btc = await store.list('BTC/USDT');
      // Assess
      expect(all.map((document) => [document.market, document.strategyId, document.state])).toEqual([
        ['BTC/USDT', RSI.strategyId, { n: 3 }],
        ['BTC/USDT', SMA.strategyId, { n: 1 }],
        ['GOOG', GOOG.strategyId, { n: 2 }],
      ]);
      expect(btc.map((document) => document.strategyId)).toEqual([RSI.strategyId, SMA.strategyId]);
      expect(await store.list('ETH/BTC')).toEqual([]);
    });
  });
}
