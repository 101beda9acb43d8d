import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoCandleStore } from '@shared/adapters/aws/dynamo-candle-store';
import { DynamoPromotionStore } from '@shared/adapters/aws/dynamo-promotion-store';
import { DynamoTradeStore } from '@shared/adapters/aws/dynamo-trade-store';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import type { Json } from '@shared/ports/json';
import type { Candle } from '@shared/ports/market-data-source';
import type { FillRecord } from '@shared/ports/trade-store';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { type CandlesIngested, TradingHaltedSchema } from '../../events/catalog';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { builtinIdentity } from '../../functions/lib/builtin-strategies';
import { TRADING_SETTINGS_VARIABLE } from '../../functions/trade-executor/handler';
import { createTopologyTable } from '../contract/draft-store-table';
import { useAwsEmulators } from '../support/aws-emulators';
import { lambdaContext } from '../support/lambda-context';
import { loadSample } from '../support/sample-data';

const ROOT = join(__dirname, '../..');
const emulators = useAwsEmulators();
const eventBridge = mockClient(EventBridgeClient);
const secretsManager = mockClient(SecretsManagerClient);
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:flywheel-test/exchange-credentials';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1);
const SERIES = { market: 'binance:BTC/USDT', timeframe: '1h' };
const STRATEGY_ID = 'sma-cross(fast=5,slow=20)';
const ENGINE = BacktestOptionsSchema.parse({ cash: 10_000, commission: 0.002, fractional: true });

/** GOOG's first 200 daily bars replayed as hourly BTC/USDT candles. */
const CANDLES: Candle[] = (() => {
  const bars = loadSample('GOOG.csv');
  return Array.from({ length: 200 }, (_, i) => ({
    openTime: T0 + i * HOUR,
    open: bars.open[i]!,
    high: bars.high[i]!,
    low: bars.low[i]!,
    close: bars.close[i]!,
    volume: bars.volume[i]!,
  }));
})();

type Handler = (event: unknown, context: Context) => Promise<unknown>;

function busEvent(detailType: string, detail: unknown) {
  return {
    version: '0',
    id: `event-${detailType}`,
    'detail-type': detailType,
    source: 'flywheel',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

function ingested(first: number, last: number): CandlesIngested {
  return {
    market: SERIES.market,
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    firstCandleTime: CANDLES[first]!.openTime,
    lastCandleTime: CANDLES[last]!.openTime,
    count: last - first + 1,
    gaps: [],
  };
}

describe('trade-executor on AWS adapters (dynalite; EventBridge mocked)', () => {
  let tables: Record<'promotions' | 'candles' | 'tradingState' | 'trades', string>;
  let handler: Handler;
  const invoke = (detailType: string, detail: unknown) =>
    handler(busEvent(detailType, detail), lambdaContext('trade-executor'));

  beforeAll(async () => {
    // Prepare: the four tables as the topology declares them, a promotion of sma-cross for BTC/USDT, candles.
    const aws = emulators();
    tables = {
      promotions: aws.uniqueName('promotions'),
      candles: aws.uniqueName('candles'),
      tradingState: aws.uniqueName('trading-state'),
      trades: aws.uniqueName('trades'),
    };
    await Promise.all([
      createTopologyTable(aws.dynamo, tables.promotions, 'promotions'),
      createTopologyTable(aws.dynamo, tables.candles, 'candles'),
      createTopologyTable(aws.dynamo, tables.tradingState, 'trading-state'),
      createTopologyTable(aws.dynamo, tables.trades, 'trades'),
    ]);
    await new DynamoPromotionStore({ documents: aws.documents, table: tables.promotions }).record({
      market: 'BTC/USDT',
      sweepId: 'sweep-1',
      decidedAt: T0,
      promoted: true,
      reason: 'walk-forward sqn meets the threshold',
      candidate: {
        strategy: { name: 'sma-cross', identity: builtinIdentity('sma-cross') },
        params: { fast: 5, slow: 20 },
        engine: ENGINE,
        objective: 'sqn',
        configurationKey: 'c1',
        datasetHash: 'h1',
        walkForward: { objective: 1, inSampleObjective: 1.2, ratio: 0.8, trades: 12 },
      } as unknown as Json,
    });
    await new DynamoCandleStore({ documents: aws.documents, table: tables.candles }).append(SERIES, CANDLES);
    const endpoint = await aws.dynamo.config.endpoint!();
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      POWERTOOLS_METRICS_NAMESPACE: 'Flywheel',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      [RESOURCE_VARIABLES.table('promotions')]: tables.promotions,
      [RESOURCE_VARIABLES.table('candles')]: tables.candles,
      [RESOURCE_VARIABLES.table('trading-state')]: tables.tradingState,
      [RESOURCE_VARIABLES.table('trades')]: tables.trades,
      [RESOURCE_VARIABLES.bus]: 'flywheel-test',
      [RESOURCE_VARIABLES.secret('exchange-credentials')]: SECRET_ARN,
      // Live is asked for and the exchange keys are set, but FLYWHEEL_LIVE_TRADING is not: trading stays on paper.
      [TRADING_SETTINGS_VARIABLE]: JSON.stringify({ mode: 'live', risk: { maxDailyLoss: 150 } }),
    });
    delete process.env.FLYWHEEL_LIVE_TRADING;
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
      SecretString: JSON.stringify({
        FLYWHEEL_EXCHANGE_ID: 'binance',
        FLYWHEEL_EXCHANGE_API_KEY: 'key-AbCdEf0123456789',
        FLYWHEEL_EXCHANGE_SECRET: 'secret-ZyXwVu9876543210',
      }),
    });
    handler = (require(join(ROOT, 'functions/trade-executor/handler.ts')) as { handler: Handler }).handler;
  });

  it('starts the promoted strategy, trades every new candle on paper, records each fill once and halts at the daily loss', async () => {
    // Act: the promotion, a first ingestion of 30 candles, then one ingestion per candle, the last one twice.
    const started = await invoke('StrategyPromoted', {
      market: 'BTC/USDT',
      sweepId: 'sweep-1',
      datasetHash: 'h1',
      strategy: { name: 'sma-cross', identity: builtinIdentity('sma-cross') },
      params: { fast: 5, slow: 20 },
      engine: ENGINE,
      objective: 'sqn',
      walkForwardSettings: { mode: 'rolling', folds: 4, inSample: 0.7 },
      walkForward: { objective: 1, inSampleObjective: 1.2, ratio: 0.8, trades: 12 },
      reason: 'walk-forward sqn meets the threshold',
    });
    const first = await invoke('CandlesIngested', ingested(0, 29));
    for (let i = 30; i < CANDLES.length; i++) await invoke('CandlesIngested', ingested(i, i));
    const trades = new DynamoTradeStore({ documents: emulators().documents, table: tables.trades });
    const fillsBefore = (await trades.list({ limit: 1000 })) as FillRecord[];
    await invoke('CandlesIngested', ingested(CANDLES.length - 1, CANDLES.length - 1));
    const fillsAfter = await trades.list({ limit: 1000 });
    const state = await emulators().documents.send(
      new GetCommand({
        TableName: tables.tradingState,
        Key: { market: 'BTC/USDT', strategyId: STRATEGY_ID },
      }),
    );
    const halts = eventBridge
      .commandCalls(PutEventsCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .filter((entry) => entry.DetailType === 'TradingHalted');
    // Assess
    expect(started).toEqual({ strategyId: STRATEGY_ID, market: 'BTC/USDT', broker: 'paper' });
    expect(first).toEqual({ strategyId: STRATEGY_ID, market: 'BTC/USDT', broker: 'paper' });
    // On paper the exchange keys are not even loaded.
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(fillsBefore.length).toBeGreaterThan(0);
    expect(fillsAfter).toHaveLength(fillsBefore.length);
    expect(
      fillsBefore.every(
        (fill) => fill.source === 'paper' && fill.market === 'BTC/USDT' && fill.strategy === STRATEGY_ID,
      ),
    ).toBe(true);
    // Nothing trades on the 29 candles before the first one the strategy saw as new.
    expect(Math.min(...fillsBefore.map((fill) => fill.time))).toBeGreaterThan(CANDLES[29]!.openTime);
    const stored = JSON.parse(String(state.Item?.state)) as {
      lastBarTime: number;
      risk: { halt: { maxDailyLoss: number } | null };
    };
    expect(stored.lastBarTime).toBe(CANDLES.at(-1)!.openTime);
    expect(halts).toHaveLength(1);
    const halt = TradingHaltedSchema.parse(JSON.parse(halts[0]!.Detail!));
    expect(halt).toMatchObject({ strategyId: STRATEGY_ID, market: 'BTC/USDT', maxDailyLoss: 150 });
    expect(stored.risk.halt?.maxDailyLoss).toBe(150);
    // Once halted, nothing fills after the next bar's open (orders placed before the halt may still fill).
    expect(Math.max(...fillsBefore.map((fill) => fill.time))).toBeLessThanOrEqual(halt.haltedAt + HOUR);
  });
});
