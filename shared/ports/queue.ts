/** A message as a consumer receives it. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly body: string;
  /** Identifies this receipt for delete and changeVisibility; every receive issues a new one. */
  readonly receiptHandle: string;
  /** Times the message has been received, this receive included (SQS ApproximateReceiveCount). */
  readonly receiveCount: number;
  /** Epoch ms when the message was first sent. */
  readonly sentTimestamp: number;
}

/** Options of one receive call. */
export interface ReceiveOptions {
  /** 1 to 10. */
  readonly maxMessages: number;
  /** Overrides the queue's visibility timeout for the messages received. */
  readonly visibilityTimeoutSeconds?: number;
  /** Long poll: wait up to this long for a first message (0 returns at once). */
  readonly waitSeconds?: number;
}

/**
 * A durable queue with SQS standard-queue semantics: at-least-once delivery; a received message is hidden for
 * the visibility timeout and comes back unless deleted; a message received more than the redrive policy's
 * maximum receive count moves to the dead-letter queue instead of being delivered.
 */
export interface Queue {
  readonly name: string;
  /** Sends messages (SQS batches them by 10); returns their message ids in order. */
  send(bodies: readonly string[]): Promise<string[]>;
  receive(options: ReceiveOptions): Promise<ReceivedMessage[]>;
  /** Acknowledges received messages. A receipt handle that is no longer current is ignored. */
  delete(receiptHandles: readonly string[]): Promise<void>;
  /** Makes a received message visible again after `seconds` (0: at once). */
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
  /** Messages waiting (visible) and received but not yet deleted (in flight), approximately. */
  approximateCounts(): Promise<{ visible: number; inFlight: number }>;
}
