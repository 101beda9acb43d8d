import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { awsSweepDependencies } from '../lib/aws-dependencies';
import { lambda } from '../lib/lambda';
import { logger, metrics } from '../lib/observability';
import { createSweepPlanner } from './app';

const planner = createSweepPlanner(awsSweepDependencies());

/** What an EventBridge Scheduler schedule sends: its name and the sweep spec to submit. */
const ScheduledSweepSchema = z.object({ schedule: z.string().min(1), spec: z.unknown() });

/** `sweep-plan`: POST /sweeps through the HTTP API, or a recurring sweep from EventBridge Scheduler. */
export const handler = lambda(async (event: APIGatewayProxyEventV2 | unknown) => {
  metrics.addMetric('SweepsPlanned', MetricUnit.Count, 1);
  if (typeof event === 'object' && event !== null && 'requestContext' in event) {
    return planner.http(event as APIGatewayProxyEventV2, '/tmp');
  }
  const scheduled = ScheduledSweepSchema.parse(event);
  const result = await planner.submit(scheduled.spec, '/tmp', `schedule ${scheduled.schedule}`);
  metrics.addMetric('JobsQueued', MetricUnit.Count, result.queued);
  logger.info('scheduled sweep submitted', { schedule: scheduled.schedule, ...result });
  return result;
});
