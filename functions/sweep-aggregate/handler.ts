import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EventBridgeEvent } from 'aws-lambda';
import { awsSweepDependencies } from '../lib/aws-dependencies';
import { lambda } from '../lib/lambda';
import { metrics } from '../lib/observability';
import { createSweepAggregator } from './app';

const aggregator = createSweepAggregator(awsSweepDependencies());

/** `sweep-aggregate`: ranks a completed sweep, validates it walk-forward and decides promotion. */
export const handler = lambda(async (event: EventBridgeEvent<'SweepCompleted', unknown>) => {
  await aggregator.handler(event);
  metrics.addMetric('SweepsAggregated', MetricUnit.Count, 1);
});
