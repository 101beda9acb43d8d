import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  MAX_MESSAGE_BYTES,
  MessageTooLargeError,
  type Queue,
  type ReceivedMessage,
  type ReceiveOptions,
} from '../../ports/queue';

/** The most entries SQS takes in one SendMessageBatch or DeleteMessageBatch call. */
const BATCH_ENTRIES = 10;
/** The largest SendMessageBatch payload (every body together) sent in one call. */
const MAX_BATCH_BYTES = MAX_MESSAGE_BYTES;
/** The longest visibility timeout SQS accepts, in seconds (12 hours). */
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
/** The longest long poll SQS accepts, in seconds. */
const MAX_WAIT_SECONDS = 20;

/**
 * Errors SQS answers ChangeMessageVisibility with when the receipt handle is no longer current or its message
 * is no longer in flight; the port ignores those cases.
 */
const STALE_HANDLE_ERRORS = new Set(['MessageNotInflight', 'ReceiptHandleIsInvalid']);

/** One batch entry SQS refused, by its position in the array given to the call. */
export interface QueueEntryFailure {
  readonly index: number;
  readonly code: string;
  readonly message: string;
}

/** SQS refused some messages of a `send`; the others were sent. */
export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';
  constructor(
    readonly queueName: string,
    readonly failures: readonly QueueEntryFailure[],
    readonly attempted: number,
  ) {
    super(
      `${failures.length} of ${attempted} messages for queue "${queueName}" were not sent: ` +
        `${describeFailures(failures)}. The other messages were sent; sending the whole batch again is safe ` +
        `because consumers must tolerate duplicates (delivery is at least once).`,
    );
  }
}

/** SQS refused to delete some messages for a reason other than a stale receipt handle. */
export class QueueDeleteError extends Error {
  override readonly name = 'QueueDeleteError';
  constructor(
    readonly queueName: string,
    readonly failures: readonly QueueEntryFailure[],
  ) {
    super(
      `${failures.length} messages of queue "${queueName}" could not be deleted: ${describeFailures(failures)}. ` +
        `They will be delivered again after their visibility timeout; check the queue's permissions and URL.`,
    );
  }
}

/** SQS answered a receive with a message lacking a field every message carries. */
export class QueueResponseError extends Error {
  override readonly name = 'QueueResponseError';
  constructor(queueName: string, field: string) {
    super(
      `SQS returned a message of queue "${queueName}" without ${field}; check that the queue URL points at SQS ` +
        `(or a compatible server) and that the receive asked for ApproximateReceiveCount and SentTimestamp.`,
    );
  }
}

/** Settings of one {@link SqsQueue}. */
export interface SqsQueueOptions {
  /** The SQS client; its owner configures region, endpoint and credentials. */
  readonly client: SQSClient;
  /** The queue's URL (the CDK stack passes it to handlers in an environment variable). */
  readonly queueUrl: string;
  /** The queue's name, as the port reports it (the last segment of the URL). */
  readonly name: string;
}

/**
 * The port's queue on Amazon SQS (a standard queue; the redrive policy to its dead-letter queue is set on the
 * queue itself). Sends and deletes go in batches of 10; stale receipt handles are ignored as the port requires.
 */
export class SqsQueue implements Queue {
  readonly name: string;
  private readonly client: SQSClient;
  private readonly queueUrl: string;

  constructor(options: SqsQueueOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.name = options.name;
  }

  /** Sends the bodies with SendMessageBatch (10 a call, at most 256 KiB a call); returns their ids in order. */
  async send(bodies: readonly string[]): Promise<string[]> {
    const sizes = bodies.map((body) => Buffer.byteLength(body, 'utf8'));
    sizes.forEach((bytes, index) => {
      if (bytes > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(this.name, index, bytes);
    });
    const messageIds: string[] = [];
    const failures: QueueEntryFailure[] = [];
    for (const batch of sendBatches(sizes)) {
      const response = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((index) => ({ Id: String(index), MessageBody: bodies[index]! })),
        }),
      );
      for (const entry of response.Successful ?? []) messageIds[Number(entry.Id)] = entry.MessageId ?? '';
      for (const entry of response.Failed ?? []) {
        failures.push({
          index: Number(entry.Id),
          code: entry.Code ?? 'unknown',
          message: entry.Message ?? '',
        });
      }
    }
    if (failures.length > 0) throw new QueueSendError(this.name, failures, bodies.length);
    return messageIds;
  }

  /** Receives up to `maxMessages` messages with their receive count and sent timestamp. */
  async receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const { maxMessages, visibilityTimeoutSeconds, waitSeconds = 0 } = options;
    if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > 10) {
      throw new RangeError(
        `maxMessages must be a whole number from 1 to 10 (as in SQS), got ${maxMessages}.`,
      );
    }
    const problem =
      (visibilityTimeoutSeconds === undefined
        ? undefined
        : secondsProblem('visibilityTimeoutSeconds', visibilityTimeoutSeconds)) ??
      secondsProblem('waitSeconds', waitSeconds, MAX_WAIT_SECONDS);
    if (problem !== undefined) throw new RangeError(problem);
    const response = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: maxMessages,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        WaitTimeSeconds: waitSeconds,
        ...(visibilityTimeoutSeconds === undefined ? {} : { VisibilityTimeout: visibilityTimeoutSeconds }),
      }),
    );
    return (response.Messages ?? []).map((message) => this.toReceived(message));
  }

  /** Deletes with DeleteMessageBatch (10 a call); entries refused for an invalid receipt handle are ignored. */
  async delete(receiptHandles: readonly string[]): Promise<void> {
    const failures: QueueEntryFailure[] = [];
    for (let start = 0; start < receiptHandles.length; start += BATCH_ENTRIES) {
      const handles = receiptHandles.slice(start, start + BATCH_ENTRIES);
      const response = await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: handles.map((handle, offset) => ({ Id: String(start + offset), ReceiptHandle: handle })),
        }),
      );
      for (const entry of response.Failed ?? []) {
        if (entry.Code === 'ReceiptHandleIsInvalid') continue;
        failures.push({
          index: Number(entry.Id),
          code: entry.Code ?? 'unknown',
          message: entry.Message ?? '',
        });
      }
    }
    if (failures.length > 0) throw new QueueDeleteError(this.name, failures);
  }

  /**
   * Makes an in-flight message visible again after `seconds`. The errors SQS returns for a message no longer in
   * flight or a receipt handle that is no longer valid are ignored, as the port documents.
   */
  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    const problem = secondsProblem('changeVisibility seconds', seconds);
    if (problem !== undefined) throw new RangeError(problem);
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      if (!isStaleHandleError(error)) throw error;
    }
  }

  /** ApproximateNumberOfMessages and ApproximateNumberOfMessagesNotVisible, from GetQueueAttributes. */
  async approximateCounts(): Promise<{ visible: number; inFlight: number }> {
    const response = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const attributes = response.Attributes ?? {};
    return {
      visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }

  private toReceived(message: Message): ReceivedMessage {
    const { MessageId, Body, ReceiptHandle, Attributes } = message;
    if (MessageId === undefined) throw new QueueResponseError(this.name, 'MessageId');
    if (Body === undefined) throw new QueueResponseError(this.name, 'Body');
    if (ReceiptHandle === undefined) throw new QueueResponseError(this.name, 'ReceiptHandle');
    const receiveCount = Number(Attributes?.ApproximateReceiveCount);
    const sentTimestamp = Number(Attributes?.SentTimestamp);
    if (!Number.isFinite(receiveCount)) throw new QueueResponseError(this.name, 'ApproximateReceiveCount');
    if (!Number.isFinite(sentTimestamp)) throw new QueueResponseError(this.name, 'SentTimestamp');
    return { messageId: MessageId, body: Body, receiptHandle: ReceiptHandle, receiveCount, sentTimestamp };
  }
}

/** Groups message positions into SendMessageBatch calls of at most 10 entries and 256 KiB of bodies. */
function sendBatches(sizes: readonly number[]): number[][] {
  const batches: number[][] = [];
  let batch: number[] = [];
  let batchBytes = 0;
  sizes.forEach((bytes, index) => {
    if (batch.length === BATCH_ENTRIES || (batch.length > 0 && batchBytes + bytes > MAX_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push(index);
    batchBytes += bytes;
  });
  if (batch.length > 0) batches.push(batch);
  return batches;
}

function describeFailures(failures: readonly QueueEntryFailure[]): string {
  return failures
    .map((failure) => `message ${failure.index} (${failure.code}: ${failure.message})`)
    .join(', ');
}

/**
 * True for the errors SQS returns when a receipt handle is stale or its message is gone or no longer in flight:
 * MessageNotInflight, ReceiptHandleIsInvalid, or InvalidParameterValue naming the receipt handle.
 */
function isStaleHandleError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { Code?: unknown }).Code;
  const names = [error.name, typeof code === 'string' ? code.replace(/^AWS\.SimpleQueueService\./, '') : ''];
  if (names.some((name) => STALE_HANDLE_ERRORS.has(name))) return true;
  return names.includes('InvalidParameterValue') && /receipt ?handle/i.test(error.message);
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
