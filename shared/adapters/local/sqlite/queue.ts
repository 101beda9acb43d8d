import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import { type Clock, systemClock } from '../../../ports/clock';
import {
  MAX_MESSAGE_BYTES,
  MessageTooLargeError,
  type Queue,
  type ReceivedMessage,
  type ReceiveOptions,
} from '../../../ports/queue';
import { migrate, type SqliteDatabase } from './database';

/** The longest visibility timeout SQS accepts, in seconds (12 hours). */
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
/** The longest long poll SQS accepts, in seconds. */
const MAX_WAIT_SECONDS = 20;
/** The largest redrive maxReceiveCount SQS accepts. */
const MAX_RECEIVE_COUNT_LIMIT = 1000;
/** How often a long poll looks for a visible message again. */
const LONG_POLL_INTERVAL_MS = 25;

/**
 * One table holds the messages of every queue on the database. `sequence` is the send order (oldest first);
 * a message is visible when `visible_at` has passed and in flight while it lies in the future. The index
 * walks one queue in send order and skips in-flight rows without reading the table.
 */
const SCHEMA = `
CREATE TABLE queue_messages (
  sequence       INTEGER PRIMARY KEY,
  queue_name     TEXT    NOT NULL,
  message_id     TEXT    NOT NULL,
  body           TEXT    NOT NULL,
  sent_at        INTEGER NOT NULL,
  visible_at     INTEGER NOT NULL,
  receive_count  INTEGER NOT NULL DEFAULT 0,
  receipt_handle TEXT    UNIQUE,
  consumer_id    TEXT
) STRICT;
CREATE INDEX queue_messages_by_queue ON queue_messages (queue_name, sequence, visible_at);
`;

/** Queue settings SQS would refuse: thrown by the `SqliteQueue` constructor. */
export class QueueConfigurationError extends Error {
  override readonly name = 'QueueConfigurationError';
  constructor(
    readonly queueName: string,
    problem: string,
  ) {
    super(`Queue "${queueName}": ${problem}`);
  }
}

/** Settings of one {@link SqliteQueue}. */
export interface SqliteQueueOptions {
  /** The database holding every queue's messages; its owner opens and closes it. */
  readonly db: SqliteDatabase;
  /** The queue's name; queues on one database are told apart by it. */
  readonly name: string;
  /** How long a received message stays hidden unless deleted (0 to 43,200 whole seconds). */
  readonly visibilityTimeoutSeconds: number;
  /** Redrive: a message is delivered at most this many times, then moved to the dead-letter queue (1 to 1,000). */
  readonly maxReceiveCount?: number;
  /** Redrive: the name of the queue on the same database that takes messages past `maxReceiveCount`. */
  readonly deadLetterQueueName?: string;
  /** Source of the current time for visibility and timestamps (default: the system clock). */
  readonly clock?: Clock;
  /** Recorded with every receive for `releaseAbandoned` (default: `<process id>:<thread id>`). */
  readonly consumerId?: string;
}

interface CandidateRow {
  sequence: number;
  message_id: string;
  body: string;
  sent_at: number;
  receive_count: number;
}

interface CountsRow {
  visible: number | null;
  in_flight: number | null;
}

type RedrivePolicy = { maxReceiveCount: number; deadLetterQueueName: string };

/**
 * A durable queue in SQLite with SQS standard-queue semantics, for the one-machine runtime. Several connections
 * (worker threads, processes) may share the database file: every receive runs in one `BEGIN IMMEDIATE`
 * transaction, so no two of them ever hold the same message at once.
 */
export class SqliteQueue implements Queue {
  readonly name: string;
  private readonly visibilityTimeoutMs: number;
  private readonly redrive: RedrivePolicy | undefined;
  private readonly clock: Clock;
  private readonly consumerId: string;

  private readonly insertMessage;
  private readonly selectAnyVisible;
  private readonly selectVisible;
  private readonly markReceived;
  private readonly moveToDeadLetters;
  private readonly deleteByHandle;
  private readonly changeVisibilityByHandle;
  private readonly countMessages;
  private readonly selectInFlightConsumers;
  private readonly releaseConsumer;
  private readonly deleteAll;

  private readonly sendAll: (rows: { messageId: string; body: string }[], now: number) => void;
  private readonly receiveVisible: (maxMessages: number, visibilityTimeoutMs: number) => ReceivedMessage[];
  private readonly deleteHandles: (receiptHandles: readonly string[]) => void;
  private readonly releaseConsumers: (consumerIds: readonly string[], now: number) => number;

  constructor(options: SqliteQueueOptions) {
    const { db, name } = options;
    if (name.length === 0) throw new QueueConfigurationError(name, 'the name must not be empty.');
    this.name = name;
    const timeoutProblem = secondsProblem('visibilityTimeoutSeconds', options.visibilityTimeoutSeconds);
    if (timeoutProblem !== undefined) throw new QueueConfigurationError(name, timeoutProblem);
    this.visibilityTimeoutMs = options.visibilityTimeoutSeconds * 1000;
    this.redrive = redrivePolicyOf(options);
    this.clock = options.clock ?? systemClock;
    this.consumerId = options.consumerId ?? `${process.pid}:${threadId}`;

    migrate(db, 'queue_messages: create', SCHEMA);

    this.insertMessage = db.prepare<[string, string, string, number, number], void>(
      'INSERT INTO queue_messages (queue_name, message_id, body, sent_at, visible_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectAnyVisible = db
      .prepare<[string, number], number>(
        'SELECT 1 FROM queue_messages WHERE queue_name = ? AND visible_at <= ? LIMIT 1',
      )
      .pluck();
    // `sequence > ?` resumes after rows already handled, so a timeout of 0 cannot deliver a row twice.
    this.selectVisible = db.prepare<[string, number, number, number], CandidateRow>(
      `SELECT sequence, message_id, body, sent_at, receive_count FROM queue_messages
       WHERE queue_name = ? AND sequence > ? AND visible_at <= ? ORDER BY sequence LIMIT ?`,
    );
    this.markReceived = db.prepare<[number, string, string, number], void>(
      `UPDATE queue_messages
       SET visible_at = ?, receive_count = receive_count + 1, receipt_handle = ?, consumer_id = ?
       WHERE sequence = ?`,
    );
    this.moveToDeadLetters = db.prepare<[string, number, number], void>(
      `UPDATE queue_messages
       SET queue_name = ?, visible_at = ?, receive_count = 0, receipt_handle = NULL, consumer_id = NULL
       WHERE sequence = ?`,
    );
    this.deleteByHandle = db.prepare<[string, string], void>(
      'DELETE FROM queue_messages WHERE queue_name = ? AND receipt_handle = ?',
    );
    this.changeVisibilityByHandle = db.prepare<[number, string, string, number], void>(
      'UPDATE queue_messages SET visible_at = ? WHERE queue_name = ? AND receipt_handle = ? AND visible_at > ?',
    );
    this.countMessages = db.prepare<[number, number, string], CountsRow>(
      `SELECT SUM(visible_at <= ?) AS visible, SUM(visible_at > ?) AS in_flight
       FROM queue_messages WHERE queue_name = ?`,
    );
    this.selectInFlightConsumers = db
      .prepare<[string, number], string>(
        `SELECT DISTINCT consumer_id FROM queue_messages
         WHERE queue_name = ? AND visible_at > ? AND consumer_id IS NOT NULL`,
      )
      .pluck();
    this.releaseConsumer = db.prepare<[number, string, string, number], void>(
      'UPDATE queue_messages SET visible_at = ? WHERE queue_name = ? AND consumer_id = ? AND visible_at > ?',
    );
    this.deleteAll = db.prepare<[string], void>('DELETE FROM queue_messages WHERE queue_name = ?');

    this.sendAll = db.transaction((rows: { messageId: string; body: string }[], now: number) => {
      for (const row of rows) this.insertMessage.run(this.name, row.messageId, row.body, now, now);
    });
    const receiveVisible = db.transaction((maxMessages: number, visibilityTimeoutMs: number) =>
      this.takeVisible(maxMessages, visibilityTimeoutMs),
    );
    // IMMEDIATE takes the write lock before reading, so two connections cannot pick the same rows.
    this.receiveVisible = receiveVisible.immediate;
    this.deleteHandles = db.transaction((receiptHandles: readonly string[]) => {
      for (const handle of receiptHandles) this.deleteByHandle.run(this.name, handle);
    });
    this.releaseConsumers = db.transaction((consumerIds: readonly string[], now: number) => {
      let released = 0;
      for (const consumerId of consumerIds) {
        released += this.releaseConsumer.run(now, this.name, consumerId, now).changes;
      }
      return released;
    }).immediate;
  }

  /** Stores the messages in one transaction and returns their ids in order; a body over 256 KiB stores none. */
  async send(bodies: readonly string[]): Promise<string[]> {
    bodies.forEach((body, index) => {
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(this.name, index, bytes);
    });
    const rows = bodies.map((body) => ({ messageId: randomUUID(), body }));
    if (rows.length > 0) this.sendAll(rows, this.clock.now());
    return rows.map((row) => row.messageId);
  }

  /**
   * Receives up to `maxMessages` visible messages, oldest first, hiding each for the visibility timeout. With
   * `waitSeconds`, looks again every few milliseconds (real time, whatever the clock) until one is visible.
   * Throws a RangeError for options SQS would refuse.
   */
  async receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const { maxMessages } = options;
    if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > 10) {
      throw new RangeError(
        `maxMessages must be a whole number from 1 to 10 (as in SQS), got ${maxMessages}.`,
      );
    }
    const { visibilityTimeoutSeconds, waitSeconds = 0 } = options;
    const problem =
      (visibilityTimeoutSeconds === undefined
        ? undefined
        : secondsProblem('visibilityTimeoutSeconds', visibilityTimeoutSeconds)) ??
      secondsProblem('waitSeconds', waitSeconds, MAX_WAIT_SECONDS);
    if (problem !== undefined) throw new RangeError(problem);
    const visibilityTimeoutMs =
      visibilityTimeoutSeconds === undefined ? this.visibilityTimeoutMs : visibilityTimeoutSeconds * 1000;
    const waitMs = waitSeconds * 1000;

    const deadline = performance.now() + waitMs;
    let messages = this.receiveVisible(maxMessages, visibilityTimeoutMs);
    while (messages.length === 0) {
      const remainingMs = deadline - performance.now();
      if (remainingMs <= 0) break;
      await sleep(Math.min(LONG_POLL_INTERVAL_MS, remainingMs));
      // A long poll looks with a plain read first, so waiting consumers do not take turns at the write lock.
      if (this.selectAnyVisible.get(this.name, this.clock.now()) !== undefined) {
        messages = this.receiveVisible(maxMessages, visibilityTimeoutMs);
      }
    }
    return messages;
  }

  /** Deletes the messages whose current receipt handle is given; stale or unknown handles are ignored, as in SQS. */
  async delete(receiptHandles: readonly string[]): Promise<void> {
    if (receiptHandles.length > 0) this.deleteHandles(receiptHandles);
  }

  /**
   * Makes an in-flight message visible again after `seconds` (0: at once). A handle that is stale (the message
   * was received again), unknown, or whose message is no longer in flight is ignored where SQS would reply
   * with an error, so that a late consumer cannot hide a message another consumer may be about to take.
   */
  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    const problem = secondsProblem('changeVisibility seconds', seconds);
    if (problem !== undefined) throw new RangeError(problem);
    const now = this.clock.now();
    this.changeVisibilityByHandle.run(now + seconds * 1000, this.name, receiptHandle, now);
  }

  /** Messages of this queue waiting (visible) and received but neither deleted nor expired (in flight); exact here. */
  async approximateCounts(): Promise<{ visible: number; inFlight: number }> {
    const now = this.clock.now();
    const counts = this.countMessages.get(now, now, this.name);
    return { visible: counts?.visible ?? 0, inFlight: counts?.in_flight ?? 0 };
  }

  /**
   * Local only (not on the port): makes every in-flight message of this queue whose receiving consumer is no
   * longer alive visible at once, so a crashed process does not stall its jobs for a whole visibility timeout.
   * The receive still counts towards the redrive policy, so a message that crashes its consumer reaches the
   * dead-letter queue. Returns how many messages were released.
   */
  releaseAbandoned(isAlive: (consumerId: string) => boolean): number {
    const consumers = this.selectInFlightConsumers.all(this.name, this.clock.now());
    const abandoned = consumers.filter((consumerId) => !isAlive(consumerId));
    if (abandoned.length === 0) return 0;
    return this.releaseConsumers(abandoned, this.clock.now());
  }

  /** Local only (not on the port): deletes every message of this queue, visible or in flight. */
  purge(): void {
    this.deleteAll.run(this.name);
  }

  /** Runs inside the receive transaction: delivers visible rows in send order, redriving those used up. */
  private takeVisible(maxMessages: number, visibilityTimeoutMs: number): ReceivedMessage[] {
    const now = this.clock.now();
    const received: ReceivedMessage[] = [];
    let after = -1;
    while (received.length < maxMessages) {
      const candidates = this.selectVisible.all(this.name, after, now, maxMessages - received.length);
      if (candidates.length === 0) break;
      for (const row of candidates) {
        after = row.sequence;
        if (this.redrive !== undefined && row.receive_count >= this.redrive.maxReceiveCount) {
          this.moveToDeadLetters.run(this.redrive.deadLetterQueueName, now, row.sequence);
          continue;
        }
        const receiptHandle = randomUUID();
        this.markReceived.run(now + visibilityTimeoutMs, receiptHandle, this.consumerId, row.sequence);
        received.push({
          messageId: row.message_id,
          body: row.body,
          receiptHandle,
          receiveCount: row.receive_count + 1,
          sentTimestamp: row.sent_at,
        });
      }
    }
    return received;
  }
}

/** Says what is wrong with a duration SQS would refuse (whole seconds from 0 to `max`), or undefined. */
function secondsProblem(
  field: string,
  seconds: number,
  max = MAX_VISIBILITY_TIMEOUT_SECONDS,
): string | undefined {
  if (Number.isInteger(seconds) && seconds >= 0 && seconds <= max) return undefined;
  return `${field} must be a whole number of seconds from 0 to ${max} (as in SQS), got ${seconds}.`;
}

function redrivePolicyOf(options: SqliteQueueOptions): RedrivePolicy | undefined {
  const { name, maxReceiveCount, deadLetterQueueName } = options;
  if (maxReceiveCount === undefined && deadLetterQueueName === undefined) return undefined;
  if (maxReceiveCount === undefined || deadLetterQueueName === undefined) {
    throw new QueueConfigurationError(
      name,
      'a redrive policy needs both maxReceiveCount and deadLetterQueueName; give both, or neither to retry forever.',
    );
  }
  if (
    !Number.isInteger(maxReceiveCount) ||
    maxReceiveCount < 1 ||
    maxReceiveCount > MAX_RECEIVE_COUNT_LIMIT
  ) {
    throw new QueueConfigurationError(
      name,
      `maxReceiveCount must be a whole number from 1 to ${MAX_RECEIVE_COUNT_LIMIT} (as in SQS), got ${maxReceiveCount}.`,
    );
  }
  if (deadLetterQueueName === name || deadLetterQueueName.length === 0) {
    throw new QueueConfigurationError(name, 'deadLetterQueueName must name another queue.');
  }
  return { maxReceiveCount, deadLetterQueueName };
}
