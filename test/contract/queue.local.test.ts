import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openDatabase, type SqliteDatabase } from '@shared/adapters/local/sqlite/database';
import {
  QueueConfigurationError,
  SqliteQueue,
  type SqliteQueueOptions,
} from '@shared/adapters/local/sqlite/queue';
import { type Clock, systemClock } from '@shared/ports/clock';
import { MAX_MESSAGE_BYTES, MessageTooLargeError, type ReceivedMessage } from '@shared/ports/queue';
import { describeQueueContract } from './queue-contract';

/** A clock the test moves by hand, so visibility timeouts pass without sleeping. */
class ManualClock implements Clock {
  private time = Date.UTC(2026, 0, 5, 9, 0, 0);
  now(): number {
    return this.time;
  }
  advanceSeconds(seconds: number): void {
    this.time += seconds * 1000;
  }
}

function makeTemporaryFolder(): string {
  return mkdtempSync(join(tmpdir(), 'flywheel-queue-'));
}

describeQueueContract('SqliteQueue', async () => {
  const folder = makeTemporaryFolder();
  const db = openDatabase(join(folder, 'runtime.db'));
  const queue = new SqliteQueue({
    db,
    name: 'backtest-jobs',
    visibilityTimeoutSeconds: 1,
    maxReceiveCount: 2,
    deadLetterQueueName: 'backtest-jobs-dlq',
  });
  const deadLetters = new SqliteQueue({ db, name: 'backtest-jobs-dlq', visibilityTimeoutSeconds: 1 });
  return {
    queue,
    deadLetters,
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});

describe('SqliteQueue (local only)', () => {
  let folder: string;
  let path: string;
  let openConnections: SqliteDatabase[];
  let clock: ManualClock;

  function connect(): SqliteDatabase {
    const db = openDatabase(path);
    openConnections.push(db);
    return db;
  }

  function makeQueue(db: SqliteDatabase, options: Partial<SqliteQueueOptions> = {}): SqliteQueue {
    return new SqliteQueue({ db, name: 'jobs', visibilityTimeoutSeconds: 30, clock, ...options });
  }

  beforeEach(() => {
    folder = makeTemporaryFolder();
    path = join(folder, 'runtime.db');
    openConnections = [];
    clock = new ManualClock();
  });

  afterEach(() => {
    for (const db of openConnections) if (db.open) db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('time from the injected clock', () => {
    it('brings a received message back when its visibility timeout passes, without sleeping', async () => {
      // Prepare
      const queue = makeQueue(connect());
      await queue.send(['job']);
      const first = await queue.receive({ maxMessages: 1 });

      // Act
      clock.advanceSeconds(29);
      const justBefore = await queue.receive({ maxMessages: 1 });
      clock.advanceSeconds(1);
      const atTimeout = await queue.receive({ maxMessages: 1 });

      // Assess
      expect(justBefore).toEqual([]);
      expect(atTimeout).toMatchObject([{ messageId: first[0]!.messageId, receiveCount: 2 }]);
    });

    it('stamps messages with the clock and hides them for a per-receive visibility timeout', async () => {
      // Prepare
      const queue = makeQueue(connect());
      await queue.send(['job']);
      const sentAt = clock.now();
      clock.advanceSeconds(5);

      // Act
      const [message] = await queue.receive({ maxMessages: 1, visibilityTimeoutSeconds: 3 });
      clock.advanceSeconds(2);
      const afterTwoSeconds = await queue.approximateCounts();
      clock.advanceSeconds(1);
      const afterThreeSeconds = await queue.approximateCounts();

      // Assess
      expect(message!.sentTimestamp).toBe(sentAt);
      expect(afterTwoSeconds).toEqual({ visible: 0, inFlight: 1 });
      expect(afterThreeSeconds).toEqual({ visible: 1, inFlight: 0 });
    });

    it('delivers the oldest messages first, a retried one before those sent after it', async () => {
      // Prepare
      const queue = makeQueue(connect());
      await queue.send(['first']);
      await queue.receive({ maxMessages: 1 });
      clock.advanceSeconds(1);
      await queue.send(['second', 'third']);
      clock.advanceSeconds(30);

      // Act
      const messages = await queue.receive({ maxMessages: 10 });

      // Assess
      expect(messages.map((message) => message.body)).toEqual(['first', 'second', 'third']);
    });

    it('delivers a message exactly maxReceiveCount times, then moves it to the dead-letter queue intact', async () => {
      // Prepare
      const db = connect();
      const queue = makeQueue(db, { maxReceiveCount: 3, deadLetterQueueName: 'jobs-dlq' });
      const deadLetters = makeQueue(db, { name: 'jobs-dlq' });
      const [messageId] = await queue.send(['poison', 'healthy']);
      const sentAt = clock.now();
      const receiveCounts: number[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const [poison, healthy] = await queue.receive({ maxMessages: 10 });
        receiveCounts.push(poison!.receiveCount);
        await queue.delete([healthy!.receiptHandle]);
        await queue.send(['healthy']);
        clock.advanceSeconds(30);
      }

      // Act
      const fourthReceive = await queue.receive({ maxMessages: 10 });
      const deadLetter = await deadLetters.receive({ maxMessages: 10 });

      // Assess
      expect(receiveCounts).toEqual([1, 2, 3]);
      expect(fourthReceive.map((message) => message.body)).toEqual(['healthy']);
      expect(deadLetter).toEqual([
        {
          messageId,
          body: 'poison',
          sentTimestamp: sentAt,
          receiveCount: 1,
          receiptHandle: expect.any(String),
        },
      ]);
    });

    it('retries forever without a redrive policy', async () => {
      // Prepare
      const queue = makeQueue(connect());
      await queue.send(['stubborn']);
      let last: ReceivedMessage | undefined;

      // Act
      for (let attempt = 0; attempt < 50; attempt += 1) {
        [last] = await queue.receive({ maxMessages: 1 });
        clock.advanceSeconds(30);
      }

      // Assess
      expect(last).toMatchObject({ body: 'stubborn', receiveCount: 50 });
    });

    it('ignores changeVisibility with a stale handle or for a message no longer in flight', async () => {
      // Prepare
      const queue = makeQueue(connect());
      await queue.send(['job']);
      const [first] = await queue.receive({ maxMessages: 1 });
      clock.advanceSeconds(30);

      // Act
      await queue.changeVisibility(first!.receiptHandle, 600);
      const expiredNotHidden = await queue.approximateCounts();
      const [second] = await queue.receive({ maxMessages: 1 });
      await queue.changeVisibility(first!.receiptHandle, 0);
      const staleIgnored = await queue.approximateCounts();

      // Assess
      expect(expiredNotHidden).toEqual({ visible: 1, inFlight: 0 });
      expect(second!.messageId).toBe(first!.messageId);
      expect(staleIgnored).toEqual({ visible: 0, inFlight: 1 });
    });
  });

  describe('several queues on one database', () => {
    it('keeps queues apart: messages, counts, receipt handles and purge', async () => {
      // Prepare
      const db = connect();
      const jobs = makeQueue(db, { name: 'jobs' });
      const anomalies = makeQueue(db, { name: 'anomalies' });
      await jobs.send(['job 1', 'job 2']);
      await anomalies.send(['anomaly']);
      const [job] = await jobs.receive({ maxMessages: 1 });

      // Act
      await anomalies.delete([job!.receiptHandle, 'no-such-handle']);
      const anomaliesReceived = await anomalies.receive({ maxMessages: 10 });
      jobs.purge();

      // Assess
      expect(anomaliesReceived.map((message) => message.body)).toEqual(['anomaly']);
      expect(await jobs.approximateCounts()).toEqual({ visible: 0, inFlight: 0 });
      expect(await anomalies.approximateCounts()).toEqual({ visible: 0, inFlight: 1 });
    });
  });

  describe('durability', () => {
    it('keeps messages across closing and reopening the database; in-flight ones return after their timeout', async () => {
      // Prepare
      const before = connect();
      const [inFlightId, ...waitingIds] = await makeQueue(before).send([
        'in flight',
        'waiting 1',
        'waiting 2',
      ]);
      await makeQueue(before).receive({ maxMessages: 1 });
      before.close();

      // Act
      const reopened = makeQueue(connect());
      const countsAfterRestart = await reopened.approximateCounts();
      const waiting = await reopened.receive({ maxMessages: 10, visibilityTimeoutSeconds: 600 });
      clock.advanceSeconds(30);
      const returned = await reopened.receive({ maxMessages: 10 });

      // Assess
      expect(countsAfterRestart).toEqual({ visible: 2, inFlight: 1 });
      expect(waiting.map((message) => message.messageId)).toEqual(waitingIds);
      expect(returned).toMatchObject([{ messageId: inFlightId, body: 'in flight', receiveCount: 2 }]);
    });
  });

  describe('several connections on one file', () => {
    it('never gives the same message to two connections receiving in turn', async () => {
      // Prepare
      const sent = await makeQueue(connect()).send(Array.from({ length: 200 }, (_, index) => `job ${index}`));
      const consumers = [
        makeQueue(connect(), { consumerId: 'a' }),
        makeQueue(connect(), { consumerId: 'b' }),
      ];
      const received: string[] = [];

      // Act
      for (let turn = 0; received.length < sent.length && turn < 100; turn += 1) {
        for (const consumer of consumers) {
          const batch = await consumer.receive({ maxMessages: 1 + (turn % 10) });
          received.push(...batch.map((message) => message.messageId));
        }
      }

      // Assess
      expect(received).toHaveLength(sent.length);
      expect(new Set(received)).toEqual(new Set(sent));
    });

    it('never gives the same message to two worker threads receiving at the same time', async () => {
      // Prepare
      // The threads read the system clock, so the messages are stamped with it too.
      const producer = makeQueue(connect(), { clock: systemClock });
      const sent = await producer.send(Array.from({ length: 600 }, (_, index) => `job ${index}`));
      const startSignal = new Int32Array(new SharedArrayBuffer(4));
      const workers = [0, 1, 2].map(
        (index) =>
          new Worker(CONSUMER_THREAD_SOURCE, {
            eval: true,
            workerData: { path, consumerId: `thread ${index}`, startSignal, queueModule: QUEUE_MODULE },
          }),
      );
      const ready = workers.map((worker) => new Promise((resolve) => worker.once('message', resolve)));
      const results = workers.map(
        (worker) =>
          new Promise<string[]>((resolve, reject) => {
            worker.on('message', (message: unknown) => {
              if (Array.isArray(message)) resolve(message as string[]);
            });
            worker.once('error', reject);
          }),
      );
      await Promise.all(ready);

      // Act
      Atomics.store(startSignal, 0, 1);
      Atomics.notify(startSignal, 0);
      const receivedByThread = await Promise.all(results);

      // Assess
      const received = receivedByThread.flat();
      expect(received).toHaveLength(sent.length);
      expect(new Set(received)).toEqual(new Set(sent));
      expect(await producer.approximateCounts()).toEqual({ visible: 0, inFlight: 0 });
    });
  });

  describe('releaseAbandoned', () => {
    it('makes the in-flight messages of consumers that are gone visible at once, keeping their receive count', async () => {
      // Prepare
      const db = connect();
      await makeQueue(db).send(['held by alive', 'held by crashed 1', 'held by crashed 2']);
      await makeQueue(db, { name: 'other' }).send(['other queue']);
      await makeQueue(db, { consumerId: 'alive' }).receive({ maxMessages: 1 });
      await makeQueue(db, { consumerId: 'crashed' }).receive({ maxMessages: 2 });
      await makeQueue(db, { name: 'other', consumerId: 'crashed' }).receive({ maxMessages: 1 });
      const queue = makeQueue(db, { consumerId: 'survivor' });

      // Act
      const released = queue.releaseAbandoned((consumerId) => consumerId === 'alive');
      const redelivered = await queue.receive({ maxMessages: 10 });

      // Assess
      expect(released).toBe(2);
      expect(redelivered.map((message) => [message.body, message.receiveCount])).toEqual([
        ['held by crashed 1', 2],
        ['held by crashed 2', 2],
      ]);
      expect(await makeQueue(db, { name: 'other' }).approximateCounts()).toEqual({ visible: 0, inFlight: 1 });
    });
  });

  describe('long poll', () => {
    it('returns no messages once waitSeconds has passed on an empty queue', async () => {
      // Prepare
      const queue = makeQueue(connect());
      const startedAt = performance.now();

      // Act
      const messages = await queue.receive({ maxMessages: 10, waitSeconds: 1 });

      // Assess
      expect(messages).toEqual([]);
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(950);
    });
  });

  describe('rejected input', () => {
    it('refuses a body over 256 KiB, naming its size and the limit, and stores none of the batch', async () => {
      // Prepare
      const queue = makeQueue(connect());
      const largestAllowed = 'x'.repeat(MAX_MESSAGE_BYTES);
      const tooLargeInBytes = 'é'.repeat(MAX_MESSAGE_BYTES / 2 + 1);

      // Act
      const sendingTooLarge = queue.send(['small', tooLargeInBytes]);

      // Assess
      await expect(sendingTooLarge).rejects.toThrow(MessageTooLargeError);
      await expect(queue.send(['small', tooLargeInBytes])).rejects.toThrow(
        /Message 1 for queue "jobs" is 262146 bytes, over the SQS limit of 262144 bytes/,
      );
      expect(await queue.approximateCounts()).toEqual({ visible: 0, inFlight: 0 });
      await expect(queue.send([largestAllowed])).resolves.toHaveLength(1);
    });

    it.each([0, 11, 2.5, Number.NaN])('refuses maxMessages %p with a RangeError', async (maxMessages) => {
      // Prepare
      const queue = makeQueue(connect());
      await queue.send(['job']);

      // Act
      const receiving = queue.receive({ maxMessages });

      // Assess
      await expect(receiving).rejects.toThrow(RangeError);
      await expect(queue.receive({ maxMessages })).rejects.toThrow(
        /maxMessages must be a whole number from 1 to 10/,
      );
      expect(await queue.approximateCounts()).toEqual({ visible: 1, inFlight: 0 });
    });

    it('refuses durations SQS would refuse', async () => {
      // Prepare
      const queue = makeQueue(connect());

      // Act
      const tooLongWait = queue.receive({ maxMessages: 1, waitSeconds: 21 });
      const negativeTimeout = queue.receive({ maxMessages: 1, visibilityTimeoutSeconds: -1 });
      const tooLongVisibility = queue.changeVisibility('handle', 43_201);

      // Assess
      await expect(tooLongWait).rejects.toThrow(/waitSeconds must be a whole number of seconds from 0 to 20/);
      await expect(negativeTimeout).rejects.toThrow(/visibilityTimeoutSeconds must be .* from 0 to 43200/);
      await expect(tooLongVisibility).rejects.toThrow(RangeError);
    });

    it('refuses a half-given or out-of-range redrive policy', () => {
      // Prepare
      const db = connect();

      // Act
      const withoutDeadLetterQueue = () => makeQueue(db, { maxReceiveCount: 3 });
      const zeroReceives = () => makeQueue(db, { maxReceiveCount: 0, deadLetterQueueName: 'jobs-dlq' });
      const intoItself = () => makeQueue(db, { maxReceiveCount: 3, deadLetterQueueName: 'jobs' });

      // Assess
      expect(withoutDeadLetterQueue).toThrow(QueueConfigurationError);
      expect(withoutDeadLetterQueue).toThrow(/needs both maxReceiveCount and deadLetterQueueName/);
      expect(zeroReceives).toThrow(/maxReceiveCount must be a whole number from 1 to 1000/);
      expect(intoItself).toThrow(/deadLetterQueueName must name another queue/);
    });
  });
});

const QUEUE_MODULE = join(__dirname, '..', '..', 'shared', 'adapters', 'local', 'sqlite', 'queue.ts');

/**
 * A consumer thread: opens its own connection, waits for the start signal so all threads race together,
 * then receives and deletes until the queue is empty and posts the message ids it got.
 */
const CONSUMER_THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require('tsx/cjs');
const { SqliteQueue } = require(workerData.queueModule);
const { openDatabase } = require(workerData.queueModule.replace(/queue\\.ts$/, 'database.ts'));
const db = openDatabase(workerData.path);
const queue = new SqliteQueue({ db, name: 'jobs', visibilityTimeoutSeconds: 300, consumerId: workerData.consumerId });
parentPort.postMessage('ready');
Atomics.wait(workerData.startSignal, 0, 0);
(async () => {
  const ids = [];
  for (;;) {
    const batch = await queue.receive({ maxMessages: 10 });
    if (batch.length === 0) break;
    ids.push(...batch.map((message) => message.messageId));
    await queue.delete(batch.map((message) => message.receiptHandle));
  }
  db.close();
  parentPort.postMessage(ids);
})();
`;
