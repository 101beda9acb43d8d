import type { Queue } from '@shared/ports/queue';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { toSqsEvent } from './sqs-event';

/** How a local event source mapping feeds one function from one queue. */
export interface QueuePollerOptions {
  readonly queue: Queue;
  /** Messages per invocation. */
  readonly batchSize: number;
  /** Invocations at once. */
  readonly concurrency: number;
  /**
   * After a failed invocation or record, the message becomes visible again after this long. Lambda waits for the
   * visibility timeout; locally a short delay keeps retries from stalling a run, while the visibility timeout
   * still covers a consumer that crashed.
   */
  readonly retryDelaySeconds: number;
  readonly invoke: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** A failed invocation (the handler threw): every message of it is retried. */
  readonly onInvocationError: (error: unknown) => void;
}

/**
 * The local SQS event source mapping: long-polls a queue, invokes the function with SQS-shaped batches, deletes
 * what succeeded and returns what failed (`batchItemFailures`) to the queue for a retry.
 */
export class QueuePoller {
  private running = false;
  private loops: Promise<void>[] = [];
  private busy = 0;

  constructor(private readonly options: QueuePollerOptions) {}

  /** Starts polling with `concurrency` loops. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency }, () => this.loop());
  }

  /** Stops polling; waits for invocations under way to finish. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Invocations under way. */
  get inFlight(): number {
    return this.busy;
  }

  private async loop(): Promise<void> {
    const { queue, batchSize } = this.options;
    while (this.running) {
      const messages = await queue.receive({ maxMessages: batchSize, waitSeconds: 1 });
      if (messages.length === 0) continue;
      this.busy++;
      try {
        await this.invoke(messages);
      } finally {
        this.busy--;
      }
    }
  }

  private async invoke(messages: Awaited<ReturnType<Queue['receive']>>): Promise<void> {
    const { queue, retryDelaySeconds } = this.options;
    let failed: Set<string>;
    try {
      const response = await this.options.invoke(toSqsEvent(queue.name, messages, Date.now()));
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.options.onInvocationError(error);
      failed = new Set(messages.map((message) => message.messageId));
    }
    const succeeded = messages.filter((message) => !failed.has(message.messageId));
    if (succeeded.length) await queue.delete(succeeded.map((message) => message.receiptHandle));
    for (const message of messages) {
      if (failed.has(message.messageId))
        await queue.changeVisibility(message.receiptHandle, retryDelaySeconds);
    }
  }
}
