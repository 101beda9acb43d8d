import { createHash } from 'node:crypto';
import type { Publication, PublishError, Publisher, PublishReceipt } from '../../ports/publisher';
import {
  type HttpAnswer,
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

/** Bluesky's own PDS entryway; accounts hosted elsewhere set BLUESKY_PDS_URL. */
export const BLUESKY_PDS_URL = 'https://bsky.social';

const POST_COLLECTION = 'app.bsky.feed.post';

/** Settings of a {@link BlueskyPublisher}. */
export interface BlueskyOptions extends HttpPublisherOptions {
  /** The handle (alice.bsky.social) or DID. */
  readonly identifier: string;
  /** An app password (Settings → Privacy and security → App passwords): a secret, never logged. */
  readonly appPassword: string;
  /** Default https://bsky.social. */
  readonly pdsUrl?: string;
}

/** A rich-text facet marking a link, by UTF-8 byte offsets (app.bsky.richtext.facet). */
export interface LinkFacet {
  readonly index: { readonly byteStart: number; readonly byteEnd: number };
  readonly features: readonly [{ readonly $type: 'app.bsky.richtext.facet#link'; readonly uri: string }];
}

interface StrongRef {
  readonly uri: string;
  readonly cid: string;
}

interface Session {
  readonly accessJwt: string;
  readonly did: string;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/g;

/** A URL without the punctuation that ends its sentence, or a closing bracket it does not open. */
function trimUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last && '.,;:!?\'"'.includes(last)) end--;
    else if (
      last === ')' &&
      (url.slice(0, end).match(/\(/g)?.length ?? 0) < (url.slice(0, end).match(/\)/g)?.length ?? 0)
    )
      end--;
    else return url.slice(0, end);
  }
}

/** The link facets of a text: each http(s) URL, by UTF-8 byte offsets (JavaScript indexes UTF-16 code units). */
export function linkFacets(text: string): LinkFacet[] {
  return [...text.matchAll(URL_PATTERN)].map((match) => {
    const url = trimUrl(match[0]);
    const byteStart = Buffer.byteLength(text.slice(0, match.index), 'utf8');
    const byteEnd = byteStart + Buffer.byteLength(url, 'utf8');
    return {
      index: { byteStart, byteEnd },
      features: [{ $type: 'app.bsky.richtext.facet#link', uri: url }] as const,
    };
  });
}

const TID_ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
// Derived TIDs carry a time in 2023, never in the future; timelines order posts by createdAt, not by record key.
const TID_EPOCH_US = BigInt(Date.UTC(2023, 0, 1)) * 1000n;
const TID_SPAN_US = 365n * 86_400n * 1_000_000n;

/**
 * A record key for a post, the same for the same idempotency key: a valid TID (posts are keyed by TID, and the
 * AppView ignores posts under other keys), 53 bits of time and 10 of clock id, both taken from SHA-256 of the key.
 */
export function recordKeyFor(idempotencyKey: string): string {
  const hash = createHash('sha256').update(idempotencyKey, 'utf8').digest();
  const micros = TID_EPOCH_US + (hash.readBigUInt64BE(0) % TID_SPAN_US);
  const clockId = BigInt(hash.readUInt16BE(8) & 0x3ff);
  let value = (micros << 10n) | clockId;
  let key = '';
  for (let index = 0; index < 13; index++) {
    key = TID_ALPHABET[Number(value & 31n)]! + key;
    value >>= 5n;
  }
  return key;
}

/**
 * Posts to Bluesky through the account's PDS: createSession with an app password (the session is kept for later
 * posts), then com.atproto.repo.createRecord with link facets by UTF-8 byte offsets. Each post's record key is
 * derived from the idempotency key, so a retry cannot post twice: the PDS refuses a second record under the same
 * key, and the adapter then reads the record that is there (getRecord) and answers with its receipt, since an
 * existing record under our derived key can only be our earlier post. `deduplicates` is therefore true. A thread
 * is posted as a chain of replies (reply.root / reply.parent).
 */
export class BlueskyPublisher implements Publisher {
  readonly channel = 'bluesky';
  readonly deduplicates = true;
  private readonly pdsUrl: string;
  private session: Session | undefined;
  private readonly progress = new ThreadProgress<StrongRef>();

  constructor(private readonly options: BlueskyOptions) {
    this.pdsUrl = (options.pdsUrl ?? BLUESKY_PDS_URL).replace(/\/+$/, '');
  }

  async publish(publication: Publication): Promise<PublishReceipt> {
    const posts = postsOf(publication);
    requireText(this.channel, posts);
    const refs = await this.progress.postAll(publication.idempotencyKey, posts, (post, index, earlier) =>
      this.post(
        post,
        recordKeyFor(index === 0 ? publication.idempotencyKey : `${publication.idempotencyKey}#${index + 1}`),
        earlier[0],
        earlier.at(-1),
      ),
    );
    const first = refs[0]!;
    const [did = '', , rkey = ''] = first.uri.replace(/^at:\/\//, '').split('/');
    return {
      channel: this.channel,
      externalId: first.uri,
      url: did && rkey ? `https://bsky.app/profile/${did}/post/${rkey}` : null,
      publishedAt: this.now(),
    };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async post(text: string, rkey: string, root?: StrongRef, parent?: StrongRef): Promise<StrongRef> {
    const facets = linkFacets(text);
    const record = {
      $type: POST_COLLECTION,
      text,
      createdAt: new Date(this.now()).toISOString(),
      ...(facets.length > 0 ? { facets } : {}),
      ...(root && parent ? { reply: { root, parent } } : {}),
    };
    let session = await this.currentSession();
    let answer = await this.createRecord(session, rkey, record);
    if (isExpiredSession(answer)) {
      this.session = undefined;
      session = await this.currentSession();
      answer = await this.createRecord(session, rkey, record);
    }
    const body = objectOf(parseJson(answer.text));
    if (answer.status === 200 && typeof body.uri === 'string' && typeof body.cid === 'string') {
      return { uri: body.uri, cid: body.cid };
    }
    const failure = this.failure(answer, 'createRecord');
    // A record already under our key is our earlier post: PDSs answer 409 RecordAlreadyExists, older ones 500.
    if (
      answer.status !== 429 &&
      (answer.status >= 500 || answer.status === 409 || /exist/i.test(answer.text))
    ) {
      const existing = await this.existingRecord(session, rkey);
      if (existing) return existing;
    }
    throw failure;
  }

  private createRecord(session: Session, rkey: string, record: unknown): Promise<HttpAnswer> {
    return sendJson(
      this.channel,
      `${this.pdsUrl}/xrpc/com.atproto.repo.createRecord`,
      {
        headers: { authorization: `Bearer ${session.accessJwt}` },
        body: { repo: session.did, collection: POST_COLLECTION, rkey, record },
      },
      this.options,
      this.secrets(),
    );
  }

  /** The post under `rkey`, if the PDS has one; undefined when it has none or cannot say. */
  private async existingRecord(session: Session, rkey: string): Promise<StrongRef | undefined> {
    const query = new URLSearchParams({ repo: session.did, collection: POST_COLLECTION, rkey });
    try {
      const answer = await sendJson(
        this.channel,
        `${this.pdsUrl}/xrpc/com.atproto.repo.getRecord?${query}`,
        { method: 'GET', headers: { authorization: `Bearer ${session.accessJwt}` } },
        this.options,
        this.secrets(),
      );
      const body = objectOf(parseJson(answer.text));
      return answer.status === 200 && typeof body.uri === 'string' && typeof body.cid === 'string'
        ? { uri: body.uri, cid: body.cid }
        : undefined;
    } catch {
      // The lookup is a second chance; the createRecord failure is what the caller should see.
      return undefined;
    }
  }

  private async currentSession(): Promise<Session> {
    if (this.session) return this.session;
    const answer = await sendJson(
      this.channel,
      `${this.pdsUrl}/xrpc/com.atproto.server.createSession`,
      { body: { identifier: this.options.identifier, password: this.options.appPassword } },
      this.options,
      this.secrets(),
    );
    const body = objectOf(parseJson(answer.text));
    if (answer.status === 200 && typeof body.accessJwt === 'string' && typeof body.did === 'string') {
      this.session = { accessJwt: body.accessJwt, did: body.did };
      return this.session;
    }
    throw this.failure(answer, 'createSession');
  }

  private secrets(): string[] {
    return [this.options.appPassword, ...(this.session ? [this.session.accessJwt] : [])];
  }

  private failure(answer: HttpAnswer, method: string): PublishError {
    const body = objectOf(parseJson(answer.text));
    const error = stringOf(body.error);
    const message = stringOf(body.message);
    const text = error || message ? [error, message].filter(Boolean).join(': ') : answer.text;
    return httpFailure(this.channel, answer, `${method}: ${text}`, {
      retryAfterMs: answer.status === 429 ? rateLimitReset(answer.headers, this.now()) : undefined,
      secrets: this.secrets(),
      hint: blueskyHint(answer.status, error, method),
    });
  }
}

function isExpiredSession(answer: HttpAnswer): boolean {
  if (answer.status !== 400 && answer.status !== 401) return false;
  const error = stringOf(objectOf(parseJson(answer.text)).error);
  return error === 'ExpiredToken' || error === 'InvalidToken';
}

/** Bluesky's ratelimit-reset is the reset time in epoch seconds; a small number is read as seconds to wait. */
function rateLimitReset(headers: Headers, now: number): number | undefined {
  const reset = Number(headers.get('ratelimit-reset') ?? Number.NaN);
  if (Number.isFinite(reset)) return Math.max(0, reset > 1e9 ? reset * 1000 - now : reset * 1000);
  return retryAfterHeader(headers, now);
}

function blueskyHint(status: number, error: string | undefined, method: string): string | undefined {
  if (error === 'AuthFactorTokenRequired') {
    return 'the account asks for a sign-in code: use an app password (Settings → Privacy and security → App passwords) in BLUESKY_APP_PASSWORD';
  }
  if (method === 'createSession' && (status === 400 || status === 401)) {
    return 'check BLUESKY_HANDLE and BLUESKY_APP_PASSWORD (an app password, not the account password)';
  }
  if (status === 429) return 'Bluesky limits sessions and writes per account';
  if (status === 400) return 'the PDS rejected the post as sent';
  return undefined;
}
