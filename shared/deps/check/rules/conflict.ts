import type { DependencyEntry, Finding } from '../../model';
import { satisfiable } from '../../pep440';
import { markersExclusive } from '../../pep508';
import { dependencyEntries, type InstallSet } from '../install-set';
import { entryFinding, quoted, type RuleContext, where } from './context';
import { removeLinesEdit } from './edits';

/** What makes two entries the same requirement: name, extras, specifier, marker, URL and role. */
function identity(entry: DependencyEntry): string {
  const r = entry.requirement!;
  const role = entry.source.kind === 'requirements' ? entry.source.role : 'requirement';
  return JSON.stringify([
    r.normalizedName,
    [...r.extras].sort(),
    r.specifier,
    r.markerText,
    r.url,
    role,
    entry.editable,
  ]);
}

/** Entries of one package, grouped in set order. */
function byPackage(entries: readonly DependencyEntry[]): Map<string, DependencyEntry[]> {
  const groups = new Map<string, DependencyEntry[]>();
  for (const entry of entries) {
    const name = entry.requirement!.normalizedName;
    const group = groups.get(name);
    if (group) group.push(entry);
    else groups.set(name, [entry]);
  }
  return groups;
}

/**
 * `conflict`: the same package with specifiers no version satisfies, within a file or across the include graph
 * (markers that are provably exclusive never conflict); `duplicate`: the exact same requirement twice.
 */
export function conflictFindings(set: InstallSet, context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const [name, group] of byPackage(dependencyEntries(set))) {
    if (group.length < 2) continue;
    const seen = new Map<string, DependencyEntry>();
    const distinct: DependencyEntry[] = [];
    for (const entry of group) {
      const key = identity(entry);
      const first = seen.get(key);
      if (first) {
        const edit =
          entry.file === first.file ? removeLinesEdit(entry, context.lines(entry.file)) : undefined;
        findings.push(
          entryFinding(
            entry,
            'duplicate',
            'warning',
            `${quoted(entry)} repeats ${where(first)} exactly`,
            'remove this line',
            {
              ...(edit ? { edits: [edit] } : {}),
            },
          ),
        );
        continue;
      }
      seen.set(key, entry);
      distinct.push(entry);
    }
    let pairConflict = false;
    for (let j = 1; j < distinct.length; j++) {
      const later = distinct[j]!;
      for (let i = 0; i < j; i++) {
        const earlier = distinct[i]!;
        const problem = pairProblem(earlier, later);
        if (!problem) continue;
        pairConflict = true;
        findings.push(
          entryFinding(
            later,
            'conflict',
            'error',
            `${quoted(later)} and ${quoted(earlier)} (${where(earlier)}) ${problem}`,
            `make the constraints on ${name} agree, or give them exclusive markers`,
            {
              at: later.spans.specifier ?? later.spans.url ?? later.position,
            },
          ),
        );
      }
    }
    if (pairConflict) continue;
    // Pairs can agree while the whole group does not (`>=1`, `<=1` and `!=1`): judge unconditional entries together.
    const unconditional = distinct.filter(
      (entry) => entry.requirement!.marker === null && entry.requirement!.url === null,
    );
    if (
      unconditional.length > 2 &&
      !satisfiable(unconditional.flatMap((entry) => entry.requirement!.clauses)).satisfiable
    ) {
      const last = unconditional[unconditional.length - 1]!;
      const others = unconditional.slice(0, -1).map((entry) => `${quoted(entry)} (${where(entry)})`);
      findings.push(
        entryFinding(
          last,
          'conflict',
          'error',
          `${quoted(last)} together with ${others.join(', ')}: no version of ${name} satisfies them all`,
          `make the constraints on ${name} agree`,
          {
            at: last.spans.specifier ?? last.position,
          },
        ),
      );
    }
  }
  return findings;
}

/** Why two entries of one package cannot both hold, or undefined when they can (or their markers exclude each other). */
function pairProblem(a: DependencyEntry, b: DependencyEntry): string | undefined {
  const ra = a.requirement!;
  const rb = b.requirement!;
  if (markersExclusive(ra.marker, rb.marker)) return undefined;
  if (ra.url !== null && rb.url !== null) return ra.url === rb.url ? undefined : 'point at different URLs';
  if (ra.url !== null || rb.url !== null) return undefined;
  if (satisfiable([...ra.clauses, ...rb.clauses]).satisfiable) return undefined;
  return 'admit no common version';
}
