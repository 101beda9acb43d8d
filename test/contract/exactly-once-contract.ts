import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { BusEvent, EventBus } from '@shared/ports/event-bus';
import type { Queue, ReceivedMessage } from '@shared/ports/queue';
import { createBacktestWorker } from '../../functions/backtest-worker/app';
import type { SweepDependencies } from '../../functions/lib/sweep-deps';
import { createSweepPlanner } from '../../functions/sweep-plan/app';
import { toSqsEvent } from '../../local/runtime/sqs-event';

/** The world a worker runs in, with a jobs queue whose visibility timeout is 1 second. */
export interface ExactlyOnceFixture {
  readonly deps: Omit<SweepDependencies, 'bus'>;
  /** The folder sample data paths start from. */
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

/** Records what handlers put on the bus. */
class RecordingBus implements EventBus {
  readonly events: BusEvent[] = [];
  async put(events: readonly BusEvent[]) {
    this.events.push(...events);
  }
}

const PAST_VISIBILITY_TIMEOUT_MS = 1300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A sweep of 12 sma-cross combinations on GOOG, in 4 jobs of 3. */
const SPEC = {
  strategy: 'sma-cross',
  params: { fast: '5,10,20', slow: '30,60,90,120' },
  datasets: ['GOOG.csv'],
  chunkSize: 3,
  walkForward: { folds: 2 },
};

async function receiveAll(queue: Queue): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  for (;;) {
    const batch = await queue.receive({ maxMessages: 10, waitSeconds: received.length ? 0 : 2 });
    if (batch.length === 0) return received;
    received.push(...batch);
  }
}

/**
 * A job is computed at least once but counted exactly once: duplicate deliveries and a worker that dies after
 * writing its result but before deleting the message neither duplicate nor lose a result. Run against every
 * queue and store pair (SQLite now, SQS and DynamoDB next).
 */
export function describeExactlyOnceContract(
  adapterName: string,
  makeFixture: () => Promise<ExactlyOnceFixture>,
): void {
  describe(`exactly-once job results: ${adapterName}`, () => {
    let fixture: ExactlyOnceFixture;
    let bus: RecordingBus;
    let deps: SweepDependencies;
    let sweepId: string;
    let total: number;

    beforeEach(async () => {
      fixture = await makeFixture();
      bus = new RecordingBus();
      deps = { ...fixture.deps, bus };
      const submitted = await createSweepPlanner(deps).submit(SPEC, fixture.dataDir);
      sweepId = submitted.sweepId;
      total = submitted.total;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    /** Runs the worker on messages and deletes the ones it did not report as failed. */
    async function work(messages: readonly ReceivedMessage[], acknowledge = true) {
      const worker = createBacktestWorker(deps);
      const response = await worker.handler(toSqsEvent(deps.jobs.name, messages, Date.now()));
      const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      if (acknowledge)
        await deps.jobs.delete(messages.filter((m) => !failed.has(m.messageId)).map((m) => m.receiptHandle));
      return response;
    }

    const completions = () => bus.events.filter((event) => event.detailType === 'SweepCompleted');

    it('counts a job delivered twice once, and lets exactly one aggregation claim the sweep', async () => {
      // Prepare: every job message, plus a second copy of the first one (SQS may deliver twice).
      const messages = await receiveAll(deps.jobs);
      expect(messages).toHaveLength(total);
      await deps.jobs.send([messages[0]!.body]);
      // Act
      await work(messages);
      await work(await receiveAll(deps.jobs));
      // Assess
      const sweep = await deps.sweeps.getSweep(sweepId);
      expect(sweep).toMatchObject({ done: total, failed: 0, total });
      expect((await deps.sweeps.jobResults(sweepId)).size).toBe(total);
      // Completion may be announced again by a late duplicate; aggregation claims the sweep once.
      expect(completions().length).toBeGreaterThanOrEqual(1);
      expect(await deps.sweeps.claimAggregation(sweepId, Date.now())).toBe(true);
      expect(await deps.sweeps.claimAggregation(sweepId, Date.now())).toBe(false);
    });

    it('keeps the one result of a worker that died after writing it, and completes on the redelivery', async () => {
      // Prepare: the worker writes every result but dies before deleting its messages.
      const first = await receiveAll(deps.jobs);
      await work(first, false);
      const written = await deps.sweeps.jobResults(sweepId);
      expect(written.size).toBe(total);
      const announcedBefore = completions().length;
      // Act: after the visibility timeout the messages come back and are processed again.
      await sleep(PAST_VISIBILITY_TIMEOUT_MS);
      const again = await receiveAll(deps.jobs);
      expect(again.map((m) => m.messageId).sort()).toEqual(first.map((m) => m.messageId).sort());
      expect(again.every((m) => m.receiveCount === 2)).toBe(true);
      await work(again);
      // Assess: one result per job, counted once, nothing left in the queue.
      expect(await deps.sweeps.getSweep(sweepId)).toMatchObject({ done: total, failed: 0 });
      expect(await deps.sweeps.jobResults(sweepId)).toEqual(written);
      expect(announcedBefore + completions().length).toBeGreaterThanOrEqual(1);
      expect(await deps.jobs.approximateCounts()).toEqual({ visible: 0, inFlight: 0 });
      expect(await deps.sweeps.claimAggregation(sweepId, Date.now())).toBe(true);
      expect(await deps.sweeps.claimAggregation(sweepId, Date.now())).toBe(false);
    });

    it('loses nothing when a worker dies before writing: the job runs again and is counted once', async () => {
      const messages = await receiveAll(deps.jobs);
      // The first worker died at once for half the jobs: nothing written, nothing deleted.
      const survivors = messages.slice(0, Math.floor(messages.length / 2));
      await work(survivors);
      expect((await deps.sweeps.getSweep(sweepId))?.done).toBe(survivors.length);
      await sleep(PAST_VISIBILITY_TIMEOUT_MS);
      await work(await receiveAll(deps.jobs));
      expect(await deps.sweeps.getSweep(sweepId)).toMatchObject({ done: total, failed: 0 });
      expect((await deps.sweeps.jobResults(sweepId)).size).toBe(total);
      expect(completions()).toHaveLength(1);
    });
  });
}
