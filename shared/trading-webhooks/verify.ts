import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  type ExchangeWebhookPayload,
  ExchangeWebhookPayloadSchema,
  MAX_EXCHANGE_WEBHOOK_BODY_BYTES,
} from '../../events/catalog';
import { issueLines } from '../validation/zod-issues';

/** How far a signed request's X-Flywheel-Timestamp may be from now, either way. */
export const WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** The header carrying the unix time (seconds) a request was signed at. */
export const TIMESTAMP_HEADER = 'x-flywheel-timestamp';
/** The header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export const SIGNATURE_HEADER = 'x-flywheel-signature';

/**
 * How one source proves who it is. `signature`: an HMAC over timestamp and raw body (integrity, freshness).
 * `body-secret`, for senders that cannot set headers (TradingView alerts): the secret travels in the JSON body as
 * `secret`. It is weaker: anyone who sees one request knows the secret, nothing protects the body's integrity, and
 * only the event id (remembered for a while) stops a replay.
 */
export type SourceAuthentication =
  | { readonly mode: 'signature'; readonly secret: string }
  | { readonly mode: 'body-secret'; readonly secret: string };

/** A source name in the route: letters, digits, `-` and `_`. */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

const SecretsSchema = z.record(
  z.string().regex(SOURCE_NAME, { error: 'a source name is letters, digits, - and _' }),
  z.union([
    z.string().min(16, { error: 'a secret has at least 16 characters' }),
    z.object({
      secret: z.string().min(16, { error: 'a secret has at least 16 characters' }),
      mode: z.enum(['signature', 'body-secret']).default('signature'),
    }),
  ]),
);

/** The webhook secrets JSON is unusable; the message names the problem, never a secret. */
export class WebhookSecretsError extends Error {
  override readonly name = 'WebhookSecretsError';
}

/**
 * Reads the per-source secrets JSON: `{"binance": "<secret>"}` for signed requests, or
 * `{"tradingview": {"secret": "<secret>", "mode": "body-secret"}}` for the weaker body-secret mode.
 */
export function parseWebhookSecrets(text: string): ReadonlyMap<string, SourceAuthentication> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message may quote the text, which holds secrets.
    throw new WebhookSecretsError(
      'the exchange webhook secrets are not valid JSON: expected {"source": "secret"}',
    );
  }
  const parsed = SecretsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = issueLines(parsed.error);
    throw new WebhookSecretsError(`the exchange webhook secrets are invalid: ${problems.join('; ')}`);
  }
  return new Map(
    Object.entries(parsed.data).map(([source, value]) => [
      source,
      typeof value === 'string' ? { mode: 'signature', secret: value } : value,
    ]),
  );
}

/** The X-Flywheel-Signature value for a body signed at `timestamp` (unix seconds): what a sender computes. */
export function signExchangeWebhook(timestamp: string, body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Equal strings, in time that does not depend on where they differ. */
function constantTimeEquals(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so neither the length nor the content leaks through timing.
  const digest = (text: string) => createHmac('sha256', 'flywheel-compare').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A request as the verifier sees it: the raw body bytes and a case-insensitive header lookup. */
export interface WebhookRequest {
  readonly body: Buffer;
  header(name: string): string | undefined;
}

/** Why a request was refused: 401 (who sent it is not proven) or 400 (what was sent is unusable), and the reason. */
export interface WebhookRefusal {
  readonly ok: false;
  readonly status: 400 | 401;
  readonly reason: string;
}

/** A verified request: its payload, with any body secret dropped. */
export interface WebhookAcceptance {
  readonly ok: true;
  readonly payload: ExchangeWebhookPayload;
}

const refuse = (status: 400 | 401, reason: string): WebhookRefusal => ({ ok: false, status, reason });

function parseJson(body: Buffer): { ok: true; value: unknown } | WebhookRefusal {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    // V8 quotes the body after a comma in its message; the body may carry a secret, so only what precedes is kept.
    const what = /^[^,"]*/.exec((error as Error).message)?.[0]?.trim();
    return refuse(400, `the body is not valid JSON${what ? ` (${what})` : ''}: send one JSON object`);
  }
}

function checkSignature(request: WebhookRequest, secret: string, now: number): WebhookRefusal | undefined {
  const timestamp = request.header(TIMESTAMP_HEADER)?.trim();
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return refuse(
      401,
      `${TIMESTAMP_HEADER} is missing or not unix seconds: sign every request with the time it is sent`,
    );
  }
  const signature = request.header(SIGNATURE_HEADER)?.trim() ?? '';
  if (!constantTimeEquals(signature, signExchangeWebhook(timestamp, request.body, secret))) {
    return refuse(
      401,
      `${SIGNATURE_HEADER} is missing or does not match: send sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>"> under this source's secret`,
    );
  }
  const skew = Math.abs(now / 1000 - Number(timestamp));
  if (skew > WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS) {
    return refuse(
      401,
      `${TIMESTAMP_HEADER} is ${Math.round(skew)} s away from now (at most ${WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS} s): sign with the current time, and check the sender's clock`,
    );
  }
  return undefined;
}

/**
 * Verifies an exchange webhook request before anything is stored: size first (before any parsing), then who sent
 * it (signature and timestamp, or the body secret in the weaker mode), then JSON and the payload's schema.
 * The replay check (has this id been seen?) needs a store, so the caller does it after this.
 */
export function verifyExchangeWebhook(
  request: WebhookRequest,
  authentication: SourceAuthentication,
  now: number,
): WebhookAcceptance | WebhookRefusal {
  if (request.body.length > MAX_EXCHANGE_WEBHOOK_BODY_BYTES) {
    return refuse(
      400,
      `the body is ${request.body.length} bytes, over the limit of ${MAX_EXCHANGE_WEBHOOK_BODY_BYTES}: send one event per request`,
    );
  }
  let json: unknown;
  if (authentication.mode === 'signature') {
    const refusal = checkSignature(request, authentication.secret, now);
    if (refusal) return refusal;
    const parsed = parseJson(request.body);
    if (!parsed.ok) return parsed;
    json = parsed.value;
  } else {
    // The secret is inside the body, so this mode must parse before it knows who sent it.
    const parsed = parseJson(request.body);
    if (!parsed.ok) return parsed;
    json = parsed.value;
    const given = (json as { secret?: unknown } | null)?.secret;
    if (typeof given !== 'string' || !constantTimeEquals(given, authentication.secret)) {
      return refuse(
        401,
        'the body\'s "secret" is missing or wrong: put this source\'s secret in the alert message',
      );
    }
  }
  const payload = ExchangeWebhookPayloadSchema.safeParse(json);
  if (!payload.success) {
    const problems = issueLines(payload.error);
    return refuse(400, `the body is not a fill, order-update or alert: ${problems.join('; ')}`);
  }
  return { ok: true, payload: payload.data };
}
