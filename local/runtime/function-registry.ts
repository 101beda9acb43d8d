import { GitHubRepository } from '@shared/adapters/github/github-repository';
import { EnvSecretStore } from '@shared/adapters/local/env-secret-store';
import type { CandleStore } from '@shared/ports/candle-store';
import { systemClock } from '@shared/ports/clock';
import type { TradeStore } from '@shared/ports/trade-store';
import type { TradingStateStore } from '@shared/ports/trading-state-store';
import type { WebhookReplayStore } from '@shared/ports/webhook-replay-store';
import type { TradingSettings } from '@shared/trading/settings';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  EventBridgeEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { type FunctionName, SECRETS } from '../../events/topology';
import { createDeadLetterHandler } from '../../functions/backtest-dead-letter/app';
import { createContentGenerator } from '../../functions/content-generate/app';
import { createContentPublisher } from '../../functions/content-publish/app';
import { createContentReviewer } from '../../functions/content-review/app';
import { createDepsChecker } from '../../functions/deps-check/app';
import { createExchangeWebhook } from '../../functions/exchange-webhook/app';
import { createGitHubWebhook } from '../../functions/github-webhook/app';
import { gitHubTokenOf } from '../../functions/github-webhook/token';
import type { ContentDependencies } from '../../functions/lib/content-deps';
import type { SweepDependencies } from '../../functions/lib/sweep-deps';
import { createMarketIngester, type MarketIngestDependencies } from '../../functions/market-ingest/app';
import { createSweepAggregator } from '../../functions/sweep-aggregate/app';
import { createSweepPlanner } from '../../functions/sweep-plan/app';
import { createSweepReader } from '../../functions/sweep-read/app';
import { createTradeExecutor, type LiveBrokerGate } from '../../functions/trade-executor/app';
import { createTradingControl } from '../../functions/trading-control/app';
import type { BacktestWorkerPool } from './worker-pool';

/** How the local runtime invokes a function for each kind of trigger it has. */
export interface LocalFunction {
  readonly http?: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  readonly sqs?: (event: SQSEvent) => Promise<SQSBatchResponse>;
  readonly event?: (event: EventBridgeEvent<string, unknown>) => Promise<void>;
  readonly schedule?: (payload: unknown) => Promise<void>;
}

/** The pieces a local function may need. */
export interface LocalFunctionContext {
  readonly deps: SweepDependencies;
  /** Base folder for relative paths in specs sent over HTTP or by schedules. */
  readonly cwd: string;
  readonly pool: BacktestWorkerPool;
  /** Publishes events a worker thread's handler put. */
  readonly publish: SweepDependencies['bus']['put'];
  /** Where the secrets come from (the topology names each one's variable), and FLYWHEEL_GITHUB_API_URL. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What the content functions need (drafts, publication log, generator, publishers). */
  readonly content: ContentDependencies;
  /** What market-ingest needs (the candle store, ccxt sources). */
  readonly market: MarketIngestDependencies;
  /** The trades table and the exchange webhook's replay store; what trade-executor trades with. */
  readonly trading: {
    readonly trades: TradeStore;
    readonly webhookReplays: WebhookReplayStore;
    readonly states: TradingStateStore;
    readonly candles: CandleStore;
    /** `trading:` of the configuration (mode and risk limits). */
    readonly settings: TradingSettings;
    /** The live-trading gate (liveBrokerFromEnv), asked only when `trading.mode` is `live`. */
    readonly liveBroker: () => LiveBrokerGate | Promise<LiveBrokerGate>;
    readonly log: (line: string) => void;
    /** Called after trade-executor started a newly promoted strategy (the runtime replays its market). */
    readonly onStrategyStarted?: (started: StrategyStarted) => void;
  };
}

/** A promoted strategy trade-executor has just started, as the local runtime hears of it. */
export interface StrategyStarted {
  readonly market: string;
  readonly strategyId: string;
  readonly strategyName: string;
  readonly datasetHash: string;
}

/**
 * Every function of the topology, wired for the local runtime. The `satisfies` clause makes a function added
 * to the topology without a local wiring a compile error, so local and cloud cannot drift.
 */
export function localFunctions(context: LocalFunctionContext) {
  const { deps, cwd } = context;
  const planner = createSweepPlanner(deps);
  const reader = createSweepReader(deps);
  const aggregator = createSweepAggregator(deps);
  const deadLetters = createDeadLetterHandler(deps);
  const depsChecker = createDepsChecker();
  const secrets = new EnvSecretStore(
    context.env,
    Object.fromEntries(Object.entries(SECRETS).map(([name, secret]) => [name, secret.localVariable])),
  );
  const webhook = createGitHubWebhook({
    secrets,
    repository: new GitHubRepository({
      token: gitHubTokenOf(secrets),
      ...(context.env.FLYWHEEL_GITHUB_API_URL ? { baseUrl: context.env.FLYWHEEL_GITHUB_API_URL } : {}),
    }),
  });
  const exchangeWebhook = createExchangeWebhook({
    secrets,
    trades: context.trading.trades,
    replays: context.trading.webhookReplays,
    bus: { put: context.publish },
    clock: systemClock,
  });
  const marketIngester = createMarketIngester(context.market);
  const tradeExecutor = createTradeExecutor({
    promotions: deps.promotions,
    states: context.trading.states,
    trades: context.trading.trades,
    candles: context.trading.candles,
    bus: { put: context.publish },
    strategies: deps.strategies,
    settings: context.trading.settings,
    liveBroker: context.trading.liveBroker,
    clock: systemClock,
    log: (message) => context.trading.log(message),
  });
  const tradingControl = createTradingControl({
    states: context.trading.states,
    publications: context.content.publications,
    publishers: context.content.publishers,
    clock: systemClock,
    ...(context.content.sleep ? { sleep: context.content.sleep } : {}),
  });
  const contentGenerator = createContentGenerator(context.content);
  const contentReviewer = createContentReviewer(context.content);
  const contentPublisher = createContentPublisher(context.content);
  const functions = {
    'sweep-plan': {
      http: (event) => planner.http(event, cwd),
      schedule: async (payload) => {
        const { spec, baseDir, name } = payload as { spec: unknown; baseDir: string; name: string };
        await planner.submit(spec, baseDir, `schedule ${name}`);
      },
    },
    'sweep-read': { http: (event) => reader.http(event) },
    'backtest-worker': {
      sqs: async (event) => {
        const { response, events } = await context.pool.run(event);
        if (events.length) await context.publish(events);
        return response;
      },
    },
    'backtest-dead-letter': { sqs: (event) => deadLetters.handler(event) },
    'sweep-aggregate': {
      event: (event) => aggregator.handler(event as EventBridgeEvent<'SweepCompleted', unknown>),
    },
    'deps-check': { http: (event) => depsChecker.http(event) },
    'github-webhook': { http: (event) => webhook.http(event) },
    'exchange-webhook': { http: (event) => exchangeWebhook.http(event) },
    'content-generate': {
      http: (event) => contentGenerator.http(event),
      event: async (event) => {
        await contentGenerator.handle(event);
      },
    },
    'content-review': { http: (event) => contentReviewer.http(event) },
    'content-publish': {
      event: async (event) => {
        await contentPublisher.handle(event);
      },
      schedule: async () => {
        await contentPublisher.publishDue();
      },
    },
    'market-ingest': {
      schedule: async (payload) => {
        await marketIngester.run(payload);
      },
    },
    'trading-control': {
      http: (event) => tradingControl.http(event),
      event: async (event) => {
        const result = await tradingControl.announce(event);
        if (result.status !== 'announced') context.trading.log(`trading halt announcement: ${result.reason}`);
      },
    },
    'trade-executor': {
      event: async (event) => {
        const result = await tradeExecutor.handle(event);
        if (event['detail-type'] === 'StrategyPromoted' && result && 'created' in result) {
          context.trading.onStrategyStarted?.({
            market: result.market,
            strategyId: result.strategyId,
            strategyName: result.target.strategy.name,
            datasetHash: (event.detail as { datasetHash: string }).datasetHash,
          });
        }
      },
    },
  } satisfies Record<FunctionName, LocalFunction>;
  return {
    functions,
    planner,
    reader,
    aggregator,
    contentGenerator,
    contentReviewer,
    contentPublisher,
    tradeExecutor,
  };
}
