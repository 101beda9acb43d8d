import { threadId } from 'node:worker_threads';
import type { BusEvent } from '@shared/ports/event-bus';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createBacktestWorker } from '../../functions/backtest-worker/app';
import { CollectingEventBus } from './collecting-bus';
import { localSweepDependencies, openLocalAdapters } from './local-adapters';

/** What a worker thread answers for one invocation: the batch response and the events its handler put. */
export interface WorkerInvocationResult {
  readonly response: SQSBatchResponse;
  readonly events: BusEvent[];
}

/** Options the pool gives each worker thread. */
export interface WorkerThreadOptions {
  readonly home: string;
}

let invoke: ((event: SQSEvent) => Promise<WorkerInvocationResult>) | undefined;

function setUp(options: WorkerThreadOptions) {
  // Like a Lambda container: its own connection and caches, kept warm between invocations.
  const adapters = openLocalAdapters(options.home, `${process.pid}:${threadId}`);
  const bus = new CollectingEventBus();
  const worker = createBacktestWorker(localSweepDependencies(adapters, bus));
  return async (event: SQSEvent) => {
    const response = await worker.handler(event);
    return { response, events: bus.take() };
  };
}

/** A task for a worker thread: one `backtest-worker` invocation, or a warm-up that only loads the code. */
export type WorkerTask =
  | { event: SQSEvent; options: WorkerThreadOptions }
  | { warmUp: true; options: WorkerThreadOptions };

/** The worker thread's entry: runs a task. */
export default async function runTask(task: WorkerTask): Promise<WorkerInvocationResult | undefined> {
  invoke ??= setUp(task.options);
  if ('warmUp' in task) return undefined;
  return invoke(task.event);
}
