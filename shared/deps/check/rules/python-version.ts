import type { DependencyEntry, Finding, Marker, SpecifierClause } from '../../model';
import { parseVersion, satisfiable } from '../../pep440';
import { evaluateMarker, formatMarker, markersExclusive } from '../../pep508';
import type { RequiresPython } from '../../pyproject';
import { dependencyEntries, type InstallSet } from '../install-set';
import { entryFinding, type RuleContext } from './context';

/** Python `X.Y` as the clauses of its releases: `>=X.Y, <X.(Y+1)`. */
export function pythonReleaseClauses(python: string): SpecifierClause[] {
  const version = parseVersion(python);
  const [major = 3, minor = 0] = version?.release ?? [];
  return [
    { operator: '>=', version: `${major}.${minor}` },
    { operator: '<', version: `${major}.${minor + 1}` },
  ];
}

/** requires-python as a marker on python_full_version, to compare it with entries' markers. */
function requiresPythonMarker(clauses: readonly SpecifierClause[]): Marker | null {
  const atoms: Marker[] = clauses.map((clause) => ({
    type: 'compare',
    left: { type: 'variable', name: 'python_full_version' },
    operator: clause.operator,
    right: { type: 'string', value: clause.version },
  }));
  if (atoms.length === 0) return null;
  return atoms.reduce((left, right) => ({ type: 'and', left, right }));
}

/**
 * `python-version`, judged against the target Python: requires-python that excludes it, entries whose marker
 * contradicts requires-python (never installed), and marker-split pins that leave the target out.
 */
export function pythonVersionFindings(
  set: InstallSet,
  requiresPython: RequiresPython | null,
  context: RuleContext,
): Finding[] {
  const findings: Finding[] = [];
  const python = context.options.python;
  if (
    requiresPython &&
    !satisfiable([...requiresPython.clauses, ...pythonReleaseClauses(python)]).satisfiable
  ) {
    findings.push({
      ruleId: 'python-version',
      severity: 'error',
      file: set.root,
      line: requiresPython.position.line,
      column: requiresPython.position.column,
      package: null,
      message: `requires-python "${requiresPython.text}" excludes Python ${python}, the target`,
      fix: `widen requires-python to include ${python}, or check against another Python with --python X.Y`,
    });
  }
  const projectMarker = requiresPython ? requiresPythonMarker(requiresPython.clauses) : null;
  const entries = dependencyEntries(set);
  const byName = new Map<string, DependencyEntry[]>();
  for (const entry of entries) {
    const name = entry.requirement!.normalizedName;
    byName.set(name, [...(byName.get(name) ?? []), entry]);
    const marker = entry.requirement!.marker;
    if (marker && projectMarker && markersExclusive(marker, projectMarker)) {
      findings.push(
        entryFinding(
          entry,
          'python-version',
          'info',
          `\`${formatMarker(marker)}\` never holds under requires-python "${requiresPython!.text}": this entry is never installed`,
          'remove it, or its marker',
          { at: entry.spans.marker ?? entry.position },
        ),
      );
    }
  }
  for (const [name, group] of byName) {
    // One conditional entry (`tomli; python_version < "3.11"`) is deliberate; marker-split pins that leave the
    // target out are the mistake.
    if (group.length < 2) continue;
    const skipped = group.every((entry) => {
      const marker = entry.requirement!.marker;
      return marker !== null && evaluateMarker(marker, { python_version: python }) === false;
    });
    if (!skipped) continue;
    const first = group[0]!;
    const markers = group.map((entry) => `\`${formatMarker(entry.requirement!.marker!)}\``).join(', ');
    findings.push(
      entryFinding(
        first,
        'python-version',
        'warning',
        `${name} is listed only for other Pythons (${markers}): on Python ${python} it is not installed at all`,
        `add an entry for Python ${python}, or check against another Python with --python X.Y`,
        { at: first.spans.marker ?? first.position },
      ),
    );
  }
  return findings;
}
