import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the local API token lives in a Flywheel home folder. */
export function tokenPath(home: string): string {
  return join(home, 'token');
}

/** The local API token: created once (readable by the owner only) and reused by every later start. */
export function ensureLocalToken(home: string): string {
  const path = tokenPath(home);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const token = randomBytes(32).toString('hex');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}

/** True when an Authorization header carries the token (compared in constant time). */
export function isAuthorised(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
