/** The largest message body SQS accepts, in UTF-8 bytes (256 KiB); every queue refuses larger ones alike. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** A message too large for SQS: thrown by `send` before anything of the call is sent or stored. */
export class MessageTooLargeError extends Error {
  override readonly name = 'MessageTooLargeError';
  constructor(
    readonly queueName: string,
    /** Position of the body in the array given to `send`. */
    readonly index: number,
    readonly bytes: number,
  ) {
    super(
      `Message ${index} for queue "${queueName}" is ${bytes} bytes, over the SQS limit of ${MAX_MESSAGE_BYTES} ` +
        `bytes (256 KiB). Store the payload elsewhere (a file or table) and send its key instead.`,
    );
  }
}

/** A message as a consumer receives it. */
export interface ReceivedMessage {
  /** Set when the message is sent; kept when it moves to the dead-letter queue. */
  readonly messageId: string;
  readonly body: string;
  /** Identifies this receipt for delete and changeVisibility; every receive issues a new one. */
  readonly receiptHandle: string;
  /**
   * Times the message has been received, this receive included (SQS ApproximateReceiveCount). After a move to
   * the dead-letter queue the local queue counts from 1 again, while an SQS server may go on counting.
   */
  readonly receiveCount: number;
  /** Epoch ms when the message was first sent. */
  readonly sentTimestamp: number;
}

/** Options of one receive call. */
export interface ReceiveOptions {
  /** 1 to 10; anything else is a RangeError. */
  readonly maxMessages: number;
  /** Overrides the queue's visibility timeout for the messages received. */
  readonly visibilityTimeoutSeconds?: number;
  /** Long poll: wait up to this long (0 to 20 seconds) for a first message (0 returns at once). */
  readonly waitSeconds?: number;
}

/**
 * A durable queue with SQS standard-queue semantics: at-least-once delivery; a received message is hidden for
 * the visibility timeout and comes back unless deleted; a message received more than the redrive policy's
 * maximum receive count moves to the dead-letter queue instead of being delivered.
 */
export interface Queue {
  /** The queue's name (the SQS queue name, or the local queue's key in its database). */
  readonly name: string;
  /** Sends messages (SQS batches them by 10); returns their message ids in order. */
  send(bodies: readonly string[]): Promise<string[]>;
  /** Receives up to `maxMessages` visible messages, hiding each for the visibility timeout; no order is promised. */
  receive(options: ReceiveOptions): Promise<ReceivedMessage[]>;
  /** Acknowledges received messages. A receipt handle that is no longer current is ignored. */
  delete(receiptHandles: readonly string[]): Promise<void>;
  /**
   * Makes an in-flight message visible again after `seconds` (0: at once). A receipt handle that is no longer
   * current, or whose message is no longer in flight, is ignored.
   */
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
  /** Messages waiting (visible) and received but not yet deleted (in flight), approximately. */
  approximateCounts(): Promise<{ visible: number; inFlight: number }>;
}
