import type { DependencyEntry, SpecifierClause } from '../../model';

/** Pinned to one version: `==` without a wildcard, or `===`. */
export function exactPin(clauses: readonly SpecifierClause[]): SpecifierClause | undefined {
  return clauses.find((c) => (c.operator === '==' && !c.version.endsWith('.*')) || c.operator === '===');
}

const VCS_PREFIX = /^(git|hg|svn|bzr)\+/;

/** A direct reference fixes the artefact, except a VCS URL without a revision (`@rev` after the path). */
export function urlIsPinned(url: string): boolean {
  if (!VCS_PREFIX.test(url)) return true;
  const path = url.replace(/^[a-z+]+:\/\/[^/]*/, '').split('#')[0]!;
  return path.includes('@');
}

/** Whether the entry names one exact artefact. */
export function entryIsPinned(entry: DependencyEntry): boolean {
  const requirement = entry.requirement;
  if (requirement?.url) return urlIsPinned(requirement.url);
  if (entry.reference) return urlIsPinned(entry.reference.url);
  return requirement !== null && exactPin(requirement.clauses) !== undefined;
}
