import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { signExchangeWebhook } from '@shared/trading-webhooks/verify';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { createTopologyTable } from '../contract/draft-store-table';
import { useAwsEmulators } from '../support/aws-emulators';
import { apiGatewayEvent, lambdaContext } from '../support/lambda-context';

const ROOT = join(__dirname, '../..');
const emulators = useAwsEmulators();
const eventBridge = mockClient(EventBridgeClient);
const secretsManager = mockClient(SecretsManagerClient);

const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:flywheel-dev/exchange-webhook-secrets-Ab12Cd';
const BINANCE_SECRET = 'binance-webhook-secret-0123456789';
const TRADINGVIEW_SECRET = 'tradingview-alert-secret-abcdef';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

function post(source: string, body: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const event = apiGatewayEvent({ method: 'POST', path: `/webhooks/exchange/${source}`, headers, body });
  return { ...event, routeKey: 'POST /webhooks/exchange/{source}', pathParameters: { source } };
}

function signedFill(id: string): APIGatewayProxyEventV2 {
  const body = JSON.stringify({
    type: 'fill',
    id,
    strategy: 'sma-cross',
    market: 'BTC/USDT',
    side: 'buy',
    quantity: 0.25,
    price: 61_234.5,
    fee: 15.3,
    time: Date.now() - 1000,
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return post('binance', body, {
    'x-flywheel-timestamp': timestamp,
    'x-flywheel-signature': signExchangeWebhook(timestamp, body, BINANCE_SECRET),
  });
}

describe('exchange-webhook (the Lambda handler on dynalite; Secrets Manager and EventBridge mocked)', () => {
  let handler: Handler;
  let tables: { trades: string; events: string };

  beforeAll(async () => {
    const aws = emulators();
    tables = { trades: aws.uniqueName('trades'), events: aws.uniqueName('webhook-events') };
    await Promise.all([
      createTopologyTable(aws.dynamo, tables.trades, 'trades'),
      createTopologyTable(aws.dynamo, tables.events, 'webhook-events'),
    ]);
    const endpoint = await aws.dynamo.config.endpoint!();
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      POWERTOOLS_METRICS_NAMESPACE: 'Flywheel',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      [RESOURCE_VARIABLES.table('trades')]: tables.trades,
      [RESOURCE_VARIABLES.table('webhook-events')]: tables.events,
      [RESOURCE_VARIABLES.secret('exchange-webhook-secrets')]: SECRET_ARN,
      [RESOURCE_VARIABLES.bus]: 'flywheel-test',
    });
    handler = (require(join(ROOT, 'functions/exchange-webhook/handler.ts')) as { handler: Handler }).handler;
  });

  let output: string[];
  beforeEach(() => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
      SecretString: JSON.stringify({
        binance: BINANCE_SECRET,
        tradingview: { secret: TRADINGVIEW_SECRET, mode: 'body-secret' },
      }),
    });
    output = [];
    const capture = (text: unknown) => {
      output.push(String(text));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture as never);
    jest.spyOn(console, 'info').mockImplementation((...args) => void capture(args.join(' ')));
    jest.spyOn(console, 'log').mockImplementation((...args) => void capture(args.join(' ')));
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const scan = async (table: string) =>
    (await emulators().dynamo.send(new ScanCommand({ TableName: table }))).Items ?? [];

  it('stores a signed fill in the trades table, with the entry’s fields as attributes for the stream', async () => {
    // Act
    const response = await handler(signedFill('trade-1'), lambdaContext('exchange-webhook'));
    const replay = await handler(signedFill('trade-1'), lambdaContext('exchange-webhook'));

    // Assess
    expect(response.statusCode).toBe(202);
    expect(replay.statusCode).toBe(409);
    const items = await scan(tables.trades);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      tradeId: { S: 'webhook:binance:trade-1' },
      kind: { S: 'fill' },
      strategy: { S: 'sma-cross' },
      price: { N: '61234.5' },
    });
  });

  it('emits SignalRequested on the bus for a body-secret alert, and logs no secret', async () => {
    // Prepare
    const body = JSON.stringify({
      type: 'alert',
      id: 'tv-1',
      strategy: 'sma-cross',
      market: 'BTC/USDT',
      action: 'buy',
      secret: TRADINGVIEW_SECRET,
    });

    // Act
    const response = await handler(post('tradingview', body), lambdaContext('exchange-webhook'));
    const refused = await handler(
      post('tradingview', body.replace(TRADINGVIEW_SECRET, 'wrong-secret-but-long-enough')),
      lambdaContext('exchange-webhook'),
    );

    // Assess
    expect(response.statusCode).toBe(202);
    expect(refused.statusCode).toBe(401);
    const entries = eventBridge
      .commandCalls(PutEventsCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    expect(entries.map((entry) => [entry.DetailType, entry.EventBusName])).toEqual([
      ['SignalRequested', 'flywheel-test'],
    ]);
    expect(JSON.parse(entries[0]!.Detail!)).toMatchObject({
      source: 'tradingview',
      alertId: 'tv-1',
      action: 'buy',
    });
    expect(entries[0]!.Detail).not.toContain(TRADINGVIEW_SECRET);
    const logged = output.join('\n');
    expect(logged).toContain('exchange webhook request handled');
    expect(logged).not.toContain(TRADINGVIEW_SECRET);
    expect(logged).not.toContain(BINANCE_SECRET);
  });
});
