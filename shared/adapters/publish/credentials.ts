import type { Publishers } from '../../content/publish';
import type { SecretStore } from '../../ports/secret-store';
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

/**
 * The secret that holds each credential on AWS (Secrets Manager), in the topology's kebab-case naming; its local
 * variable is FLYWHEEL_ + the credential name, so an EnvSecretStore built from the same table reads the environment.
 */
export const PUBLISHER_SECRET_NAMES: Readonly<Record<PublisherCredentialName, string>> = {
  DISCORD_WEBHOOK_URL: 'discord-webhook-url',
  SLACK_WEBHOOK_URL: 'slack-webhook-url',
  TELEGRAM_BOT_TOKEN: 'telegram-bot-token',
  TELEGRAM_CHAT_ID: 'telegram-chat-id',
  MASTODON_URL: 'mastodon-url',
  MASTODON_TOKEN: 'mastodon-token',
  BLUESKY_HANDLE: 'bluesky-handle',
  BLUESKY_APP_PASSWORD: 'bluesky-app-password',
  BLUESKY_PDS_URL: 'bluesky-pds-url',
};

/** Reads every credential from a secret store (Secrets Manager on AWS); secrets nobody set are left out. */
export async function loadPublisherCredentials(
  secrets: SecretStore,
  names: Partial<Record<PublisherCredentialName, string>> = PUBLISHER_SECRET_NAMES,
): Promise<PublisherCredentials> {
  const entries = await Promise.all(
    PUBLISHER_CREDENTIAL_NAMES.map(async (name) => {
      const secretName = names[name];
      const value = secretName ? (await secrets.get(secretName))?.trim() : undefined;
      return [name, value] as const;
    }),
  );
  const credentials: PublisherCredentials = {};
  for (const [name, value] of entries) if (value) credentials[name] = value;
  return credentials;
}

/** Settings publishersFromCredentials passes on to the adapters. */
export interface PublisherFactoryOptions {
  /** The file outbox's folder; without one there is no outbox channel. */
  readonly outboxDir?: string;
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

/** The publishers the credentials configure, plus the outbox when given a folder. */
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
  if (options.outboxDir) {
    publishers.outbox = new OutboxPublisher({
      dir: options.outboxDir,
      ...(options.now ? { now: options.now } : {}),
    });
  }
  return { publishers, problems };
}
