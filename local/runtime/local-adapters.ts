import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CcxtMarketDataSource } from '@shared/adapters/ccxt/market-data';
import { EnvSecretStore } from '@shared/adapters/local/env-secret-store';
import { SqliteCandleStore } from '@shared/adapters/local/sqlite/candle-store';
import { openDatabase, type SqliteDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteDatasetStore } from '@shared/adapters/local/sqlite/dataset-store';
import { SqliteDraftStore } from '@shared/adapters/local/sqlite/draft-store';
import { SqlitePromotionStore } from '@shared/adapters/local/sqlite/promotion-store';
import { SqlitePublicationLog } from '@shared/adapters/local/sqlite/publication-log';
import { SqliteQueue } from '@shared/adapters/local/sqlite/queue';
import { SqliteSweepStore } from '@shared/adapters/local/sqlite/sweep-store';
import { SqliteTradeStore } from '@shared/adapters/local/sqlite/trade-store';
import { SqliteTradingStateStore } from '@shared/adapters/local/sqlite/trading-state-store';
import { SqliteWebhookReplayStore } from '@shared/adapters/local/sqlite/webhook-replay-store';
import { type ContentSettings, DEFAULT_CONTENT_SETTINGS } from '@shared/content/settings';
import { systemClock } from '@shared/ports/clock';
import type { EventBus } from '@shared/ports/event-bus';
import { QUEUES, SECRETS } from '../../events/topology';
import type { ContentDependencies } from '../../functions/lib/content-deps';
import { generatorFactory } from '../../functions/lib/content-generators';
import { publishersFactory } from '../../functions/lib/content-publishers';
import type { SweepDependencies } from '../../functions/lib/sweep-deps';
import type { MarketIngestDependencies } from '../../functions/market-ingest/app';
import { readBarsFile } from '../market-data-file';
import { createStrategyResolver } from '../strategy-loader';

/** The local stores and queues, all in one SQLite file under the Flywheel home folder. */
export interface LocalAdapters {
  readonly db: SqliteDatabase;
  readonly path: string;
  readonly sweeps: SqliteSweepStore;
  readonly datasets: SqliteDatasetStore;
  readonly promotions: SqlitePromotionStore;
  /** Content drafts. */
  readonly drafts: SqliteDraftStore;
  /** One record per draft and platform published. */
  readonly publications: SqlitePublicationLog;
  /** Fills and order updates (the trades table). */
  readonly trades: SqliteTradeStore;
  /** What trading remembers between bars per strategy and market (the trading-state table). */
  readonly tradingStates: SqliteTradingStateStore;
  /** Event ids the exchange webhook accepted, to refuse replays. */
  readonly webhookReplays: SqliteWebhookReplayStore;
  /** OHLCV candles and their gaps (the candles table). */
  readonly candles: SqliteCandleStore;
  /** Queues of the topology by name. */
  readonly queues: Record<keyof typeof QUEUES, SqliteQueue>;
  close(): void;
}

/** The database file of a Flywheel home folder. */
export function databasePath(home: string): string {
  return join(home, 'flywheel.db');
}

/**
 * Opens the home folder's database (creating folder and schema on first use) with every topology queue and
 * its redrive policy. Each thread that touches the database opens its own connection through this.
 */
export function openLocalAdapters(home: string, consumerId: string): LocalAdapters {
  mkdirSync(home, { recursive: true });
  const path = databasePath(home);
  const db = openDatabase(path);
  const queues = Object.fromEntries(
    Object.entries(QUEUES).map(([name, definition]) => [
      name,
      new SqliteQueue({
        db,
        name,
        visibilityTimeoutSeconds: definition.visibilityTimeoutSeconds,
        ...('maxReceiveCount' in definition
          ? { maxReceiveCount: definition.maxReceiveCount, deadLetterQueueName: definition.deadLetterQueue }
          : {}),
        consumerId,
      }),
    ]),
  ) as Record<keyof typeof QUEUES, SqliteQueue>;
  return {
    db,
    path,
    sweeps: new SqliteSweepStore(db),
    datasets: new SqliteDatasetStore(db),
    promotions: new SqlitePromotionStore(db),
    drafts: new SqliteDraftStore(db),
    publications: new SqlitePublicationLog(db),
    trades: new SqliteTradeStore(db),
    tradingStates: new SqliteTradingStateStore(db),
    webhookReplays: new SqliteWebhookReplayStore(db),
    candles: new SqliteCandleStore(db),
    queues,
    close: () => db.close(),
  };
}

/** The sweep functions' dependencies on local adapters, with the given bus. */
export function localSweepDependencies(adapters: LocalAdapters, bus: EventBus): SweepDependencies {
  return {
    sweeps: adapters.sweeps,
    datasets: adapters.datasets,
    promotions: adapters.promotions,
    jobs: adapters.queues['backtest-jobs'],
    bus,
    strategies: createStrategyResolver(),
    clock: systemClock,
    readDatasetFile: readBarsFile,
  };
}

/** The outbox folder of a Flywheel home folder: versions for platforms without a channel, one file each. */
export function outboxPath(home: string): string {
  return join(home, 'outbox');
}

/** What the content functions read locally besides the stores. */
export interface LocalContentOptions {
  /** `content:` of the configuration; default the defaults. */
  readonly settings?: ContentSettings;
  /** OPENAI_API_KEY, FLYWHEEL_PUBLISHER_CREDENTIALS (JSON), FLYWHEEL_DISCORD_WEBHOOK_URL, … */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the outbox channel writes; default `<home>/outbox`. */
  readonly outboxDir: string;
  /** Where a half-configured channel is reported. */
  readonly log?: (line: string) => void;
}

/** The content functions' dependencies on local adapters: secrets from the environment, the outbox on disk. */
export function localContentDependencies(
  adapters: LocalAdapters,
  bus: EventBus,
  options: LocalContentOptions,
): ContentDependencies {
  const secrets = new EnvSecretStore(
    options.env,
    Object.fromEntries(Object.entries(SECRETS).map(([name, secret]) => [name, secret.localVariable])),
  );
  return {
    drafts: adapters.drafts,
    publications: adapters.publications,
    bus,
    clock: systemClock,
    settings: options.settings ?? DEFAULT_CONTENT_SETTINGS,
    generator: generatorFactory(secrets, options.env),
    publishers: publishersFactory(secrets, options.env, {
      outboxDir: options.outboxDir,
      onProblem: (problem) => options.log?.(`publishing: ${problem}`),
    }),
  };
}

/** The variable that points ccxt at another origin than the exchange's (a loopback fake exchange in tests). */
export const EXCHANGE_URL_VARIABLE = 'FLYWHEEL_EXCHANGE_URL';

/** A ccxt market data source for an exchange id, honouring FLYWHEEL_EXCHANGE_URL. */
export function localMarketDataSource(
  exchange: string,
  env: Readonly<Record<string, string | undefined>>,
): CcxtMarketDataSource {
  const baseUrl = env[EXCHANGE_URL_VARIABLE];
  return new CcxtMarketDataSource({ exchangeId: exchange, ...(baseUrl ? { baseUrl } : {}) });
}

/** market-ingest's dependencies on local adapters: the SQLite candle store and one ccxt source per exchange. */
export function localMarketDependencies(
  adapters: LocalAdapters,
  bus: EventBus,
  env: Readonly<Record<string, string | undefined>>,
): MarketIngestDependencies {
  const sources = new Map<string, CcxtMarketDataSource>();
  return {
    store: adapters.candles,
    source: (exchange) => {
      let source = sources.get(exchange);
      if (!source) {
        source = localMarketDataSource(exchange, env);
        sources.set(exchange, source);
      }
      return source;
    },
    bus,
    clock: systemClock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
