/**
 * Registries in miniature: PyPI's JSON API, the npm registry and OSV, answering in their documented shapes from
 * a small table of packages. Served on loopback by `startRegistries`.
 */
import { type Loopback, loopback, type Reply, type SeenRequest } from './loopback';

export interface PypiReleaseSpec {
  readonly requiresPython?: string | null;
  /** The yanked reason; '' for yanked without a reason. */
  readonly yanked?: string;
}

export interface World {
  /** name → version → release. */
  readonly pypi: Record<string, Record<string, PypiReleaseSpec>>;
  /** name → version → deprecation message (or null). */
  readonly npm: Record<string, Record<string, string | null>>;
  /** `ecosystem|name|version` → advisory ids OSV lists for it. */
  readonly osvHits: Record<string, string[]>;
  /** id → OSV record. */
  readonly osvRecords: Record<string, Record<string, unknown>>;
}

/** One file of a release, as `urls[]` lists it. */
function pypiFile(name: string, version: string, spec: PypiReleaseSpec) {
  const filename = `${name.replace(/-/g, '_')}-${version}-py3-none-any.whl`;
  return {
    comment_text: '',
    digests: { sha256: 'e'.repeat(64) },
    filename,
    packagetype: 'bdist_wheel',
    python_version: 'py3',
    requires_python: spec.requiresPython ?? null,
    size: 64_928,
    upload_time_iso_8601: '2024-05-20T17:46:12.014Z',
    url: `https://files.pythonhosted.org/packages/${filename}`,
    yanked: spec.yanked !== undefined,
    yanked_reason: spec.yanked ? spec.yanked : null,
  };
}

/** `GET /pypi/<name>/<version>/json`. */
export function pypiReleaseDocument(name: string, version: string, spec: PypiReleaseSpec) {
  return {
    info: {
      name,
      version,
      summary: `${name} for tests`,
      requires_python: spec.requiresPython ?? null,
      yanked: spec.yanked !== undefined,
      yanked_reason: spec.yanked ? spec.yanked : null,
      release_url: `https://pypi.org/project/${name}/${version}/`,
    },
    last_serial: 23_001_004,
    urls: [pypiFile(name, version, spec)],
    vulnerabilities: [],
  };
}

/** `GET /pypi/<name>/json`: the newest release's info, and every release's files. */
export function pypiProjectDocument(name: string, releases: Record<string, PypiReleaseSpec>) {
  const versions = Object.keys(releases);
  const latest = versions[versions.length - 1]!;
  const { urls, ...rest } = pypiReleaseDocument(name, latest, releases[latest]!);
  return {
    ...rest,
    releases: Object.fromEntries(versions.map((v) => [v, [pypiFile(name, v, releases[v]!)]])),
    urls,
  };
}

/** `GET /<name>`: the abbreviated package document. */
export function npmDocument(name: string, versions: Record<string, string | null>) {
  const list = Object.keys(versions);
  return {
    name,
    modified: '2024-02-01T10:11:12.000Z',
    'dist-tags': { latest: list[list.length - 1] },
    versions: Object.fromEntries(
      list.map((v) => [
        v,
        {
          name,
          version: v,
          dist: {
            tarball: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${v}.tgz`,
            shasum: 'a'.repeat(40),
          },
          ...(versions[v] ? { deprecated: versions[v] } : {}),
        },
      ]),
    ),
  };
}

/** An OSV record in the shape GitHub's and PyPI's advisory databases export. */
export function osvRecord(options: {
  id: string;
  aliases?: string[];
  summary: string;
  ecosystem: 'PyPI' | 'npm';
  name: string;
  introduced?: string;
  fixed?: string;
  severity?: string;
  cvss?: string;
  modified?: string;
  withdrawn?: string;
}): Record<string, unknown> {
  const events: Record<string, string>[] = [{ introduced: options.introduced ?? '0' }];
  if (options.fixed) events.push({ fixed: options.fixed });
  return {
    schema_version: '1.6.0',
    id: options.id,
    modified: options.modified ?? '2024-06-10T18:42:33.000Z',
    published: '2023-01-01T00:00:00Z',
    ...(options.withdrawn ? { withdrawn: options.withdrawn } : {}),
    aliases: options.aliases ?? [],
    summary: options.summary,
    details: `${options.summary}.`,
    ...(options.cvss ? { severity: [{ type: 'CVSS_V3', score: options.cvss }] } : {}),
    affected: [
      {
        package: {
          ecosystem: options.ecosystem,
          name: options.name,
          purl: `pkg:${options.ecosystem.toLowerCase()}/${options.name}`,
        },
        ranges: [{ type: 'ECOSYSTEM', events }],
      },
    ],
    references: [{ type: 'ADVISORY', url: `https://github.com/advisories/${options.id}` }],
    ...(options.severity
      ? { database_specific: { severity: options.severity, cwe_ids: ['CWE-400'], github_reviewed: true } }
      : {}),
  };
}

export interface Registries {
  readonly pypi: Loopback;
  readonly npm: Loopback;
  readonly osv: Loopback;
  /** The environment that points `createOnlineAdvisor` at them. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

function routePypi(world: World, request: SeenRequest): Reply | undefined {
  const match = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json$/.exec(request.path);
  if (!match) return undefined;
  const name = decodeURIComponent(match[1]!);
  const releases = world.pypi[name];
  if (!releases) return undefined;
  if (match[2] === undefined) return { json: pypiProjectDocument(name, releases) };
  const version = decodeURIComponent(match[2]);
  const spec = releases[version];
  return spec ? { json: pypiReleaseDocument(name, version, spec) } : undefined;
}

function routeNpm(world: World, request: SeenRequest): Reply | undefined {
  const name = decodeURIComponent(request.path.slice(1));
  const versions = world.npm[name];
  return versions ? { json: npmDocument(name, versions) } : { status: 404, json: { error: 'Not found' } };
}

function routeOsv(world: World, request: SeenRequest): Reply | undefined {
  if (request.method === 'POST' && request.path === '/v1/querybatch') {
    const { queries } = request.body as {
      queries: { package: { name: string; ecosystem: string }; version: string }[];
    };
    return {
      json: {
        results: queries.map((query) => {
          const ids =
            world.osvHits[`${query.package.ecosystem}|${query.package.name}|${query.version}`] ?? [];
          return ids.length === 0
            ? {}
            : { vulns: ids.map((id) => ({ id, modified: world.osvRecords[id]?.modified ?? '' })) };
        }),
      },
    };
  }
  const match = /^\/v1\/vulns\/(.+)$/.exec(request.path);
  const record = match ? world.osvRecords[decodeURIComponent(match[1]!)] : undefined;
  return record ? { json: record } : { status: 404, json: { code: 5, message: 'Bug not found.' } };
}

/** Starts the three services on loopback, serving `world`. */
export async function startRegistries(world: World): Promise<Registries> {
  const [pypi, npm, osv] = await Promise.all([
    loopback((request) => routePypi(world, request)),
    loopback((request) => routeNpm(world, request)),
    loopback((request) => routeOsv(world, request)),
  ]);
  return {
    pypi,
    npm,
    osv,
    env: { FLYWHEEL_PYPI_URL: pypi.url, FLYWHEEL_NPM_REGISTRY_URL: npm.url, FLYWHEEL_OSV_URL: osv.url },
    close: async () => {
      await Promise.all([pypi.close(), npm.close(), osv.close()]);
    },
  };
}

/** Real-world-like data: requests, numpy, Jinja2, urllib3 and lodash with their well-known problems. */
export const WORLD: World = {
  pypi: {
    requests: {
      '2.31.0': { requiresPython: '>=3.7' },
      '2.32.0': { requiresPython: '>=3.8', yanked: 'Yanked due to conflicts with CVE-2024-35195 mitigation' },
      '2.32.3': { requiresPython: '>=3.8' },
    },
    numpy: { '1.21.6': { requiresPython: '>=3.7,<3.11' }, '2.1.0': { requiresPython: '>=3.10' } },
    jinja2: { '2.4.1': {}, '3.1.4': { requiresPython: '>=3.7' } },
    urllib3: { '2.2.1': { requiresPython: '>=3.8' }, '2.2.2': { requiresPython: '>=3.8' } },
    flask: { '3.0.3': { requiresPython: '>=3.8' } },
  },
  npm: {
    lodash: { '4.17.20': null, '4.17.21': null },
    request: { '2.88.2': 'request has been deprecated, see https://github.com/request/request/issues/3142' },
    '@types/node': { '20.11.5': null },
  },
  osvHits: {
    'PyPI|jinja2|2.4.1': ['GHSA-462w-v97r-4m45', 'GHSA-h5c8-rqwp-cp95', 'PYSEC-2019-217'],
    'PyPI|urllib3|2.2.1': ['GHSA-34jh-p97f-mpxf'],
    'npm|lodash|4.17.20': ['GHSA-35jh-r3h4-6jhm'],
  },
  osvRecords: {
    'GHSA-462w-v97r-4m45': osvRecord({
      id: 'GHSA-462w-v97r-4m45',
      aliases: ['CVE-2019-10906', 'PYSEC-2019-217'],
      summary: 'Jinja2 sandbox escape via string formatting',
      ecosystem: 'PyPI',
      name: 'jinja2',
      fixed: '2.10.1',
      severity: 'HIGH',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N',
    }),
    'PYSEC-2019-217': osvRecord({
      id: 'PYSEC-2019-217',
      aliases: ['CVE-2019-10906', 'GHSA-462w-v97r-4m45'],
      summary: 'Jinja2 sandbox escape',
      ecosystem: 'PyPI',
      name: 'jinja2',
      fixed: '2.10.1',
    }),
    'GHSA-h5c8-rqwp-cp95': osvRecord({
      id: 'GHSA-h5c8-rqwp-cp95',
      aliases: ['CVE-2024-22195'],
      summary:
        'Jinja vulnerable to HTML attribute injection when passing user input as keys to xmlattr filter',
      ecosystem: 'PyPI',
      name: 'jinja2',
      fixed: '3.1.3',
      severity: 'MODERATE',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N',
    }),
    'GHSA-34jh-p97f-mpxf': osvRecord({
      id: 'GHSA-34jh-p97f-mpxf',
      aliases: ['CVE-2024-37891'],
      summary: "urllib3's Proxy-Authorization request header isn't stripped during cross-origin redirects",
      ecosystem: 'PyPI',
      name: 'urllib3',
      introduced: '2.0.0',
      fixed: '2.2.2',
      severity: 'MODERATE',
      cvss: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N',
    }),
    'GHSA-35jh-r3h4-6jhm': osvRecord({
      id: 'GHSA-35jh-r3h4-6jhm',
      aliases: ['CVE-2021-23337'],
      summary: 'Command Injection in lodash',
      ecosystem: 'npm',
      name: 'lodash',
      fixed: '4.17.21',
      severity: 'HIGH',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
    }),
  },
};
