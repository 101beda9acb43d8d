import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTradingStateStore } from '@shared/adapters/aws/dynamo-trading-state-store';
import type { APIGatewayProxyEventV2, EventBridgeEvent } from 'aws-lambda';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { awsContentDependencies } from '../lib/aws-content-dependencies';
import { requiredVariable as need } from '../lib/aws-dependencies';
import { lambda } from '../lib/lambda';
import { logger } from '../lib/observability';
import { createTradingControl } from './app';

// SDK clients at module scope, once per container.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
let control: ReturnType<typeof createTradingControl> | undefined;

// Built on the first call, so loading the bundle needs no environment (and a missing grant fails the call).
function tradingControl(): ReturnType<typeof createTradingControl> {
  if (control) return control;
  // The publication log, the publishers (publisher-credentials secret, the S3 outbox) and the clock of content-publish.
  const { publications, publishers, clock } = awsContentDependencies();
  control = createTradingControl({
    states: new DynamoTradingStateStore({
      documents,
      table: need(RESOURCE_VARIABLES.table('trading-state'), 'the trading-state table'),
    }),
    publications,
    publishers,
    clock,
  });
  return control;
}

/** `trading-control`: GET /trading/status, POST /trading/resume, and the announcement of each TradingHalted. */
export const handler = lambda(async (event: APIGatewayProxyEventV2 | EventBridgeEvent<string, unknown>) => {
  if ('detail-type' in event) {
    const result = await tradingControl().announce(event);
    const log = result.status === 'announced' ? logger.info : logger.warn;
    log.call(logger, 'trading halt announcement', { eventId: event.id, ...result });
    return undefined;
  }
  const response = await tradingControl().http(event);
  logger.info('trading control request handled', { route: event.routeKey, statusCode: response.statusCode });
  return response;
});
