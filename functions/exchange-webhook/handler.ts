import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTradeStore } from '@shared/adapters/aws/dynamo-trade-store';
import { DynamoWebhookReplayStore } from '@shared/adapters/aws/dynamo-webhook-replay-store';
import { EventBridgeBus } from '@shared/adapters/aws/eventbridge-bus';
import { SecretsManagerSecretStore } from '@shared/adapters/aws/secrets-manager-secret-store';
import { systemClock } from '@shared/ports/clock';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { requiredVariable as need } from '../lib/aws-dependencies';
import { lambda } from '../lib/lambda';
import { logger, metrics } from '../lib/observability';
import { createExchangeWebhook } from './app';

// SDK clients at module scope, once per container; the secret's ARN comes from the environment, its value never does.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
let webhook: ReturnType<typeof createExchangeWebhook> | undefined;

// Built on the first request, so loading the bundle needs no environment (and a missing grant fails the request).
function exchangeWebhook(): ReturnType<typeof createExchangeWebhook> {
  webhook ??= createExchangeWebhook({
    secrets: new SecretsManagerSecretStore({
      client: new SecretsManagerClient({}),
      secretIds: {
        'exchange-webhook-secrets': process.env[RESOURCE_VARIABLES.secret('exchange-webhook-secrets')],
      },
    }),
    trades: new DynamoTradeStore({
      documents,
      table: need(RESOURCE_VARIABLES.table('trades'), 'the trades table'),
    }),
    replays: new DynamoWebhookReplayStore({
      documents,
      table: need(RESOURCE_VARIABLES.table('webhook-events'), 'the webhook-events table'),
    }),
    bus: new EventBridgeBus({
      client: new EventBridgeClient({}),
      busName: need(RESOURCE_VARIABLES.bus, 'the event bus'),
    }),
    clock: systemClock,
  });
  return webhook;
}

/** `exchange-webhook`: POST /webhooks/exchange/{source}, authenticated by the sender's signature or body secret. */
export const handler = lambda(async (event: APIGatewayProxyEventV2) => {
  const response = await exchangeWebhook().http(event);
  if (response.statusCode === 202) {
    const { accepted } = JSON.parse(response.body ?? '{}') as { accepted?: string };
    metrics
      .singleMetric()
      .addDimension('kind', accepted ?? 'unknown')
      .addMetric('ExchangeWebhookAccepted', MetricUnit.Count, 1);
  } else {
    metrics
      .singleMetric()
      .addDimension('status', String(response.statusCode))
      .addMetric('ExchangeWebhookRefused', MetricUnit.Count, 1);
  }
  // What happened, never what was signed with: no header, body or secret is logged.
  logger.info('exchange webhook request handled', {
    source: event.pathParameters?.source,
    statusCode: response.statusCode,
  });
  return response;
});
