import type { Answer, OsvHit, PackageAdvisor } from '../../ports/package-advisor';
import { migrate, type SqliteDatabase } from '../local/sqlite/database';

/** How long an answer is reused before it is asked again: a day, as registries and OSV change slowly. */
export const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

export interface CacheOptions {
  readonly ttlSeconds?: number;
  /** Epoch milliseconds. */
  readonly now?: () => number;
}

/** Cache keys name the request; the version prefix retires every entry when the stored shape changes. */
const keys = {
  pypi: (name: string, version: string | null) => `v1|pypi|${name}|${version ?? ''}`,
  npm: (name: string, version: string | null) => `v1|npm|${name}|${version ?? ''}`,
  osvQuery: (q: { ecosystem: string; name: string; version: string }) =>
    `v1|osv|${q.ecosystem}|${q.name}|${q.version}`,
  osvAdvisory: (id: string, modified: string) => `v1|osv-vuln|${id}|${modified}`,
};

/**
 * Wraps an advisor with a SQLite cache keyed by request: known answers younger than the TTL are served from it,
 * older ones are asked again; unknown answers are never stored, so a failure is retried on the next run.
 */
export function createCachedAdvisor(
  inner: PackageAdvisor,
  db: SqliteDatabase,
  options: CacheOptions = {},
): PackageAdvisor {
  migrate(
    db,
    'deps-online-cache-v1',
    `CREATE TABLE online_answers (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      fetched_at INTEGER NOT NULL
    )`,
  );
  const ttlMs = (options.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  const select = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM online_answers WHERE key = ? AND fetched_at >= ?',
  );
  const upsert = db.prepare(
    'INSERT INTO online_answers (key, value, fetched_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, fetched_at = excluded.fetched_at',
  );
  // Entries past their TTL are never served again; dropping them keeps the file small.
  db.prepare('DELETE FROM online_answers WHERE fetched_at < ?').run(now() - ttlMs);

  const read = <T>(key: string): T | undefined => {
    const row = select.get(key, now() - ttlMs);
    return row ? (JSON.parse(row.value) as T) : undefined;
  };
  const write = (key: string, answer: Answer<unknown>) => {
    if (answer.known) upsert.run(key, JSON.stringify(answer.value), now());
  };
  const cached = async <T>(key: string, ask: () => Promise<Answer<T>>): Promise<Answer<T>> => {
    const hit = read<T>(key);
    if (hit !== undefined) return { known: true, value: hit };
    const answer = await ask();
    write(key, answer);
    return answer;
  };

  return {
    pypi: (name, version) => cached(keys.pypi(name, version), () => inner.pypi(name, version)),
    npm: (name, version) => cached(keys.npm(name, version), () => inner.npm(name, version)),
    osvAdvisory: (id, modified) =>
      cached(keys.osvAdvisory(id, modified), () => inner.osvAdvisory(id, modified)),
    async osvQuery(queries) {
      const answers: (Answer<readonly OsvHit[]> | undefined)[] = queries.map((query) => {
        const hit = read<readonly OsvHit[]>(keys.osvQuery(query));
        return hit === undefined ? undefined : { known: true, value: hit };
      });
      // One batch for every query the cache could not answer.
      const missing = queries.flatMap((query, index) =>
        answers[index] === undefined ? [{ query, index }] : [],
      );
      if (missing.length > 0) {
        const fetched = await inner.osvQuery(missing.map(({ query }) => query));
        missing.forEach(({ query, index }, position) => {
          const answer: Answer<readonly OsvHit[]> = fetched[position] ?? {
            known: false,
            reason: { kind: 'malformed', detail: 'no answer for this query' },
          };
          write(keys.osvQuery(query), answer);
          answers[index] = answer;
        });
      }
      return answers as Answer<readonly OsvHit[]>[];
    },
  };
}
