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

/** The Bot API's address. */
export const TELEGRAM_API_URL = 'https://api.telegram.org';

/** Telegram's limit on a message's text, in UTF-16 code units (after entity parsing; we send plain text). */
export const TELEGRAM_MAX_TEXT = 4096;

/** Settings of a {@link TelegramBotPublisher}. */
export interface TelegramBotOptions extends HttpPublisherOptions {
  /** From @BotFather: a secret, never logged. */
  readonly token: string;
  /** A chat id (`-1001234567890`) or a public channel's username (`@channel`). */
  readonly chatId: string;
  /** Default https://api.telegram.org (tests point it at a loopback server). */
  readonly apiUrl?: string;
  /** Show a preview of the first link; default true. */
  readonly linkPreview?: boolean;
}

interface TelegramMessage {
  readonly messageId: number;
  readonly chatId?: number;
  readonly username?: string;
}

/**
 * Posts to a Telegram chat or channel with the Bot API's sendMessage, as plain text (no parse_mode, so nothing
 * needs escaping). A thread becomes one message per post, in order. sendMessage takes no idempotency key:
 * `deduplicates` is false.
 */
export class TelegramBotPublisher implements Publisher {
  readonly channel = 'telegram';
  readonly deduplicates = false;
  private readonly url: string;
  private readonly progress = new ThreadProgress<TelegramMessage>();

  constructor(private readonly options: TelegramBotOptions) {
    this.url = `${(options.apiUrl ?? TELEGRAM_API_URL).replace(/\/+$/, '')}/bot${options.token}/sendMessage`;
  }

  async publish(publication: Publication): Promise<PublishReceipt> {
    const posts = postsOf(publication);
    requireText(this.channel, posts);
    for (const post of posts) {
      if (post.length > TELEGRAM_MAX_TEXT) {
        throw new PublishError(
          `telegram: a message of ${post.length} UTF-16 code units is over Telegram's ${TELEGRAM_MAX_TEXT}; shorten the version`,
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
      externalId: messages.map((message) => String(message.messageId)).join(','),
      url: messageUrl(first),
      publishedAt: (this.options.now ?? Date.now)(),
    };
  }

  private async send(text: string): Promise<TelegramMessage> {
    const secrets = [this.options.token];
    const answer = await sendJson(
      this.channel,
      this.url,
      {
        body: {
          chat_id: this.options.chatId,
          text,
          ...(this.options.linkPreview === false ? { link_preview_options: { is_disabled: true } } : {}),
        },
      },
      this.options,
      secrets,
    );
    const body = objectOf(parseJson(answer.text));
    const result = objectOf(body.result);
    if (answer.status === 200 && body.ok === true && typeof result.message_id === 'number') {
      const chat = objectOf(result.chat);
      return {
        messageId: result.message_id,
        chatId: numberOrUndefined(chat.id),
        username: stringOf(chat.username),
      };
    }
    const retryAfterSeconds = numberOrUndefined(objectOf(body.parameters).retry_after);
    const retryAfterMs =
      answer.status === 429
        ? retryAfterSeconds !== undefined
          ? retryAfterSeconds * 1000
          : retryAfterHeader(answer.headers, (this.options.now ?? Date.now)())
        : undefined;
    const migratedTo = numberOrUndefined(objectOf(body.parameters).migrate_to_chat_id);
    throw httpFailure(this.channel, answer, stringOf(body.description) ?? answer.text, {
      retryAfterMs,
      secrets,
      hint:
        migratedTo !== undefined
          ? `the group became a supergroup; set TELEGRAM_CHAT_ID to ${migratedTo}`
          : telegramHint(answer.status),
    });
  }
}

function telegramHint(status: number): string | undefined {
  if (status === 401 || status === 404)
    return 'the bot token is wrong or revoked; get one from @BotFather and set TELEGRAM_BOT_TOKEN';
  if (status === 403) return 'the bot may not post there; add it to the chat (as an admin, for a channel)';
  if (status === 400) return 'check TELEGRAM_CHAT_ID (a numeric id such as -1001234567890, or @channelname)';
  return undefined;
}

/** A link to the message: public chats by username, private supergroups and channels by their internal id. */
function messageUrl(message: TelegramMessage): string | null {
  if (message.username) return `https://t.me/${message.username}/${message.messageId}`;
  const id = message.chatId !== undefined ? String(message.chatId) : '';
  return id.startsWith('-100') ? `https://t.me/c/${id.slice(4)}/${message.messageId}` : null;
}
