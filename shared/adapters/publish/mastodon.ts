import type { Publication, Publisher, PublishReceipt } from '../../ports/publisher';
import {
  type HttpPublisherOptions,
  httpFailure,
  objectOf,
  parseJson,
  postsOf,
  requireText,
  retryAfterHeader,
  sendJson,
  stringOf,
} from './http';
import { ThreadProgress } from './thread';

/** Who sees a status. */
export type MastodonVisibility = 'public' | 'unlisted' | 'private' | 'direct';

/** Settings of a {@link MastodonPublisher}. */
export interface MastodonOptions extends HttpPublisherOptions {
  /** The instance, e.g. https://mastodon.social. */
  readonly instanceUrl: string;
  /** An access token with the write:statuses scope: a secret, never logged. */
  readonly token: string;
  /** Default public. */
  readonly visibility?: MastodonVisibility;
}

interface MastodonStatus {
  readonly id: string;
  readonly url: string | null;
}

/**
 * Posts statuses with POST /api/v1/statuses. Each request carries an Idempotency-Key derived from the
 * publication's key; Mastodon answers a repeated key with the status it already created (it keeps keys for one
 * hour), so `deduplicates` is true. A thread is posted as a chain of replies (in_reply_to_id).
 */
export class MastodonPublisher implements Publisher {
  readonly channel = 'mastodon';
  readonly deduplicates = true;
  private readonly url: string;
  private readonly progress = new ThreadProgress<MastodonStatus>();

  constructor(private readonly options: MastodonOptions) {
    this.url = `${options.instanceUrl.replace(/\/+$/, '')}/api/v1/statuses`;
  }

  async publish(publication: Publication): Promise<PublishReceipt> {
    const posts = postsOf(publication);
    requireText(this.channel, posts);
    const statuses = await this.progress.postAll(publication.idempotencyKey, posts, (post, index, earlier) =>
      this.send(post, postKey(publication.idempotencyKey, index), earlier.at(-1)?.id),
    );
    const first = statuses[0]!;
    return {
      channel: this.channel,
      externalId: first.id,
      url: first.url,
      publishedAt: (this.options.now ?? Date.now)(),
    };
  }

  private async send(
    status: string,
    idempotencyKey: string,
    inReplyToId: string | undefined,
  ): Promise<MastodonStatus> {
    const secrets = [this.options.token];
    const answer = await sendJson(
      this.channel,
      this.url,
      {
        headers: { authorization: `Bearer ${this.options.token}`, 'idempotency-key': idempotencyKey },
        body: {
          status,
          visibility: this.options.visibility ?? 'public',
          ...(inReplyToId ? { in_reply_to_id: inReplyToId } : {}),
        },
      },
      this.options,
      secrets,
    );
    const body = objectOf(parseJson(answer.text));
    if (answer.status === 200 && typeof body.id === 'string') {
      return { id: body.id, url: stringOf(body.url) ?? stringOf(body.uri) ?? null };
    }
    const now = (this.options.now ?? Date.now)();
    throw httpFailure(this.channel, answer, stringOf(body.error) ?? answer.text, {
      retryAfterMs: answer.status === 429 ? rateLimitReset(answer.headers, now) : undefined,
      secrets,
      hint: mastodonHint(answer.status),
    });
  }
}

/** The Idempotency-Key of a thread's post: the publication's key for the first, with its number for the others. */
function postKey(key: string, index: number): string {
  return index === 0 ? key : `${key}#${index + 1}`;
}

/** Mastodon's X-RateLimit-Reset is an ISO 8601 time; Retry-After when a proxy set one. */
function rateLimitReset(headers: Headers, now: number): number | undefined {
  const reset = headers.get('x-ratelimit-reset');
  const at = reset ? Date.parse(reset) : Number.NaN;
  return Number.isFinite(at) ? Math.max(0, at - now) : retryAfterHeader(headers, now);
}

function mastodonHint(status: number): string | undefined {
  if (status === 401)
    return 'the access token is wrong or revoked; create one (scope write:statuses) and set MASTODON_TOKEN';
  if (status === 403) return 'the token lacks the write:statuses scope, or the account is suspended';
  if (status === 404) return 'MASTODON_URL does not point at a Mastodon instance';
  if (status === 422) return 'the instance rejected the status as sent';
  return undefined;
}
