/**
 * OSV's API (https://google.github.io/osv.dev/api/): `POST /v1/querybatch` answers ids and modified times per
 * query, in query order, at most 1,000 queries a request, paginated per query with `next_page_token`;
 * `GET /v1/vulns/<id>` answers the record (https://ossf.github.io/osv-schema/).
 */
import type {
  AffectedRange,
  Answer,
  OsvAdvisory,
  OsvHit,
  OsvQuery,
  UnknownReason,
} from '../../ports/package-advisor';
import { asObject, type HttpOptions, requestJson, trimBase } from './http';

/** The documented maximum of queries in one querybatch request. */
export const OSV_BATCH_LIMIT = 1000;
/** Pages followed per query before giving up on it (a package with more than a few thousand advisories is not real). */
const MAX_PAGES = 10;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** A qualitative severity from a `database_specific` or `ecosystem_specific` object. */
function statedSeverity(value: unknown): string[] {
  const severity = asObject(value)?.severity;
  return typeof severity === 'string' ? [severity] : [];
}

/** CVSS vectors from a `severity` array (`type` is sometimes a number on the live API, so it is not trusted). */
function vectors(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((entry) => asObject(entry)?.score)
    .filter((score): score is string => typeof score === 'string');
}

/** The record's fields the checks use, or null when it is not an OSV record. */
export function parseAdvisory(body: unknown): OsvAdvisory | null {
  const record = asObject(body);
  if (!record || typeof record.id !== 'string') return null;
  const affected = Array.isArray(record.affected)
    ? record.affected.map(asObject).filter((a) => a !== null)
    : [];
  return {
    id: record.id,
    modified: typeof record.modified === 'string' ? record.modified : '',
    aliases: strings(record.aliases),
    summary: typeof record.summary === 'string' ? record.summary : null,
    withdrawn: typeof record.withdrawn === 'string' ? record.withdrawn : null,
    severities: [
      ...statedSeverity(record.database_specific),
      ...affected.flatMap((a) => [
        ...statedSeverity(a.database_specific),
        ...statedSeverity(a.ecosystem_specific),
      ]),
    ],
    cvss: [...vectors(record.severity), ...affected.flatMap((a) => vectors(a.severity))],
    affected: affected.map((a) => {
      const pkg = asObject(a.package);
      const ranges: AffectedRange[] = (Array.isArray(a.ranges) ? a.ranges : [])
        .map(asObject)
        .filter((range) => range !== null)
        .map((range) => ({
          type: typeof range.type === 'string' ? range.type : '',
          events: (Array.isArray(range.events) ? range.events : []).map((event) => {
            const e = asObject(event) ?? {};
            const pick = (field: string) =>
              typeof e[field] === 'string' ? { [field]: e[field] as string } : {};
            return { ...pick('introduced'), ...pick('fixed'), ...pick('last_affected'), ...pick('limit') };
          }),
        }));
      return {
        ecosystem: typeof pkg?.ecosystem === 'string' ? pkg.ecosystem : '',
        name: typeof pkg?.name === 'string' ? pkg.name : '',
        ranges,
        versions: strings(a.versions),
      };
    }),
  };
}

/** One querybatch result: its hits and next page token, or why it cannot be read. */
function parseResult(value: unknown): { hits: OsvHit[]; next: string | null } | UnknownReason {
  const result = asObject(value);
  if (!result) return { kind: 'malformed', detail: 'a querybatch result is not an object' };
  // A query without advisories answers `{}`: no `vulns` key.
  const vulns = result.vulns ?? [];
  if (!Array.isArray(vulns)) return { kind: 'malformed', detail: '"vulns" is not a list' };
  const hits: OsvHit[] = [];
  for (const vuln of vulns) {
    const hit = asObject(vuln);
    if (typeof hit?.id !== 'string') return { kind: 'malformed', detail: 'an advisory without an id' };
    hits.push({ id: hit.id, modified: typeof hit.modified === 'string' ? hit.modified : '' });
  }
  const next =
    typeof result.next_page_token === 'string' && result.next_page_token !== ''
      ? result.next_page_token
      : null;
  return { hits, next };
}

export class OsvClient {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly http: HttpOptions,
    private readonly batchLimit = OSV_BATCH_LIMIT,
  ) {
    this.base = trimBase(baseUrl);
  }

  async query(queries: readonly OsvQuery[]): Promise<Answer<readonly OsvHit[]>[]> {
    const chunks: OsvQuery[][] = [];
    for (let start = 0; start < queries.length; start += this.batchLimit)
      chunks.push(queries.slice(start, start + this.batchLimit));
    const answers = await Promise.all(chunks.map((chunk) => this.queryChunk(chunk)));
    return answers.flat();
  }

  private async queryChunk(queries: readonly OsvQuery[]): Promise<Answer<readonly OsvHit[]>[]> {
    const hits: OsvHit[][] = queries.map(() => []);
    const failed = new Map<number, UnknownReason>();
    // Each round asks for the queries still owed a page: all of them first, then those with a page token.
    let pending: { index: number; token: string | null }[] = queries.map((_, index) => ({
      index,
      token: null,
    }));
    for (let page = 0; pending.length > 0; page++) {
      if (page === MAX_PAGES) {
        for (const { index } of pending)
          failed.set(index, { kind: 'malformed', detail: `more than ${MAX_PAGES} pages of advisories` });
        break;
      }
      const body = {
        queries: pending.map(({ index, token }) => {
          const query = queries[index]!;
          return {
            package: { name: query.name, ecosystem: query.ecosystem },
            version: query.version,
            ...(token === null ? {} : { page_token: token }),
          };
        }),
      };
      const response = await requestJson(`${this.base}/v1/querybatch`, { method: 'POST', body }, this.http);
      const reason: UnknownReason | null =
        response.kind === 'unknown'
          ? response.reason
          : response.kind === 'not-found'
            ? { kind: 'http', status: 404 }
            : null;
      const results = response.kind === 'json' ? asObject(response.body)?.results : undefined;
      const next: typeof pending = [];
      for (const [position, { index }] of pending.entries()) {
        if (reason) {
          failed.set(index, reason);
          continue;
        }
        if (!Array.isArray(results)) {
          failed.set(index, { kind: 'malformed', detail: 'querybatch answer without "results"' });
          continue;
        }
        if (position >= results.length) {
          // A partial batch: the queries past its end got no answer, which is not the same as no advisories.
          failed.set(index, {
            kind: 'malformed',
            detail: `partial querybatch answer: ${results.length} results for ${pending.length} queries`,
          });
          continue;
        }
        const parsed = parseResult(results[position]);
        if ('kind' in parsed) {
          failed.set(index, parsed);
          continue;
        }
        hits[index]!.push(...parsed.hits);
        if (parsed.next !== null) next.push({ index, token: parsed.next });
      }
      pending = next;
    }
    return queries.map((_, index) => {
      const reason = failed.get(index);
      return reason ? { known: false, reason } : { known: true, value: hits[index]! };
    });
  }

  async advisory(id: string): Promise<Answer<OsvAdvisory>> {
    const response = await requestJson(`${this.base}/v1/vulns/${encodeURIComponent(id)}`, {}, this.http);
    if (response.kind === 'unknown') return { known: false, reason: response.reason };
    if (response.kind === 'not-found') return { known: false, reason: { kind: 'http', status: 404 } };
    const advisory = parseAdvisory(response.body);
    return advisory
      ? { known: true, value: advisory }
      : { known: false, reason: { kind: 'malformed', detail: `vulnerability ${id} without an "id"` } };
  }
}
