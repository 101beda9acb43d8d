import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Bars } from '@shared/market-data/bars';
import type { Json } from '@shared/ports/json';
import type { Strategy } from '@shared/strategies/api';
import { runJob } from '@shared/sweep/run-job';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BacktestJobMessageSchema } from '../../events/catalog';
import { announceIfComplete } from '../lib/complete-sweep';
import type { SweepDependencies } from '../lib/sweep-deps';

/** Data sets kept in memory between invocations, like a warm Lambda container keeps them. */
const CACHED_DATASETS = 4;

/**
 * `backtest-worker`: runs each queued job (every combination on the full period and each in-sample fold),
 * stores the result once, and announces the sweep's completion when its last job is in. A job that throws is
 * reported as a batch item failure, so only it is retried; its error is kept for the dead-letter record.
 */
export function createBacktestWorker(deps: SweepDependencies) {
  const datasets = new Map<string, Bars>();
  const strategies = new Map<string, Strategy>();
  const processor = new BatchProcessor(EventType.SQS);

  async function barsFor(hash: string): Promise<Bars> {
    let bars = datasets.get(hash);
    if (!bars) {
      bars = (await deps.datasets.get(hash)) as Bars | undefined;
      if (!bars) throw new Error(`data set ${hash} is not stored`);
      if (datasets.size >= CACHED_DATASETS) datasets.delete(datasets.keys().next().value!);
      datasets.set(hash, bars);
    }
    return bars;
  }

  async function processRecord(record: SQSRecord): Promise<void> {
    const job = BacktestJobMessageSchema.parse(JSON.parse(record.body));
    try {
      let strategy = strategies.get(job.strategy.identity);
      if (!strategy) {
        strategy = deps.strategies.load(job.strategy);
        strategies.set(job.strategy.identity, strategy);
      }
      const results = runJob({
        bars: await barsFor(job.datasetHash),
        strategy,
        combinations: job.combinations,
        engine: job.engine,
        walkForward: job.walkForward,
      });
      const progress = await deps.sweeps.completeJob(
        job.sweepId,
        job.jobId,
        results as unknown as Json,
        deps.clock.now(),
      );
      await announceIfComplete(progress, deps.sweeps, deps.bus);
    } catch (error) {
      const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
      await deps.sweeps.recordJobError(job.sweepId, job.jobId, (error as Error).message, attempt);
      throw error;
    }
  }

  return {
    /** The SQS event handler: answers with the records that failed. */
    handler(event: SQSEvent): Promise<SQSBatchResponse> {
      return processPartialResponse(event, processRecord, processor, { throwOnFullBatchFailure: false });
    },
  };
}
