import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Json } from '@shared/ports/json';
import type { SweepStore } from '@shared/ports/sweep-store';

/** A fresh, empty sweep store for one test. */
export interface SweepStoreContractFixture {
  readonly store: SweepStore;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const SPEC: Json = {
  strategy: 'sma-cross',
  params: { fast: [5, 10], slow: [20, 50] },
  datasets: ['GOOG.csv'],
};
const NO_ERROR = 'no error was recorded (the job never ran to an error)';

/** A job result shaped like the worker's: one entry per combination. */
function resultFor(label: string, combinations = 2): Json {
  return Array.from({ length: combinations }, (_, index) => ({
    params: { fast: 5 + index, slow: 20 },
    stats: { label, equityFinal: 10_000 + index, sharpe: 0.5 + index / 10, trades: index },
  }));
}

/** A JSON value whose text is at least `bytes` long, varied enough not to be trivial. */
function largeJson(bytes: number, label: string): Json {
  const rows: Json[] = [];
  let size = 0;
  for (let index = 0; size < bytes; index += 1) {
    const row = {
      label,
      index,
      params: { fast: index % 97, slow: (index * 7) % 301 },
      value: Math.sin(index),
    };
    rows.push(row);
    size += JSON.stringify(row).length + 1;
  }
  return { label, rows };
}

const sorted = (values: readonly string[]) => [...values].sort();

/**
 * The behaviour every `SweepStore` adapter shares: creation and reuse of stored results, counting each job once
 * however often it is delivered, failed jobs with their errors, the one aggregation claim, and large JSON.
 */
export function describeSweepStoreContract(
  adapterName: string,
  makeFixture: () => Promise<SweepStoreContractFixture>,
): void {
  describe(`SweepStore contract: ${adapterName}`, () => {
    let fixture: SweepStoreContractFixture;
    let store: SweepStore;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    /** Creates a sweep and moves it to running, as the planner does once its messages are sent. */
    async function running(sweepId: string, jobIds: readonly string[], createdAt = T0) {
      const created = await store.createSweep({ sweepId, spec: SPEC, jobIds, createdAt });
      await store.markRunning(sweepId, createdAt + 1);
      return created;
    }

    describe('createSweep', () => {
      it('creates a sweep in planning with every job pending, counting a repeated job id once', async () => {
        // Prepare
        const input = {
          sweepId: 'sweep-a',
          spec: SPEC,
          jobIds: ['job-1', 'job-2', 'job-3', 'job-2'],
          createdAt: T0,
        };

        // Act
        const created = await store.createSweep(input);

        // Assess
        expect(created.created).toBe(true);
        expect(created.sweep).toEqual({
          sweepId: 'sweep-a',
          status: 'planning',
          spec: SPEC,
          total: 3,
          done: 0,
          failed: 0,
          createdAt: T0,
          updatedAt: T0,
          summary: null,
        });
        expect(sorted(created.pendingJobIds)).toEqual(['job-1', 'job-2', 'job-3']);
        expect(await store.getSweep('sweep-a')).toEqual(created.sweep);
      });

      it('is idempotent: creating the sweep again changes nothing and reports the jobs still pending', async () => {
        // Prepare
        const first = await store.createSweep({
          sweepId: 'sweep-a',
          spec: SPEC,
          jobIds: ['job-1', 'job-2'],
          createdAt: T0,
        });
        await store.markRunning('sweep-a', T0 + 1);
        await store.completeJob('sweep-a', 'job-1', resultFor('one'), T0 + 2);

        // Act
        const again = await store.createSweep({
          sweepId: 'sweep-a',
          spec: { changed: true },
          jobIds: ['job-1', 'job-2'],
          createdAt: T0 + 10,
        });

        // Assess
        expect(first.created).toBe(true);
        expect(again.created).toBe(false);
        expect(again.sweep).toMatchObject({
          status: 'running',
          spec: SPEC,
          total: 2,
          done: 1,
          createdAt: T0,
        });
        expect(again.pendingJobIds).toEqual(['job-2']);
      });

      it('counts jobs whose results an earlier sweep stored as done at once, and leaves only the others pending', async () => {
        // Prepare
        await running('sweep-a', ['job-1', 'job-2']);
        await store.completeJob('sweep-a', 'job-1', resultFor('one'), T0 + 2);

        // Act
        const reusing = await store.createSweep({
          sweepId: 'sweep-b',
          spec: SPEC,
          jobIds: ['job-1', 'job-3'],
          createdAt: T0 + 10,
        });

        // Assess
        expect(reusing.created).toBe(true);
        expect(reusing.sweep).toMatchObject({ status: 'planning', total: 2, done: 1, failed: 0 });
        expect(reusing.pendingJobIds).toEqual(['job-3']);
        expect(await store.jobResults('sweep-b')).toEqual(new Map([['job-1', resultFor('one')]]));
      });

      it('creates the sweep once when two requests create it at the same time', async () => {
        // Prepare
        const input = { sweepId: 'sweep-a', spec: SPEC, jobIds: ['job-1', 'job-2', 'job-3'], createdAt: T0 };

        // Act
        const outcomes = await Promise.all([store.createSweep(input), store.createSweep(input)]);

        // Assess
        expect(outcomes.map((outcome) => outcome.created).sort()).toEqual([false, true]);
        expect(outcomes[0]!.sweep).toEqual(outcomes[1]!.sweep);
        expect(outcomes[0]!.sweep).toMatchObject({ total: 3, done: 0 });
        expect(outcomes.map((outcome) => sorted(outcome.pendingJobIds))).toEqual([
          ['job-1', 'job-2', 'job-3'],
          ['job-1', 'job-2', 'job-3'],
        ]);
      });

      it('creates a sweep without jobs as complete, with nothing pending', async () => {
        // Act
        const created = await store.createSweep({
          sweepId: 'sweep-empty',
          spec: SPEC,
          jobIds: [],
          createdAt: T0,
        });

        // Assess
        expect(created.sweep).toMatchObject({ total: 0, done: 0, failed: 0 });
        expect(created.pendingJobIds).toEqual([]);
      });
    });

    describe('markRunning and getSweep', () => {
      it('moves a planning sweep to running and leaves every other status alone', async () => {
        // Prepare
        await store.createSweep({ sweepId: 'sweep-a', spec: SPEC, jobIds: [], createdAt: T0 });

        // Act
        await store.markRunning('sweep-a', T0 + 5);
        const afterMark = await store.getSweep('sweep-a');
        await store.claimAggregation('sweep-a', T0 + 6);
        await store.markRunning('sweep-a', T0 + 7);
        const afterClaim = await store.getSweep('sweep-a');

        // Assess
        expect(afterMark).toMatchObject({ status: 'running', updatedAt: T0 + 5 });
        expect(afterClaim).toMatchObject({ status: 'aggregating', updatedAt: T0 + 6 });
      });

      it('returns undefined for a sweep that was never created', async () => {
        // Act
        const sweep = await store.getSweep('no-such-sweep');

        // Assess
        expect(sweep).toBeUndefined();
      });
    });

    describe('completeJob', () => {
      it('stores the result and counts the job once: a second delivery is not counted and keeps the first result', async () => {
        // Prepare
        await running('sweep-a', ['job-1', 'job-2']);

        // Act
        const first = await store.completeJob('sweep-a', 'job-1', resultFor('first'), T0 + 10);
        const repeated = await store.completeJob('sweep-a', 'job-1', resultFor('second'), T0 + 20);

        // Assess
        expect(first).toEqual({ sweepId: 'sweep-a', total: 2, done: 1, failed: 0, counted: true });
        expect(repeated).toEqual({ sweepId: 'sweep-a', total: 2, done: 1, failed: 0, counted: false });
        expect(await store.jobResults('sweep-a')).toEqual(new Map([['job-1', resultFor('first')]]));
        expect(await store.getSweep('sweep-a')).toMatchObject({ done: 1, updatedAt: T0 + 10 });
      });

      it('counts concurrent deliveries of one job once', async () => {
        // Prepare
        await running('sweep-a', ['job-1', 'job-2']);

        // Act
        const progress = await Promise.all(
          [1, 2, 3].map((copy) => store.completeJob('sweep-a', 'job-1', resultFor('same'), T0 + copy)),
        );

        // Assess
        expect(progress.filter((entry) => entry.counted)).toHaveLength(1);
        expect(await store.getSweep('sweep-a')).toMatchObject({ done: 1, failed: 0 });
      });

      it('counts every one of many jobs completed at the same time, each seeing the counts it left', async () => {
        // Prepare
        const jobIds = Array.from({ length: 8 }, (_, index) => `job-${index}`);
        await running('sweep-a', jobIds);

        // Act
        const progress = await Promise.all(
          jobIds.map((jobId, index) => store.completeJob('sweep-a', jobId, resultFor(jobId), T0 + index)),
        );

        // Assess
        expect(progress.every((entry) => entry.counted)).toBe(true);
        expect(progress.map((entry) => entry.done).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(await store.getSweep('sweep-a')).toMatchObject({ total: 8, done: 8, failed: 0 });
        expect((await store.jobResults('sweep-a')).size).toBe(8);
      });

      it('shares results across sweeps: a job pending in two sweeps counts for each, and both read the first result', async () => {
        // Prepare
        await running('sweep-a', ['job-1']);
        await running('sweep-b', ['job-1', 'job-2'], T0 + 100);
        await store.completeJob('sweep-a', 'job-1', resultFor('from a'), T0 + 200);

        // Act
        const forB = await store.completeJob('sweep-b', 'job-1', resultFor('from b'), T0 + 300);

        // Assess
        expect(forB).toEqual({ sweepId: 'sweep-b', total: 2, done: 1, failed: 0, counted: true });
        expect(await store.jobResults('sweep-b')).toEqual(new Map([['job-1', resultFor('from a')]]));
        expect(await store.jobResults('sweep-a')).toEqual(new Map([['job-1', resultFor('from a')]]));
      });

      it('stores and returns a job result of more than 300 KB', async () => {
        // Prepare
        await running('sweep-a', ['job-big']);
        const big = largeJson(1024 * 1024, 'big result');
        expect(JSON.stringify(big).length).toBeGreaterThan(1024 * 1024);

        // Act
        await store.completeJob('sweep-a', 'job-big', big, T0 + 10);
        const results = await store.jobResults('sweep-a');

        // Assess
        expect(results.get('job-big')).toEqual(big);
      });

      it('refuses a job of a sweep that does not exist', async () => {
        // Act
        const completing = store.completeJob('no-such-sweep', 'job-1', resultFor('orphan'), T0);

        // Assess
        await expect(completing).rejects.toThrow(/sweep no-such-sweep does not exist/);
      });
    });

    describe('failJob and failedJobs', () => {
      it('counts a dead-lettered job as failed once, and a later completion of it does not count', async () => {
        // Prepare
        await running('sweep-a', ['job-1', 'job-2']);

        // Act
        const failed = await store.failJob('sweep-a', 'job-1', T0 + 10);
        const failedAgain = await store.failJob('sweep-a', 'job-1', T0 + 20);
        const lateCompletion = await store.completeJob('sweep-a', 'job-1', resultFor('late'), T0 + 30);

        // Assess
        expect(failed).toEqual({ sweepId: 'sweep-a', total: 2, done: 0, failed: 1, counted: true });
        expect(failedAgain).toMatchObject({ failed: 1, counted: false });
        expect(lateCompletion).toMatchObject({ done: 0, failed: 1, counted: false });
        expect(await store.getSweep('sweep-a')).toMatchObject({ done: 0, failed: 1, updatedAt: T0 + 10 });
      });

      it('lists failed jobs in job id order with the last error and the highest attempt recorded', async () => {
        // Prepare
        await running('sweep-a', ['job-c', 'job-b', 'job-a', 'job-d']);
        await store.recordJobError('sweep-a', 'job-b', 'boom on the first attempt', 1);
        await store.recordJobError('sweep-a', 'job-b', 'boom on the third attempt', 3);
        await store.recordJobError('sweep-a', 'job-b', 'boom reported late by the second attempt', 2);
        await store.recordJobError('sweep-a', 'job-c', 'transient', 1);
        await store.completeJob('sweep-a', 'job-c', resultFor('recovered'), T0 + 5);
        await store.recordJobError('sweep-a', 'job-unknown', 'ignored', 1);

        // Act
        await store.failJob('sweep-a', 'job-b', T0 + 10);
        await store.failJob('sweep-a', 'job-a', T0 + 11);
        const failedJobs = await store.failedJobs('sweep-a');

        // Assess
        expect(failedJobs).toEqual([
          { jobId: 'job-a', error: NO_ERROR, attempts: 0 },
          { jobId: 'job-b', error: 'boom reported late by the second attempt', attempts: 3 },
        ]);
        expect(await store.getSweep('sweep-a')).toMatchObject({ total: 4, done: 1, failed: 2 });
      });
    });

    describe('aggregation', () => {
      it('lets exactly one caller claim a running sweep, and only once every job is done or failed', async () => {
        // Prepare
        await running('sweep-a', ['job-1', 'job-2']);
        await store.completeJob('sweep-a', 'job-1', resultFor('one'), T0 + 10);
        const whileIncomplete = await store.claimAggregation('sweep-a', T0 + 11);
        await store.failJob('sweep-a', 'job-2', T0 + 20);

        // Act
        const claims = await Promise.all(
          [1, 2, 3, 4].map((offset) => store.claimAggregation('sweep-a', T0 + 30 + offset)),
        );

        // Assess
        expect(whileIncomplete).toBe(false);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.getSweep('sweep-a')).toMatchObject({ status: 'aggregating' });
        expect(await store.claimAggregation('sweep-a', T0 + 40)).toBe(false);
      });

      it('does not claim a complete sweep still in planning', async () => {
        // Prepare
        await store.createSweep({ sweepId: 'sweep-a', spec: SPEC, jobIds: [], createdAt: T0 });

        // Act
        const whilePlanning = await store.claimAggregation('sweep-a', T0 + 1);
        await store.markRunning('sweep-a', T0 + 2);
        const onceRunning = await store.claimAggregation('sweep-a', T0 + 3);

        // Assess
        expect(whilePlanning).toBe(false);
        expect(onceRunning).toBe(true);
      });

      it('gives a claim back with releaseAggregation, so a retry can claim the sweep again', async () => {
        // Prepare
        await running('sweep-a', ['job-1']);
        await store.completeJob('sweep-a', 'job-1', resultFor('one'), T0 + 10);
        await store.claimAggregation('sweep-a', T0 + 20);

        // Act
        await store.releaseAggregation('sweep-a', T0 + 30);
        const released = await store.getSweep('sweep-a');
        const claimedAgain = await store.claimAggregation('sweep-a', T0 + 40);

        // Assess
        expect(released).toMatchObject({ status: 'running', updatedAt: T0 + 30 });
        expect(claimedAgain).toBe(true);
      });

      it('finishes a sweep with its status and summary', async () => {
        // Prepare
        await running('sweep-a', ['job-1', 'job-2']);
        await store.completeJob('sweep-a', 'job-1', resultFor('one'), T0 + 10);
        await store.failJob('sweep-a', 'job-2', T0 + 11);
        await store.claimAggregation('sweep-a', T0 + 20);
        const summary: Json = { champion: { params: { fast: 5 } }, failedJobs: [{ jobId: 'job-2' }] };

        // Act
        await store.finishSweep('sweep-a', 'completed-with-failures', summary, T0 + 30);

        // Assess
        expect(await store.getSweep('sweep-a')).toEqual({
          sweepId: 'sweep-a',
          status: 'completed-with-failures',
          spec: SPEC,
          total: 2,
          done: 1,
          failed: 1,
          createdAt: T0,
          updatedAt: T0 + 30,
          summary,
        });
        expect(await store.unfinishedAggregations()).toEqual([]);
      });

      it('reports sweeps whose jobs are all in but that have no outcome, oldest first', async () => {
        // Prepare
        await running('complete-running', ['job-1'], T0 + 2000);
        await store.completeJob('complete-running', 'job-1', resultFor('one'), T0 + 2001);
        await running('aggregating', [], T0 + 1000);
        await store.claimAggregation('aggregating', T0 + 1001);
        await running('incomplete', ['job-2'], T0 + 500);
        await store.createSweep({ sweepId: 'planning', spec: SPEC, jobIds: [], createdAt: T0 + 100 });
        await running('finished', [], T0);
        await store.claimAggregation('finished', T0 + 1);
        await store.finishSweep('finished', 'completed', { done: true }, T0 + 2);

        // Act
        const unfinished = await store.unfinishedAggregations();

        // Assess
        expect(unfinished).toEqual(['aggregating', 'complete-running']);
      });
    });

    describe('listSweeps', () => {
      it('lists the newest sweeps first, up to the limit', async () => {
        // Prepare
        await store.createSweep({ sweepId: 'oldest', spec: SPEC, jobIds: ['job-1'], createdAt: T0 + 1000 });
        await store.createSweep({ sweepId: 'newest', spec: SPEC, jobIds: ['job-2'], createdAt: T0 + 3000 });
        await store.createSweep({ sweepId: 'middle', spec: SPEC, jobIds: ['job-3'], createdAt: T0 + 2000 });

        // Act
        const firstTwo = await store.listSweeps(2);
        const all = await store.listSweeps(10);

        // Assess
        expect(firstTwo.map((sweep) => sweep.sweepId)).toEqual(['newest', 'middle']);
        expect(all.map((sweep) => sweep.sweepId)).toEqual(['newest', 'middle', 'oldest']);
        expect(all[0]).toEqual(await store.getSweep('newest'));
      });
    });

    describe('large JSON', () => {
      it('round-trips a spec and a summary of more than 1 MB each', async () => {
        // Prepare
        const spec = largeJson(1024 * 1024, 'spec');
        const summary = largeJson(1200 * 1024, 'summary');
        expect(JSON.stringify(spec).length).toBeGreaterThan(1024 * 1024);
        await store.createSweep({ sweepId: 'sweep-large', spec, jobIds: ['job-1'], createdAt: T0 });
        await store.markRunning('sweep-large', T0 + 1);
        await store.completeJob('sweep-large', 'job-1', resultFor('one'), T0 + 2);
        await store.claimAggregation('sweep-large', T0 + 3);

        // Act
        await store.finishSweep('sweep-large', 'completed', summary, T0 + 4);
        const stored = await store.getSweep('sweep-large');
        const listed = await store.listSweeps(1);

        // Assess
        expect(stored).toMatchObject({ status: 'completed', total: 1, done: 1 });
        expect(stored?.spec).toEqual(spec);
        expect(stored?.summary).toEqual(summary);
        expect(listed).toEqual([stored]);
      });

      it('stores a summary that would not fit beside the spec on the item, and replaces a summary when finished again', async () => {
        // Prepare
        const spec = largeJson(290 * 1024, 'spec that fits on the item alone');
        await store.createSweep({ sweepId: 'sweep-a', spec, jobIds: [], createdAt: T0 });
        await store.markRunning('sweep-a', T0 + 1);
        await store.claimAggregation('sweep-a', T0 + 2);
        const mediumSummary = largeJson(200 * 1024, 'medium summary');
        const smallSummary: Json = { champion: null, note: 'aggregated again' };

        // Act
        await store.finishSweep('sweep-a', 'completed', mediumSummary, T0 + 3);
        const withMediumSummary = await store.getSweep('sweep-a');
        await store.finishSweep('sweep-a', 'completed', smallSummary, T0 + 4);
        const withSmallSummary = await store.getSweep('sweep-a');

        // Assess
        expect(withMediumSummary?.spec).toEqual(spec);
        expect(withMediumSummary?.summary).toEqual(mediumSummary);
        expect(withSmallSummary).toMatchObject({ spec, summary: smallSummary, updatedAt: T0 + 4 });
      });
    });
  });
}
