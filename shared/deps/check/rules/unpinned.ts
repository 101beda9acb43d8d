import type { Finding } from '../../model';
import { markersExclusive } from '../../pep508';
import { dependencyEntries, type InstallSet } from '../install-set';
import { entryFinding, quoted, type RuleContext } from './context';
import { entryIsPinned } from './pins';

/**
 * `unpinned` (with --require-pins): a requirement of a requirements file not pinned with `==`/`===`, and not
 * pinned by a constraint (`-c`) of the same install. pyproject.toml declares ranges on purpose: its pins live in
 * a lock or compiled file, which this rule checks.
 */
export function unpinnedFindings(set: InstallSet, context: RuleContext): Finding[] {
  if (!context.options.requirePins || set.kind !== 'requirements') return [];
  const entries = dependencyEntries(set);
  const constraints = entries.filter(
    (entry) => entry.source.kind === 'requirements' && entry.source.role === 'constraint',
  );
  const findings: Finding[] = [];
  for (const entry of set.entries) {
    if (entry.source.kind !== 'requirements' || entry.source.role !== 'requirement') continue;
    if (entry.requirement === null && entry.reference === undefined) continue;
    if (entryIsPinned(entry)) continue;
    const name = entry.requirement?.normalizedName;
    const pinnedBy = constraints.find(
      (constraint) =>
        constraint.requirement!.normalizedName === name &&
        entryIsPinned(constraint) &&
        !markersExclusive(constraint.requirement!.marker, entry.requirement!.marker),
    );
    if (pinnedBy) continue;
    const hasRange = (entry.requirement?.clauses.length ?? 0) > 0;
    findings.push(
      entryFinding(
        entry,
        'unpinned',
        'error',
        `${quoted(entry)} is not pinned${hasRange ? ' to one version' : ''}: each install may get a different release`,
        name
          ? `pin it with ==, e.g. compile this file with pip-compile or uv pip compile, or pin it in a constraints file`
          : 'point it at a fixed revision (`@<commit>`)',
        { at: entry.spans.specifier ?? entry.position },
      ),
    );
  }
  return findings;
}
