import { describe, expect, it } from '@jest/globals';
import { parseAdvisory } from '@shared/adapters/online/osv';
import type { Ecosystem, PackageRef } from '@shared/deps/model';
import { checkOnline } from '@shared/deps/online';
import type {
  Answer,
  NpmFacts,
  OsvAdvisory,
  OsvHit,
  OsvQuery,
  PackageAdvisor,
  PypiFacts,
  UnknownReason,
} from '@shared/ports/package-advisor';
import { osvRecord, WORLD, type World } from './fixtures';

const known = <T>(value: T): Answer<T> => ({ known: true, value });
const unknown = (reason: UnknownReason): Answer<never> => ({ known: false, reason });

interface Failures {
  pypi?: (name: string) => UnknownReason | undefined;
  npm?: (name: string) => UnknownReason | undefined;
  osvQuery?: UnknownReason;
  osvAdvisory?: (id: string) => UnknownReason | undefined;
}

/** The port answered from a table, as the HTTP adapters would, with failures where asked; calls are recorded. */
function fakeAdvisor(world: World = WORLD, failures: Failures = {}) {
  const calls = {
    pypi: [] as string[],
    npm: [] as string[],
    osvQuery: [] as OsvQuery[][],
    osvAdvisory: [] as string[],
  };
  const advisor: PackageAdvisor = {
    async pypi(name, version) {
      calls.pypi.push(`${name}@${version ?? ''}`);
      const failure = failures.pypi?.(name);
      if (failure) return unknown(failure);
      const releases = world.pypi[name];
      if (!releases) return known<PypiFacts>({ exists: false });
      if (version === null) return known<PypiFacts>({ exists: true, release: null });
      const spec = releases[version];
      if (!spec) return known<PypiFacts>({ exists: true, release: { exists: false } });
      return known<PypiFacts>({
        exists: true,
        release: {
          exists: true,
          version,
          yanked: spec.yanked !== undefined,
          yankedReason: spec.yanked || null,
          requiresPython: spec.requiresPython ?? null,
        },
      });
    },
    async npm(name, version) {
      calls.npm.push(`${name}@${version ?? ''}`);
      const failure = failures.npm?.(name);
      if (failure) return unknown(failure);
      const versions = world.npm[name];
      if (!versions) return known<NpmFacts>({ exists: false });
      if (version === null) return known<NpmFacts>({ exists: true, release: null });
      if (!(version in versions)) return known<NpmFacts>({ exists: true, release: { exists: false } });
      return known<NpmFacts>({
        exists: true,
        release: { exists: true, deprecated: versions[version] ?? null },
      });
    },
    async osvQuery(queries) {
      calls.osvQuery.push([...queries]);
      return queries.map((query): Answer<readonly OsvHit[]> => {
        if (failures.osvQuery) return unknown(failures.osvQuery);
        const ids = world.osvHits[`${query.ecosystem}|${query.name}|${query.version}`] ?? [];
        return known(ids.map((id) => ({ id, modified: String(world.osvRecords[id]?.modified) })));
      });
    },
    async osvAdvisory(id) {
      calls.osvAdvisory.push(id);
      const failure = failures.osvAdvisory?.(id);
      if (failure) return unknown(failure);
      return known(parseAdvisory(world.osvRecords[id]) as OsvAdvisory);
    },
  };
  return { advisor, calls };
}

let nextLine = 1;
function ref(name: string, version: string | null, ecosystem: Ecosystem = 'PyPI'): PackageRef {
  const line = nextLine++;
  return {
    ecosystem,
    name,
    version,
    file: ecosystem === 'PyPI' ? 'requirements.txt' : 'package-lock.json',
    position: { line, column: ecosystem === 'PyPI' ? 1 : 5 },
  };
}

const PYTHON = { python: '3.13' };

describe('checkOnline: registries', () => {
  it('reports nothing for packages that exist, are not yanked, support the target Python and have no advisories', async () => {
    const { advisor, calls } = fakeAdvisor();
    const result = await checkOnline(
      [ref('requests', '2.32.3'), ref('flask', null), ref('lodash', '4.17.21', 'npm')],
      advisor,
      PYTHON,
    );
    expect(result).toEqual({ findings: [], unknown: [] });
    expect(calls.pypi).toEqual(['requests@2.32.3', 'flask@']);
    expect(calls.npm).toEqual(['lodash@4.17.21']);
  });

  it('reports a PyPI project that does not exist as unknown-package, naming the registry and the typo table', async () => {
    const { advisor } = fakeAdvisor();
    const typo = ref('reqeusts', '2.31.0');
    const { findings } = await checkOnline([typo], advisor, PYTHON);
    expect(findings).toEqual([
      {
        ruleId: 'unknown-package',
        severity: 'error',
        file: 'requirements.txt',
        line: typo.position.line,
        column: 1,
        package: 'reqeusts',
        message:
          '`reqeusts` does not exist on PyPI: pip install fails; check the name for a typo, and the deprecated-name table (data/deps/deprecated-names.md) for a project that was renamed or removed',
        fix: 'correct the name; if it is a private package from your own index, accept it with ignore: [{ rule: unknown-package, package: reqeusts, reason: "…" }] (and make sure installs use that index, or anyone can register the name)',
      },
    ]);
  });

  it('reports a pinned release PyPI does not have', async () => {
    const { advisor } = fakeAdvisor();
    const { findings } = await checkOnline([ref('requests', '9.9.9')], advisor, PYTHON);
    expect(findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      [
        'unknown-package',
        'error',
        'PyPI has no release 9.9.9 of `requests`: pip fails with "No matching distribution found for requests==9.9.9"',
      ],
    ]);
  });

  it('reports a yanked exact pin as an error, quoting the maintainers’ reason', async () => {
    const { advisor } = fakeAdvisor();
    const { findings } = await checkOnline([ref('requests', '2.32.0')], advisor, PYTHON);
    expect(findings.map((f) => [f.ruleId, f.severity, f.message, f.fix])).toEqual([
      [
        'yanked',
        'error',
        '`requests==2.32.0` was yanked from PyPI (the maintainers\' reason: "Yanked due to conflicts with CVE-2024-35195 mitigation"); pip still installs an exact pin of a yanked release, with only a warning',
        'pin a release of requests that is not yanked',
      ],
    ]);
  });

  it('says so when a yanked release has no reason', async () => {
    const world: World = { ...WORLD, pypi: { attrs: { '21.1.0': { yanked: '' } } } };
    const { findings } = await checkOnline([ref('attrs', '21.1.0')], fakeAdvisor(world).advisor, PYTHON);
    expect(findings[0]?.message).toBe(
      '`attrs==21.1.0` was yanked from PyPI (the maintainers gave no reason); pip still installs an exact pin of a yanked release, with only a warning',
    );
  });

  it('reports a pinned release whose Requires-Python excludes the target Python, and not for a Python it allows', async () => {
    const { advisor } = fakeAdvisor();
    const numpy = ref('numpy', '1.21.6');
    const on313 = await checkOnline([numpy], advisor, PYTHON);
    expect(on313.findings.map((f) => [f.ruleId, f.severity, f.message, f.fix])).toEqual([
      [
        'python-version',
        'error',
        '`numpy==1.21.6` requires Python ">=3.7,<3.11" (its Requires-Python on PyPI), which excludes Python 3.13, the target: pip finds no installable distribution',
        'pin a release of numpy that supports Python 3.13, or check against another Python with --python X.Y',
      ],
    ]);
    expect((await checkOnline([numpy], advisor, { python: '3.10' })).findings).toEqual([]);
  });

  it('ignores a Requires-Python that is not a valid specifier, as pip does', async () => {
    const world: World = { ...WORLD, pypi: { oldlib: { '0.3': { requiresPython: '>=2.6.*' } } } };
    const { findings } = await checkOnline([ref('oldlib', '0.3')], fakeAdvisor(world).advisor, PYTHON);
    expect(findings).toEqual([]);
  });

  it('reports an npm package that does not exist, a version it does not have, and a deprecated version', async () => {
    const { advisor } = fakeAdvisor();
    const { findings } = await checkOnline(
      [ref('lodahs', '4.17.21', 'npm'), ref('lodash', '5.0.0', 'npm'), ref('request', '2.88.2', 'npm')],
      advisor,
      PYTHON,
    );
    expect(findings.map((f) => [f.ruleId, f.severity, f.package, f.message])).toEqual([
      [
        'unknown-package',
        'error',
        'lodahs',
        '`lodahs` does not exist on the npm registry: npm install fails; check the name for a typo, and the deprecated-name table (data/deps/deprecated-names.md) for a project that was renamed or removed',
      ],
      [
        'unknown-package',
        'error',
        'lodash',
        'the npm registry has no version 5.0.0 of `lodash` (never published, or unpublished): npm install fails with ETARGET',
      ],
      [
        'deprecated-name',
        'warning',
        'request',
        'npm marks request@2.88.2 deprecated: "request has been deprecated, see https://github.com/request/request/issues/3142"',
      ],
    ]);
  });

  it('asks once per package and version, however often it is listed', async () => {
    const { advisor, calls } = fakeAdvisor();
    await checkOnline(
      [ref('requests', '2.32.3'), ref('requests', '2.32.3'), ref('requests', null)],
      advisor,
      PYTHON,
    );
    expect(calls.pypi).toEqual(['requests@2.32.3', 'requests@']);
    expect(calls.osvQuery).toEqual([[{ ecosystem: 'PyPI', name: 'requests', version: '2.32.3' }]]);
  });
});

describe('checkOnline: vulnerabilities', () => {
  it('lists the advisories with aliases merged, the fixed versions, and is an error when one is HIGH', async () => {
    const { advisor } = fakeAdvisor();
    const jinja = ref('jinja2', '2.4.1');
    const { findings } = await checkOnline([jinja], advisor, PYTHON);
    expect(findings).toEqual([
      {
        ruleId: 'vulnerability',
        severity: 'error',
        file: 'requirements.txt',
        line: jinja.position.line,
        column: 1,
        package: 'jinja2',
        message:
          '`jinja2==2.4.1` has 2 known vulnerabilities (OSV): GHSA-462w-v97r-4m45 (also PYSEC-2019-217) [HIGH, fixed in 2.10.1]; GHSA-h5c8-rqwp-cp95 [MEDIUM, fixed in 3.1.3]',
        fix: 'upgrade jinja2 to 3.1.3 or later (fixes all of them)',
      },
    ]);
  });

  it('is a warning when no advisory is HIGH or CRITICAL', async () => {
    const { advisor } = fakeAdvisor();
    const { findings } = await checkOnline([ref('urllib3', '2.2.1')], advisor, PYTHON);
    expect(findings.map((f) => [f.severity, f.message, f.fix])).toEqual([
      [
        'warning',
        '`urllib3==2.2.1` has 1 known vulnerability (OSV): GHSA-34jh-p97f-mpxf [MEDIUM, fixed in 2.2.2]',
        'upgrade urllib3 to 2.2.2 or later (fixes all of them)',
      ],
    ]);
  });

  it('scores a CVSS vector when the record states no severity, and says when none is stated or fixed', async () => {
    const world: World = {
      ...WORLD,
      pypi: { pyyaml: { '5.3': {} } },
      osvHits: { 'PyPI|pyyaml|5.3': ['PYSEC-2020-96', 'PYSEC-2021-142'] },
      osvRecords: {
        'PYSEC-2020-96': osvRecord({
          id: 'PYSEC-2020-96',
          summary: 'PyYAML full_load arbitrary code execution',
          ecosystem: 'PyPI',
          name: 'PyYAML',
          fixed: '5.3.1',
          cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        }),
        'PYSEC-2021-142': osvRecord({
          id: 'PYSEC-2021-142',
          summary: 'Unrated',
          ecosystem: 'PyPI',
          name: 'pyyaml',
        }),
      },
    };
    const { findings } = await checkOnline([ref('pyyaml', '5.3')], fakeAdvisor(world).advisor, PYTHON);
    expect(findings.map((f) => [f.severity, f.message, f.fix])).toEqual([
      [
        'error',
        '`pyyaml==5.3` has 2 known vulnerabilities (OSV): PYSEC-2020-96 [CRITICAL, fixed in 5.3.1]; PYSEC-2021-142 [severity not stated, no fixed version]',
        'upgrade pyyaml to 5.3.1 or later; PYSEC-2021-142 has no fixed version yet',
      ],
    ]);
  });

  it('leaves out withdrawn advisories', async () => {
    const world: World = {
      ...WORLD,
      pypi: { flask: { '3.0.3': {} } },
      osvHits: { 'PyPI|flask|3.0.3': ['GHSA-xxxx-withdrawn'] },
      osvRecords: {
        'GHSA-xxxx-withdrawn': osvRecord({
          id: 'GHSA-xxxx-withdrawn',
          summary: 'Reported in error',
          ecosystem: 'PyPI',
          name: 'flask',
          severity: 'HIGH',
          withdrawn: '2024-07-01T00:00:00Z',
        }),
      },
    };
    expect((await checkOnline([ref('flask', '3.0.3')], fakeAdvisor(world).advisor, PYTHON)).findings).toEqual(
      [],
    );
  });

  it('asks OSV once for every pinned package, in one batch, and never for unpinned ones', async () => {
    const { advisor, calls } = fakeAdvisor();
    await checkOnline(
      [ref('jinja2', '2.4.1'), ref('flask', null), ref('lodash', '4.17.20', 'npm')],
      advisor,
      PYTHON,
    );
    expect(calls.osvQuery).toEqual([
      [
        { ecosystem: 'PyPI', name: 'jinja2', version: '2.4.1' },
        { ecosystem: 'npm', name: 'lodash', version: '4.17.20' },
      ],
    ]);
    expect(calls.osvAdvisory.sort()).toEqual([
      'GHSA-35jh-r3h4-6jhm',
      'GHSA-462w-v97r-4m45',
      'GHSA-h5c8-rqwp-cp95',
      'PYSEC-2019-217',
    ]);
  });

  it('does not look for advisories of a package the registry does not have', async () => {
    const world: World = { ...WORLD, osvHits: { 'PyPI|reqeusts|2.31.0': ['MAL-2024-1'] } };
    const { findings } = await checkOnline([ref('reqeusts', '2.31.0')], fakeAdvisor(world).advisor, PYTHON);
    expect(findings.map((f) => f.ruleId)).toEqual(['unknown-package']);
  });
});

describe('checkOnline: what could not be asked is unknown, never clean', () => {
  it('reports one online-unavailable per source, counting the packages it could not answer for', async () => {
    const { advisor } = fakeAdvisor(WORLD, {
      pypi: () => ({ kind: 'timeout', afterMs: 10_000 }),
      osvQuery: { kind: 'unreachable', detail: 'getaddrinfo ENOTFOUND api.osv.dev' },
    });
    const first = ref('requests', '2.32.0');
    const result = await checkOnline([first, ref('numpy', '1.21.6'), ref('flask', null)], advisor, PYTHON);
    expect(result.unknown).toEqual([
      { source: 'PyPI', reason: 'timed out after 10 s', packages: 3 },
      { source: 'OSV', reason: 'unreachable (getaddrinfo ENOTFOUND api.osv.dev)', packages: 2 },
    ]);
    expect(result.findings).toEqual([
      {
        ruleId: 'online-unavailable',
        severity: 'info',
        file: 'requirements.txt',
        line: first.position.line,
        column: 1,
        package: null,
        message:
          'PyPI could not be asked (timed out after 10 s): 3 packages are unknown, not clean — whether they exist, were yanked or support Python 3.13 was not checked',
        fix: 'check the connection to PyPI and run again; answers already received are cached, so only the unknown ones are asked again',
      },
      {
        ruleId: 'online-unavailable',
        severity: 'info',
        file: 'requirements.txt',
        line: first.position.line,
        column: 1,
        package: null,
        message:
          'OSV could not be asked (unreachable (getaddrinfo ENOTFOUND api.osv.dev)): 2 packages are unknown, not clean — their known vulnerabilities were not checked',
        fix: 'check the connection to OSV and run again; answers already received are cached, so only the unknown ones are asked again',
      },
    ]);
  });

  it('still reports what one source knew when another failed', async () => {
    const { advisor } = fakeAdvisor(WORLD, { npm: () => ({ kind: 'http', status: 503 }) });
    const { findings, unknown: missing } = await checkOnline(
      [ref('requests', '2.32.0'), ref('lodash', '4.17.20', 'npm')],
      advisor,
      PYTHON,
    );
    expect(findings.map((f) => `${f.ruleId} ${f.severity} ${f.package ?? '-'}`)).toEqual([
      'yanked error requests',
      'vulnerability error lodash',
      'online-unavailable info -',
    ]);
    expect(missing).toEqual([{ source: 'npm registry', reason: 'answered HTTP 503', packages: 1 }]);
    expect(findings[2]?.message).toBe(
      'npm registry could not be asked (answered HTTP 503): 1 package is unknown, not clean — whether they exist or are deprecated was not checked',
    );
  });

  it('treats an advisory whose details could not be fetched as serious, and counts OSV as unknown for it', async () => {
    const { advisor } = fakeAdvisor(WORLD, {
      osvAdvisory: (id) =>
        id === 'GHSA-34jh-p97f-mpxf' ? { kind: 'malformed', detail: 'not JSON: "<html>"' } : undefined,
    });
    const result = await checkOnline([ref('urllib3', '2.2.1')], advisor, PYTHON);
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      [
        'vulnerability',
        'error',
        '`urllib3==2.2.1` has 1 known vulnerability (OSV): GHSA-34jh-p97f-mpxf [severity unknown: its details could not be fetched, no fixed version]',
      ],
      [
        'online-unavailable',
        'info',
        'OSV could not be asked (the details of GHSA-34jh-p97f-mpxf: sent an unreadable answer (not JSON: "<html>")): 1 package is unknown, not clean — their known vulnerabilities were not checked',
      ],
    ]);
  });

  it('turns an advisor that throws, or answers fewer OSV queries than asked, into unknown', async () => {
    const { advisor } = fakeAdvisor();
    const broken: PackageAdvisor = {
      ...advisor,
      pypi: async () => {
        throw new Error('socket hang up');
      },
      osvQuery: async () => [],
    };
    const result = await checkOnline([ref('jinja2', '2.4.1'), ref('urllib3', '2.2.1')], broken, PYTHON);
    expect(result.unknown).toEqual([
      { source: 'PyPI', reason: 'unreachable (socket hang up)', packages: 2 },
      { source: 'OSV', reason: 'sent an unreadable answer (no answer for query 1 of 2)', packages: 2 },
    ]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['online-unavailable', 'online-unavailable']);
  });
});
