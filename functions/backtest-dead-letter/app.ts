import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BacktestJobMessageSchema } from '../../events/catalog';
import { announceIfComplete } from '../lib/complete-sweep';
import type { SweepDependencies } from '../lib/sweep-deps';

/**
 * `backtest-dead-letter`: a job that exhausted its receives lands here; it is counted as failed (its last error
 * was recorded by the worker) so the sweep can complete "with failures".
 */
export function createDeadLetterHandler(deps: Pick<SweepDependencies, 'sweeps' | 'bus' | 'clock'>) {
  const processor = new BatchProcessor(EventType.SQS);
  async function processRecord(record: SQSRecord): Promise<void> {
    const parsed = BacktestJobMessageSchema.pick({ sweepId: true, jobId: true }).safeParse(
      safeJson(record.body),
    );
    // A message that never was a job belongs to no sweep: acknowledging it is all there is to do.
    if (!parsed.success) return;
    const job = parsed.data;
    // A job of a sweep that no longer exists has nothing left to count.
    if (!(await deps.sweeps.getSweep(job.sweepId))) return;
    const progress = await deps.sweeps.failJob(job.sweepId, job.jobId, deps.clock.now());
    await announceIfComplete(progress, deps.sweeps, deps.bus);
  }
  return {
    handler(event: SQSEvent): Promise<SQSBatchResponse> {
      return processPartialResponse(event, processRecord, processor, { throwOnFullBatchFailure: false });
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
