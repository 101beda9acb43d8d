import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '@shared/adapters/local/sqlite/database';
import { createCachedAdvisor } from '@shared/adapters/online/cached-advisor';
import {
  createHttpAdvisor,
  DEFAULT_NPM_REGISTRY_URL,
  DEFAULT_OSV_URL,
  DEFAULT_PYPI_URL,
} from '@shared/adapters/online/http-advisor';
import type { PackageAdvisor } from '@shared/ports/package-advisor';
import packageJson from '../../package.json';

/** The cache file in Flywheel's home folder. */
export const DEPS_CACHE_FILE = 'deps-cache.sqlite';

/** A base URL from the environment, checked so a typo fails with its name instead of as "unreachable". */
function baseUrl(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
  fallback: string,
): string {
  const value = env[variable]?.trim();
  if (!value) return fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `${variable} is not a URL: "${value}". Set it to a base URL such as ${fallback}, or unset it.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(
      `${variable} must be an http(s) URL, not "${value}". Set it to a base URL such as ${fallback}.`,
    );
  return value;
}

/**
 * The advisor `deps check --online` uses: PyPI, the npm registry and OSV over HTTP, behind a cache in
 * `<home>/deps-cache.sqlite`. `FLYWHEEL_PYPI_URL`, `FLYWHEEL_NPM_REGISTRY_URL` and `FLYWHEEL_OSV_URL` point it at
 * mirrors (or, in tests, at loopback servers).
 */
export function createOnlineAdvisor(options: {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  ttlSeconds?: number;
  now?: () => number;
  timeoutMs?: number;
}): PackageAdvisor & { close(): void } {
  const { home, env } = options;
  const http = createHttpAdvisor({
    pypiUrl: baseUrl(env, 'FLYWHEEL_PYPI_URL', DEFAULT_PYPI_URL),
    npmRegistryUrl: baseUrl(env, 'FLYWHEEL_NPM_REGISTRY_URL', DEFAULT_NPM_REGISTRY_URL),
    osvUrl: baseUrl(env, 'FLYWHEEL_OSV_URL', DEFAULT_OSV_URL),
    userAgent: `flywheel/${packageJson.version} (deps check --online)`,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const path = join(home, DEPS_CACHE_FILE);
  let db: SqliteDatabase;
  try {
    mkdirSync(home, { recursive: true });
    db = openDatabase(path);
  } catch (error) {
    throw new Error(
      `Cannot open the --online cache ${path}: ${(error as Error).message}. Make the folder writable, or set FLYWHEEL_HOME to one that is.`,
    );
  }
  const cached = createCachedAdvisor(http, db, {
    ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { ...cached, close: () => db.close() };
}
