import { liveBrokerFromEnv } from '@shared/adapters/ccxt/broker-from-env';
import { EnvSecretStore } from '@shared/adapters/local/env-secret-store';
import { InProcessEventBus } from '@shared/adapters/local/event-bus';
import type { EventBridgeEnvelope } from '@shared/adapters/local/event-pattern';
import type { ContentSettings } from '@shared/content/settings';
import { type MarketIngestSchedule, scheduledIngestRun } from '@shared/market/settings';
import { EVENT_SOURCE } from '../../events/catalog';
import { FUNCTIONS, type FunctionName, type QUEUES, SECRETS } from '../../events/topology';
import { liveTradingEnvironment } from '../../functions/lib/exchange-credentials';
import { type SweepSchedule, scheduledSpec } from '../config';
import { type ReplaySummary, ReplayTrading } from '../trading/replay-trading';
import { DEFAULT_LOCAL_TRADING_SETTINGS, type LocalTradingSettings } from '../trading/settings';
import { type LocalFunction, localFunctions } from './function-registry';
import { LocalHttpServer, type LocalRoute } from './http-server';
import { type LocalAdapters, localSweepDependencies, openLocalAdapters } from './local-adapters';
import { localContentDependencies, outboxPath } from './local-content-dependencies';
import { localMarketDependencies } from './local-market-dependencies';
import { ensureLocalToken, tokenPath } from './local-token';
import { QueuePoller } from './queue-poller';
import { LocalScheduler } from './scheduler';
import { BacktestWorkerPool } from './worker-pool';

/** The runtime could not start (its port is taken, say); nothing is left running. */
export class RuntimeStartError extends Error {
  override readonly name = 'RuntimeStartError';
}

/** How to start the local runtime. */
export interface RuntimeOptions {
  /** The Flywheel home folder (database, token). */
  readonly home: string;
  /** Base folder for relative paths in specs. */
  readonly cwd: string;
  /** Worker threads for CPU-heavy functions. */
  readonly workers: number;
  /** Serve the HTTP API on this port (0: any free port); omit for no HTTP server. */
  readonly httpPort?: number;
  /** Seconds before a failed message is retried (see QueuePoller). */
  readonly retryDelaySeconds?: number;
  /** One line of runtime log (start-up, failures). */
  readonly log: (line: string) => void;
  /** Recurring sweeps to fire with the scheduler (the topology's schedule triggers). */
  readonly schedules?: readonly SweepSchedule[];
  /** Candle ingestion schedules (`market.ingest` of the configuration), each firing market-ingest. */
  readonly marketIngest?: readonly MarketIngestSchedule[];
  /** Folder of the configuration file the schedules came from. */
  readonly configDir?: string;
  /** Where the functions' secrets come from (FLYWHEEL_GITHUB_TOKEN, …); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `content:` of the configuration (tone, voice, limits, approval, routes); default the defaults. */
  readonly content?: ContentSettings;
  /** Where versions without a channel are written; default `<home>/outbox`. */
  readonly outboxDir?: string;
  /** `trading:` of the configuration (mode, risk limits, replay); default paper, no limits, replay at max speed. */
  readonly trading?: LocalTradingSettings;
  /** Called when a market's paper-trading replay ends. */
  readonly onReplaySummary?: (summary: ReplaySummary) => void;
}

/** A running local runtime. */
export interface Runtime {
  readonly adapters: LocalAdapters;
  readonly bus: InProcessEventBus;
  readonly url: string | undefined;
  readonly tokenFile: string;
  readonly planner: ReturnType<typeof localFunctions>['planner'];
  readonly reader: ReturnType<typeof localFunctions>['reader'];
  readonly aggregator: ReturnType<typeof localFunctions>['aggregator'];
  /** The content functions, for the CLI (submit, approve, publish) without HTTP. */
  readonly content: Pick<
    ReturnType<typeof localFunctions>,
    'contentGenerator' | 'contentReviewer' | 'contentPublisher'
  >;
  /** Where the outbox channel writes. */
  readonly outboxDir: string;
  /** The replays trading promoted strategies on market data (await `idle()` for them to end). */
  readonly trading: ReplayTrading;
  readonly workers: number;
  readonly scheduler: LocalScheduler;
  /** Adds a listener for every event put on the bus. */
  onEvent(listener: (event: EventBridgeEnvelope) => void): void;
  /** Waits until no event delivery is under way. */
  idle(): Promise<void>;
  /** Stops polling, finishes work under way, stops the worker threads and the server, closes the database. */
  stop(): Promise<void>;
}

function isProcessAlive(consumerId: string): boolean {
  const pid = Number(consumerId.split(':')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts the one-machine runtime from the topology: SQLite stores and queues, an in-process bus with the
 * topology's rules, queue pollers invoking the functions (CPU-heavy ones in a worker-thread pool), and an HTTP
 * server for the HTTP routes.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const adapters = openLocalAdapters(options.home, String(process.pid));
  // Messages held by a process that died come back now instead of after their visibility timeout.
  for (const queue of Object.values(adapters.queues)) {
    const released = queue.releaseAbandoned(isProcessAlive);
    if (released)
      options.log(`released ${released} message(s) of ${queue.name} held by a process that stopped`);
  }
  const listeners: ((event: EventBridgeEnvelope) => void)[] = [];
  const bus = new InProcessEventBus({
    onEvent: (event) => {
      for (const listener of listeners) listener(event);
    },
    onDeadLetter: ({ event, ruleName, error }) =>
      options.log(
        `event ${event['detail-type']} failed on rule ${ruleName}: ${(error as Error).message ?? error}`,
      ),
  });
  const pool = new BacktestWorkerPool(options.workers, { home: options.home });
  const deps = localSweepDependencies(adapters, bus);
  const env = options.env ?? process.env;
  const outboxDir = options.outboxDir ?? outboxPath(options.home);
  const tradingSettings = options.trading ?? DEFAULT_LOCAL_TRADING_SETTINGS;
  let replays: ReplayTrading | undefined;
  const {
    functions,
    planner,
    reader,
    aggregator,
    contentGenerator,
    contentReviewer,
    contentPublisher,
    tradeExecutor,
  } = localFunctions({
    deps,
    cwd: options.cwd,
    pool,
    publish: (events) => bus.put(events),
    env,
    trading: {
      trades: adapters.trades,
      webhookReplays: adapters.webhookReplays,
      states: adapters.tradingStates,
      candles: adapters.candles,
      settings: tradingSettings,
      // As on AWS: the exchange-credentials JSON (FLYWHEEL_EXCHANGE_CREDENTIALS) over FLYWHEEL_EXCHANGE_* variables.
      liveBroker: async () =>
        liveBrokerFromEnv(
          await liveTradingEnvironment(
            new EnvSecretStore(env, {
              'exchange-credentials': SECRETS['exchange-credentials'].localVariable,
            }),
            env,
          ),
        ),
      log: options.log,
      onStrategyStarted: (started) => replays?.start(started),
    },
    market: localMarketDependencies(adapters, bus, env),
    content: localContentDependencies(adapters, bus, {
      env,
      outboxDir,
      log: options.log,
      ...(options.content ? { settings: options.content } : {}),
    }),
  });

  replays = new ReplayTrading({
    executor: tradeExecutor,
    settings: tradingSettings.replay,
    configDir: options.configDir ?? options.cwd,
    datasets: adapters.datasets,
    log: options.log,
    ...(options.onReplaySummary ? { onSummary: options.onReplaySummary } : {}),
  });
  const trading = replays;

  const scheduler = new LocalScheduler({
    onError: ({ scheduleName, error }) =>
      options.log(`schedule ${scheduleName} failed: ${(error as Error).message ?? error}`),
  });
  const pollers: QueuePoller[] = [];
  const routes: LocalRoute[] = [];
  for (const [name, definition] of Object.entries(FUNCTIONS) as [
    FunctionName,
    (typeof FUNCTIONS)[FunctionName],
  ][]) {
    const local: LocalFunction = functions[name];
    for (const trigger of definition.triggers) {
      if (trigger.type === 'http' && local.http) {
        routes.push({
          method: trigger.method,
          path: trigger.path,
          handle: local.http,
          authenticatedBy: 'authenticatedBy' in trigger ? trigger.authenticatedBy : 'api',
        });
      }
      if (trigger.type === 'event' && local.event) {
        bus.addRule({
          name: `${name}-rule`,
          pattern: trigger.pattern as never,
          target: local.event as never,
        });
      }
      if (trigger.type === 'schedule' && 'expression' in trigger && local.schedule) {
        const fire = local.schedule;
        scheduler.add({ name: trigger.name, expression: trigger.expression, target: (event) => fire(event) });
      } else if (
        trigger.type === 'schedule' &&
        'configKey' in trigger &&
        trigger.configKey === 'market.ingest' &&
        local.schedule
      ) {
        const fire = local.schedule;
        for (const schedule of options.marketIngest ?? []) {
          scheduler.add({
            name: schedule.name,
            expression: schedule.expression,
            timezone: schedule.timezone,
            target: () => fire(scheduledIngestRun(schedule)),
          });
        }
      } else if (trigger.type === 'schedule' && local.schedule) {
        const fire = local.schedule;
        for (const schedule of options.schedules ?? []) {
          scheduler.add({
            name: schedule.name,
            expression: schedule.expression,
            timezone: schedule.timezone,
            target: async () =>
              fire({
                ...(await scheduledSpec(schedule, options.configDir ?? options.cwd)),
                name: schedule.name,
              }),
          });
        }
      }
      if (trigger.type === 'queue' && local.sqs) {
        const cpuBound = 'cpuBound' in definition && definition.cpuBound;
        pollers.push(
          new QueuePoller({
            queue: adapters.queues[trigger.queue as keyof typeof QUEUES],
            // Locally each worker thread takes one job at a time, which keeps the pool evenly loaded.
            batchSize: cpuBound ? 1 : trigger.batchSize,
            concurrency: cpuBound ? options.workers : 1,
            retryDelaySeconds: options.retryDelaySeconds ?? 1,
            invoke: local.sqs,
            onInvocationError: (error) => options.log(`${name} failed: ${(error as Error).message ?? error}`),
          }),
        );
      }
    }
  }

  // A sweep whose jobs are all in but whose aggregation never finished (a stopped process) is aggregated now.
  for (const sweepId of await adapters.sweeps.unfinishedAggregations()) {
    await adapters.sweeps.releaseAggregation(sweepId, Date.now());
    const sweep = await adapters.sweeps.getSweep(sweepId);
    if (!sweep) continue;
    options.log(`sweep ${sweepId} has every job in but no outcome yet: aggregating it now`);
    await bus.put([
      {
        source: EVENT_SOURCE,
        detailType: 'SweepCompleted',
        detail: { sweepId, total: sweep.total, done: sweep.done, failed: sweep.failed },
      },
    ]);
  }
  // Threads load their code while the caller plans; the first jobs simply wait for a free thread.
  pool
    .warmUp()
    .catch((error) => options.log(`worker threads failed to start: ${(error as Error).stack ?? error}`));
  for (const poller of pollers) poller.start();
  scheduler.start();

  let server: LocalHttpServer | undefined;
  let url: string | undefined;
  if (options.httpPort !== undefined) {
    server = new LocalHttpServer(routes, ensureLocalToken(options.home), (error) =>
      options.log(`HTTP request failed: ${(error as Error).stack ?? error}`),
    );
    try {
      url = await server.listen(options.httpPort);
    } catch (error) {
      scheduler.stop();
      await Promise.all(pollers.map((poller) => poller.stop()));
      await pool.close();
      adapters.close();
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      throw new RuntimeStartError(
        inUse
          ? `port ${options.httpPort} on 127.0.0.1 is already in use (another Flywheel runtime?); stop it, or start with --port 0 for any free port`
          : `cannot listen on 127.0.0.1:${options.httpPort}: ${(error as Error).message}`,
      );
    }
  }

  return {
    adapters,
    bus,
    url,
    tokenFile: tokenPath(options.home),
    planner,
    reader,
    aggregator,
    content: { contentGenerator, contentReviewer, contentPublisher },
    outboxDir,
    trading,
    workers: options.workers,
    scheduler,
    onEvent: (listener) => listeners.push(listener),
    idle: () => bus.idle(),
    async stop() {
      scheduler.stop();
      await trading.stop();
      await server?.close();
      await Promise.all(pollers.map((poller) => poller.stop()));
      await bus.idle();
      await pool.close();
      adapters.close();
    },
  };
}
