import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Queue, ReceivedMessage } from '@shared/ports/queue';

/** A fresh queue for one test: visibility timeout 1 s, redrive after 2 receives into `deadLetters`. */
export interface QueueContractFixture {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  cleanup(): Promise<void>;
}

/** How long to wait for a 1-second visibility timeout to have surely passed. */
const PAST_VISIBILITY_TIMEOUT_MS = 1300;
/** Slack for a server's clock against ours when checking sent timestamps. */
const CLOCK_SKEW_MS = 1000;

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Receives one message, long-polling briefly because a real server may answer a short poll with none. */
async function receiveOne(queue: Queue, visibilityTimeoutSeconds?: number): Promise<ReceivedMessage> {
  const messages = await queue.receive({ maxMessages: 1, waitSeconds: 2, visibilityTimeoutSeconds });
  expect(messages).toHaveLength(1);
  return messages[0]!;
}

/**
 * The behaviour every `Queue` adapter shares, run against each of them. Only real time is used, because a real
 * SQS server cannot be time-travelled; the whole suite takes a few seconds.
 */
export function describeQueueContract(
  adapterName: string,
  makeQueues: () => Promise<QueueContractFixture>,
): void {
  describe(`Queue contract: ${adapterName}`, () => {
    let queue: Queue;
    let deadLetters: Queue;
    let fixture: QueueContractFixture;

    beforeEach(async () => {
      fixture = await makeQueues();
      ({ queue, deadLetters } = fixture);
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('delivers a sent message with its body, message id, receive count 1 and sent timestamp, then deletes it', async () => {
      // Prepare
      const body = JSON.stringify({ job: 'sma-cross', note: 'Ünïcødé ✓ "quoted" <xml-ish>' });
      const before = Date.now();
      const [messageId] = await queue.send([body]);
      const after = Date.now();

      // Act
      const message = await receiveOne(queue);
      await queue.delete([message.receiptHandle]);

      // Assess
      expect(message).toMatchObject({ messageId, body, receiveCount: 1 });
      expect(message.receiptHandle).toEqual(expect.any(String));
      expect(message.sentTimestamp).toBeGreaterThanOrEqual(before - CLOCK_SKEW_MS);
      expect(message.sentTimestamp).toBeLessThanOrEqual(after + CLOCK_SKEW_MS);
      expect(await queue.approximateCounts()).toEqual({ visible: 0, inFlight: 0 });
    });

    it('hides a received message until its visibility timeout passes, then delivers it again with a new receipt handle', async () => {
      // Prepare
      await queue.send(['retry me']);
      const first = await receiveOne(queue);

      // Act
      const whileHidden = await queue.receive({ maxMessages: 10 });
      await sleep(PAST_VISIBILITY_TIMEOUT_MS);
      const again = await receiveOne(queue);

      // Assess
      expect(whileHidden).toEqual([]);
      expect(again).toMatchObject({ messageId: first.messageId, body: 'retry me', receiveCount: 2 });
      expect(again.receiptHandle).not.toBe(first.receiptHandle);
    });

    it('deletes a message for good with its current receipt handle', async () => {
      // Prepare
      await queue.send(['done once']);
      const message = await receiveOne(queue);

      // Act
      await queue.delete([message.receiptHandle]);
      await sleep(PAST_VISIBILITY_TIMEOUT_MS);
      const afterTimeout = await queue.receive({ maxMessages: 10 });

      // Assess
      expect(afterTimeout).toEqual([]);
      expect(await queue.approximateCounts()).toEqual({ visible: 0, inFlight: 0 });
    });

    it('ignores a stale receipt handle: no error, and the message stays until deleted with the current one', async () => {
      // Prepare
      await queue.send(['received twice']);
      const first = await receiveOne(queue);
      await queue.changeVisibility(first.receiptHandle, 0);
      const second = await receiveOne(queue, 30);

      // Act
      const staleDelete = queue.delete([first.receiptHandle]);

      // Assess
      await expect(staleDelete).resolves.toBeUndefined();
      expect(second.messageId).toBe(first.messageId);
      expect(await queue.approximateCounts()).toEqual({ visible: 0, inFlight: 1 });
      await queue.delete([second.receiptHandle]);
      expect(await queue.approximateCounts()).toEqual({ visible: 0, inFlight: 0 });
    });

    it('makes a message receivable again at once with changeVisibility(handle, 0)', async () => {
      // Prepare
      await queue.send(['give it back']);
      const first = await receiveOne(queue, 30);

      // Act
      await queue.changeVisibility(first.receiptHandle, 0);
      const again = await receiveOne(queue, 30);

      // Assess
      expect(again).toMatchObject({ messageId: first.messageId, body: 'give it back', receiveCount: 2 });
    });

    it('caps a receive at 10 messages and delivers a batch of 25 exactly once across repeated receives', async () => {
      // Prepare
      const bodies = Array.from({ length: 25 }, (_, index) => `job ${index}`);
      const sentIds = await queue.send(bodies);
      const received: ReceivedMessage[] = [];
      const batchSizes: number[] = [];

      // Act
      const giveUpAt = Date.now() + 10_000;
      while (received.length < bodies.length && Date.now() < giveUpAt) {
        const batch = await queue.receive({ maxMessages: 10, visibilityTimeoutSeconds: 30, waitSeconds: 1 });
        batchSizes.push(batch.length);
        received.push(...batch);
      }
      const whileAllInFlight = await queue.receive({ maxMessages: 10 });

      // Assess
      expect(Math.max(...batchSizes)).toBeLessThanOrEqual(10);
      expect(received.map((message) => message.messageId).sort()).toEqual([...sentIds].sort());
      expect(received.map((message) => message.body).sort()).toEqual([...bodies].sort());
      expect(whileAllInFlight).toEqual([]);
    });

    it('moves a message received maxReceiveCount (2) times without delete to the dead-letter queue', async () => {
      // Prepare
      await queue.send(['poison']);
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        const message = await receiveOne(queue);
        expect(message.receiveCount).toBe(attempt);
        await queue.changeVisibility(message.receiptHandle, 0);
      }

      // Act
      const thirdReceive = await queue.receive({ maxMessages: 10, waitSeconds: 1 });
      const deadLetter = await receiveOne(deadLetters);

      // Assess
      expect(thirdReceive).toEqual([]);
      expect(deadLetter.body).toBe('poison');
      expect(await queue.approximateCounts()).toEqual({ visible: 0, inFlight: 0 });
    });

    it('long-polls with waitSeconds and returns a message sent during the wait', async () => {
      // Prepare
      const startedAt = Date.now();
      const polling = queue.receive({ maxMessages: 10, waitSeconds: 5 });
      await sleep(300);

      // Act
      await queue.send(['arrived late']);
      const messages = await polling;

      // Assess
      expect(messages.map((message) => message.body)).toEqual(['arrived late']);
      expect(Date.now() - startedAt).toBeLessThan(5000);
    });

    it('reports approximate counts of visible and in-flight messages', async () => {
      // Prepare
      const empty = await queue.approximateCounts();
      await queue.send(['a', 'b', 'c']);

      // Act
      await receiveOne(queue, 30);
      const counts = await queue.approximateCounts();

      // Assess
      expect(empty).toEqual({ visible: 0, inFlight: 0 });
      expect(counts).toEqual({ visible: 2, inFlight: 1 });
    });
  });
}
