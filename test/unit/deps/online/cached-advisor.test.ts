import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { openDatabase, type SqliteDatabase } from '@shared/adapters/local/sqlite/database';
import { createCachedAdvisor } from '@shared/adapters/online/cached-advisor';
import type { Answer, OsvHit, OsvQuery, PackageAdvisor, PypiFacts } from '@shared/ports/package-advisor';
import { tempHome } from '../../../support/temp-home';

const REQUESTS: Answer<PypiFacts> = {
  known: true,
  value: {
    exists: true,
    release: { exists: true, version: '2.32.3', yanked: false, yankedReason: null, requiresPython: '>=3.8' },
  },
};

/** An upstream advisor that counts what reaches it; `failing` makes it answer unknown. */
function upstream() {
  const calls: string[] = [];
  const state = { failing: false };
  const advisor: PackageAdvisor = {
    async pypi(name, version) {
      calls.push(`pypi ${name} ${version}`);
      return state.failing ? { known: false, reason: { kind: 'timeout', afterMs: 10_000 } } : REQUESTS;
    },
    async npm(name, version) {
      calls.push(`npm ${name} ${version}`);
      return { known: true, value: { exists: true, release: { exists: true, deprecated: null } } };
    },
    async osvQuery(queries: readonly OsvQuery[]) {
      calls.push(`osv ${queries.map((q) => `${q.name}@${q.version}`).join(',')}`);
      return queries.map(
        (q): Answer<readonly OsvHit[]> =>
          q.name === 'flaky'
            ? { known: false, reason: { kind: 'http', status: 503 } }
            : {
                known: true,
                value: q.name === 'urllib3' ? [{ id: 'GHSA-34jh-p97f-mpxf', modified: 'm1' }] : [],
              },
      );
    },
    async osvAdvisory(id, modified) {
      calls.push(`vuln ${id} ${modified}`);
      return {
        known: true,
        value: {
          id,
          modified,
          aliases: [],
          summary: null,
          withdrawn: null,
          severities: ['MODERATE'],
          cvss: [],
          affected: [],
        },
      };
    },
  };
  return { advisor, calls, state };
}

const opened: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function database(path = join(tempHome('deps-cache'), 'deps-cache.sqlite')) {
  const db = openDatabase(path);
  opened.push(db);
  return { db, path };
}

const HOUR = 3_600_000;

describe('the --online cache', () => {
  it('answers a repeated request from SQLite without asking upstream', async () => {
    const { advisor, calls } = upstream();
    const cached = createCachedAdvisor(advisor, database().db);
    expect(await cached.pypi('requests', '2.32.3')).toEqual(REQUESTS);
    expect(await cached.pypi('requests', '2.32.3')).toEqual(REQUESTS);
    expect(await cached.pypi('requests', null)).toEqual(REQUESTS);
    expect(calls).toEqual(['pypi requests 2.32.3', 'pypi requests null']);
  });

  it('asks again once an answer is older than the TTL (24 h by default), not before', async () => {
    const { advisor, calls } = upstream();
    let clock = Date.UTC(2025, 0, 1);
    const cached = createCachedAdvisor(advisor, database().db, { now: () => clock });
    await cached.npm('lodash', '4.17.21');
    clock += 24 * HOUR;
    await cached.npm('lodash', '4.17.21');
    expect(calls).toEqual(['npm lodash 4.17.21']);
    clock += 1;
    await cached.npm('lodash', '4.17.21');
    expect(calls).toEqual(['npm lodash 4.17.21', 'npm lodash 4.17.21']);
  });

  it('honours a shorter TTL', async () => {
    const { advisor, calls } = upstream();
    let clock = 1_000_000;
    const cached = createCachedAdvisor(advisor, database().db, { ttlSeconds: 60, now: () => clock });
    await cached.osvAdvisory('GHSA-34jh-p97f-mpxf', 'm1');
    clock += 61_000;
    await cached.osvAdvisory('GHSA-34jh-p97f-mpxf', 'm1');
    expect(calls).toEqual(['vuln GHSA-34jh-p97f-mpxf m1', 'vuln GHSA-34jh-p97f-mpxf m1']);
  });

  it('never stores an unknown answer, so the next run asks again', async () => {
    const { advisor, calls, state } = upstream();
    const cached = createCachedAdvisor(advisor, database().db);
    state.failing = true;
    expect(await cached.pypi('requests', '2.32.3')).toEqual({
      known: false,
      reason: { kind: 'timeout', afterMs: 10_000 },
    });
    state.failing = false;
    expect(await cached.pypi('requests', '2.32.3')).toEqual(REQUESTS);
    expect(calls).toEqual(['pypi requests 2.32.3', 'pypi requests 2.32.3']);
  });

  it('sends only the OSV queries it has no answer for, in one batch, and keeps the order of answers', async () => {
    const { advisor, calls } = upstream();
    const cached = createCachedAdvisor(advisor, database().db);
    const q = (name: string, version: string): OsvQuery => ({ ecosystem: 'PyPI', name, version });
    await cached.osvQuery([q('urllib3', '2.2.1')]);
    const answers = await cached.osvQuery([q('flask', '3.0.3'), q('urllib3', '2.2.1'), q('flaky', '1.0')]);
    expect(answers).toEqual([
      { known: true, value: [] },
      { known: true, value: [{ id: 'GHSA-34jh-p97f-mpxf', modified: 'm1' }] },
      { known: false, reason: { kind: 'http', status: 503 } },
    ]);
    await cached.osvQuery([q('flaky', '1.0'), q('flask', '3.0.3')]);
    expect(calls).toEqual(['osv urllib3@2.2.1', 'osv flask@3.0.3,flaky@1.0', 'osv flaky@1.0']);
  });

  it('keys advisory details by their modified time, so a changed record is fetched again', async () => {
    const { advisor, calls } = upstream();
    const cached = createCachedAdvisor(advisor, database().db);
    await cached.osvAdvisory('GHSA-34jh-p97f-mpxf', 'm1');
    await cached.osvAdvisory('GHSA-34jh-p97f-mpxf', 'm1');
    await cached.osvAdvisory('GHSA-34jh-p97f-mpxf', 'm2');
    expect(calls).toEqual(['vuln GHSA-34jh-p97f-mpxf m1', 'vuln GHSA-34jh-p97f-mpxf m2']);
  });

  it('survives closing and reopening the database file', async () => {
    const first = upstream();
    const { db, path } = database();
    await createCachedAdvisor(first.advisor, db).pypi('requests', '2.32.3');
    db.close();
    const second = upstream();
    const reopened = createCachedAdvisor(second.advisor, database(path).db);
    expect(await reopened.pypi('requests', '2.32.3')).toEqual(REQUESTS);
    expect(second.calls).toEqual([]);
  });

  it('drops expired entries when it opens', async () => {
    const { advisor } = upstream();
    const { db } = database();
    let clock = 0;
    const cached = createCachedAdvisor(advisor, db, { now: () => clock });
    await cached.pypi('requests', '2.32.3');
    await cached.npm('lodash', null);
    clock = 25 * HOUR;
    createCachedAdvisor(advisor, db, { now: () => clock });
    expect(db.prepare('SELECT COUNT(*) AS n FROM online_answers').get()).toEqual({ n: 0 });
  });
});
