import type { ContentSettings } from '@shared/content/settings';
import { createContentGenerator } from '../../functions/content-generate/app';
import { createContentPublisher } from '../../functions/content-publish/app';
import { createContentReviewer } from '../../functions/content-review/app';
import { CollectingEventBus } from '../runtime/collecting-bus';
import { openLocalAdapters } from '../runtime/local-adapters';
import { localContentDependencies, outboxPath } from '../runtime/local-content-dependencies';

/** The content functions on the local database, for CLI commands run beside (or without) `flywheel start`. */
export interface LocalContent {
  readonly generator: ReturnType<typeof createContentGenerator>;
  readonly reviewer: ReturnType<typeof createContentReviewer>;
  readonly publisher: ReturnType<typeof createContentPublisher>;
  readonly drafts: ReturnType<typeof openLocalAdapters>['drafts'];
  readonly outboxDir: string;
  close(): void;
}

/**
 * Opens the local database and wires the content functions to it. Events they put are collected, not delivered:
 * the command itself does what a delivery would (publishing an approved draft), so it works without a runtime.
 */
export function openLocalContent(options: {
  readonly home: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly settings: ContentSettings;
  readonly log: (line: string) => void;
}): LocalContent {
  const adapters = openLocalAdapters(options.home, `${process.pid}:cli`);
  const outboxDir = outboxPath(options.home);
  const deps = localContentDependencies(adapters, new CollectingEventBus(), {
    env: options.env,
    outboxDir,
    log: options.log,
    settings: options.settings,
  });
  return {
    generator: createContentGenerator(deps),
    reviewer: createContentReviewer(deps),
    publisher: createContentPublisher(deps),
    drafts: adapters.drafts,
    outboxDir,
    close: () => adapters.close(),
  };
}
