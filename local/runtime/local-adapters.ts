import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
import { systemClock } from '@shared/ports/clock';
import type { EventBus } from '@shared/ports/event-bus';
import { QUEUES } from '../../events/topology';
import type { SweepDependencies } from '../../functions/lib/sweep-deps';
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
