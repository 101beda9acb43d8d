import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { builtinIdentity } from '../../functions/lib/builtin-strategies';
import { TRADING_SETTINGS_VARIABLE } from '../../functions/trade-executor/handler';
import { createTopologyTable } from '../contract/draft-store-table';
import { useAwsEmulators } from '../support/aws-emulators';
import { lambdaContext } from '../support/lambda-context';

const ROOT = join(__dirname, '../..');
const emulators = useAwsEmulators();

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:flywheel-test/exchange-credentials';
const KEY = 'key-AbCdEf0123456789';
const SECRET = 'secret-ZyXwVu9876543210';
const STRATEGY_ID = 'sma-cross(fast=5,slow=20)';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** A fresh Lambda container: the handler module loaded anew, Secrets Manager answering `secretString`. */
function container(secretString: string) {
  const logs: string[] = [];
  let handler: Handler | undefined;
  let secretReads: () => number = () => 0;
  jest.isolateModules(() => {
    // The SDK and the logger as this container's modules load them, so the mocks reach the handler.
    const sdk =
      require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
    const secretsManager = mockClient(sdk.SecretsManagerClient);
    secretsManager
      .on(sdk.GetSecretValueCommand, { SecretId: SECRET_ARN })
      .resolves({ SecretString: secretString });
    secretReads = () => secretsManager.commandCalls(sdk.GetSecretValueCommand).length;
    const { logger } = require(join(ROOT, 'functions/lib/observability.ts')) as {
      logger: Record<'info' | 'warn' | 'error', (...args: unknown[]) => void>;
    };
    for (const level of ['info', 'warn', 'error'] as const)
      jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
        logs.push(JSON.stringify(args));
      });
    handler = (require(join(ROOT, 'functions/trade-executor/handler.ts')) as { handler: Handler }).handler;
  });
  const invoke = (market: string) =>
    handler!(
      {
        version: '0',
        id: `event-${market}`,
        'detail-type': 'StrategyPromoted',
        source: 'flywheel',
        account: '123456789012',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: [],
        detail: {
          market,
          sweepId: 'sweep-1',
          datasetHash: 'h1',
          strategy: { name: 'sma-cross', identity: builtinIdentity('sma-cross') },
          params: { fast: 5, slow: 20 },
          engine: BacktestOptionsSchema.parse({ cash: 10_000 }),
          objective: 'sqn',
          walkForwardSettings: { mode: 'rolling', folds: 4, inSample: 0.7 },
          walkForward: { objective: 1, inSampleObjective: 1.2, ratio: 0.8, trades: 12 },
          reason: 'walk-forward sqn meets the threshold',
        },
      },
      lambdaContext('trade-executor'),
    );
  return { invoke, logs, secretReads: () => secretReads() };
}

describe('trade-executor with live trading switched on and the exchange-credentials secret (dynalite)', () => {
  let tradingState: string;

  beforeAll(async () => {
    // Prepare: the tables a start touches; the deployment says live (mode and flag), keys only in the secret.
    const aws = emulators();
    tradingState = aws.uniqueName('trading-state');
    const trades = aws.uniqueName('trades');
    await Promise.all([
      createTopologyTable(aws.dynamo, tradingState, 'trading-state'),
      createTopologyTable(aws.dynamo, trades, 'trades'),
    ]);
    const endpoint = await aws.dynamo.config.endpoint!();
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      POWERTOOLS_METRICS_NAMESPACE: 'Flywheel',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      [RESOURCE_VARIABLES.table('promotions')]: aws.uniqueName('promotions'),
      [RESOURCE_VARIABLES.table('candles')]: aws.uniqueName('candles'),
      [RESOURCE_VARIABLES.table('trading-state')]: tradingState,
      [RESOURCE_VARIABLES.table('trades')]: trades,
      [RESOURCE_VARIABLES.bus]: 'flywheel-test',
      [RESOURCE_VARIABLES.secret('exchange-credentials')]: SECRET_ARN,
      [TRADING_SETTINGS_VARIABLE]: JSON.stringify({ mode: 'live' }),
      FLYWHEEL_LIVE_TRADING: '1',
    });
    for (const name of ['FLYWHEEL_EXCHANGE_ID', 'FLYWHEEL_EXCHANGE_API_KEY', 'FLYWHEEL_EXCHANGE_SECRET'])
      delete process.env[name];
  });

  const stateOf = (market: string) =>
    emulators().documents.send(
      new GetCommand({ TableName: tradingState, Key: { market, strategyId: STRATEGY_ID } }),
    );

  it('hands the secret’s exchange and keys to the live gate once per container, never logging the keys', async () => {
    // Prepare: an exchange id ccxt does not know, so the gate refuses (no request leaves the machine).
    const lambda = container(
      JSON.stringify({
        FLYWHEEL_EXCHANGE_ID: 'no-such-exchange',
        FLYWHEEL_EXCHANGE_API_KEY: KEY,
        FLYWHEEL_EXCHANGE_SECRET: SECRET,
      }),
    );
    // Act
    const first = await lambda.invoke('ETH/USDT');
    const second = await lambda.invoke('SOL/USDT');
    // Assess: the refusal names the secret's exchange, so the gate saw the secret's values.
    expect(first).toEqual({ strategyId: STRATEGY_ID, market: 'ETH/USDT', broker: 'paper' });
    expect(second).toEqual({ strategyId: STRATEGY_ID, market: 'SOL/USDT', broker: 'paper' });
    expect(lambda.secretReads()).toBe(1);
    expect(lambda.logs.join('\n')).toContain(
      'trading.mode is live but trading stays on paper: FLYWHEEL_EXCHANGE_ID=\\"no-such-exchange\\" is not an exchange ccxt knows',
    );
    expect(lambda.logs.join('\n')).not.toContain(KEY);
    expect(lambda.logs.join('\n')).not.toContain(SECRET);
  });

  it('fails the invocation on a malformed secret, naming the keys and not the values, and trades nothing', async () => {
    // Prepare: the secret key is missing and the sandbox flag is not 0 or 1.
    const lambda = container(
      JSON.stringify({
        FLYWHEEL_EXCHANGE_ID: 'binance',
        FLYWHEEL_EXCHANGE_API_KEY: KEY,
        FLYWHEEL_EXCHANGE_SANDBOX: SECRET,
      }),
    );
    // Act
    const outcome = lambda.invoke('ADA/USDT').then(
      () => undefined,
      (error: Error) => error,
    );
    const error = await outcome;
    // Assess
    expect(error?.name).toBe('ExchangeCredentialsError');
    expect(error?.message).toMatch(
      /^the exchange-credentials secret is invalid \(FLYWHEEL_EXCHANGE_SECRET: missing; FLYWHEEL_EXCHANGE_SANDBOX: /,
    );
    expect(error?.message).not.toContain(KEY);
    expect(error?.message).not.toContain(SECRET);
    expect(lambda.logs.join('\n')).not.toContain(KEY);
    expect((await stateOf('ADA/USDT')).Item).toBeUndefined();
  });
});
