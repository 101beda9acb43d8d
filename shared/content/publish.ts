/**
 * Publishing a draft's versions, idempotently: every version has one key in the publication log, a key already
 * published is never posted again, and an attempt whose outcome is unknown is retried only on a channel that
 * deduplicates by key. Pure: the channels and the log come in through ports.
 */
import type { PublicationLog } from '../ports/draft-store';
import type { Json } from '../ports/json';
import { type Publication, PublishError, type Publisher, type PublishReceipt } from '../ports/publisher';
import type { PlatformId, PlatformVersion } from './model';

/** The channels versions can be published to. */
export const CHANNEL_NAMES = ['discord', 'slack', 'telegram', 'mastodon', 'bluesky', 'outbox'] as const;

/** A channel's name, as publishers report it and routes name it. */
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Which channel each platform's version goes to; `skip` leaves a platform unpublished. */
export type PublishRoutes = Partial<Record<PlatformId, ChannelName | 'skip'>>;

/** The configured publishers, by channel. */
export type Publishers = Partial<Record<ChannelName, Publisher>>;

/**
 * Where versions go unless a user routes them elsewhere: each platform with an adapter to its own channel, the rest
 * (x, linkedin, instagram, …) to the file outbox. Slack receives only what a user routes to it.
 */
export const DEFAULT_PUBLISH_ROUTES: Readonly<Record<PlatformId, ChannelName>> = {
  x: 'outbox',
  'x-thread': 'outbox',
  linkedin: 'outbox',
  instagram: 'outbox',
  threads: 'outbox',
  bluesky: 'bluesky',
  mastodon: 'mastodon',
  telegram: 'telegram',
  discord: 'discord',
  newsletter: 'outbox',
  'video-script': 'outbox',
};

/** The credentials each channel needs, for messages about a channel that is not configured. */
export const CHANNEL_CREDENTIALS: Readonly<Record<ChannelName, string>> = {
  discord: 'DISCORD_WEBHOOK_URL',
  slack: 'SLACK_WEBHOOK_URL',
  telegram: 'TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID',
  mastodon: 'MASTODON_URL and MASTODON_TOKEN',
  bluesky: 'BLUESKY_HANDLE and BLUESKY_APP_PASSWORD',
  outbox: 'an outbox folder; on AWS, access to the artifacts bucket',
};

/** How publishVersion waits and retries. */
export interface PublishOptions {
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Attempts per version in this call, the first included. */
  readonly maxAttempts: number;
  /** In [0, 1), for the backoff's jitter; default Math.random. */
  readonly random?: () => number;
  /** The first backoff before jitter; default 1 s, doubled each attempt. */
  readonly baseDelayMs?: number;
  /** The longest wait; a channel asking for longer fails the attempt with the time to try again. Default 30 s. */
  readonly maxDelayMs?: number;
}

/** What happened to one version. */
export type PublishOutcome =
  | {
      readonly status: 'published';
      readonly platform: string;
      readonly channel: string;
      readonly receipt: PublishReceipt;
      /** Requests made in this call: 0 when the log already had the receipt. */
      readonly attempts: number;
      /** True when the version was published before and nothing was posted now. */
      readonly earlier: boolean;
      /** Why the version went to another channel than its route, if it did. */
      readonly note?: string;
    }
  | {
      readonly status: 'failed';
      readonly platform: string;
      readonly channel: string | null;
      readonly reason: string;
      readonly attempts: number;
      /** True when a post may have gone out: a person must check the channel before anything is retried. */
      readonly outcomeUnknown: boolean;
      /** When the channel asked to wait longer than this call waits. */
      readonly retryAfterMs?: number;
    }
  | { readonly status: 'skipped'; readonly platform: string; readonly reason: string };

/** The publication log's key (and the channels' idempotency key) of one draft on one platform. */
export function publicationKey(draftId: string, platform: string): string {
  return `${draftId}/${platform}`;
}

/**
 * Publishes one version once. Claims its key in the log: a key already published answers with the earlier receipt
 * without posting; a key held by an attempt whose outcome is unknown is retried only when the channel deduplicates;
 * a claimed key is posted, with backoff on retryable failures (the channel's Retry-After when it gives one), and
 * the receipt or the failure is recorded. A failure after which a post may have gone out (no answer, 5xx) on a
 * channel that does not deduplicate stays `publishing` in the log, so nothing ever posts twice.
 */
export async function publishVersion(
  publication: Publication,
  publisher: Publisher,
  log: PublicationLog,
  options: PublishOptions,
): Promise<PublishOutcome> {
  const key = publication.idempotencyKey;
  const { platform } = publication;
  const channel = publisher.channel;
  const claim = await log.claim(key, options.now());
  if (!claim.claimed) {
    const current = claim.current;
    if (current.state === 'published') {
      return {
        status: 'published',
        platform,
        channel,
        receipt: receiptFrom(current.receipt, channel),
        attempts: 0,
        earlier: true,
      };
    }
    if (current.state === 'failed') {
      return {
        status: 'failed',
        platform,
        channel,
        reason: current.reason,
        attempts: 0,
        outcomeUnknown: false,
      };
    }
    if (!publisher.deduplicates) {
      return {
        status: 'failed',
        platform,
        channel,
        reason: `outcome unknown: an attempt started ${new Date(current.since).toISOString()} got no answer; check ${channel} before retrying by hand`,
        attempts: 0,
        outcomeUnknown: true,
      };
    }
  }

  const maxAttempts = Math.max(1, options.maxAttempts);
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    let failure: PublishError;
    try {
      const receipt = await publisher.publish(publication);
      await log.published(key, receiptJson(receipt));
      return { status: 'published', platform, channel, receipt, attempts: attempt, earlier: false };
    } catch (error) {
      failure =
        error instanceof PublishError
          ? error
          : new PublishError(
              `${channel} failed unexpectedly: ${(error as Error).message ?? String(error)}`,
              false,
            );
    }
    if (mayHaveGoneOut(failure) && !publisher.deduplicates) {
      // Left `publishing` in the log on purpose: the next attempt must not post again.
      return {
        status: 'failed',
        platform,
        channel,
        reason: `outcome unknown: ${failure.message}; check ${channel} before retrying by hand`,
        attempts: attempt,
        outcomeUnknown: true,
      };
    }
    if (!failure.retryable || attempt >= maxAttempts) {
      const reason = attempt > 1 ? `${failure.message} (after ${attempt} attempts)` : failure.message;
      await log.failed(key, reason);
      return {
        status: 'failed',
        platform,
        channel,
        reason,
        attempts: attempt,
        outcomeUnknown: false,
        ...waitOf(failure),
      };
    }
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > maxDelayMs) {
      const reason = `${failure.message}; try again after ${new Date(options.now() + failure.retryAfterMs).toISOString()}`;
      await log.failed(key, reason);
      return {
        status: 'failed',
        platform,
        channel,
        reason,
        attempts: attempt,
        outcomeUnknown: false,
        ...waitOf(failure),
      };
    }
    await options.sleep(failure.retryAfterMs ?? backoff(attempt, options, maxDelayMs));
  }
}

/** The wait before attempt `attempt + 1`: exponential from baseDelayMs, capped, with equal jitter. */
function backoff(attempt: number, options: PublishOptions, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, (options.baseDelayMs ?? 1000) * 2 ** (attempt - 1));
  const random = (options.random ?? Math.random)();
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** A failure after which the post may have gone out: no answer at all, or a server failure. */
function mayHaveGoneOut(error: PublishError): boolean {
  return error.retryable && (error.status === undefined || error.status >= 500);
}

function waitOf(error: PublishError): { retryAfterMs?: number } {
  return error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {};
}

function receiptJson(receipt: PublishReceipt): Json {
  return {
    channel: receipt.channel,
    externalId: receipt.externalId,
    url: receipt.url,
    publishedAt: receipt.publishedAt,
  };
}

function receiptFrom(json: Json, channel: string): PublishReceipt {
  const value =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, Json>) : {};
  return {
    channel: typeof value.channel === 'string' ? value.channel : channel,
    externalId: typeof value.externalId === 'string' ? value.externalId : null,
    url: typeof value.url === 'string' ? value.url : null,
    publishedAt: typeof value.publishedAt === 'number' ? value.publishedAt : 0,
  };
}

/** A draft as publishDraft needs it: its id and versions. */
export interface DraftToPublish {
  readonly id: string;
  readonly versions: readonly Pick<PlatformVersion, 'platform' | 'text' | 'posts'>[];
}

/** What publishing a draft came to, and the status the draft should take. */
export interface DraftPublishResult {
  readonly outcomes: readonly PublishOutcome[];
  /** `published` when no version failed and at least one was published; `failed` otherwise. */
  readonly status: 'published' | 'failed';
  /** For a failed draft: each failed version's reason. */
  readonly reason: string | null;
}

/**
 * Publishes every version of a draft to its channel, one after another: the user's route, else the default one.
 * A version whose default channel is not configured goes to the outbox (said in its outcome's note); one a user
 * routed to a channel that is not configured fails with what to set.
 */
export async function publishDraft(
  draft: DraftToPublish,
  routes: PublishRoutes,
  publishers: Publishers,
  log: PublicationLog,
  options: PublishOptions,
): Promise<DraftPublishResult> {
  const outcomes: PublishOutcome[] = [];
  for (const version of draft.versions) {
    outcomes.push(await publishOne(draft.id, version, routes, publishers, log, options));
  }
  const failed = outcomes.filter((outcome) => outcome.status === 'failed');
  const published = outcomes.some((outcome) => outcome.status === 'published');
  if (failed.length === 0 && published) return { outcomes, status: 'published', reason: null };
  const reason =
    failed.length > 0
      ? failed.map((outcome) => `${outcome.platform}: ${outcome.reason}`).join('; ')
      : 'no version was published: every platform was skipped';
  return { outcomes, status: 'failed', reason };
}

async function publishOne(
  draftId: string,
  version: DraftToPublish['versions'][number],
  routes: PublishRoutes,
  publishers: Publishers,
  log: PublicationLog,
  options: PublishOptions,
): Promise<PublishOutcome> {
  const platform = version.platform;
  const chosen = routes[platform];
  const route = chosen ?? DEFAULT_PUBLISH_ROUTES[platform];
  if (route === 'skip') return { status: 'skipped', platform, reason: 'routed to skip' };
  const hasText = version.text?.trim() || version.posts?.some((post) => post.trim() !== '');
  if (!hasText) return { status: 'skipped', platform, reason: 'the version has no text' };

  let publisher = publishers[route];
  let note: string | undefined;
  if (!publisher) {
    const missing = `${route} is not configured (set ${CHANNEL_CREDENTIALS[route]})`;
    if (chosen !== undefined || !publishers.outbox) {
      return {
        status: 'failed',
        platform,
        channel: null,
        reason: `routed to ${missing}`,
        attempts: 0,
        outcomeUnknown: false,
      };
    }
    publisher = publishers.outbox;
    note = `${missing}; written to the outbox`;
  }
  const publication: Publication = {
    draftId,
    platform,
    idempotencyKey: publicationKey(draftId, platform),
    ...(version.text !== undefined ? { text: version.text } : {}),
    ...(version.posts !== undefined ? { posts: version.posts } : {}),
  };
  const outcome = await publishVersion(publication, publisher, log, options);
  return note && outcome.status === 'published' ? { ...outcome, note } : outcome;
}
