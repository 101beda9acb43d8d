import type { Publication, Publisher, PublishReceipt } from '../../ports/publisher';
import {
  type HttpPublisherOptions,
  httpFailure,
  postsOf,
  requireText,
  retryAfterHeader,
  sendJson,
} from './http';
import { ThreadProgress } from './thread';

/** Settings of a {@link SlackWebhookPublisher}. */
export interface SlackWebhookOptions extends HttpPublisherOptions {
  /** https://hooks.slack.com/services/T…/B…/…: a secret, never logged. */
  readonly webhookUrl: string;
}

/** Escapes the three characters Slack's mrkdwn reserves for its own markup (&, <, >). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Posts to a Slack channel through an incoming webhook: ops messages, and any platform a user routes here. Slack
 * answers 200 "ok", or a plain-text error code (invalid_payload, no_text, channel_not_found, channel_is_archived, …).
 * A thread becomes one message per post, in order. Webhooks take no idempotency key: `deduplicates` is false.
 */
export class SlackWebhookPublisher implements Publisher {
  readonly channel = 'slack';
  readonly deduplicates = false;
  private readonly progress = new ThreadProgress<true>();

  constructor(private readonly options: SlackWebhookOptions) {
    // A malformed URL fails here, at configuration, rather than at the first publish.
    new URL(options.webhookUrl);
  }

  async publish(publication: Publication): Promise<PublishReceipt> {
    const posts = postsOf(publication);
    requireText(this.channel, posts);
    await this.progress.postAll(publication.idempotencyKey, posts, (post) => this.send(post));
    // Incoming webhooks answer "ok" and nothing else: no message id, no link.
    return {
      channel: this.channel,
      externalId: null,
      url: null,
      publishedAt: (this.options.now ?? Date.now)(),
    };
  }

  private async send(text: string): Promise<true> {
    const secrets = [this.options.webhookUrl];
    const answer = await sendJson(
      this.channel,
      this.options.webhookUrl,
      { body: { text: slackEscape(text) } },
      this.options,
      secrets,
    );
    if (answer.status === 200) return true;
    const retryAfterMs =
      answer.status === 429 ? retryAfterHeader(answer.headers, (this.options.now ?? Date.now)()) : undefined;
    throw httpFailure(this.channel, answer, answer.text.trim(), {
      retryAfterMs,
      secrets,
      hint: slackHint(answer.text.trim(), answer.status),
    });
  }
}

function slackHint(code: string, status: number): string | undefined {
  switch (code) {
    case 'invalid_payload':
    case 'no_text':
      return 'Slack could not read the message as sent';
    case 'action_prohibited':
      return 'a workspace admin restricts this webhook; ask them to allow it';
    case 'channel_not_found':
    case 'no_service':
    case 'no_team':
    case 'invalid_token':
      return 'the webhook URL is wrong or was revoked; create a new incoming webhook and set SLACK_WEBHOOK_URL';
    case 'channel_is_archived':
      return 'the channel is archived; unarchive it or point SLACK_WEBHOOK_URL at another channel';
    default:
      return status === 429 ? 'Slack allows about one message per second per webhook' : undefined;
  }
}
