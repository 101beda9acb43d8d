import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { recordFindings } from '../lib/findings-metrics';
import { lambda } from '../lib/lambda';
import { metrics } from '../lib/observability';
import { createDepsChecker } from './app';

const checker = createDepsChecker({ onChecked: (result) => recordFindings(metrics, result) });

/** `deps-check`: POST /deps/check through the HTTP API. */
export const handler = lambda(async (event: APIGatewayProxyEventV2) => {
  metrics.addMetric('DepsChecks', MetricUnit.Count, 1);
  return checker.http(event);
});
