import {
  type Answer,
  describeUnknown,
  type NpmFacts,
  type OsvAdvisory,
  type OsvHit,
  type PackageAdvisor,
  type PypiFacts,
  type UnknownReason,
} from '../../ports/package-advisor';
import { pythonReleaseClauses } from '../check/rules/python-version';
import type { Ecosystem, Finding, PackageRef, RuleId, Severity } from '../model';
import { parseSpecifierSet, satisfiable } from '../pep440';
import { isSerious, summarizeVulnerabilities, type VulnerabilitySummary } from './advisories';
import { compareEcosystemVersions } from './versions';

/** A source that could not answer for some packages: what they would have said is unknown, never clean. */
export interface OnlineUnknown {
  /** `PyPI`, `npm registry` or `OSV`. */
  readonly source: string;
  /** The first failure, in words ("timed out after 10 s"). */
  readonly reason: string;
  /** How many of the packages asked about got no answer from it. */
  readonly packages: number;
}

export interface OnlineResult {
  /** In the order of the packages given, each package's findings together; `online-unavailable` last. */
  readonly findings: Finding[];
  readonly unknown: OnlineUnknown[];
}

const SOURCES = { PyPI: 'PyPI', npm: 'npm registry', OSV: 'OSV' } as const;
type Source = (typeof SOURCES)[keyof typeof SOURCES];

/** The ways the check reaches each registry, by ecosystem. */
const REGISTRY: Record<Ecosystem, Source> = { PyPI: SOURCES.PyPI, npm: SOURCES.npm };

const key = (ecosystem: Ecosystem, name: string, version: string | null) =>
  `${ecosystem}\u0000${name}\u0000${version ?? ''}`;

/** The package as a user would type it: `requests==2.31.0`, `lodash@4.17.20`, or the bare name. */
function spelled(ref: PackageRef): string {
  if (ref.version === null) return ref.name;
  return ref.ecosystem === 'npm' ? `${ref.name}@${ref.version}` : `${ref.name}==${ref.version}`;
}

function finding(ref: PackageRef, ruleId: RuleId, severity: Severity, message: string, fix: string): Finding {
  return {
    ruleId,
    severity,
    file: ref.file,
    line: ref.position.line,
    column: ref.position.column,
    package: ref.name,
    message,
    fix,
  };
}

/** A port call that throws (a bug, not a network failure) still answers unknown, so nothing is called clean. */
async function settle<T>(call: () => Promise<Answer<T>>): Promise<Answer<T>> {
  try {
    return await call();
  } catch (error) {
    return {
      known: false,
      reason: { kind: 'unreachable', detail: (error as Error).message ?? String(error) },
    };
  }
}

/** Tallies, per source, the packages it could not answer for. */
class UnknownTally {
  private readonly bySource = new Map<Source, { reason: string; refs: Set<PackageRef> }>();

  add(source: Source, ref: PackageRef, reason: UnknownReason, context = '') {
    const entry = this.bySource.get(source) ?? { reason: context + describeUnknown(reason), refs: new Set() };
    entry.refs.add(ref);
    this.bySource.set(source, entry);
  }

  list(): (OnlineUnknown & { first: PackageRef })[] {
    return [...this.bySource].map(([source, { reason, refs }]) => ({
      source,
      reason,
      packages: refs.size,
      first: [...refs][0]!,
    }));
  }
}

/**
 * `deps check --online`: asks PyPI or the npm registry whether each package exists (and about its pinned release)
 * and OSV for known vulnerabilities of pinned versions. What a source could not answer is reported as unknown.
 */
export async function checkOnline(
  packages: readonly PackageRef[],
  advisor: PackageAdvisor,
  options: { python: string },
): Promise<OnlineResult> {
  const refs = uniqueRefs(packages);
  // Vulnerabilities are looked up only for pinned versions: without one, OSV would list every advisory ever.
  const pinned = refs.filter((ref) => ref.version !== null);
  const queries = [
    ...new Map(
      pinned.map((ref) => [
        key(ref.ecosystem, ref.name, ref.version),
        { ecosystem: ref.ecosystem, name: ref.name, version: ref.version! },
      ]),
    ).values(),
  ];
  const [registryAnswers, osvAnswers] = await Promise.all([
    Promise.all(
      refs.map(
        (ref): Promise<Answer<PypiFacts | NpmFacts>> =>
          ref.ecosystem === 'PyPI'
            ? settle(() => advisor.pypi(ref.name, ref.version))
            : settle(() => advisor.npm(ref.name, ref.version)),
      ),
    ),
    queryOsv(advisor, queries),
  ]);

  const hitsByQuery = new Map<string, Answer<readonly OsvHit[]>>();
  for (const [index, query] of queries.entries())
    hitsByQuery.set(key(query.ecosystem, query.name, query.version), osvAnswers[index]!);
  const details = await advisoryDetails(advisor, [...hitsByQuery.values()]);

  const tally = new UnknownTally();
  const findings: Finding[] = [];
  refs.forEach((ref, index) => {
    const registry = registryAnswers[index]!;
    let missing = false;
    if (!registry.known) tally.add(REGISTRY[ref.ecosystem], ref, registry.reason);
    else {
      const facts = registry.value;
      missing = !facts.exists || facts.release?.exists === false;
      findings.push(
        ...(ref.ecosystem === 'PyPI'
          ? pypiFindings(ref, facts as PypiFacts, options.python)
          : npmFindings(ref, facts as NpmFacts)),
      );
    }
    if (ref.version === null || missing) return;
    const hits = hitsByQuery.get(key(ref.ecosystem, ref.name, ref.version))!;
    if (!hits.known) {
      tally.add(SOURCES.OSV, ref, hits.reason);
      return;
    }
    if (hits.value.length === 0) return;
    const records = new Map<string, OsvAdvisory | null>();
    for (const hit of hits.value) {
      const answer = details.get(`${hit.id}\u0000${hit.modified}`)!;
      records.set(hit.id, answer.known ? answer.value : null);
      if (!answer.known) tally.add(SOURCES.OSV, ref, answer.reason, `the details of ${hit.id}: `);
    }
    const summaries = summarizeVulnerabilities(records, ref.ecosystem, ref.name, ref.version);
    if (summaries.length > 0) findings.push(vulnerabilityFinding(ref, summaries));
  });

  const unknown = tally.list();
  for (const source of unknown) findings.push(unavailableFinding(source, options.python));
  return {
    findings,
    unknown: unknown.map(({ source, reason, packages: count }) => ({ source, reason, packages: count })),
  };
}

/** Each (ecosystem, name, version) once, at its first mention. */
function uniqueRefs(packages: readonly PackageRef[]): PackageRef[] {
  const seen = new Set<string>();
  return packages.filter((ref) => {
    const k = key(ref.ecosystem, ref.name, ref.version);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

async function queryOsv(
  advisor: PackageAdvisor,
  queries: readonly { ecosystem: Ecosystem; name: string; version: string }[],
): Promise<Answer<readonly OsvHit[]>[]> {
  if (queries.length === 0) return [];
  try {
    const answers = await advisor.osvQuery(queries);
    // The port promises one answer per query; a short list leaves the rest unknown rather than clean.
    return queries.map(
      (_, index) =>
        answers[index] ?? {
          known: false,
          reason: { kind: 'malformed', detail: `no answer for query ${index + 1} of ${queries.length}` },
        },
    );
  } catch (error) {
    const reason: UnknownReason = { kind: 'unreachable', detail: (error as Error).message ?? String(error) };
    return queries.map(() => ({ known: false, reason }));
  }
}

/** Every listed advisory's record, each (id, modified) fetched once. */
async function advisoryDetails(
  advisor: PackageAdvisor,
  answers: readonly Answer<readonly OsvHit[]>[],
): Promise<Map<string, Answer<OsvAdvisory>>> {
  const wanted = new Map<string, OsvHit>();
  for (const answer of answers)
    if (answer.known) for (const hit of answer.value) wanted.set(`${hit.id}\u0000${hit.modified}`, hit);
  const entries = await Promise.all(
    [...wanted].map(
      async ([k, hit]) => [k, await settle(() => advisor.osvAdvisory(hit.id, hit.modified))] as const,
    ),
  );
  return new Map(entries);
}

function unknownPackageFinding(ref: PackageRef, registry: Source, tool: string): Finding {
  return finding(
    ref,
    'unknown-package',
    'error',
    `\`${ref.name}\` does not exist on ${registry === SOURCES.PyPI ? 'PyPI' : 'the npm registry'}: ${tool} install fails; check the name for a typo, and the deprecated-name table (data/deps/deprecated-names.md) for a project that was renamed or removed`,
    `correct the name; if it is a private package from your own index, accept it with ignore: [{ rule: unknown-package, package: ${ref.name}, reason: "…" }] (and make sure installs use that index, or anyone can register the name)`,
  );
}

function pypiFindings(ref: PackageRef, facts: PypiFacts, python: string): Finding[] {
  if (!facts.exists) return [unknownPackageFinding(ref, SOURCES.PyPI, 'pip')];
  const release = facts.release;
  if (release === null || ref.version === null) return [];
  if (!release.exists) {
    return [
      finding(
        ref,
        'unknown-package',
        'error',
        `PyPI has no release ${ref.version} of \`${ref.name}\`: pip fails with "No matching distribution found for ${spelled(ref)}"`,
        `pin a version of ${ref.name} that PyPI has (see its release history on PyPI)`,
      ),
    ];
  }
  const findings: Finding[] = [];
  if (release.yanked) {
    const reason = release.yankedReason?.trim()
      ? `the maintainers' reason: "${release.yankedReason.trim()}"`
      : 'the maintainers gave no reason';
    findings.push(
      finding(
        ref,
        'yanked',
        'error',
        `\`${spelled(ref)}\` was yanked from PyPI (${reason}); pip still installs an exact pin of a yanked release, with only a warning`,
        `pin a release of ${ref.name} that is not yanked`,
      ),
    );
  }
  const requires = release.requiresPython?.trim() ?? '';
  const parsed = requires === '' ? null : parseSpecifierSet(requires);
  // An unreadable Requires-Python is ignored, as pip ignores it.
  if (parsed?.ok && parsed.clauses.length > 0) {
    const target = pythonReleaseClauses(python);
    if (!satisfiable([...parsed.clauses, ...target]).satisfiable) {
      findings.push(
        finding(
          ref,
          'python-version',
          'error',
          `\`${spelled(ref)}\` requires Python "${requires}" (its Requires-Python on PyPI), which excludes Python ${python}, the target: pip finds no installable distribution`,
          `pin a release of ${ref.name} that supports Python ${python}, or check against another Python with --python X.Y`,
        ),
      );
    }
  }
  return findings;
}

function npmFindings(ref: PackageRef, facts: NpmFacts): Finding[] {
  if (!facts.exists) return [unknownPackageFinding(ref, SOURCES.npm, 'npm')];
  const release = facts.release;
  if (release === null || ref.version === null) return [];
  if (!release.exists) {
    return [
      finding(
        ref,
        'unknown-package',
        'error',
        `the npm registry has no version ${ref.version} of \`${ref.name}\` (never published, or unpublished): npm install fails with ETARGET`,
        `pin a version of ${ref.name} the registry has (npm view ${ref.name} versions), and regenerate the lock file`,
      ),
    ];
  }
  if (release.deprecated === null || release.deprecated.trim() === '') return [];
  return [npmDeprecatedFinding(ref, release.deprecated.trim())];
}

/**
 * The npm registry's deprecation, worded as the npm lock rule (shared/deps/npm/rules/deprecated.ts) words a
 * direct dependency's, so identical findings merge; `mergeOnlineFindings` drops the rest of the overlap.
 */
export function npmDeprecatedFinding(ref: PackageRef, message: string): Finding {
  return finding(
    ref,
    'deprecated-name',
    'warning',
    `npm marks ${spelled(ref)} deprecated: "${message}"`,
    `move ${ref.name} to a version that is not deprecated, or to the replacement the message names, then run \`npm install\``,
  );
}

/**
 * The online findings to add to a static check's: a `deprecated-name` the static rules already reported at the
 * same place, for the same package, is left out (the lock's wording, with "pulled in by …", is the better one).
 */
export function mergeOnlineFindings(
  staticFindings: readonly Finding[],
  online: readonly Finding[],
): Finding[] {
  const at = (f: Finding) => [f.ruleId, f.file, f.line, f.column, f.package ?? ''].join('\u0000');
  const known = new Set(staticFindings.filter((f) => f.ruleId === 'deprecated-name').map(at));
  return online.filter((f) => f.ruleId !== 'deprecated-name' || !known.has(at(f)));
}

function describeVulnerability(summary: VulnerabilitySummary): string {
  const [first, ...aliases] = summary.ids;
  const severity = summary.detailsUnknown
    ? 'severity unknown: its details could not be fetched'
    : (summary.severity ?? 'severity not stated');
  const fixed = summary.fixed === null ? 'no fixed version' : `fixed in ${summary.fixed}`;
  return `${first}${aliases.length > 0 ? ` (also ${aliases.join(', ')})` : ''} [${severity}, ${fixed}]`;
}

function vulnerabilityFinding(ref: PackageRef, summaries: readonly VulnerabilitySummary[]): Finding {
  const count = summaries.length;
  const fixes = summaries.map((summary) => summary.fixed);
  const unfixed = summaries.filter((summary) => summary.fixed === null).map((summary) => summary.ids[0]);
  const highest = fixes
    .filter((fix): fix is string => fix !== null)
    .reduce<string | null>(
      (best, fix) => (best === null || compareFix(ref, fix, best) > 0 ? fix : best),
      null,
    );
  let fix: string;
  if (highest === null)
    fix = `no fixed version is known: replace ${ref.name}, or accept the risk with an ignore rule`;
  else if (unfixed.length === 0) fix = `upgrade ${ref.name} to ${highest} or later (fixes all of them)`;
  else
    fix = `upgrade ${ref.name} to ${highest} or later; ${unfixed.join(', ')} ${unfixed.length === 1 ? 'has' : 'have'} no fixed version yet`;
  return finding(
    ref,
    'vulnerability',
    summaries.some(isSerious) ? 'error' : 'warning',
    `\`${spelled(ref)}\` has ${count} known ${count === 1 ? 'vulnerability' : 'vulnerabilities'} (OSV): ${summaries.map(describeVulnerability).join('; ')}`,
    fix,
  );
}

const compareFix = (ref: PackageRef, a: string, b: string) =>
  compareEcosystemVersions(ref.ecosystem, a, b) ?? 0;

function unavailableFinding(unknown: OnlineUnknown & { first: PackageRef }, python: string): Finding {
  const { source, reason, packages: count, first } = unknown;
  const what =
    source === SOURCES.OSV
      ? 'their known vulnerabilities were not checked'
      : source === SOURCES.PyPI
        ? `whether they exist, were yanked or support Python ${python} was not checked`
        : 'whether they exist or are deprecated was not checked';
  return {
    ruleId: 'online-unavailable',
    severity: 'info',
    file: first.file,
    line: first.position.line,
    column: first.position.column,
    package: null,
    message: `${source} could not be asked (${reason}): ${count} ${count === 1 ? 'package is' : 'packages are'} unknown, not clean — ${what}`,
    fix: `check the connection to ${source} and run again; answers already received are cached, so only the unknown ones are asked again`,
  };
}
