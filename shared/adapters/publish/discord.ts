import { type Publication, PublishError, type Publisher, type PublishReceipt } from '../../ports/publisher';
import {
  type HttpPublisherOptions,
  httpFailure,
  numberOrUndefined,
  objectOf,
  parseJson,
  postsOf,
  requireText,
  retryAfterHeader,
  sendJson,
  stringOf,
} from './http';
import { ThreadProgress } from './thread';

/** Discord's limit on a message's content, in characters. */
export const DISCORD_MAX_CONTENT = 2000;

/** Settings of a {@link DiscordWebhookPublisher}. */
export interface DiscordWebhookOptions extends HttpPublisherOptions {
  /** https://discord.com/api/webhooks/{id}/{token}: a secret, never logged. */
  readonly webhookUrl: string;
}

interface DiscordMessage {
  readonly id: string;
  readonly channelId?: string;
  readonly guildId?: string;
}

/**
 * Posts to a Discord channel through an incoming webhook (Execute Webhook with `?wait=true`, so Discord answers
 * with the message it created). A thread becomes one message per post, in order. Mentions are never parsed, so a
 * version quoting "@everyone" pings nobody. Webhooks take no idempotency key: `deduplicates` is false.
 */
export class DiscordWebhookPublisher implements Publisher {
  readonly channel = 'discord';
  readonly deduplicates = false;
  private readonly url: string;
  private readonly progress = new ThreadProgress<DiscordMessage>();

  constructor(private readonly options: DiscordWebhookOptions) {
    const url = new URL(options.webhookUrl);
    url.searchParams.set('wait', 'true');
    this.url = url.toString();
  }

  async publish(publication: Publication): Promise<PublishReceipt> {
    const posts = postsOf(publication);
    requireText(this.channel, posts);
    for (const post of posts) {
      const length = [...post].length;
      if (length > DISCORD_MAX_CONTENT) {
        throw new PublishError(
          `discord: a message of ${length} characters is over Discord's ${DISCORD_MAX_CONTENT}; shorten the version`,
          false,
        );
      }
    }
    const messages = await this.progress.postAll(publication.idempotencyKey, posts, (post) =>
      this.send(post),
    );
    const first = messages[0]!;
    return {
      channel: this.channel,
      externalId:
        messages
          .map((message) => message.id)
          .filter(Boolean)
          .join(',') || null,
      url:
        first.guildId && first.channelId
          ? `https://discord.com/channels/${first.guildId}/${first.channelId}/${first.id}`
          : null,
      publishedAt: (this.options.now ?? Date.now)(),
    };
  }

  private async send(content: string): Promise<DiscordMessage> {
    const secrets = [this.options.webhookUrl, this.url];
    const answer = await sendJson(
      this.channel,
      this.url,
      { body: { content, allowed_mentions: { parse: [] } } },
      this.options,
      secrets,
    );
    const body = objectOf(parseJson(answer.text));
    if (answer.status === 200 && typeof body.id === 'string') {
      return { id: body.id, channelId: stringOf(body.channel_id), guildId: stringOf(body.guild_id) };
    }
    if (answer.status === 204) {
      // Only without ?wait=true; a proxy may have dropped the query: the message went out, its id is unknown.
      return { id: '' };
    }
    const now = (this.options.now ?? Date.now)();
    const retryAfterSeconds = numberOrUndefined(body.retry_after);
    const retryAfterMs =
      answer.status === 429
        ? retryAfterSeconds !== undefined
          ? Math.ceil(retryAfterSeconds * 1000)
          : retryAfterHeader(answer.headers, now)
        : undefined;
    const code = numberOrUndefined(body.code);
    const message = stringOf(body.message) ?? answer.text;
    throw httpFailure(this.channel, answer, code !== undefined ? `${code} ${message}` : message, {
      retryAfterMs,
      secrets,
      hint: discordHint(answer.status),
    });
  }
}

function discordHint(status: number): string | undefined {
  if (status === 401 || status === 403 || status === 404) {
    return 'the webhook URL is wrong or the webhook was deleted; create one in the channel settings (Integrations → Webhooks) and set DISCORD_WEBHOOK_URL';
  }
  if (status === 400) return 'Discord rejected the message as sent';
  if (status === 429) return 'Discord rate-limits each webhook';
  return undefined;
}
