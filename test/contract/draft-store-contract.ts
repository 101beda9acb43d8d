import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DraftConflictError,
  DraftNotFoundError,
  type DraftRecord,
  type DraftStore,
} from '@shared/ports/draft-store';

/** A fresh, empty draft store for one test. */
export interface DraftStoreContractFixture {
  readonly store: DraftStore;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;

/** A draft as content-generate stores it: a source summary and versions. */
function draft(id: string, createdAt: number, origin: 'user' | 'system' = 'user') {
  return {
    id,
    status: 'draft' as const,
    origin,
    sourceRef: origin === 'user' ? 'POST /content' : 'SweepCompleted sweep-1',
    content: {
      source: {
        kind: 'markdown',
        title: 'Why walk-forward beats one backtest',
        tags: ['trading'],
        words: 640,
      },
      versions: [
        { platform: 'x', text: 'One backtest lies; five folds tell you more. 🧵', count: 48, limit: 280 },
      ],
      generator: { name: 'offline' },
    },
    createdAt,
    scheduledFor: null,
    reason: null,
  };
}

/**
 * The behaviour every `DraftStore` adapter shares: idempotent create, status transitions that only one racing
 * caller wins, lists newest first (all or by status), and scheduled drafts when due.
 */
export function describeDraftStoreContract(
  adapterName: string,
  makeFixture: () => Promise<DraftStoreContractFixture>,
): void {
  describe(`DraftStore contract: ${adapterName}`, () => {
    let fixture: DraftStoreContractFixture;
    let store: DraftStore;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('stores a draft at revision 1 and returns it as stored', async () => {
      // Prepare
      const input = draft('d-1', T0);

      // Act
      const created = await store.create(input);

      // Assess
      const expected: DraftRecord = { ...input, updatedAt: T0, revision: 1 };
      expect(created).toEqual(expected);
      expect(await store.get('d-1')).toEqual(expected);
      expect(await store.get('d-unknown')).toBeUndefined();
    });

    it('creates each id once: a repeated create returns the stored draft unchanged', async () => {
      // Prepare
      const first = await store.create(draft('d-1', T0));
      await store.transition('d-1', { to: 'approved', expected: ['draft'], at: T0 + MINUTE });

      // Act
      const repeated = await store.create({ ...draft('d-1', T0 + 2 * MINUTE), sourceRef: 'a redelivery' });

      // Assess
      expect(first.status).toBe('draft');
      expect(repeated).toMatchObject({
        id: 'd-1',
        status: 'approved',
        sourceRef: 'POST /content',
        createdAt: T0,
        revision: 2,
      });
    });

    it('moves a draft through approval, schedule and publication, bumping revision and time', async () => {
      // Prepare
      await store.create(draft('d-1', T0));
      const due = T0 + 60 * MINUTE;

      // Act
      const scheduled = await store.transition('d-1', {
        to: 'scheduled',
        expected: ['draft'],
        at: T0 + MINUTE,
        scheduledFor: due,
      });
      const published = await store.transition('d-1', {
        to: 'published',
        expected: ['approved', 'scheduled'],
        at: due + MINUTE,
      });

      // Assess
      expect(scheduled).toMatchObject({
        status: 'scheduled',
        scheduledFor: due,
        revision: 2,
        updatedAt: T0 + MINUTE,
      });
      expect(published).toMatchObject({
        status: 'published',
        scheduledFor: due,
        revision: 3,
        updatedAt: due + MINUTE,
      });
      expect(await store.get('d-1')).toEqual(published);
    });

    it('records a reason, and clears a schedule when told to', async () => {
      // Prepare
      await store.create(draft('d-1', T0));
      await store.transition('d-1', {
        to: 'scheduled',
        expected: ['draft'],
        at: T0,
        scheduledFor: T0 + MINUTE,
      });

      // Act
      const failed = await store.transition('d-1', {
        to: 'failed',
        expected: ['scheduled'],
        at: T0 + 2 * MINUTE,
        scheduledFor: null,
        reason: 'mastodon: 401 the access token is invalid',
      });

      // Assess
      expect(failed).toMatchObject({
        status: 'failed',
        scheduledFor: null,
        reason: 'mastodon: 401 the access token is invalid',
      });
      expect(await store.due(T0 + 10 * MINUTE)).toEqual([]);
    });

    it('lets one of two racing approvals win; the other gets a conflict naming the current status', async () => {
      // Prepare
      await store.create(draft('d-1', T0));
      const approve = () => store.transition('d-1', { to: 'approved', expected: ['draft'], at: T0 + MINUTE });

      // Act
      const outcomes = await Promise.allSettled([approve(), approve()]);

      // Assess
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const error = (lost[0] as PromiseRejectedResult).reason as Error;
      expect(error).toBeInstanceOf(DraftConflictError);
      expect(error.message).toMatch(/draft d-1 is approved/);
      expect(await store.get('d-1')).toMatchObject({ status: 'approved', revision: 2 });
    });

    it('refuses a transition from a status it does not expect, and leaves the draft as it was', async () => {
      // Prepare
      await store.create(draft('d-1', T0));
      await store.transition('d-1', { to: 'rejected', expected: ['draft'], at: T0, reason: 'off-brand' });

      // Act
      const attempt = store.transition('d-1', {
        to: 'approved',
        expected: ['draft', 'failed'],
        at: T0 + MINUTE,
      });

      // Assess
      await expect(attempt).rejects.toThrow(DraftConflictError);
      await expect(attempt).rejects.toThrow(/is rejected/);
      expect(await store.get('d-1')).toMatchObject({ status: 'rejected', reason: 'off-brand', revision: 2 });
    });

    it('says a draft is not found when no draft has the id', async () => {
      // Act
      const attempt = store.transition('d-missing', { to: 'approved', expected: ['draft'], at: T0 });

      // Assess
      await expect(attempt).rejects.toThrow(DraftNotFoundError);
    });

    it('lists drafts newest first, all of them or those in one status, up to a limit', async () => {
      // Prepare
      for (let index = 1; index <= 4; index++) await store.create(draft(`d-${index}`, T0 + index * MINUTE));
      await store.transition('d-2', { to: 'approved', expected: ['draft'], at: T0 + 10 * MINUTE });
      await store.transition('d-4', { to: 'rejected', expected: ['draft'], at: T0 + 10 * MINUTE });

      // Act
      const all = await store.list();
      const drafts = await store.list({ status: 'draft' });
      const newestTwo = await store.list({ limit: 2 });
      const published = await store.list({ status: 'published' });

      // Assess
      expect(all.map((entry) => entry.id)).toEqual(['d-4', 'd-3', 'd-2', 'd-1']);
      expect(drafts.map((entry) => entry.id)).toEqual(['d-3', 'd-1']);
      expect(newestTwo.map((entry) => entry.id)).toEqual(['d-4', 'd-3']);
      expect(published).toEqual([]);
    });

    it('finds scheduled drafts once due, and not before or after they move on', async () => {
      // Prepare
      await store.create(draft('d-early', T0));
      await store.create(draft('d-late', T0 + MINUTE));
      await store.create(draft('d-approved', T0 + 2 * MINUTE));
      await store.transition('d-early', {
        to: 'scheduled',
        expected: ['draft'],
        at: T0,
        scheduledFor: T0 + 30 * MINUTE,
      });
      await store.transition('d-late', {
        to: 'scheduled',
        expected: ['draft'],
        at: T0,
        scheduledFor: T0 + 90 * MINUTE,
      });
      await store.transition('d-approved', { to: 'approved', expected: ['draft'], at: T0 });

      // Act
      const beforeAny = await store.due(T0 + 29 * MINUTE);
      const atFirst = await store.due(T0 + 30 * MINUTE);
      await store.transition('d-early', { to: 'published', expected: ['scheduled'], at: T0 + 31 * MINUTE });
      const afterPublishing = await store.due(T0 + 120 * MINUTE);

      // Assess
      expect(beforeAny).toEqual([]);
      expect(atFirst.map((entry) => entry.id)).toEqual(['d-early']);
      expect(afterPublishing.map((entry) => entry.id)).toEqual(['d-late']);
    });
  });
}
