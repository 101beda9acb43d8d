import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSEvent } from 'aws-lambda';
import { awsSweepDependencies } from '../lib/aws-dependencies';
import { lambda } from '../lib/lambda';
import { logger, metrics } from '../lib/observability';
import { createDeadLetterHandler } from './app';

const deadLetters = createDeadLetterHandler(awsSweepDependencies());

/** `backtest-dead-letter`: counts jobs that exhausted their retries as failed. */
export const handler = lambda(async (event: SQSEvent) => {
  metrics.addMetric('JobsFailed', MetricUnit.Count, event.Records.length);
  logger.error('jobs reached the dead-letter queue', { jobs: event.Records.length });
  return deadLetters.handler(event);
});
