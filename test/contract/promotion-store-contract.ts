import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { PromotionDecision, PromotionStore } from '@shared/ports/promotion-store';

/** A fresh, empty promotion store for one test. */
export interface PromotionStoreContractFixture {
  readonly store: PromotionStore;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A decision as the aggregator records it, with a candidate shaped like its configuration record. */
function decision(
  market: string,
  sweepId: string,
  decidedAt: number,
  promoted: boolean,
  reason = promoted ? 'beats the current strategy by 12%' : 'walk-forward objective below the threshold',
): PromotionDecision {
  return {
    market,
    sweepId,
    decidedAt,
    promoted,
    reason,
    candidate: {
      strategy: { name: 'sma-cross', identity: 'builtin:sma-cross@0.1.0' },
      params: { fast: 10, slow: 50 },
      engine: { cash: 10_000, commission: 0.002 },
      walkForward: { objective: 1.25, inSampleObjective: 1.5, ratio: 0.83, trades: 14 },
    },
  };
}

/**
 * The behaviour every `PromotionStore` adapter shares: one decision per market and sweep, the latest promoted
 * one current for its market, and the history newest first.
 */
export function describePromotionStoreContract(
  adapterName: string,
  makeFixture: () => Promise<PromotionStoreContractFixture>,
): void {
  describe(`PromotionStore contract: ${adapterName}`, () => {
    let fixture: PromotionStoreContractFixture;
    let store: PromotionStore;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('records a decision and returns it for its market and sweep only', async () => {
      // Prepare
      const promoted = decision('GOOG', 'sweep-1', T0, true);

      // Act
      await store.record(promoted);

      // Assess
      expect(await store.decisionFor('GOOG', 'sweep-1')).toEqual(promoted);
      expect(await store.decisionFor('GOOG', 'sweep-2')).toBeUndefined();
      expect(await store.decisionFor('ETH/BTC', 'sweep-1')).toBeUndefined();
    });

    it('keeps a decision without a candidate (no champion) as it was', async () => {
      // Prepare
      const withoutCandidate: PromotionDecision = {
        ...decision('GOOG', 'sweep-1', T0, false),
        candidate: null,
      };

      // Act
      await store.record(withoutCandidate);

      // Assess
      expect(await store.decisionFor('GOOG', 'sweep-1')).toEqual(withoutCandidate);
      expect(await store.current('GOOG')).toBeUndefined();
    });

    it('records each market and sweep once: a repeated record changes nothing', async () => {
      // Prepare
      const first = decision('GOOG', 'sweep-1', T0, false);
      await store.record(first);

      // Act
      await store.record(
        decision('GOOG', 'sweep-1', T0 + 1000, true, 'a repeated aggregation decided otherwise'),
      );

      // Assess
      expect(await store.decisionFor('GOOG', 'sweep-1')).toEqual(first);
      expect(await store.history('GOOG')).toEqual([first]);
      expect(await store.current('GOOG')).toBeUndefined();
    });

    it('makes the latest promoted decision current, and decisions not promoted leave it', async () => {
      // Prepare
      const firstPromotion = decision('GOOG', 'sweep-1', T0, true);
      const notPromoted = decision('GOOG', 'sweep-2', T0 + 1000, false);
      const secondPromotion = decision('GOOG', 'sweep-3', T0 + 2000, true);

      // Act
      await store.record(firstPromotion);
      const afterFirst = await store.current('GOOG');
      await store.record(notPromoted);
      const afterNotPromoted = await store.current('GOOG');
      await store.record(secondPromotion);
      const afterSecond = await store.current('GOOG');

      // Assess
      expect(afterFirst).toEqual(firstPromotion);
      expect(afterNotPromoted).toEqual(firstPromotion);
      expect(afterSecond).toEqual(secondPromotion);
    });

    it('keeps the later promotion current when an earlier decided one is recorded after it', async () => {
      // Prepare
      const later = decision('GOOG', 'sweep-later', T0 + 5000, true);
      const earlier = decision('GOOG', 'sweep-earlier', T0, true);
      await store.record(later);

      // Act
      await store.record(earlier);

      // Assess
      expect(await store.current('GOOG')).toEqual(later);
      expect(await store.decisionFor('GOOG', 'sweep-earlier')).toEqual(earlier);
    });

    it('keeps markets apart', async () => {
      // Prepare
      const goog = decision('GOOG', 'sweep-1', T0, true);
      const eth = decision('ETH/BTC', 'sweep-1', T0 + 1000, false);

      // Act
      await store.record(goog);
      await store.record(eth);

      // Assess
      expect(await store.current('GOOG')).toEqual(goog);
      expect(await store.current('ETH/BTC')).toBeUndefined();
      expect(await store.decisionFor('ETH/BTC', 'sweep-1')).toEqual(eth);
    });

    it('lists every decision newest first, for one market or for all', async () => {
      // Prepare
      const decisions = [
        decision('GOOG', 'sweep-1', T0, true),
        decision('ETH/BTC', 'sweep-2', T0 + 1000, false),
        decision('GOOG', 'sweep-3', T0 + 2000, false),
        decision('GOOG', 'sweep-4', T0 + 3000, true),
        decision('ETH/BTC', 'sweep-5', T0 + 4000, true),
      ];
      for (const entry of decisions) await store.record(entry);

      // Act
      const goog = await store.history('GOOG');
      const all = await store.history();
      const unknown = await store.history('XRP/USDT');

      // Assess
      expect(goog.map((entry) => entry.sweepId)).toEqual(['sweep-4', 'sweep-3', 'sweep-1']);
      expect(all).toEqual([...decisions].reverse());
      expect(unknown).toEqual([]);
    });
  });
}
