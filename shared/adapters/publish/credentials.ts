import type { Publishers } from '../../content/publish';
import type { Publisher } from '../../ports/publisher';
import { BLUESKY_PDS_URL, BlueskyPublisher } from './bluesky';
import { DiscordWebhookPublisher } from './discord';
import type { Fetch } from './http';
import { MastodonPublisher, type MastodonVisibility } from './mastodon';
import { OutboxPublisher } from './outbox';
import { SlackWebhookPublisher } from './slack';
import { TelegramBotPublisher } from './telegram';

/** The credentials the publish channels read, by name. */
export const PUBLISHER_CREDENTIAL_NAMES = [
  'DISCORD_WEBHOOK_URL',
  'SLACK_WEBHOOK_URL',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_CHAT_ID',
  'MASTODON_URL',
  'MASTODON_TOKEN',
  'BLUESKY_HANDLE',
  'BLUESKY_APP_PASSWORD',
  'BLUESKY_PDS_URL',
] as const;

/** A credential's name. */
export type PublisherCredentialName = (typeof PUBLISHER_CREDENTIAL_NAMES)[number];

/** Credentials as a plain object; a channel is configured when all of its own are set. */
export type PublisherCredentials = Partial<Record<PublisherCredentialName, string>>;

/**
 * Locally every credential is an environment variable with the project's prefix, like the other secrets
 * (FLYWHEEL_GITHUB_TOKEN): FLYWHEEL_DISCORD_WEBHOOK_URL, FLYWHEEL_TELEGRAM_BOT_TOKEN, …
 */
export const PUBLISHER_ENV_PREFIX = 'FLYWHEEL_';

/** The credentials in an environment (FLYWHEEL_-prefixed variables); blank values count as unset. */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): PublisherCredentials {
  const credentials: PublisherCredentials = {};
  for (const name of PUBLISHER_CREDENTIAL_NAMES) {
    const value = env[`${PUBLISHER_ENV_PREFIX}${name}`]?.trim();
    if (value) credentials[name] = value;
  }
  return credentials;
}

/** Settings publishersFromCredentials passes on to the adapters. */
export interface PublisherFactoryOptions {
  /** The file outbox's folder; without one (or `outbox`) there is no outbox channel. */
  readonly outboxDir?: string;
  /** An outbox channel built elsewhere (the S3 one on AWS); it wins over `outboxDir`. */
  readonly outbox?: Publisher;
  readonly fetch?: Fetch;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  /** The Bot API's address; default https://api.telegram.org. */
  readonly telegramApiUrl?: string;
  /** Mastodon statuses' visibility; default public. */
  readonly mastodonVisibility?: MastodonVisibility;
}

/** The channels credentials configure, and why any other channel is only half configured. */
export interface ConfiguredPublishers {
  readonly publishers: Publishers;
  /** One sentence per channel with some credentials but not all, or a value that cannot be right. */
  readonly problems: readonly string[];
}

/** The publishers the credentials configure, plus the outbox when given one or a folder. */
export function publishersFromCredentials(
  credentials: PublisherCredentials,
  options: PublisherFactoryOptions = {},
): ConfiguredPublishers {
  const http = {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const publishers: { -readonly [K in keyof Publishers]: Publishers[K] } = {};
  const problems: string[] = [];
  const url = (name: PublisherCredentialName): string | undefined => {
    const value = credentials[name];
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return value;
    } catch {
      // Reported below.
    }
    problems.push(`${name} is not an http(s) URL`);
    return undefined;
  };
  const pair = (
    channel: string,
    first: PublisherCredentialName,
    second: PublisherCredentialName,
  ): boolean => {
    const [a, b] = [credentials[first], credentials[second]];
    if (a && b) return true;
    if (a || b) problems.push(`${channel} needs ${first} and ${second}; ${a ? second : first} is not set`);
    return false;
  };

  const discord = url('DISCORD_WEBHOOK_URL');
  if (discord) publishers.discord = new DiscordWebhookPublisher({ webhookUrl: discord, ...http });
  const slack = url('SLACK_WEBHOOK_URL');
  if (slack) publishers.slack = new SlackWebhookPublisher({ webhookUrl: slack, ...http });
  if (pair('telegram', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID')) {
    publishers.telegram = new TelegramBotPublisher({
      token: credentials.TELEGRAM_BOT_TOKEN!,
      chatId: credentials.TELEGRAM_CHAT_ID!,
      ...(options.telegramApiUrl ? { apiUrl: options.telegramApiUrl } : {}),
      ...http,
    });
  }
  if (pair('mastodon', 'MASTODON_URL', 'MASTODON_TOKEN')) {
    const instanceUrl = url('MASTODON_URL');
    if (instanceUrl) {
      publishers.mastodon = new MastodonPublisher({
        instanceUrl,
        token: credentials.MASTODON_TOKEN!,
        ...(options.mastodonVisibility ? { visibility: options.mastodonVisibility } : {}),
        ...http,
      });
    }
  }
  if (pair('bluesky', 'BLUESKY_HANDLE', 'BLUESKY_APP_PASSWORD')) {
    const pdsUrl = credentials.BLUESKY_PDS_URL ? url('BLUESKY_PDS_URL') : BLUESKY_PDS_URL;
    if (pdsUrl) {
      publishers.bluesky = new BlueskyPublisher({
        identifier: credentials.BLUESKY_HANDLE!.replace(/^@/, ''),
        appPassword: credentials.BLUESKY_APP_PASSWORD!,
        pdsUrl,
        ...http,
      });
    }
  }
  if (options.outbox) {
    publishers.outbox = options.outbox;
  } else if (options.outboxDir) {
    publishers.outbox = new OutboxPublisher({
      dir: options.outboxDir,
      ...(options.now ? { now: options.now } : {}),
    });
  }
  return { publishers, problems };
}
