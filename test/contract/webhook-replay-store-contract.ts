import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { WebhookReplayStore } from '@shared/ports/webhook-replay-store';

/** A fresh, empty replay store for one test. */
export interface WebhookReplayStoreContractFixture {
  readonly store: WebhookReplayStore;
  cleanup(): Promise<void>;
}

const NOW = Date.UTC(2026, 2, 2, 10, 0, 0);
const DAY = 86_400_000;

/**
 * The behaviour every `WebhookReplayStore` adapter shares: an id is remembered once until it expires, racing
 * deliveries of one id let exactly one through, and a forgotten id may be remembered again.
 */
export function describeWebhookReplayStoreContract(
  adapterName: string,
  makeFixture: () => Promise<WebhookReplayStoreContractFixture>,
): void {
  describe(`WebhookReplayStore contract: ${adapterName}`, () => {
    let fixture: WebhookReplayStoreContractFixture;
    let store: WebhookReplayStore;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('remembers a new id, and refuses it while it has not expired', async () => {
      // Act
      const first = await store.remember('binance:evt-1', NOW + DAY, NOW);
      const again = await store.remember('binance:evt-1', NOW + 2 * DAY, NOW + DAY - 1000);

      // Assess
      expect(first).toBe(true);
      expect(again).toBe(false);
    });

    it('keeps ids apart', async () => {
      // Prepare
      await store.remember('binance:evt-1', NOW + DAY, NOW);

      // Act
      const other = await store.remember('tradingview:evt-1', NOW + DAY, NOW);

      // Assess
      expect(other).toBe(true);
    });

    it('takes an expired id as new, and keeps it for its new window', async () => {
      // Prepare
      await store.remember('binance:evt-1', NOW + DAY, NOW);

      // Act
      const afterExpiry = await store.remember('binance:evt-1', NOW + 3 * DAY, NOW + DAY);
      const replay = await store.remember('binance:evt-1', NOW + 4 * DAY, NOW + 2 * DAY);

      // Assess
      expect(afterExpiry).toBe(true);
      expect(replay).toBe(false);
    });

    it('lets exactly one of two racing deliveries of one id through', async () => {
      // Act
      const results = await Promise.all([
        store.remember('binance:evt-1', NOW + DAY, NOW),
        store.remember('binance:evt-1', NOW + DAY, NOW),
      ]);

      // Assess
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('remembers a forgotten id again (a request that failed after it was remembered)', async () => {
      // Prepare
      await store.remember('binance:evt-1', NOW + DAY, NOW);

      // Act
      await store.forget('binance:evt-1');
      const retry = await store.remember('binance:evt-1', NOW + DAY, NOW + 1000);

      // Assess
      expect(retry).toBe(true);
    });
  });
}
