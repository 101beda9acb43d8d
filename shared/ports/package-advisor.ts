/**
 * What package registries and the OSV vulnerability database say about packages, for `deps check --online`.
 * Adapters speak HTTP (shared/adapters/online/); the domain only ever sees these answers.
 */
import type { Ecosystem } from '../deps/model';

/** Why a source could not answer: it is then unknown, never taken as clean. */
export type UnknownReason =
  | { readonly kind: 'unreachable'; readonly detail: string }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'http'; readonly status: number }
  /** A body that is not JSON, or JSON without the documented fields (a partial OSV batch included). */
  | { readonly kind: 'malformed'; readonly detail: string };

/** Every answer is either known, or unknown with the reason. */
export type Answer<T> =
  | { readonly known: true; readonly value: T }
  | { readonly known: false; readonly reason: UnknownReason };

/** What PyPI says about one release of a project. */
export type PypiRelease =
  | { readonly exists: false }
  | {
      readonly exists: true;
      /** The version as PyPI spells it (a pin `==2.31` finds `2.31.0`). */
      readonly version: string;
      readonly yanked: boolean;
      readonly yankedReason: string | null;
      /** The release's Requires-Python, as PyPI has it (`>=3.8`, `>=2.7, !=3.0.*`), or null. */
      readonly requiresPython: string | null;
    };

/** What PyPI says about a project; `release` is null when no version was asked about. */
export type PypiFacts =
  | { readonly exists: false }
  | { readonly exists: true; readonly release: PypiRelease | null };

/** What the npm registry says about one version of a package. */
export type NpmRelease =
  | { readonly exists: false }
  | { readonly exists: true; readonly deprecated: string | null };

/** What the npm registry says about a package; `release` is null when no version was asked about. */
export type NpmFacts =
  | { readonly exists: false }
  | { readonly exists: true; readonly release: NpmRelease | null };

/** One (ecosystem, name, version) to look up in OSV. */
export interface OsvQuery {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
}

/** An advisory OSV lists for a query: its id and when it last changed (details come from `osvAdvisory`). */
export interface OsvHit {
  readonly id: string;
  readonly modified: string;
}

/** Qualitative severity, as OSV sources and CVSS name it (GitHub's MODERATE is MEDIUM here). */
export type AdvisorySeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** A version range event of an affected package, in its ecosystem's order. */
export interface AffectedRange {
  readonly type: string;
  readonly events: readonly {
    readonly introduced?: string;
    readonly fixed?: string;
    readonly last_affected?: string;
    readonly limit?: string;
  }[];
}

/** The parts of an OSV record the checks use. */
export interface OsvAdvisory {
  readonly id: string;
  readonly modified: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  /** Set when the record was withdrawn: it no longer applies. */
  readonly withdrawn: string | null;
  /** Qualitative severities the record states (database_specific / ecosystem_specific), upper case. */
  readonly severities: readonly string[];
  /** CVSS vectors the record gives (`CVSS:3.1/AV:N/…`, or a bare CVSS v2 vector), top level and per package. */
  readonly cvss: readonly string[];
  /** The packages it affects, with their ranges. */
  readonly affected: readonly {
    readonly ecosystem: string;
    readonly name: string;
    readonly ranges: readonly AffectedRange[];
    readonly versions: readonly string[];
  }[];
}

/** The port. Implementations never throw for a source's failure: they answer unknown. */
export interface PackageAdvisor {
  /** PyPI: does the project exist, and (with a version) that release's yanked state and Requires-Python. */
  pypi(name: string, version: string | null): Promise<Answer<PypiFacts>>;
  /** The npm registry: does the package exist, and (with a version) that version's deprecation message. */
  npm(name: string, version: string | null): Promise<Answer<NpmFacts>>;
  /** OSV, batched: the advisories affecting each query, one answer per query, in the order given. */
  osvQuery(queries: readonly OsvQuery[]): Promise<readonly Answer<readonly OsvHit[]>[]>;
  /** One OSV record; `modified` (from the hit) lets a cache tell its copy is current. */
  osvAdvisory(id: string, modified: string): Promise<Answer<OsvAdvisory>>;
}

/** The reason in words, for messages: "timed out after 10 s", "HTTP 503", … */
export function describeUnknown(reason: UnknownReason): string {
  switch (reason.kind) {
    case 'unreachable':
      return `unreachable (${reason.detail})`;
    case 'timeout':
      return `timed out after ${reason.afterMs >= 1000 ? `${reason.afterMs / 1000} s` : `${reason.afterMs} ms`}`;
    case 'http':
      return `answered HTTP ${reason.status}`;
    case 'malformed':
      return `sent an unreadable answer (${reason.detail})`;
  }
}
