import { createHmac, timingSafeEqual } from 'node:crypto';

/** What GitHub puts in X-Hub-Signature-256: `sha256=` and the HMAC-SHA256 of the raw body, in hex. */
export function signWebhookBody(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when the X-Hub-Signature-256 header is the HMAC of exactly these bytes under the secret (constant time). */
export function isValidWebhookSignature(
  body: Buffer | string,
  header: string | undefined,
  secret: string,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
