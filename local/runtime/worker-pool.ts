import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import Piscina from 'piscina';
import type { WorkerInvocationResult, WorkerThreadOptions } from './backtest-worker-thread';
import { workerBundle } from './worker-bundle';

/** The default pool size: every core. */
export function defaultWorkerCount(): number {
  return availableParallelism();
}

/**
 * A pool of worker threads, each one a warm `backtest-worker` container: CPU-heavy backtests run beside the main
 * thread, which keeps polling queues and serving HTTP.
 */
export class BacktestWorkerPool {
  private readonly pool: Promise<Piscina>;

  constructor(
    readonly size: number,
    private readonly options: WorkerThreadOptions,
  ) {
    this.pool = workerBundle()
      // Without a bundle (say, node_modules is read-only) the threads compile the TypeScript through tsx.
      .catch(() => join(__dirname, 'backtest-worker-thread.cjs'))
      // execArgv [] keeps a parent's --require/--import hooks (tsx's loader) out of the threads: they need none.
      .then(
        (filename) =>
          new Piscina({
            filename,
            minThreads: size,
            maxThreads: size,
            idleTimeout: Number.POSITIVE_INFINITY,
            execArgv: [],
          }),
      );
  }

  /** Loads the worker code in every thread now, so the first jobs do not pay for it. */
  async warmUp(): Promise<void> {
    const pool = await this.pool;
    await Promise.all(
      Array.from({ length: this.size }, () => pool.run({ warmUp: true, options: this.options })),
    );
  }

  /** Runs one invocation on a free thread. */
  async run(event: SQSEvent): Promise<WorkerInvocationResult> {
    return (await (await this.pool).run({ event, options: this.options })) as WorkerInvocationResult;
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    await (await this.pool).destroy();
  }
}
