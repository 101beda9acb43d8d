import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import Piscina from 'piscina';
import type { WorkerInvocationResult, WorkerThreadOptions } from './backtest-worker-thread';

/** The default pool size: every core. */
export function defaultWorkerCount(): number {
  return availableParallelism();
}

/**
 * A pool of worker threads, each one a warm `backtest-worker` container: CPU-heavy backtests run beside the main
 * thread, which keeps polling queues and serving HTTP.
 */
export class BacktestWorkerPool {
  private readonly pool: Piscina;

  constructor(
    readonly size: number,
    private readonly options: WorkerThreadOptions,
  ) {
    this.pool = new Piscina({
      filename: join(__dirname, 'backtest-worker-thread.cjs'),
      minThreads: size,
      maxThreads: size,
      idleTimeout: Number.POSITIVE_INFINITY,
    });
  }

  /** Loads the worker code in every thread now, so the first jobs do not pay for it. */
  async warmUp(): Promise<void> {
    await Promise.all(
      Array.from({ length: this.size }, () => this.pool.run({ warmUp: true, options: this.options })),
    );
  }

  /** Runs one invocation on a free thread. */
  async run(event: SQSEvent): Promise<WorkerInvocationResult> {
    return (await this.pool.run({ event, options: this.options })) as WorkerInvocationResult;
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
