import { basename, dirname, join, normalize } from 'node:path';
import type { ManifestReader } from '../../ports/manifest-reader';
import { KNOWN_NAMES, type KnownName } from '../deprecated-names';
import { isNodeManifestName } from '../manifest-names';
import type { DependencyEntry, Finding, PackageRef, ParseProblem } from '../model';
import { checkNodeProject } from '../npm';
import { normalizeName } from '../pep508';
import { type PyprojectFile, parsePyproject } from '../pyproject';
import { loadRequirementsGraph } from '../requirements';
import { chooseRoots, type InstallSet, pyprojectInstallSet, requirementsInstallSets } from './install-set';
import type { CheckOptions } from './options';
import { conflictFindings } from './rules/conflict';
import type { RuleContext } from './rules/context';
import { deprecatedNameFindings } from './rules/deprecated-name';
import { hashModeFindings } from './rules/hash-mode';
import { type LockPair, lockSyncFindings } from './rules/lock-sync';
import { includeErrorFinding, parseErrorFinding } from './rules/parse-error';
import { exactPin } from './rules/pins';
import { pythonVersionFindings } from './rules/python-version';
import { unpinnedFindings } from './rules/unpinned';
import { sortFindings } from './sort-findings';

/** What a check found, over which files. */
export interface CheckResult {
  /** Every manifest read, the included ones too, in the order read. */
  readonly files: readonly string[];
  /** Sorted by file, line, column and rule; the ignored ones left out. */
  readonly findings: readonly Finding[];
  /** How many findings the configuration's ignore rules left out. */
  readonly ignored: number;
  /** Every named package, with its exact version where pinned: what the online checks ask about. */
  readonly packages: readonly PackageRef[];
}

/** pyproject.toml by name; every other manifest is read as a requirements file. */
export const isPyproject = (path: string) => basename(path) === 'pyproject.toml';

/** A reader that keeps what it read, so rules can see a file's lines without reading it twice. */
function cachingReader(reader: ManifestReader) {
  const texts = new Map<string, string | undefined>();
  return {
    texts,
    async read(path: string) {
      if (!texts.has(path)) texts.set(path, await reader.read(path));
      return texts.get(path);
    },
  };
}

/**
 * Checks manifests (requirements files and pyproject.toml) without installing or running anything: parses each
 * file and what it includes, runs every rule, and applies the configuration's ignores.
 */
export async function checkManifests(
  paths: readonly string[],
  reader: ManifestReader,
  options: CheckOptions,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<CheckResult> {
  const source = cachingReader(reader);
  const normalized = [...new Set(paths.map((path) => normalize(path)))];
  const pyprojectPaths = normalized.filter(isPyproject);
  // A lockfile is checked with the package.json beside it, each project once.
  const nodeProjects = [
    ...new Set(normalized.filter(isNodeManifestName).map((path) => join(dirname(path), 'package.json'))),
  ];
  const requirementRoots = normalized.filter((path) => !isPyproject(path) && !isNodeManifestName(path));
  // A pip-compile input is judged with its compiled file: requirements.in → requirements.txt beside it.
  const lockPairs: [input: string, compiled: string][] = [];
  for (const root of requirementRoots) {
    if (!root.endsWith('.in')) continue;
    const compiled = join(dirname(root), `${basename(root, '.in')}.txt`);
    if ((await source.read(compiled)) !== undefined) lockPairs.push([root, compiled]);
  }
  const roots = [...new Set([...requirementRoots, ...lockPairs.map(([, compiled]) => compiled)])];
  const graph = await loadRequirementsGraph(roots, source, env);
  const pyprojects: PyprojectFile[] = [];
  for (const path of pyprojectPaths) {
    const text = await source.read(path);
    if (text !== undefined) pyprojects.push(parsePyproject(text, path));
  }

  const knownNames = new Map<string, KnownName>(KNOWN_NAMES.map((known) => [known.name, known]));
  for (const own of options.deprecated)
    knownNames.set(normalizeName(own.name), { ...own, name: normalizeName(own.name) });
  const lineCache = new Map<string, string[]>();
  const context: RuleContext = {
    options,
    knownNames,
    lines: (file) => {
      const text = source.texts.get(file);
      if (text === undefined) return undefined;
      if (!lineCache.has(file)) lineCache.set(file, text.split(/\r?\n/));
      return lineCache.get(file);
    },
  };

  const findings: Finding[] = [];
  const nodeFiles: string[] = [];
  const nodePackages: PackageRef[] = [];
  for (const project of nodeProjects) {
    const node = await checkNodeProject(project, source);
    findings.push(...node.findings);
    nodeFiles.push(...node.files);
    nodePackages.push(...node.packages);
  }
  for (const [file, parsed] of graph.files)
    findings.push(...problemFindings(file, parsed.problems, parsed.entries));
  findings.push(...graph.problems.map(includeErrorFinding));
  for (const pyproject of pyprojects)
    findings.push(...problemFindings(pyproject.file, pyproject.problems, pyproject.entries));

  const sets: { set: InstallSet; pyproject: PyprojectFile | null }[] = [
    ...requirementsInstallSets(graph, chooseRoots(graph, roots)).map((set) => ({ set, pyproject: null })),
    ...pyprojects.map((pyproject) => ({ set: pyprojectInstallSet(pyproject, normalizeName), pyproject })),
  ];
  for (const { set, pyproject } of sets) {
    const requiresPython = pyproject?.requiresPython ?? null;
    findings.push(
      ...deprecatedNameFindings(set, context, requiresPython?.clauses ?? null),
      ...conflictFindings(set, context),
      ...hashModeFindings(set),
      ...unpinnedFindings(set, context),
      ...pythonVersionFindings(set, requiresPython, context),
    );
  }
  for (const [input, compiled] of lockPairs) {
    const inputSet = requirementsInstallSets(graph, [input])[0];
    const compiledFile = graph.files.get(compiled);
    if (!inputSet || !compiledFile) continue;
    const pair: LockPair = { input: inputSet, compiled: compiledFile.entries, compiledFile: compiled };
    findings.push(...lockSyncFindings(pair, context));
  }

  const unique = dedupe(findings);
  const kept = unique.filter((finding) => !isIgnored(finding, options));
  const files = [...graph.files.keys(), ...pyprojects.map((pyproject) => pyproject.file), ...nodeFiles];
  const entries = [
    ...[...graph.files.values()].flatMap((file) => file.entries),
    ...pyprojects.flatMap((p) => p.entries),
  ];
  return {
    files,
    findings: sortFindings(kept),
    ignored: unique.length - kept.length,
    packages: [...pythonPackages(entries), ...nodePackages],
  };
}

/** The PyPI packages the entries name, each name and version once, pointing at its first mention. */
function pythonPackages(entries: readonly DependencyEntry[]): PackageRef[] {
  const seen = new Set<string>();
  const packages: PackageRef[] = [];
  for (const entry of entries) {
    const requirement = entry.requirement;
    if (!requirement || requirement.url !== null || entry.selfReference) continue;
    const pin = exactPin(requirement.clauses);
    const version = pin && pin.operator === '==' ? pin.version : null;
    const key = `${requirement.normalizedName}@${version ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    packages.push({
      ecosystem: 'PyPI',
      name: requirement.normalizedName,
      version,
      file: entry.file,
      position: entry.spans.name ?? entry.position,
    });
  }
  return packages;
}

/** parse-error findings for a file's problems, each once (an entry's problem is often also in the file's list). */
function problemFindings(
  file: string,
  problems: readonly ParseProblem[],
  entries: readonly { problem?: ParseProblem }[],
): Finding[] {
  const all = new Set<ParseProblem>(problems);
  for (const entry of entries) if (entry.problem) all.add(entry.problem);
  return [...all].map((problem) => parseErrorFinding(file, problem));
}

/** The same finding reached through two install sets (a file both include) is reported once. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = [finding.ruleId, finding.file, finding.line, finding.column, finding.message].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether the configuration's ignore rules accept this finding. */
export function isIgnored(finding: Finding, options: Pick<CheckOptions, 'ignore'>): boolean {
  return options.ignore.some(
    (rule) =>
      rule.rule === finding.ruleId && (rule.package === undefined || rule.package === finding.package),
  );
}
