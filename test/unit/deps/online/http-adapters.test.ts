import { afterEach, describe, expect, it } from '@jest/globals';
import { createHttpAdvisor } from '@shared/adapters/online/http-advisor';
import { npmPackagePath } from '@shared/adapters/online/npm';
import type { PackageAdvisor } from '@shared/ports/package-advisor';
import {
  npmDocument,
  osvRecord,
  pypiProjectDocument,
  pypiReleaseDocument,
  startRegistries,
  WORLD,
} from './fixtures';
import { deadUrl, type Loopback, loopback, type Reply, type SeenRequest, sleep } from './loopback';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(
  route: (request: SeenRequest) => Reply | undefined | Promise<Reply | undefined>,
): Promise<Loopback> {
  const server = await loopback(route);
  servers.push(server);
  return server;
}

/** An advisor with every service at `url`, and a short timeout. */
const advisorAt = (url: string, extra: Parameters<typeof createHttpAdvisor>[0] = {}): PackageAdvisor =>
  createHttpAdvisor({ pypiUrl: url, npmRegistryUrl: url, osvUrl: url, timeoutMs: 300, ...extra });

describe('PyPI adapter (JSON API)', () => {
  it('reads a release: GET /pypi/<name>/<version>/json, yanked state and reason, Requires-Python', async () => {
    const world = await startRegistries(WORLD);
    servers.push(world);
    const advisor = createHttpAdvisor({ pypiUrl: world.pypi.url });
    expect(await advisor.pypi('requests', '2.32.0')).toEqual({
      known: true,
      value: {
        exists: true,
        release: {
          exists: true,
          version: '2.32.0',
          yanked: true,
          yankedReason: 'Yanked due to conflicts with CVE-2024-35195 mitigation',
          requiresPython: '>=3.8',
        },
      },
    });
    expect(world.pypi.requests.map((r) => `${r.method} ${r.path} ${r.headers.accept}`)).toEqual([
      'GET /pypi/requests/2.32.0/json application/json',
    ]);
  });

  it('asks the project document for existence when no version is pinned', async () => {
    const world = await startRegistries(WORLD);
    servers.push(world);
    const advisor = createHttpAdvisor({ pypiUrl: `${world.pypi.url}/` });
    expect(await advisor.pypi('flask', null)).toEqual({
      known: true,
      value: { exists: true, release: null },
    });
    expect(await advisor.pypi('reqeusts', null)).toEqual({ known: true, value: { exists: false } });
    expect(world.pypi.requests.map((r) => r.path)).toEqual(['/pypi/flask/json', '/pypi/reqeusts/json']);
  });

  it('tells a missing project from a missing release by the project document, asked once per project', async () => {
    const world = await startRegistries(WORLD);
    servers.push(world);
    const advisor = createHttpAdvisor({ pypiUrl: world.pypi.url });
    expect(await advisor.pypi('reqeusts', '2.31.0')).toEqual({ known: true, value: { exists: false } });
    expect(await advisor.pypi('requests', '9.9.9')).toEqual({
      known: true,
      value: { exists: true, release: { exists: false } },
    });
    expect(await advisor.pypi('requests', '9.9.8')).toEqual({
      known: true,
      value: { exists: true, release: { exists: false } },
    });
    expect(world.pypi.requests.map((r) => r.path)).toEqual([
      '/pypi/reqeusts/2.31.0/json',
      '/pypi/reqeusts/json',
      '/pypi/requests/9.9.9/json',
      '/pypi/requests/json',
      '/pypi/requests/9.9.8/json',
    ]);
  });

  it('finds `==2.31` as release 2.31.0, as pip would', async () => {
    const world = await startRegistries(WORLD);
    servers.push(world);
    const answer = await createHttpAdvisor({ pypiUrl: world.pypi.url }).pypi('requests', '2.31');
    expect(answer).toEqual({
      known: true,
      value: {
        exists: true,
        release: {
          exists: true,
          version: '2.31.0',
          yanked: false,
          yankedReason: null,
          requiresPython: '>=3.7',
        },
      },
    });
  });

  it('takes a release as yanked when every file is, as older answers only say per file', async () => {
    const document = pypiReleaseDocument('pillow', '9.1.0', { yanked: 'broken wheels' });
    const older = { ...document, info: { ...document.info, yanked: undefined, yanked_reason: undefined } };
    const server = await serve(() => ({ json: older }));
    const answer = await advisorAt(server.url).pypi('pillow', '9.1.0');
    expect(answer).toMatchObject({
      known: true,
      value: { release: { yanked: true, yankedReason: 'broken wheels' } },
    });
  });

  it('answers unknown, with the reason, for a 500, a timeout, a body that is not JSON, JSON without "info", and a dead port', async () => {
    const server = await serve(async (request) => {
      if (request.path.startsWith('/pypi/error')) return { status: 500, raw: 'Internal Server Error' };
      if (request.path.startsWith('/pypi/slow')) return { hang: true };
      if (request.path.startsWith('/pypi/html')) return { raw: '<!DOCTYPE html><html>Fastly error</html>' };
      if (request.path.startsWith('/pypi/bare')) return { json: { message: 'ok' } };
      return undefined;
    });
    const advisor = advisorAt(server.url);
    expect(await advisor.pypi('error', '1.0')).toEqual({
      known: false,
      reason: { kind: 'http', status: 500 },
    });
    const started = Date.now();
    expect(await advisor.pypi('slow', '1.0')).toEqual({
      known: false,
      reason: { kind: 'timeout', afterMs: 300 },
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await advisor.pypi('html', '1.0')).toEqual({
      known: false,
      reason: { kind: 'malformed', detail: 'not JSON: "<!DOCTYPE html><html>Fastly error</html>"' },
    });
    expect(await advisor.pypi('bare', '1.0')).toEqual({
      known: false,
      reason: { kind: 'malformed', detail: 'release answer without "info"' },
    });
    const dead = await advisorAt(await deadUrl()).pypi('requests', null);
    expect(dead).toMatchObject({ known: false, reason: { kind: 'unreachable' } });
    expect(dead.known === false && dead.reason.kind === 'unreachable' && dead.reason.detail).toMatch(
      /ECONNREFUSED/,
    );
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const server = await serve(async (request) => {
      await sleep(30);
      const name = request.path.split('/')[2]!;
      return { json: pypiProjectDocument(name, { '1.0': {} }) };
    });
    const advisor = advisorAt(server.url, { concurrency: 2, timeoutMs: 5000 });
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const answers = await Promise.all(names.map((name) => advisor.pypi(name, null)));
    expect(answers.every((answer) => answer.known)).toBe(true);
    expect(server.requests).toHaveLength(6);
    expect(server.peak()).toBe(2);
  });
});

describe('npm registry adapter', () => {
  it('encodes a scoped name as @scope%2fname and asks for the abbreviated document', async () => {
    expect(npmPackagePath('@types/node')).toBe('@types%2fnode');
    expect(npmPackagePath('lodash')).toBe('lodash');
    const world = await startRegistries(WORLD);
    servers.push(world);
    const advisor = createHttpAdvisor({ npmRegistryUrl: world.npm.url });
    expect(await advisor.npm('@types/node', '20.11.5')).toEqual({
      known: true,
      value: { exists: true, release: { exists: true, deprecated: null } },
    });
    expect(world.npm.requests.map((r) => [r.path, r.headers.accept])).toEqual([
      ['/@types%2fnode', 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*'],
    ]);
  });

  it("reads a version's deprecation, a version it lacks and a package it lacks, asking once per package", async () => {
    const world = await startRegistries(WORLD);
    servers.push(world);
    const advisor = createHttpAdvisor({ npmRegistryUrl: world.npm.url });
    expect(await advisor.npm('request', '2.88.2')).toEqual({
      known: true,
      value: {
        exists: true,
        release: {
          exists: true,
          deprecated: 'request has been deprecated, see https://github.com/request/request/issues/3142',
        },
      },
    });
    expect(await advisor.npm('request', '3.0.0')).toEqual({
      known: true,
      value: { exists: true, release: { exists: false } },
    });
    expect(await advisor.npm('lodahs', null)).toEqual({ known: true, value: { exists: false } });
    expect(world.npm.requests.map((r) => r.path)).toEqual(['/request', '/lodahs']);
  });

  it('takes an unpublished package as absent, and a document without versions as unreadable', async () => {
    const server = await serve((request) =>
      request.path === '/left-pad-clone'
        ? { json: { name: 'left-pad-clone', time: { unpublished: { time: '2024-03-01T00:00:00.000Z' } } } }
        : { json: { name: 'odd' } },
    );
    const advisor = advisorAt(server.url);
    expect(await advisor.npm('left-pad-clone', null)).toEqual({ known: true, value: { exists: false } });
    expect(await advisor.npm('odd', '1.0.0')).toEqual({
      known: false,
      reason: { kind: 'malformed', detail: 'package document without "versions"' },
    });
    expect(npmDocument('x', { '1.0.0': null }).versions['1.0.0']).not.toHaveProperty('deprecated');
  });
});

describe('OSV adapter', () => {
  it('posts one querybatch in the documented shape and reads `{}` as no advisories', async () => {
    const world = await startRegistries(WORLD);
    servers.push(world);
    const advisor = createHttpAdvisor({ osvUrl: world.osv.url });
    const answers = await advisor.osvQuery([
      { ecosystem: 'PyPI', name: 'urllib3', version: '2.2.1' },
      { ecosystem: 'PyPI', name: 'requests', version: '2.32.3' },
      { ecosystem: 'npm', name: 'lodash', version: '4.17.20' },
    ]);
    expect(answers).toEqual([
      { known: true, value: [{ id: 'GHSA-34jh-p97f-mpxf', modified: '2024-06-10T18:42:33.000Z' }] },
      { known: true, value: [] },
      { known: true, value: [{ id: 'GHSA-35jh-r3h4-6jhm', modified: '2024-06-10T18:42:33.000Z' }] },
    ]);
    expect(world.osv.requests).toHaveLength(1);
    expect(world.osv.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/querybatch',
      headers: { 'content-type': 'application/json' },
      body: {
        queries: [
          { package: { name: 'urllib3', ecosystem: 'PyPI' }, version: '2.2.1' },
          { package: { name: 'requests', ecosystem: 'PyPI' }, version: '2.32.3' },
          { package: { name: 'lodash', ecosystem: 'npm' }, version: '4.17.20' },
        ],
      },
    });
  });

  it('follows next_page_token for the queries that have one, and splits batches at the limit', async () => {
    const server = await serve((request) => {
      const { queries } = request.body as { queries: { package: { name: string }; page_token?: string }[] };
      return {
        json: {
          results: queries.map((query) =>
            query.package.name === 'django' && query.page_token === undefined
              ? { vulns: [{ id: 'GHSA-page-1', modified: 'm1' }], next_page_token: 'CgdkamFuZ28' }
              : query.package.name === 'django'
                ? { vulns: [{ id: 'GHSA-page-2', modified: 'm2' }] }
                : {},
          ),
        },
      };
    });
    const advisor = advisorAt(server.url, { osvBatchLimit: 2 });
    const answers = await advisor.osvQuery([
      { ecosystem: 'PyPI', name: 'django', version: '3.2' },
      { ecosystem: 'PyPI', name: 'flask', version: '3.0.3' },
      { ecosystem: 'PyPI', name: 'click', version: '8.1.7' },
    ]);
    expect(answers).toEqual([
      {
        known: true,
        value: [
          { id: 'GHSA-page-1', modified: 'm1' },
          { id: 'GHSA-page-2', modified: 'm2' },
        ],
      },
      { known: true, value: [] },
      { known: true, value: [] },
    ]);
    const bodies = server.requests.map(
      (r) => (r.body as { queries: { package: { name: string }; page_token?: string }[] }).queries,
    );
    expect(
      bodies
        .map((queries) => queries.map((q) => `${q.package.name}${q.page_token ? `#${q.page_token}` : ''}`))
        .sort(),
    ).toEqual([['click'], ['django#CgdkamFuZ28'], ['django', 'flask']]);
  });

  it('answers unknown for the queries a partial batch left out, and for every query of a failed batch', async () => {
    const partial = await serve(() => ({
      json: { results: [{ vulns: [{ id: 'GHSA-34jh-p97f-mpxf', modified: 'm' }] }] },
    }));
    const queries = [
      { ecosystem: 'PyPI' as const, name: 'urllib3', version: '2.2.1' },
      { ecosystem: 'PyPI' as const, name: 'requests', version: '2.32.3' },
    ];
    expect(await advisorAt(partial.url).osvQuery(queries)).toEqual([
      { known: true, value: [{ id: 'GHSA-34jh-p97f-mpxf', modified: 'm' }] },
      {
        known: false,
        reason: { kind: 'malformed', detail: 'partial querybatch answer: 1 results for 2 queries' },
      },
    ]);
    const failing = await serve(() => ({ status: 502, raw: 'Bad Gateway' }));
    expect(await advisorAt(failing.url).osvQuery(queries)).toEqual([
      { known: false, reason: { kind: 'http', status: 502 } },
      { known: false, reason: { kind: 'http', status: 502 } },
    ]);
    const shapeless = await serve(() => ({ json: { results: [{ vulns: 'none' }, {}] } }));
    expect(await advisorAt(shapeless.url).osvQuery(queries)).toEqual([
      { known: false, reason: { kind: 'malformed', detail: '"vulns" is not a list' } },
      { known: true, value: [] },
    ]);
  });

  it('reads a record from GET /v1/vulns/<id>: aliases, severities, CVSS vectors and ranges', async () => {
    const world = await startRegistries(WORLD);
    servers.push(world);
    const advisor = createHttpAdvisor({ osvUrl: world.osv.url });
    expect(await advisor.osvAdvisory('GHSA-35jh-r3h4-6jhm', '2024-06-10T18:42:33.000Z')).toEqual({
      known: true,
      value: {
        id: 'GHSA-35jh-r3h4-6jhm',
        modified: '2024-06-10T18:42:33.000Z',
        aliases: ['CVE-2021-23337'],
        summary: 'Command Injection in lodash',
        withdrawn: null,
        severities: ['HIGH'],
        cvss: ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H'],
        affected: [
          {
            ecosystem: 'npm',
            name: 'lodash',
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
            versions: [],
          },
        ],
      },
    });
    expect(await advisor.osvAdvisory('GHSA-gone', 'm')).toEqual({
      known: false,
      reason: { kind: 'http', status: 404 },
    });
    expect(world.osv.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/vulns/GHSA-35jh-r3h4-6jhm',
      'GET /v1/vulns/GHSA-gone',
    ]);
  });

  it('does not trust a numeric severity type (the live API has sent one) and still reads the vector', async () => {
    const record = {
      ...osvRecord({ id: 'PYSEC-2024-1', summary: 'x', ecosystem: 'PyPI', name: 'js2py' }),
      severity: [{ type: 3, score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }],
    };
    const server = await serve(() => ({ json: record }));
    expect(await advisorAt(server.url).osvAdvisory('PYSEC-2024-1', 'm')).toMatchObject({
      known: true,
      value: { cvss: ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'] },
    });
  });
});
