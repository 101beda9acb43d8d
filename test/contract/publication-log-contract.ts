import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { PublicationLog } from '@shared/ports/draft-store';

/** A fresh, empty publication log for one test. */
export interface PublicationLogContractFixture {
  readonly log: PublicationLog;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const KEY = 'd-1:mastodon';
const RECEIPT = {
  channel: 'mastodon',
  externalId: '113456789012345678',
  url: 'https://fosstodon.org/@flywheel/113456789012345678',
  publishedAt: T0 + 1000,
};

/**
 * The behaviour every `PublicationLog` adapter shares: a key is claimed by one attempt at a time, a published
 * key is never claimed again (its receipt is returned instead), and a failed key may be tried again.
 */
export function describePublicationLogContract(
  adapterName: string,
  makeFixture: () => Promise<PublicationLogContractFixture>,
): void {
  describe(`PublicationLog contract: ${adapterName}`, () => {
    let fixture: PublicationLogContractFixture;
    let log: PublicationLog;

    beforeEach(async () => {
      fixture = await makeFixture();
      log = fixture.log;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('claims a new key and records the attempt as publishing', async () => {
      // Act
      const claim = await log.claim(KEY, T0);

      // Assess
      expect(claim).toEqual({ claimed: true });
      expect(await log.get(KEY)).toEqual({ state: 'publishing', since: T0, attempts: 1 });
      expect(await log.get('d-1:discord')).toBeUndefined();
    });

    it('does not claim a key being published: the second attempt learns it is under way', async () => {
      // Prepare
      await log.claim(KEY, T0);

      // Act
      const second = await log.claim(KEY, T0 + 5000);

      // Assess
      expect(second).toEqual({
        claimed: false,
        current: { state: 'publishing', since: T0, attempts: 1 },
      });
    });

    it('lets exactly one of two racing attempts claim a key', async () => {
      // Act
      const claims = await Promise.all([log.claim(KEY, T0), log.claim(KEY, T0)]);

      // Assess
      expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    });

    it('never claims a published key again, and returns its receipt', async () => {
      // Prepare
      await log.claim(KEY, T0);
      await log.published(KEY, RECEIPT);

      // Act
      const retry = await log.claim(KEY, T0 + 60_000);

      // Assess
      expect(retry).toEqual({ claimed: false, current: { state: 'published', receipt: RECEIPT } });
      expect(await log.get(KEY)).toEqual({ state: 'published', receipt: RECEIPT });
    });

    it('lets a failed key be claimed again, counting the attempts', async () => {
      // Prepare
      await log.claim(KEY, T0);
      await log.failed(KEY, 'mastodon answered 503: try again later');
      const afterFailure = await log.get(KEY);

      // Act
      const retry = await log.claim(KEY, T0 + 60_000);

      // Assess
      expect(afterFailure).toEqual({
        state: 'failed',
        reason: 'mastodon answered 503: try again later',
        attempts: 1,
      });
      expect(retry).toEqual({ claimed: true });
      expect(await log.get(KEY)).toEqual({ state: 'publishing', since: T0 + 60_000, attempts: 2 });
    });

    it('keeps a published key published when a late failure is reported for it', async () => {
      // Prepare
      await log.claim(KEY, T0);
      await log.published(KEY, RECEIPT);

      // Act
      await log.failed(KEY, 'the request timed out');

      // Assess
      expect(await log.get(KEY)).toEqual({ state: 'published', receipt: RECEIPT });
    });

    it('keeps keys apart', async () => {
      // Prepare
      await log.claim(KEY, T0);
      await log.published(KEY, RECEIPT);

      // Act
      const other = await log.claim('d-1:discord', T0);

      // Assess
      expect(other).toEqual({ claimed: true });
    });
  });
}
