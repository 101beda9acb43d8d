import { join } from 'node:path';
import { EnvSecretStore } from '@shared/adapters/local/env-secret-store';
import { type ContentSettings, DEFAULT_CONTENT_SETTINGS } from '@shared/content/settings';
import { systemClock } from '@shared/ports/clock';
import type { EventBus } from '@shared/ports/event-bus';
import { SECRETS } from '../../events/topology';
import type { ContentDependencies } from '../../functions/lib/content-deps';
import { generatorFactory } from '../../functions/lib/content-generators';
import { publishersFactory } from '../../functions/lib/content-publishers';
import type { LocalAdapters } from './local-adapters';

// Apart from local-adapters.ts so the backtest worker threads never load the generators (wink-nlp, openai).
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
