import type { PackageAdvisor } from '../../ports/package-advisor';
import { createLimiter, type Fetch } from './http';
import { NpmClient } from './npm';
import { OsvClient } from './osv';
import { PypiClient } from './pypi';

export const DEFAULT_PYPI_URL = 'https://pypi.org';
export const DEFAULT_NPM_REGISTRY_URL = 'https://registry.npmjs.org';
export const DEFAULT_OSV_URL = 'https://api.osv.dev';
/** Long enough for a large package document on a slow link, short enough that a dead network fails fast. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Requests in flight per service: polite to the registries, and enough to hide their latency. */
export const DEFAULT_CONCURRENCY = 8;

export interface HttpAdvisorOptions {
  readonly pypiUrl?: string;
  readonly npmRegistryUrl?: string;
  readonly osvUrl?: string;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly userAgent?: string;
  readonly fetch?: Fetch;
  /** Queries per OSV querybatch request (the API's limit is 1,000; tests make it small). */
  readonly osvBatchLimit?: number;
}

/** The advisor over HTTP: PyPI's JSON API, the npm registry and OSV, each with its own concurrency limit. */
export function createHttpAdvisor(options: HttpAdvisorOptions = {}): PackageAdvisor {
  const http = () => ({
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    limit: createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  const pypi = new PypiClient(options.pypiUrl ?? DEFAULT_PYPI_URL, http());
  const npm = new NpmClient(options.npmRegistryUrl ?? DEFAULT_NPM_REGISTRY_URL, http());
  const osv = new OsvClient(options.osvUrl ?? DEFAULT_OSV_URL, http(), options.osvBatchLimit);
  return {
    pypi: (name, version) => pypi.facts(name, version),
    npm: (name, version) => npm.facts(name, version),
    osvQuery: (queries) => osv.query(queries),
    osvAdvisory: (id) => osv.advisory(id),
  };
}
