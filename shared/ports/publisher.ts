/** One version of a draft to publish on one channel. */
export interface Publication {
  readonly draftId: string;
  /** The platform id of the version (`discord`, `mastodon`, …). */
  readonly platform: string;
  /** The text; for a thread, its posts in order. */
  readonly text?: string;
  readonly posts?: readonly string[];
  /** One key per draft and platform: a channel that supports idempotency keys gets it, the log records it. */
  readonly idempotencyKey: string;
}

/** What a channel answered for a published version. */
export interface PublishReceipt {
  readonly channel: string;
  /** The channel's id for the post (status id, record URI, message id), when it gives one. */
  readonly externalId: string | null;
  /** Where the post can be seen, when known. */
  readonly url: string | null;
  readonly publishedAt: number;
}

/** A publish attempt failed; `retryable` says whether trying again later may succeed (429, 5xx, network). */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    message: string,
    readonly retryable: boolean,
    /** HTTP status, when the channel answered. */
    readonly status?: number,
    /** How long the channel asked us to wait (Retry-After, rate-limit reset), in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A place versions are published to: a webhook, a bot, a social API, or the file outbox. */
export interface Publisher {
  /** The channel's name in reports (`discord`, `outbox`, …). */
  readonly channel: string;
  /** True when the channel itself deduplicates by `idempotencyKey`, so a retry after an unknown outcome is safe. */
  readonly deduplicates: boolean;
  publish(publication: Publication): Promise<PublishReceipt>;
}
