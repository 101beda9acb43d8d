import type { AdvisorySeverity, OsvAdvisory } from '../../ports/package-advisor';
import type { Ecosystem } from '../model';
import { cvssBaseScore, scoreSeverity } from './cvss';
import { compareEcosystemVersions, samePackage } from './versions';

const RANK: Record<AdvisorySeverity, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

/** One vulnerability as the message shows it: its ids (aliases merged), severity and first fixed version. */
export interface VulnerabilitySummary {
  /** Sorted: GHSA first, then the others alphabetically (the GitHub id is the one people search for). */
  readonly ids: readonly string[];
  /** The highest severity any of its records states or scores, or null when none says. */
  readonly severity: AdvisorySeverity | null;
  /** True when none of its records' details could be fetched: its severity is unknown, not low. */
  readonly detailsUnknown: boolean;
  /** The lowest version above the pinned one that fixes it, or null when OSV names none. */
  readonly fixed: string | null;
}

/** A record's stated or scored severity: qualitative fields first, CVSS v3/v2 base scores otherwise. */
export function advisorySeverity(advisory: OsvAdvisory): AdvisorySeverity | null {
  let best: AdvisorySeverity | null = null;
  const consider = (value: string) => {
    const upper = value.trim().toUpperCase();
    const severity = upper === 'MODERATE' ? 'MEDIUM' : upper;
    if (Object.hasOwn(RANK, severity) && (best === null || RANK[severity as AdvisorySeverity] > RANK[best]))
      best = severity as AdvisorySeverity;
  };
  for (const stated of advisory.severities) consider(stated);
  for (const vector of advisory.cvss) {
    const score = cvssBaseScore(vector);
    if (score !== null) consider(scoreSeverity(score));
  }
  return best;
}

/** The lowest `fixed` event above `version` among the record's ranges for this package, or null. */
export function firstFixed(
  advisory: OsvAdvisory,
  ecosystem: Ecosystem,
  name: string,
  version: string,
): string | null {
  let best: string | null = null;
  for (const affected of advisory.affected) {
    if (!samePackage(ecosystem, name, affected.ecosystem, affected.name)) continue;
    for (const range of affected.ranges) {
      if (range.type === 'GIT') continue;
      for (const event of range.events) {
        const fixed = event.fixed;
        if (fixed === undefined) continue;
        const above = compareEcosystemVersions(ecosystem, fixed, version);
        if (above === null || above <= 0) continue;
        if (best === null || (compareEcosystemVersions(ecosystem, fixed, best) ?? 0) < 0) best = fixed;
      }
    }
  }
  return best;
}

const idOrder = (a: string, b: string) =>
  Number(b.startsWith('GHSA-')) - Number(a.startsWith('GHSA-')) || a.localeCompare(b);

/**
 * Merges records that are aliases of each other (a GHSA and the PYSEC for the same bug) into one vulnerability.
 * `records` maps every listed id to its record, or null when its details could not be fetched.
 */
export function summarizeVulnerabilities(
  records: ReadonlyMap<string, OsvAdvisory | null>,
  ecosystem: Ecosystem,
  name: string,
  version: string,
): VulnerabilitySummary[] {
  const live = [...records].filter(([, record]) => record === null || record.withdrawn === null);
  const parent = new Map<string, string>(live.map(([id]) => [id, id]));
  const root = (id: string): string => {
    let at = id;
    while (parent.get(at) !== at) at = parent.get(at)!;
    return at;
  };
  for (const [id, record] of live) {
    for (const alias of record?.aliases ?? []) {
      if (parent.has(alias)) parent.set(root(alias), root(id));
    }
  }
  const groups = new Map<string, string[]>();
  for (const [id] of live) groups.set(root(id), [...(groups.get(root(id)) ?? []), id]);

  const summaries: VulnerabilitySummary[] = [];
  for (const ids of groups.values()) {
    let severity: AdvisorySeverity | null = null;
    let fixed: string | null = null;
    let known = 0;
    for (const id of ids) {
      const record = records.get(id) ?? null;
      if (record === null) continue;
      known++;
      const stated = advisorySeverity(record);
      if (stated !== null && (severity === null || RANK[stated] > RANK[severity])) severity = stated;
      const fix = firstFixed(record, ecosystem, name, version);
      // Databases sometimes disagree on the fix; the later one is the safe advice.
      if (fix !== null && (fixed === null || (compareEcosystemVersions(ecosystem, fix, fixed) ?? 0) > 0))
        fixed = fix;
    }
    summaries.push({ ids: [...ids].sort(idOrder), severity, detailsUnknown: known === 0, fixed });
  }
  return summaries.sort((a, b) => idOrder(a.ids[0]!, b.ids[0]!));
}

/** Whether a vulnerability makes the finding an error: HIGH or CRITICAL, or not rated because details failed. */
export const isSerious = (summary: VulnerabilitySummary) =>
  summary.severity === 'HIGH' || summary.severity === 'CRITICAL' || summary.detailsUnknown;
