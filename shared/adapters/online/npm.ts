/**
 * The npm registry's package document (https://github.com/npm/registry/blob/main/docs/responses/package-metadata.md):
 * `GET /<name>`, scoped names as `@scope%2fname`, the abbreviated form asked for first; `versions[v].deprecated`.
 */
import type { Answer, NpmFacts } from '../../ports/package-advisor';
import { asObject, type HttpOptions, type JsonResponse, requestJson, trimBase } from './http';

/** The abbreviated document is a fraction of the full one and still carries `deprecated`. */
const ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

/** `@types/node` → `@types%2fnode`: the registry wants the scope's slash encoded, the `@` not. */
export function npmPackagePath(name: string): string {
  if (!name.startsWith('@')) return encodeURIComponent(name);
  const slash = name.indexOf('/');
  if (slash < 0) return `@${encodeURIComponent(name.slice(1))}`;
  return `@${encodeURIComponent(name.slice(1, slash))}%2f${encodeURIComponent(name.slice(slash + 1))}`;
}

export class NpmClient {
  private readonly base: string;
  private readonly documents = new Map<string, Promise<JsonResponse>>();

  constructor(
    baseUrl: string,
    private readonly http: HttpOptions,
  ) {
    this.base = trimBase(baseUrl);
  }

  private document(name: string): Promise<JsonResponse> {
    let pending = this.documents.get(name);
    if (!pending) {
      pending = requestJson(`${this.base}/${npmPackagePath(name)}`, { accept: ACCEPT }, this.http);
      this.documents.set(name, pending);
    }
    return pending;
  }

  async facts(name: string, version: string | null): Promise<Answer<NpmFacts>> {
    const response = await this.document(name);
    if (response.kind === 'unknown') return { known: false, reason: response.reason };
    if (response.kind === 'not-found') return { known: true, value: { exists: false } };
    const body = asObject(response.body);
    const versions = asObject(body?.versions);
    if (!versions) {
      // An unpublished package keeps a document with `time.unpublished` and no versions: nothing installs.
      if (asObject(asObject(body?.time)?.unpublished)) return { known: true, value: { exists: false } };
      return { known: false, reason: { kind: 'malformed', detail: 'package document without "versions"' } };
    }
    if (version === null) return { known: true, value: { exists: true, release: null } };
    const manifest = asObject(versions[version]);
    if (!manifest) return { known: true, value: { exists: true, release: { exists: false } } };
    const deprecated = manifest.deprecated;
    return {
      known: true,
      value: {
        exists: true,
        release: {
          exists: true,
          deprecated: typeof deprecated === 'string' && deprecated !== '' ? deprecated : null,
        },
      },
    };
  }
}
