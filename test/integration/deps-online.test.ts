import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { checkManifests } from '@shared/deps/check/check';
import { DEFAULT_CHECK_OPTIONS } from '@shared/deps/check/options';
import { checkOnline } from '@shared/deps/online';
import { createOnlineAdvisor } from '../../local/deps/online-advisor';
import { tempHome } from '../support/temp-home';
import { type Registries, startRegistries, WORLD } from '../unit/deps/online/fixtures';
import { deadUrl } from '../unit/deps/online/loopback';

const REQUIREMENTS = [
  '# trading service',
  'requests==2.32.0',
  'reqeusts==2.31.0',
  'numpy==1.21.6',
  'Jinja2==2.4.1',
  'urllib3==2.2.1  # via requests',
  'flask>=3.0',
  '',
].join('\n');

async function manifestPackages() {
  const result = await checkManifests(
    ['requirements.txt'],
    { read: async (path) => (path === 'requirements.txt' ? REQUIREMENTS : undefined) },
    DEFAULT_CHECK_OPTIONS,
  );
  return result.packages;
}

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function registries(): Promise<Registries> {
  const started = await startRegistries(WORLD);
  closers.push(() => started.close());
  return started;
}

function advisor(home: string, env: Record<string, string>, now?: () => number) {
  const created = createOnlineAdvisor({ home, env, ...(now ? { now } : {}), timeoutMs: 2000 });
  closers.push(() => created.close());
  return created;
}

const requestCount = (world: Registries) =>
  world.pypi.requests.length + world.npm.requests.length + world.osv.requests.length;

const EXPECTED = [
  {
    ruleId: 'yanked',
    severity: 'error',
    file: 'requirements.txt',
    line: 2,
    column: 1,
    package: 'requests',
    message:
      '`requests==2.32.0` was yanked from PyPI (the maintainers\' reason: "Yanked due to conflicts with CVE-2024-35195 mitigation"); pip still installs an exact pin of a yanked release, with only a warning',
    fix: 'pin a release of requests that is not yanked',
  },
  {
    ruleId: 'unknown-package',
    severity: 'error',
    file: 'requirements.txt',
    line: 3,
    column: 1,
    package: 'reqeusts',
    message:
      '`reqeusts` does not exist on PyPI: pip install fails; check the name for a typo, and the deprecated-name table (data/deps/deprecated-names.md) for a project that was renamed or removed',
    fix: 'correct the name; if it is a private package from your own index, accept it with ignore: [{ rule: unknown-package, package: reqeusts, reason: "…" }] (and make sure installs use that index, or anyone can register the name)',
  },
  {
    ruleId: 'python-version',
    severity: 'error',
    file: 'requirements.txt',
    line: 4,
    column: 1,
    package: 'numpy',
    message:
      '`numpy==1.21.6` requires Python ">=3.7,<3.11" (its Requires-Python on PyPI), which excludes Python 3.13, the target: pip finds no installable distribution',
    fix: 'pin a release of numpy that supports Python 3.13, or check against another Python with --python X.Y',
  },
  {
    ruleId: 'vulnerability',
    severity: 'error',
    file: 'requirements.txt',
    line: 5,
    column: 1,
    package: 'jinja2',
    message:
      '`jinja2==2.4.1` has 2 known vulnerabilities (OSV): GHSA-462w-v97r-4m45 (also PYSEC-2019-217) [HIGH, fixed in 2.10.1]; GHSA-h5c8-rqwp-cp95 [MEDIUM, fixed in 3.1.3]',
    fix: 'upgrade jinja2 to 3.1.3 or later (fixes all of them)',
  },
  {
    ruleId: 'vulnerability',
    severity: 'warning',
    file: 'requirements.txt',
    line: 6,
    column: 1,
    package: 'urllib3',
    message: '`urllib3==2.2.1` has 1 known vulnerability (OSV): GHSA-34jh-p97f-mpxf [MEDIUM, fixed in 2.2.2]',
    fix: 'upgrade urllib3 to 2.2.2 or later (fixes all of them)',
  },
];

describe('deps check --online over loopback registries', () => {
  it('reports yanked, unknown, Python-excluded and vulnerable pins of a requirements file exactly', async () => {
    const world = await registries();
    const home = tempHome('deps-online');
    const packages = await manifestPackages();
    expect(packages.map((p) => `${p.name}@${p.version ?? '*'}`)).toEqual([
      'requests@2.32.0',
      'reqeusts@2.31.0',
      'numpy@1.21.6',
      'jinja2@2.4.1',
      'urllib3@2.2.1',
      'flask@*',
    ]);
    const result = await checkOnline(packages, advisor(home, world.env), { python: '3.13' });
    expect(result).toEqual({ findings: EXPECTED, unknown: [] });
    expect(existsSync(join(home, 'deps-cache.sqlite'))).toBe(true);
    // One querybatch for the five pins, then the four records it named.
    expect(world.osv.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /v1/vulns/GHSA-34jh-p97f-mpxf',
      'GET /v1/vulns/GHSA-462w-v97r-4m45',
      'GET /v1/vulns/GHSA-h5c8-rqwp-cp95',
      'GET /v1/vulns/PYSEC-2019-217',
      'POST /v1/querybatch',
    ]);
  });

  it('answers a second run from the cache, even with the registries down, and asks again after 24 hours', async () => {
    const world = await registries();
    const home = tempHome('deps-online');
    let clock = Date.UTC(2025, 5, 1, 9);
    const packages = await manifestPackages();
    const first = advisor(home, world.env, () => clock);
    await checkOnline(packages, first, { python: '3.13' });
    first.close();
    const asked = requestCount(world);

    const dead = await deadUrl();
    const down = { FLYWHEEL_PYPI_URL: dead, FLYWHEEL_NPM_REGISTRY_URL: dead, FLYWHEEL_OSV_URL: dead };
    const fromCache = await checkOnline(
      packages,
      advisor(home, down, () => clock),
      { python: '3.13' },
    );
    expect(fromCache).toEqual({ findings: EXPECTED, unknown: [] });

    clock += 24 * 3_600_000 + 1;
    const again = await checkOnline(
      packages,
      advisor(home, world.env, () => clock),
      { python: '3.13' },
    );
    expect(again.findings).toEqual(EXPECTED);
    expect(requestCount(world)).toBe(2 * asked);
  });

  it('with the registries down, reports every package as unknown and calls none clean', async () => {
    const dead = await deadUrl();
    const env = { FLYWHEEL_PYPI_URL: dead, FLYWHEEL_NPM_REGISTRY_URL: dead, FLYWHEEL_OSV_URL: dead };
    const result = await checkOnline(await manifestPackages(), advisor(tempHome('deps-online'), env), {
      python: '3.13',
    });
    expect(result.unknown).toEqual([
      {
        source: 'PyPI',
        reason: expect.stringMatching(/^unreachable \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/),
        packages: 6,
      },
      { source: 'OSV', reason: expect.stringMatching(/^unreachable \(connect ECONNREFUSED/), packages: 5 },
    ]);
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([
      ['online-unavailable', 'info', 2],
      ['online-unavailable', 'info', 2],
    ]);
    expect(result.findings[0]?.message).toMatch(
      /^PyPI could not be asked \(unreachable \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\): 6 packages are unknown, not clean — /,
    );
    expect(result.findings[1]?.message).toMatch(
      /: 5 packages are unknown, not clean — their known vulnerabilities were not checked$/,
    );
  });

  it('refuses a base URL override that is not an http(s) URL, naming the variable', () => {
    expect(() =>
      createOnlineAdvisor({ home: tempHome('deps-online'), env: { FLYWHEEL_OSV_URL: 'api.osv.dev' } }),
    ).toThrow(
      'FLYWHEEL_OSV_URL is not a URL: "api.osv.dev". Set it to a base URL such as https://api.osv.dev, or unset it.',
    );
    expect(() =>
      createOnlineAdvisor({
        home: tempHome('deps-online'),
        env: { FLYWHEEL_PYPI_URL: 'ftp://mirror.example/pypi' },
      }),
    ).toThrow(
      'FLYWHEEL_PYPI_URL must be an http(s) URL, not "ftp://mirror.example/pypi". Set it to a base URL such as https://pypi.org.',
    );
  });
});
