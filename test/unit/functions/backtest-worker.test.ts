import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import type { ReceivedMessage } from '@shared/ports/queue';
import { runJob } from '@shared/sweep/run-job';
import { BacktestJobMessageSchema, EVENT_SOURCE } from '../../../events/catalog';
import { createBacktestWorker } from '../../../functions/backtest-worker/app';
import { createSweepAggregator } from '../../../functions/sweep-aggregate/app';
import { createSweepPlanner } from '../../../functions/sweep-plan/app';
import { createStrategyResolver } from '../../../local/strategy-loader';
import { loadSample } from '../../support/sample-data';
import {
  FAILS_ON_PERIOD,
  GOOG_CSV,
  openSweepHarness,
  receiveAll,
  type SweepHarness,
  sqsEvent,
} from '../../support/sweep-functions';

let harness: SweepHarness;

beforeEach(() => {
  harness = openSweepHarness();
});

afterEach(() => {
  harness.close();
});

/** Submits the fails-on-period fixture over the given periods, one combination per job, and receives the jobs. */
async function submitAndReceive(periods: readonly number[], promotion: Record<string, unknown> = {}) {
  const submitted = await createSweepPlanner(harness.deps).submit(
    {
      strategy: FAILS_ON_PERIOD,
      params: { period: [...periods] },
      datasets: [GOOG_CSV],
      chunkSize: 1,
      promotion: { threshold: -1000, minTrades: 0, ...promotion },
    },
    '/',
  );
  const messages = await receiveAll(harness.jobs);
  const periodOf = (message: ReceivedMessage) =>
    BacktestJobMessageSchema.parse(JSON.parse(message.body)).combinations[0]!.period;
  const byPeriod = new Map(messages.map((message) => [periodOf(message), message]));
  return { sweepId: submitted.sweepId, messages, byPeriod };
}

function jobIdOf(message: ReceivedMessage): string {
  return BacktestJobMessageSchema.parse(JSON.parse(message.body)).jobId;
}

describe('backtest-worker', () => {
  it('stores the result of every job of a good batch and reports no failures', async () => {
    // Prepare
    const { sweepId, messages } = await submitAndReceive([5, 8]);
    const worker = createBacktestWorker(harness.deps);

    // Act
    const response = await worker.handler(sqsEvent(harness.jobs, messages));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await harness.adapters.sweeps.getSweep(sweepId)).toMatchObject({ total: 2, done: 2, failed: 0 });
    expect(harness.bus.ofType('SweepCompleted')).toHaveLength(1);
    const stored = await harness.adapters.sweeps.jobResults(sweepId);
    const strategy = createStrategyResolver().resolve(FAILS_ON_PERIOD, '/').strategy;
    for (const message of messages) {
      const job = BacktestJobMessageSchema.parse(JSON.parse(message.body));
      const expected = runJob({
        bars: loadSample('GOOG.csv'),
        strategy,
        combinations: job.combinations,
        engine: BacktestOptionsSchema.parse({}),
        walkForward: { mode: 'rolling', folds: 4, inSample: 0.7 },
      });
      expect(stored.get(job.jobId)).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });

  it("reports exactly the failing record's messageId and keeps its error for the dead-letter record", async () => {
    // Prepare: period 13 makes signal() throw; its SMA has a value from bar 12, the first bar it is asked about.
    const { sweepId, messages, byPeriod } = await submitAndReceive([5, 13, 8]);
    const poisoned = byPeriod.get(13)!;
    const worker = createBacktestWorker(harness.deps);

    // Act
    const response = await worker.handler(sqsEvent(harness.jobs, messages));

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poisoned.messageId }] });
    expect(await harness.adapters.sweeps.getSweep(sweepId)).toMatchObject({ total: 3, done: 2, failed: 0 });
    expect(harness.bus.events).toEqual([]);
    await harness.adapters.sweeps.failJob(sweepId, jobIdOf(poisoned), harness.clock.now());
    expect(await harness.adapters.sweeps.failedJobs(sweepId)).toEqual([
      {
        jobId: jobIdOf(poisoned),
        error: 'fails-on-period: signal() failed at bar 12: period 13 is unlucky',
        attempts: 1,
      },
    ]);
  });

  it('counts a job delivered twice once', async () => {
    // Prepare
    const { sweepId, byPeriod } = await submitAndReceive([5, 8]);
    const event = sqsEvent(harness.jobs, [byPeriod.get(5)!]);
    const worker = createBacktestWorker(harness.deps);

    // Act
    const first = await worker.handler(event);
    const second = await worker.handler(event);

    // Assess
    expect([first, second]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(await harness.adapters.sweeps.getSweep(sweepId)).toMatchObject({ total: 2, done: 1, failed: 0 });
    expect((await harness.adapters.sweeps.jobResults(sweepId)).size).toBe(1);
    expect(harness.bus.events).toEqual([]);
  });

  it('announces the sweep once when its last job is in, and not again for a redelivery after it finished', async () => {
    // Prepare
    const { sweepId, byPeriod } = await submitAndReceive([5, 8]);
    const worker = createBacktestWorker(harness.deps);
    await worker.handler(sqsEvent(harness.jobs, [byPeriod.get(5)!]));
    const eventsAfterFirstJob = [...harness.bus.events];

    // Act
    await worker.handler(sqsEvent(harness.jobs, [byPeriod.get(8)!]));
    const completed = [...harness.bus.events];
    await createSweepAggregator(harness.deps).aggregate(sweepId);
    harness.bus.events.length = 0;
    const redelivery = await worker.handler(sqsEvent(harness.jobs, [byPeriod.get(8)!]));

    // Assess
    expect(eventsAfterFirstJob).toEqual([]);
    expect(completed).toEqual([
      {
        source: EVENT_SOURCE,
        detailType: 'SweepCompleted',
        detail: { sweepId, total: 2, done: 2, failed: 0 },
      },
    ]);
    expect((await harness.adapters.sweeps.getSweep(sweepId))?.status).toBe('completed');
    expect(redelivery).toEqual({ batchItemFailures: [] });
    expect(harness.bus.events).toEqual([]);
    expect(await harness.adapters.sweeps.getSweep(sweepId)).toMatchObject({ done: 2, failed: 0 });
  });

  it('sends a job that fails on every one of its 3 receives to the dead-letter queue, with its attempts recorded', async () => {
    // Prepare
    const { sweepId, byPeriod } = await submitAndReceive([13]);
    const worker = createBacktestWorker(harness.deps);
    let message: ReceivedMessage | undefined = byPeriod.get(13);
    const responses = [];

    // Act: each failed receive is made visible again at once instead of waiting out the visibility timeout.
    for (let receive = 1; receive <= 3 && message; receive++) {
      responses.push(await worker.handler(sqsEvent(harness.jobs, [message])));
      await harness.jobs.changeVisibility(message.receiptHandle, 0);
      [message] = receive < 3 ? await harness.jobs.receive({ maxMessages: 1 }) : [];
    }
    const fourthReceive = await harness.jobs.receive({ maxMessages: 10 });
    const deadLettered = await receiveAll(harness.deadLetters);

    // Assess
    expect(responses.map((response) => response.batchItemFailures.length)).toEqual([1, 1, 1]);
    expect(fourthReceive).toEqual([]);
    expect(deadLettered.map((dead) => dead.messageId)).toEqual([byPeriod.get(13)!.messageId]);
    await harness.adapters.sweeps.failJob(sweepId, jobIdOf(deadLettered[0]!), harness.clock.now());
    expect(await harness.adapters.sweeps.failedJobs(sweepId)).toEqual([
      {
        jobId: jobIdOf(deadLettered[0]!),
        error: 'fails-on-period: signal() failed at bar 12: period 13 is unlucky',
        attempts: 3,
      },
    ]);
  });
});
