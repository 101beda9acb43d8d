import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteDraftStore } from '@shared/adapters/local/sqlite/draft-store';
import { SqlitePublicationLog } from '@shared/adapters/local/sqlite/publication-log';
import { OutboxPublisher } from '@shared/adapters/publish/outbox';
import type { VersionGenerator } from '@shared/content/generator';
import { OfflineGenerator } from '@shared/content/offline';
import type { Publishers } from '@shared/content/publish';
import { type ContentSettings, ContentSettingsSchema } from '@shared/content/settings';
import type { EventBridgeEvent } from 'aws-lambda';
import type { MetricName } from '../../../events/metrics';
import type { ContentDependencies } from '../../../functions/lib/content-deps';
import { ManualClock, RecordingEventBus } from '../../support/sweep-functions';
import { tempHome } from '../../support/temp-home';

/** A real article (data/articles, MIT-licensed) as POST /content would carry it. */
export const ARTICLE = readFileSync(
  join(__dirname, '../../../data/articles/coinbase-arbitrage-ticker.md'),
  'utf8',
);

/** Real SQLite stores in a temporary home, a recording bus, a manual clock, the offline generator and the outbox. */
export interface ContentHarness {
  readonly home: string;
  readonly db: SqliteDatabase;
  readonly drafts: SqliteDraftStore;
  readonly publications: SqlitePublicationLog;
  readonly bus: RecordingEventBus;
  readonly clock: ManualClock;
  readonly outboxDir: string;
  readonly metrics: Map<MetricName, number>;
  /** How many generators were handed out (one per piece generated). */
  readonly generated: { count: number };
  readonly deps: ContentDependencies;
  close(): void;
}

/** Opens a harness; `settings` is `content:` as a user writes it, `publishers` replaces the outbox-only default. */
export function openContentHarness(
  options: {
    settings?: unknown;
    publishers?: (outbox: OutboxPublisher) => Publishers;
    generator?: () => VersionGenerator;
  } = {},
): ContentHarness {
  const home = tempHome('content');
  const db = openDatabase(join(home, 'flywheel.db'));
  const drafts = new SqliteDraftStore(db);
  const publications = new SqlitePublicationLog(db);
  const bus = new RecordingEventBus();
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  const outboxDir = join(home, 'outbox');
  const outbox = new OutboxPublisher({ dir: outboxDir, now: () => clock.now() });
  const metrics = new Map<MetricName, number>();
  const generated = { count: 0 };
  const settings: ContentSettings = ContentSettingsSchema.parse(options.settings ?? {});
  const deps: ContentDependencies = {
    drafts,
    publications,
    bus,
    clock,
    settings,
    generator: async () => {
      generated.count++;
      return options.generator ? options.generator() : new OfflineGenerator();
    },
    publishers: async () => (options.publishers ? options.publishers(outbox) : { outbox }),
    sleep: async () => {},
    metric: (name, value) => metrics.set(name, (metrics.get(name) ?? 0) + value),
  };
  return {
    home,
    db,
    drafts,
    publications,
    bus,
    clock,
    outboxDir,
    metrics,
    generated,
    deps,
    close: () => db.close(),
  };
}

/** An EventBridge event as the bus delivers it to a rule's Lambda target. */
export function busEvent(detailType: string, detail: unknown, id = 'a1b2c3d4-0000-4000-8000-000000000001') {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: 'flywheel',
    account: '123456789012',
    time: '2026-03-02T09:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  } as EventBridgeEvent<string, unknown>;
}
