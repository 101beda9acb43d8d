import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCandleStore } from '@shared/adapters/aws/dynamo-candle-store';
import { DynamoPromotionStore } from '@shared/adapters/aws/dynamo-promotion-store';
import { DynamoTradeStore } from '@shared/adapters/aws/dynamo-trade-store';
import { DynamoTradingStateStore } from '@shared/adapters/aws/dynamo-trading-state-store';
import { EventBridgeBus } from '@shared/adapters/aws/eventbridge-bus';
import { SecretsManagerSecretStore } from '@shared/adapters/aws/secrets-manager-secret-store';
import { liveBrokerFromEnv } from '@shared/adapters/ccxt/broker-from-env';
import { systemClock } from '@shared/ports/clock';
import { TradingSettingsSchema } from '@shared/trading/settings';
import type { EventBridgeEvent } from 'aws-lambda';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { requiredVariable as need } from '../lib/aws-dependencies';
import { builtinStrategyResolver } from '../lib/builtin-strategies';
import { liveTradingEnvironment } from '../lib/exchange-credentials';
import { lambda } from '../lib/lambda';
import { logger } from '../lib/observability';
import { createTradeExecutor, type TradeExecutor } from './app';

/** The variable carrying `trading:` of the configuration as JSON; unset, trading is on paper with no limits. */
export const TRADING_SETTINGS_VARIABLE = RESOURCE_VARIABLES.settings('trading');

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const events = new EventBridgeClient({});
// The exchange's API key: read once per container, and only when the deployment switched live trading on.
const secrets = new SecretsManagerSecretStore({
  client: new SecretsManagerClient({}),
  secretIds: { 'exchange-credentials': process.env[RESOURCE_VARIABLES.secret('exchange-credentials')] },
});

/** Built on the first invocation, once per container, so a missing grant fails the run with its name. */
let executor: TradeExecutor | undefined;

function tradeExecutor(): TradeExecutor {
  executor ??= createTradeExecutor({
    promotions: new DynamoPromotionStore({
      documents,
      table: need(RESOURCE_VARIABLES.table('promotions'), 'the promotions table'),
    }),
    states: new DynamoTradingStateStore({
      documents,
      table: need(RESOURCE_VARIABLES.table('trading-state'), 'the trading-state table'),
    }),
    trades: new DynamoTradeStore({
      documents,
      table: need(RESOURCE_VARIABLES.table('trades'), 'the trades table'),
    }),
    candles: new DynamoCandleStore({
      documents,
      table: need(RESOURCE_VARIABLES.table('candles'), 'the candles table'),
    }),
    bus: new EventBridgeBus({ client: events, busName: need(RESOURCE_VARIABLES.bus, 'the event bus') }),
    strategies: builtinStrategyResolver,
    settings: TradingSettingsSchema.parse(JSON.parse(process.env[TRADING_SETTINGS_VARIABLE] ?? '{}')),
    liveBroker: async () => liveBrokerFromEnv(await liveTradingEnvironment(secrets, process.env)),
    clock: systemClock,
    log: (message, fields) => logger.info(message, fields ?? {}),
  });
  return executor;
}

/** `trade-executor`: CandlesIngested trades the promoted strategies; StrategyPromoted starts a new one. */
export const handler = lambda(async (event: EventBridgeEvent<string, unknown>) => {
  const result = await tradeExecutor().handle(event);
  return result ? { strategyId: result.strategyId, market: result.market, broker: result.broker } : {};
});
