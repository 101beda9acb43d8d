import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSEvent } from 'aws-lambda';
import { awsSweepDependencies } from '../lib/aws-dependencies';
import { lambda } from '../lib/lambda';
import { logger, metrics } from '../lib/observability';
import { createBacktestWorker } from './app';

const worker = createBacktestWorker(awsSweepDependencies());

/** `backtest-worker`: runs the jobs of an SQS batch and reports the ones that failed. */
export const handler = lambda(async (event: SQSEvent) => {
  const started = Date.now();
  const response = await worker.handler(event);
  const failed = response.batchItemFailures.length;
  metrics.addMetric('JobsCompleted', MetricUnit.Count, event.Records.length - failed);
  metrics.addMetric(
    'JobDuration',
    MetricUnit.Milliseconds,
    (Date.now() - started) / Math.max(1, event.Records.length),
  );
  if (failed) logger.warn('jobs failed and will be retried', { failed, records: event.Records.length });
  return response;
});
