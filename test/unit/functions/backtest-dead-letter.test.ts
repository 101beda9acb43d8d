import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ReceivedMessage } from '@shared/ports/queue';
import { BacktestJobMessageSchema, EVENT_SOURCE } from '../../../events/catalog';
import { createDeadLetterHandler } from '../../../functions/backtest-dead-letter/app';
import { createSweepPlanner } from '../../../functions/sweep-plan/app';
import {
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

/** Plans sma-cross fast 5, 10 × slow 20 on GOOG (two jobs) and returns the queued job messages. */
async function plannedJobs() {
  const { sweepId } = await createSweepPlanner(harness.deps).submit(
    { strategy: 'sma-cross', params: { fast: [5, 10], slow: 20 }, datasets: [GOOG_CSV], chunkSize: 1 },
    '/',
  );
  return { sweepId, messages: await receiveAll(harness.jobs) };
}

/** A message as the dead-letter queue delivers it. */
function deadLetter(body: string, messageId = 'dead-1'): ReceivedMessage {
  return { messageId, body, receiptHandle: `${messageId}-receipt`, receiveCount: 1, sentTimestamp: 0 };
}

describe('backtest-dead-letter', () => {
  it('counts a dead job as failed once, even when the dead letter is delivered twice', async () => {
    // Prepare
    const { sweepId, messages } = await plannedJobs();
    const handler = createDeadLetterHandler(harness.deps);
    const event = sqsEvent(harness.deadLetters, [deadLetter(messages[0]!.body)]);

    // Act
    const first = await handler.handler(event);
    const second = await handler.handler(event);

    // Assess
    expect([first, second]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(await harness.adapters.sweeps.getSweep(sweepId)).toMatchObject({ total: 2, done: 0, failed: 1 });
    const jobId = BacktestJobMessageSchema.parse(JSON.parse(messages[0]!.body)).jobId;
    expect(await harness.adapters.sweeps.failedJobs(sweepId)).toEqual([
      { jobId, error: 'no error was recorded (the job never ran to an error)', attempts: 0 },
    ]);
    expect(harness.bus.events).toEqual([]);
  });

  it('acknowledges a body that is not JSON, and one that is JSON but no job, without changing any sweep', async () => {
    // Prepare
    const { sweepId } = await plannedJobs();
    const handler = createDeadLetterHandler(harness.deps);
    const event = sqsEvent(harness.deadLetters, [
      deadLetter('{not json', 'dead-1'),
      deadLetter('{"hello":"world"}', 'dead-2'),
    ]);

    // Act
    const response = await handler.handler(event);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await harness.adapters.sweeps.getSweep(sweepId)).toMatchObject({ total: 2, done: 0, failed: 0 });
    expect(harness.bus.events).toEqual([]);
  });

  it('emits SweepCompleted when the dead job was the last one outstanding', async () => {
    // Prepare: the other job is done.
    const { sweepId, messages } = await plannedJobs();
    const [dead, done] = messages.map((message) => BacktestJobMessageSchema.parse(JSON.parse(message.body)));
    await harness.adapters.sweeps.completeJob(sweepId, done!.jobId, [], harness.clock.now());
    const handler = createDeadLetterHandler(harness.deps);

    // Act
    const response = await handler.handler(sqsEvent(harness.deadLetters, [deadLetter(JSON.stringify(dead))]));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(harness.bus.events).toEqual([
      {
        source: EVENT_SOURCE,
        detailType: 'SweepCompleted',
        detail: { sweepId, total: 2, done: 1, failed: 1 },
      },
    ]);
  });
});
