import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** A request a fake platform received. */
export interface PlatformRequest {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when it was not JSON. */
  readonly body: unknown;
  readonly raw: string;
}

/** What a fake answers. */
interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON, a string as plain text. */
  readonly body?: unknown;
}

/**
 * A failure to play on the next matching request: the platform's own rate-limit answer, a 5xx, a connection
 * dropped before the request is handled (nothing posted), or dropped after it was handled (posted, answer lost).
 */
export type Fault =
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'server-error'; readonly status?: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'drop-after-post' };

interface Armed {
  readonly fault: Fault;
  remaining: number;
  readonly path?: string;
}

/** The shared loopback server: records requests, checks them, plays injected faults. */
abstract class FakePlatform {
  readonly requests: PlatformRequest[] = [];
  /** Every way a request departed from the documented API; a test expects none. */
  readonly violations: string[] = [];
  url = '';
  private readonly server: Server;
  private readonly armed: Armed[] = [];

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = new URL(request.url ?? '/', 'http://fake');
        let body: unknown;
        try {
          body = raw ? (JSON.parse(raw) as unknown) : undefined;
        } catch {
          body = undefined;
        }
        const recorded: PlatformRequest = {
          method: request.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: request.headers,
          body,
          raw,
        };
        this.requests.push(recorded);
        const fault = this.nextFault(recorded.path);
        if (fault?.kind === 'drop') {
          response.socket?.destroy();
          return;
        }
        const answer =
          fault && fault.kind !== 'drop-after-post' ? this.faultAnswer(fault) : this.handle(recorded);
        if (fault?.kind === 'drop-after-post') {
          response.socket?.destroy();
          return;
        }
        send(response, answer);
      });
    });
  }

  /** Starts listening on a free loopback port. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Plays `fault` on the next `times` requests (to `path` only, when given). */
  inject(fault: Fault, options: { times?: number; path?: string } = {}): void {
    this.armed.push({
      fault,
      remaining: options.times ?? 1,
      ...(options.path ? { path: options.path } : {}),
    });
  }

  /** Forgets requests, violations and faults (not what was posted). */
  reset(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.armed.length = 0;
  }

  protected abstract handle(request: PlatformRequest): Answer;
  protected abstract faultAnswer(fault: Exclude<Fault, { kind: 'drop' | 'drop-after-post' }>): Answer;

  /** Records a departure from the documented API, and returns the answer given for it. */
  protected violation(message: string, answer: Answer): Answer {
    this.violations.push(message);
    return answer;
  }

  /** Checks a JSON body against the documented shape; the issues, or undefined when it fits. */
  protected check<T>(
    schema: z.ZodType<T>,
    request: PlatformRequest,
  ): { ok: true; value: T } | { ok: false; issues: string } {
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return {
        ok: false,
        issues: `content-type is ${request.headers['content-type'] ?? 'missing'}, not application/json`,
      };
    }
    const parsed = schema.safeParse(request.body);
    if (parsed.success) return { ok: true, value: parsed.data };
    return {
      ok: false,
      issues: parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
        .join('; '),
    };
  }

  private nextFault(path: string): Fault | undefined {
    const armed = this.armed.find(
      (entry) => entry.remaining > 0 && (!entry.path || path.includes(entry.path)),
    );
    if (!armed) return undefined;
    armed.remaining--;
    return armed.fault;
  }
}

function send(response: ServerResponse, answer: Answer): void {
  const json = typeof answer.body !== 'string' && answer.body !== undefined;
  response.writeHead(answer.status, {
    'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    ...answer.headers,
  });
  response.end(json ? JSON.stringify(answer.body) : ((answer.body as string | undefined) ?? ''));
}

let snowflake = 1_200_000_000_000_000_000n;
const nextSnowflake = () => String(++snowflake);

const codePoints = (text: string) => [...text].length;

/** Discord's Execute Webhook, as documented: POST /api/webhooks/{id}/{token}?wait=true with JSON { content }. */
export class FakeDiscord extends FakePlatform {
  readonly messages: { id: string; content: string }[] = [];
  static readonly body = z.object({
    content: z.string().refine((text) => codePoints(text) <= 2000, 'Must be 2000 or fewer in length.'),
    allowed_mentions: z.object({ parse: z.array(z.enum(['roles', 'users', 'everyone'])) }).optional(),
    username: z.string().optional(),
  });

  constructor(
    readonly webhookId = '1187654321098765432',
    readonly token = 'dWVi-discord-webhook-token_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH',
    /** When set, messages carry it (Discord sends guild_id for messages in a server). */
    readonly guildId?: string,
  ) {
    super();
  }

  /** The webhook URL as Discord shows it. */
  get webhookUrl(): string {
    return `${this.url}/api/webhooks/${this.webhookId}/${this.token}`;
  }

  protected handle(request: PlatformRequest): Answer {
    if (request.path !== `/api/webhooks/${this.webhookId}/${this.token}`) {
      return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    }
    if (request.method !== 'POST')
      return this.violation(`method ${request.method}`, {
        status: 405,
        body: { message: '405: Method Not Allowed', code: 0 },
      });
    if (request.query.get('wait') !== 'true')
      this.violations.push('wait=true is missing: Discord would answer 204 without the message');
    const checked = this.check(FakeDiscord.body, request);
    if (!checked.ok) {
      return this.violation(checked.issues, {
        status: 400,
        body: { code: 50035, message: 'Invalid Form Body', errors: {} },
      });
    }
    if (checked.value.content.trim() === '')
      return { status: 400, body: { code: 50006, message: 'Cannot send an empty message' } };
    const id = nextSnowflake();
    this.messages.push({ id, content: checked.value.content });
    return {
      status: 200,
      body: {
        id,
        type: 0,
        content: checked.value.content,
        channel_id: '1187000000000000001',
        ...(this.guildId ? { guild_id: this.guildId } : {}),
        webhook_id: this.webhookId,
        author: { id: this.webhookId, username: 'Flywheel', bot: true },
        timestamp: new Date().toISOString(),
      },
    };
  }

  protected faultAnswer(fault: Exclude<Fault, { kind: 'drop' | 'drop-after-post' }>): Answer {
    if (fault.kind === 'rate-limit') {
      const seconds = fault.retryAfterSeconds ?? 1.5;
      return {
        status: 429,
        headers: { 'retry-after': String(Math.ceil(seconds)), 'x-ratelimit-scope': 'user' },
        body: { message: 'You are being rate limited.', retry_after: seconds, global: false },
      };
    }
    return { status: fault.status ?? 500, body: { message: '500: Internal Server Error', code: 0 } };
  }
}

/** Slack's incoming webhook, as documented: POST JSON { text }, answers "ok" or a plain-text error code. */
export class FakeSlack extends FakePlatform {
  readonly messages: string[] = [];
  /** When true, the channel is archived (410 channel_is_archived). */
  archived = false;

  constructor(readonly path = '/services/T0FLYWHEEL/B0FLYWHEEL/slackSecretToken0123456789') {
    super();
  }

  get webhookUrl(): string {
    return `${this.url}${this.path}`;
  }

  protected handle(request: PlatformRequest): Answer {
    if (request.path !== this.path) return { status: 404, body: 'no_service' };
    if (request.method !== 'POST')
      return this.violation(`method ${request.method}`, { status: 405, body: 'invalid_method' });
    if (request.body === undefined)
      return this.violation('body is not JSON', { status: 400, body: 'invalid_payload' });
    const checked = this.check(z.object({ text: z.string() }), request);
    if (!checked.ok) return this.violation(checked.issues, { status: 400, body: 'invalid_payload' });
    if (checked.value.text.trim() === '') return { status: 400, body: 'no_text' };
    if (this.archived) return { status: 410, body: 'channel_is_archived' };
    this.messages.push(checked.value.text);
    return { status: 200, body: 'ok' };
  }

  protected faultAnswer(fault: Exclude<Fault, { kind: 'drop' | 'drop-after-post' }>): Answer {
    if (fault.kind === 'rate-limit') {
      return {
        status: 429,
        headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) },
        body: 'rate_limited',
      };
    }
    return { status: fault.status ?? 500, body: 'rollup_error' };
  }
}

/** The Bot API's sendMessage, as documented: POST /bot{token}/sendMessage with JSON { chat_id, text }. */
export class FakeTelegram extends FakePlatform {
  readonly messages: { chatId: string; text: string; linkPreview: unknown }[] = [];
  private nextMessageId = 41;
  static readonly body = z.object({
    chat_id: z.union([z.string(), z.number()]),
    text: z.string().max(4096),
    parse_mode: z.enum(['MarkdownV2', 'HTML', 'Markdown']).optional(),
    link_preview_options: z
      .object({
        is_disabled: z.boolean().optional(),
        url: z.string().optional(),
        prefer_small_media: z.boolean().optional(),
        prefer_large_media: z.boolean().optional(),
        show_above_text: z.boolean().optional(),
      })
      .strict()
      .optional(),
  });

  constructor(
    readonly token = '7012345678:AAFlywheelBotTokenSecret_abcdefghijklmno',
    /** The chats the bot may post to, by id or @username, with how Telegram describes them. */
    readonly chats: Record<string, { id: number; username?: string }> = {
      '@flywheel_notes': { id: -1001987654321, username: 'flywheel_notes' },
      '-1001987654321': { id: -1001987654321, username: 'flywheel_notes' },
      '-1002000000001': { id: -1002000000001 },
    },
  ) {
    super();
  }

  protected handle(request: PlatformRequest): Answer {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.path);
    if (!match || match[1] !== this.token)
      return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    if (match[2]!.toLowerCase() !== 'sendmessage')
      return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    const checked = this.check(FakeTelegram.body, request);
    if (!checked.ok) {
      return this.violation(checked.issues, {
        status: 400,
        body: { ok: false, error_code: 400, description: `Bad Request: ${checked.issues}` },
      });
    }
    const chat = this.chats[String(checked.value.chat_id)];
    if (!chat)
      return {
        status: 400,
        body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
      };
    if (checked.value.text.trim() === '')
      return {
        status: 400,
        body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' },
      };
    this.messages.push({
      chatId: String(checked.value.chat_id),
      text: checked.value.text,
      linkPreview: checked.value.link_preview_options,
    });
    return {
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: this.nextMessageId++,
          sender_chat: { id: chat.id, title: 'Flywheel notes', type: 'channel' },
          chat: {
            id: chat.id,
            title: 'Flywheel notes',
            type: 'channel',
            ...(chat.username ? { username: chat.username } : {}),
          },
          date: Math.floor(Date.now() / 1000),
          text: checked.value.text,
        },
      },
    };
  }

  protected faultAnswer(fault: Exclude<Fault, { kind: 'drop' | 'drop-after-post' }>): Answer {
    if (fault.kind === 'rate-limit') {
      const seconds = fault.retryAfterSeconds ?? 7;
      return {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${seconds}`,
          parameters: { retry_after: seconds },
        },
      };
    }
    return {
      status: fault.status ?? 500,
      body: { ok: false, error_code: fault.status ?? 500, description: 'Internal Server Error' },
    };
  }
}

/** A status Mastodon stores. */
export interface FakeStatus {
  readonly id: string;
  readonly status: string;
  readonly visibility: string;
  readonly inReplyToId: string | null;
  readonly idempotencyKey: string | undefined;
}

/** Mastodon's POST /api/v1/statuses, as documented, with its Idempotency-Key deduplication. */
export class FakeMastodon extends FakePlatform {
  readonly statuses: FakeStatus[] = [];
  private readonly byKey = new Map<string, FakeStatus>();
  private nextId = 111_000_000_000_000_000n;
  static readonly body = z.object({
    status: z.string(),
    visibility: z.enum(['public', 'unlisted', 'private', 'direct']).optional(),
    in_reply_to_id: z.string().optional(),
    spoiler_text: z.string().optional(),
    language: z.string().optional(),
  });

  constructor(
    readonly token = 'mastodon-access-token-ZYXWVUTSRQ0123456789',
    readonly characterLimit = 500,
  ) {
    super();
  }

  protected handle(request: PlatformRequest): Answer {
    if (request.path !== '/api/v1/statuses') return { status: 404, body: { error: 'Record not found' } };
    if (request.method !== 'POST')
      return this.violation(`method ${request.method}`, {
        status: 405,
        body: { error: 'Method not allowed' },
      });
    if (request.headers.authorization !== `Bearer ${this.token}`)
      return { status: 401, body: { error: 'The access token is invalid' } };
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') this.violations.push('Idempotency-Key header is missing');
    const checked = this.check(FakeMastodon.body, request);
    if (!checked.ok)
      return this.violation(checked.issues, {
        status: 422,
        body: { error: `Validation failed: ${checked.issues}` },
      });
    const earlier = typeof key === 'string' ? this.byKey.get(key) : undefined;
    if (earlier) return { status: 200, body: this.entity(earlier) };
    if (checked.value.status.trim() === '')
      return { status: 422, body: { error: "Validation failed: Text can't be blank" } };
    if (codePoints(checked.value.status) > this.characterLimit) {
      return {
        status: 422,
        body: { error: `Validation failed: Text character limit of ${this.characterLimit} exceeded` },
      };
    }
    if (
      checked.value.in_reply_to_id &&
      !this.statuses.some((status) => status.id === checked.value.in_reply_to_id)
    ) {
      return { status: 404, body: { error: 'Record not found' } };
    }
    const status: FakeStatus = {
      id: String(++this.nextId),
      status: checked.value.status,
      visibility: checked.value.visibility ?? 'public',
      inReplyToId: checked.value.in_reply_to_id ?? null,
      idempotencyKey: typeof key === 'string' ? key : undefined,
    };
    this.statuses.push(status);
    if (typeof key === 'string') this.byKey.set(key, status);
    return { status: 200, body: this.entity(status) };
  }

  private entity(status: FakeStatus): Record<string, unknown> {
    return {
      id: status.id,
      uri: `${this.url}/users/flywheel/statuses/${status.id}`,
      url: `${this.url}/@flywheel/${status.id}`,
      created_at: new Date().toISOString(),
      content: `<p>${status.status}</p>`,
      visibility: status.visibility,
      in_reply_to_id: status.inReplyToId,
      account: { id: '1', username: 'flywheel', acct: 'flywheel' },
    };
  }

  protected faultAnswer(fault: Exclude<Fault, { kind: 'drop' | 'drop-after-post' }>): Answer {
    if (fault.kind === 'rate-limit') {
      const reset = new Date(Date.now() + (fault.retryAfterSeconds ?? 2) * 1000).toISOString();
      return {
        status: 429,
        headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        body: { error: 'Too many requests' },
      };
    }
    return { status: fault.status ?? 503, body: { error: 'Service Unavailable' } };
  }
}

const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const strongRef = z.object({ uri: z.string().startsWith('at://'), cid: z.string().min(1) });

/** A Bluesky PDS as far as posting goes: createSession, createRecord (app.bsky.feed.post) and getRecord. */
export class FakeBluesky extends FakePlatform {
  readonly records = new Map<string, { uri: string; cid: string; value: Record<string, unknown> }>();
  /** How a createRecord under an existing key is answered: the newer explicit error, or the older 500. */
  existingRecord: 'conflict' | 'internal-error' = 'conflict';
  sessionsCreated = 0;
  private accessJwt = '';
  static readonly createRecord = z.object({
    repo: z.string(),
    collection: z.literal('app.bsky.feed.post'),
    rkey: z.string().regex(TID, 'rkey must be a TID for app.bsky.feed.post').optional(),
    validate: z.boolean().optional(),
    record: z.object({
      $type: z.literal('app.bsky.feed.post'),
      text: z.string().refine((text) => Buffer.byteLength(text, 'utf8') <= 3000, 'text is over 3000 bytes'),
      createdAt: z.iso.datetime({ offset: true }),
      facets: z
        .array(
          z.object({
            index: z.object({ byteStart: z.number().int().min(0), byteEnd: z.number().int().min(0) }),
            features: z
              .array(z.object({ $type: z.literal('app.bsky.richtext.facet#link'), uri: z.url() }))
              .min(1),
          }),
        )
        .optional(),
      reply: z.object({ root: strongRef, parent: strongRef }).optional(),
      langs: z.array(z.string()).optional(),
    }),
  });

  constructor(
    readonly account = 'flywheel.bsky.social',
    readonly appPassword = 'abcd-efgh-ijkl-mnop',
    readonly did = 'did:plc:flywheel2345abcdefghijkl',
  ) {
    super();
  }

  /** Makes the current access token expire, as a PDS does after about two hours. */
  expireSession(): void {
    this.accessJwt = `expired:${this.accessJwt}`;
  }

  protected handle(request: PlatformRequest): Answer {
    switch (request.path) {
      case '/xrpc/com.atproto.server.createSession':
        return this.createSession(request);
      case '/xrpc/com.atproto.repo.createRecord':
        return this.createRecord(request);
      case '/xrpc/com.atproto.repo.getRecord':
        return this.getRecord(request);
      default:
        return { status: 404, body: { error: 'MethodNotImplemented', message: 'Method Not Implemented' } };
    }
  }

  private createSession(request: PlatformRequest): Answer {
    const checked = this.check(
      z.object({ identifier: z.string(), password: z.string(), authFactorToken: z.string().optional() }),
      request,
    );
    if (!checked.ok)
      return this.violation(checked.issues, {
        status: 400,
        body: { error: 'InvalidRequest', message: checked.issues },
      });
    if (checked.value.identifier !== this.account || checked.value.password !== this.appPassword) {
      return {
        status: 401,
        body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' },
      };
    }
    this.sessionsCreated++;
    this.accessJwt = `eyJhbGciOiJFUzI1NksifQ.access-${this.sessionsCreated}.signature`;
    return {
      status: 200,
      body: {
        accessJwt: this.accessJwt,
        refreshJwt: 'eyJ.refresh.sig',
        handle: this.account,
        did: this.did,
        active: true,
      },
    };
  }

  private authorized(request: PlatformRequest): Answer | undefined {
    const auth = request.headers.authorization;
    if (auth === `Bearer ${this.accessJwt}` && !this.accessJwt.startsWith('expired:')) return undefined;
    if (
      this.accessJwt.startsWith('expired:') &&
      auth === `Bearer ${this.accessJwt.slice('expired:'.length)}`
    ) {
      return { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } };
    }
    return { status: 401, body: { error: 'AuthenticationRequired', message: 'Authentication Required' } };
  }

  private createRecord(request: PlatformRequest): Answer {
    if (request.method !== 'POST')
      return this.violation(`method ${request.method}`, { status: 405, body: { error: 'InvalidRequest' } });
    const denied = this.authorized(request);
    if (denied) return denied;
    const checked = this.check(FakeBluesky.createRecord, request);
    if (!checked.ok)
      return this.violation(checked.issues, {
        status: 400,
        body: { error: 'InvalidRequest', message: checked.issues },
      });
    const { repo, rkey, record } = checked.value;
    if (repo !== this.did)
      return { status: 401, body: { error: 'AuthenticationRequired', message: 'Authentication Required' } };
    const bytes = Buffer.from(record.text, 'utf8');
    for (const facet of record.facets ?? []) {
      const slice = bytes.subarray(facet.index.byteStart, facet.index.byteEnd).toString('utf8');
      if (facet.index.byteEnd > bytes.length || slice !== facet.features[0]!.uri) {
        this.violations.push(
          `facet ${facet.index.byteStart}–${facet.index.byteEnd} covers "${slice}", not ${facet.features[0]!.uri}`,
        );
      }
    }
    for (const ref of record.reply ? [record.reply.root, record.reply.parent] : []) {
      if (!this.records.has(ref.uri))
        this.violations.push(`reply points at ${ref.uri}, which does not exist`);
    }
    const key = rkey ?? `3l${String(this.records.size).padStart(11, '2')}`;
    const uri = `at://${this.did}/app.bsky.feed.post/${key}`;
    if (this.records.has(uri)) {
      return this.existingRecord === 'conflict'
        ? { status: 409, body: { error: 'RecordAlreadyExists', message: `Record already exists: ${uri}` } }
        : { status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } };
    }
    const cid = `bafyrei${createHash('sha256').update(request.raw).digest('hex').slice(0, 52)}`;
    this.records.set(uri, { uri, cid, value: record });
    return {
      status: 200,
      body: {
        uri,
        cid,
        commit: { cid: `bafyreicommit${this.records.size}`, rev: '3lflywheelrev2' },
        validationStatus: 'valid',
      },
    };
  }

  private getRecord(request: PlatformRequest): Answer {
    const uri = `at://${request.query.get('repo')}/${request.query.get('collection')}/${request.query.get('rkey')}`;
    const record = this.records.get(uri);
    if (!record)
      return { status: 400, body: { error: 'RecordNotFound', message: `Could not locate record: ${uri}` } };
    return { status: 200, body: record };
  }

  protected faultAnswer(fault: Exclude<Fault, { kind: 'drop' | 'drop-after-post' }>): Answer {
    if (fault.kind === 'rate-limit') {
      const reset = Math.ceil(Date.now() / 1000 + (fault.retryAfterSeconds ?? 3));
      return {
        status: 429,
        headers: {
          'ratelimit-limit': '5000',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(reset),
          'ratelimit-policy': '5000;w=3600',
        },
        body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
      };
    }
    return { status: fault.status ?? 502, body: { error: 'UpstreamFailure', message: 'Upstream Failure' } };
  }
}
