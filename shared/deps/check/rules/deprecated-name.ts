import { CONFLICTING_PAIRS, type KnownName } from '../../deprecated-names';
import type { DependencyEntry, Finding, Severity, SpecifierClause, TextEdit } from '../../model';
import { compareVersions, parseVersion, satisfiable } from '../../pep440';
import { evaluateMarker, normalizeName } from '../../pep508';
import { dependencyEntries, type InstallSet } from '../install-set';
import { entryFinding, quoted, type RuleContext, where } from './context';
import { removeLinesEdit, renameEdit } from './edits';

const SEVERITY_BY_CATEGORY: Record<KnownName['category'], Severity> = {
  FAILS: 'error',
  'NOT-FOUND': 'error',
  'WRONG-PKG': 'error',
  ARTIFACT: 'error',
  'DUMMY-OK': 'warning',
  RENAMED: 'warning',
  DEPRECATED: 'warning',
  ABANDONED: 'warning',
  BACKPORT: 'warning',
};

const WHAT_HAPPENS: Record<KnownName['category'], string> = {
  FAILS: 'installing it fails',
  'NOT-FOUND': 'it cannot be installed',
  'WRONG-PKG': 'it installs the wrong project',
  ARTIFACT: 'it is not a real package',
  'DUMMY-OK': 'it is a placeholder',
  RENAMED: 'it was renamed',
  DEPRECATED: 'it is deprecated',
  ABANDONED: 'it is abandoned',
  BACKPORT: 'it is a backport of the standard library',
};

const isExactPin = (clauses: readonly SpecifierClause[]) =>
  clauses.some((c) => (c.operator === '==' && !c.version.endsWith('*')) || c.operator === '===');

/** The Python `X.Y` as a version, and whether it is at least `since`. */
function pythonAtLeast(python: string, since: string): boolean {
  const target = parseVersion(python);
  const threshold = parseVersion(since);
  return target !== null && threshold !== null && compareVersions(target, threshold) >= 0;
}

/** How bad a known name is for this entry; undefined when the entry does not apply (a backport behind its marker). */
function severityFor(
  known: KnownName,
  entry: DependencyEntry,
  context: RuleContext,
  requiresPython: readonly SpecifierClause[] | null,
): Severity | undefined {
  let severity = SEVERITY_BY_CATEGORY[known.category];
  if (known.category === 'FAILS' && known.oldReleasesInstall && isExactPin(entry.requirement?.clauses ?? []))
    severity = 'warning';
  if (known.category === 'BACKPORT' && known.stdlibSince) {
    const marker = entry.requirement?.marker ?? null;
    if (marker && evaluateMarker(marker, { python_version: context.options.python }) === false)
      return undefined;
    const projectReachesStdlib =
      requiresPython === null ||
      satisfiable([...requiresPython, { operator: '>=', version: known.stdlibSince }]).satisfiable;
    if (pythonAtLeast(context.options.python, known.stdlibSince) && projectReachesStdlib) severity = 'error';
  }
  if (known.lowConfidence && severity === 'error') severity = 'warning';
  return severity;
}

/**
 * `deprecated-name`: deprecated, placeholder, squatted, renamed, backport and artifact names, with their
 * replacement; and (as `conflict`) a squatter listed beside the real package.
 */
export function deprecatedNameFindings(
  set: InstallSet,
  context: RuleContext,
  requiresPython: readonly SpecifierClause[] | null,
): Finding[] {
  const findings: Finding[] = [];
  const entries = dependencyEntries(set);
  const listed = new Map<string, DependencyEntry>();
  for (const entry of entries) {
    const name = entry.requirement!.normalizedName;
    if (!listed.has(name)) listed.set(name, entry);
  }
  for (const entry of entries) {
    const name = entry.requirement!.normalizedName;
    const known = context.knownNames.get(name);
    if (!known) continue;
    const severity = severityFor(known, entry, context, requiresPython);
    if (!severity) continue;
    const replacement = known.replacement;
    const replacementEntry = replacement ? listed.get(normalizeName(replacement)) : undefined;
    const at = entry.spans.name ?? entry.position;
    let fix: string;
    let edit: TextEdit | undefined;
    if (replacement && !replacementEntry) {
      edit = renameEdit(entry, replacement);
      const dropped =
        (entry.requirement?.clauses.length ?? 0) > 0
          ? ' without its version constraint (it was for the old project)'
          : '';
      fix = `use ${replacement} instead: write \`${replacement}\`${dropped}`;
      if (!edit) fix += '; change it by hand';
    } else {
      edit = removeLinesEdit(entry, context.lines(entry.file));
      const why = replacementEntry
        ? `${replacement} is already listed (${where(replacementEntry)})`
        : known.category === 'BACKPORT'
          ? `Python ${known.stdlibSince}+ has it in the standard library (or add \`; python_version < "${known.stdlibSince}"\`)`
          : 'nothing replaces it';
      fix = `remove this line: ${why}`;
    }
    const replacementText = replacement ? `; use ${replacement}` : '';
    findings.push(
      entryFinding(
        entry,
        'deprecated-name',
        severity,
        `${quoted(entry)}: ${WHAT_HAPPENS[known.category]} (${known.category}): ${known.reason}${replacementText}`,
        fix,
        { at, ...(edit ? { edits: [edit] } : {}) },
      ),
    );
  }
  for (const [squatter, real] of CONFLICTING_PAIRS) {
    const squatterEntry = listed.get(squatter);
    const realEntry = listed.get(real);
    if (!squatterEntry || !realEntry) continue;
    findings.push(
      entryFinding(
        squatterEntry,
        'conflict',
        'error',
        `${squatter} and ${real} (${where(realEntry)}) are both listed: they install the same top-level module, so the install fails or one silently overwrites the other`,
        `keep only ${real}: remove this line`,
        { at: squatterEntry.spans.name ?? squatterEntry.position },
      ),
    );
  }
  return findings;
}
