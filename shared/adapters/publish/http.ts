import { PublishError } from '../../ports/publisher';

/** How the publish adapters reach the network: Node's global fetch unless a test passes another. */
export type Fetch = typeof fetch;

/** Settings every HTTP publisher takes. */
export interface HttpPublisherOptions {
  readonly fetch?: Fetch;
  /** Milliseconds before a request is abandoned (its outcome is then unknown); default 10 s. */
  readonly timeoutMs?: number;
  /** Epoch milliseconds, for receipts and rate-limit resets given as times; default Date.now. */
  readonly now?: () => number;
}

/** What one request came to: the status, headers and body text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** The default timeout of one publish request. */
export const DEFAULT_TIMEOUT_MS = 10_000;

const USER_AGENT = 'flywheel-publish (+https://github.com/flywheel)';

/**
 * Sends one JSON request and reads the whole answer. A network failure or timeout becomes a retryable
 * PublishError without a status (the request may or may not have arrived); `secrets` are removed from its message.
 */
export async function sendJson(
  channel: string,
  url: string,
  init: {
    readonly method?: 'GET' | 'POST';
    readonly body?: unknown;
    readonly headers?: Record<string, string>;
  },
  options: HttpPublisherOptions,
  secrets: readonly string[] = [],
): Promise<HttpAnswer> {
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const response = await send(url, {
      method: init.method ?? 'POST',
      headers: {
        accept: 'application/json',
        'user-agent': USER_AGENT,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    const name = (error as { name?: string }).name;
    const detail =
      name === 'TimeoutError' || name === 'AbortError'
        ? `no answer within ${Math.round(timeoutMs / 100) / 10} s`
        : failureDetail(error);
    throw new PublishError(
      redact(`${channel} could not be reached: ${detail}; the post may or may not have gone out`, secrets),
      true,
    );
  }
}

/** The low-level cause of a failed fetch ("connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND …"). */
function failureDetail(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.message || cause?.code || (error as Error).message || String(error);
}

/** Removes every secret (token, webhook URL, password) from a message. */
export function redact(message: string, secrets: readonly string[]): string {
  let result = message;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A plain JSON object, or an empty one. */
export function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A string field, or undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number field, or undefined. */
export function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A body's first 300 characters on one line, for an error message. */
export function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** Retry-After in milliseconds: delta seconds or an HTTP date (RFC 9110). */
export function retryAfterHeader(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** True for the statuses worth trying again later: rate limits and server failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/**
 * The error for an answer that is not a success: the channel, the status, the platform's own error text and, when
 * known, what a person can do about it. Never includes a secret.
 */
export function httpFailure(
  channel: string,
  answer: HttpAnswer,
  platformText: string,
  options: { readonly hint?: string; readonly retryAfterMs?: number; readonly secrets?: readonly string[] },
): PublishError {
  const retryable = isRetryableStatus(answer.status);
  const wait =
    options.retryAfterMs !== undefined ? `; it asks to wait ${formatWait(options.retryAfterMs)}` : '';
  const hint = options.hint ? `: ${options.hint}` : '';
  const text = platformText ? ` (${snippet(platformText)})` : '';
  return new PublishError(
    redact(`${channel} answered ${answer.status}${text}${wait}${hint}`, options.secrets ?? []),
    retryable,
    answer.status,
    options.retryAfterMs,
  );
}

/** A wait for people: "1.5 s", "3 min". */
export function formatWait(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 6_000) / 10} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}

/** The text of a publication: its text, or its posts joined by blank lines for a channel without threads. */
export function wholeText(publication: {
  readonly text?: string;
  readonly posts?: readonly string[];
}): string {
  if (publication.text !== undefined) return publication.text;
  return (publication.posts ?? []).join('\n\n');
}

/** The posts of a publication in order: its posts, or its text as one post. */
export function postsOf(publication: {
  readonly text?: string;
  readonly posts?: readonly string[];
}): string[] {
  if (publication.posts && publication.posts.length > 0) return [...publication.posts];
  return publication.text !== undefined ? [publication.text] : [];
}

/** Throws a non-retryable PublishError when there is nothing to post. */
export function requireText(channel: string, texts: readonly string[]): void {
  if (texts.length === 0 || texts.every((text) => text.trim() === '')) {
    throw new PublishError(`${channel}: the version has no text to post`, false);
  }
}
