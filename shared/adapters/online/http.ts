import type { UnknownReason } from '../../ports/package-advisor';

/** What one JSON request came to: a parsed body, a 404, or a reason the answer is unknown. */
export type JsonResponse =
  | { readonly kind: 'json'; readonly body: unknown }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'unknown'; readonly reason: UnknownReason };

/** How the adapters reach the network: Node's global fetch unless a test passes another. */
export type Fetch = typeof fetch;

export interface HttpOptions {
  /** Per request, the body included. */
  readonly timeoutMs: number;
  readonly limit: Limiter;
  readonly fetch?: Fetch;
  readonly userAgent?: string;
}

/** Runs at most `concurrency` tasks at once, the rest queued in order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(concurrency: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** The low-level cause of a failed fetch ("connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND pypi.org"). */
function failureDetail(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.message || cause?.code || (error as Error).message || String(error);
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/**
 * Sends one request and reads a JSON answer, within the timeout and the limiter's concurrency. Never throws:
 * network failures, timeouts, statuses other than 2xx and 404, and bodies that are not JSON become `unknown`.
 */
export function requestJson(
  url: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; accept?: string },
  options: HttpOptions,
): Promise<JsonResponse> {
  return options.limit(async () => {
    const send = options.fetch ?? fetch;
    const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
    if (options.userAgent) headers['user-agent'] = options.userAgent;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await send(url, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      return isTimeout(error)
        ? { kind: 'unknown', reason: { kind: 'timeout', afterMs: options.timeoutMs } }
        : { kind: 'unknown', reason: { kind: 'unreachable', detail: failureDetail(error) } };
    }
    if (response.status === 404 || !response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return response.status === 404
        ? { kind: 'not-found' }
        : { kind: 'unknown', reason: { kind: 'http', status: response.status } };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return isTimeout(error)
        ? { kind: 'unknown', reason: { kind: 'timeout', afterMs: options.timeoutMs } }
        : { kind: 'unknown', reason: { kind: 'unreachable', detail: failureDetail(error) } };
    }
    try {
      return { kind: 'json', body: JSON.parse(text) as unknown };
    } catch {
      const start = text.slice(0, 40).replace(/\s+/g, ' ');
      return { kind: 'unknown', reason: { kind: 'malformed', detail: `not JSON: "${start}"` } };
    }
  });
}

/** A plain JSON object, or null. */
export function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** The base URL without a trailing slash, so paths join with one. */
export const trimBase = (url: string) => url.replace(/\/+$/, '');
