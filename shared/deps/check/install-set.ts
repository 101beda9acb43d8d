import type { DependencyEntry } from '../model';
import type { PyprojectFile } from '../pyproject';
import type { RequirementsGraph } from '../requirements';

/**
 * What one install sees together: a requirements file with everything it includes (`-r`) and every constraint
 * it reads (`-c`), or one pyproject.toml with all its groups. Conflicts, duplicates and hash mode are judged
 * within a set, because that is what pip, uv or Poetry resolves at once.
 */
export interface InstallSet {
  /** The root manifest. */
  readonly root: string;
  readonly kind: 'requirements' | 'pyproject';
  /** In graph order (root first, then includes breadth-first), each file's entries in file order. */
  readonly entries: readonly DependencyEntry[];
  /** pip's hash-checking mode: some requirement carries `--hash`, or a file says `--require-hashes`. */
  readonly hashMode: boolean;
  /** The normalised project name of a pyproject (its self-references are not dependencies). */
  readonly projectName: string | null;
}

/**
 * The files an install starts from: each given file that no other given file includes (an included file is
 * checked within its includer's install, with the role the include gives it), plus any given file left over
 * (files that include each other in a cycle).
 */
export function chooseRoots(graph: RequirementsGraph, given: readonly string[]): string[] {
  const included = new Set(graph.edges.filter((edge) => edge.from !== edge.to).map((edge) => edge.to));
  const roots = given.filter((path) => !included.has(path));
  const covered = new Set<string>();
  for (const set of requirementsInstallSets(graph, roots)) for (const file of set.files) covered.add(file);
  for (const path of given) {
    if (covered.has(path) || !graph.files.has(path)) continue;
    roots.push(path);
    for (const file of requirementsInstallSets(graph, [path])[0]?.files ?? []) covered.add(file);
  }
  return roots;
}

/**
 * The install sets of requirements roots: each root's include closure, breadth-first. A file's role is pip's:
 * what `-c` reaches is a constraint, what `-r` reaches is whatever its includer is, except that pip reads a `-r`
 * inside a constraints file as requirements; a file reached both ways is installed, so a requirement.
 */
export function requirementsInstallSets(
  graph: RequirementsGraph,
  roots: readonly string[],
): (InstallSet & { files: readonly string[] })[] {
  const outgoing = new Map<string, RequirementsGraph['edges']>();
  for (const edge of graph.edges) outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
  return roots
    .filter((root) => graph.files.has(root))
    .map((root) => {
      const order: string[] = [root];
      const roles = new Map<string, 'requirement' | 'constraint'>([[root, 'requirement']]);
      for (let i = 0; i < order.length; i++) {
        for (const edge of outgoing.get(order[i]!) ?? []) {
          if (!graph.files.has(edge.to)) continue;
          const role = edge.kind === 'constraint' ? 'constraint' : 'requirement';
          const known = roles.get(edge.to);
          if (known === undefined) order.push(edge.to);
          if (known !== 'requirement') roles.set(edge.to, role);
        }
      }
      const files = order.map((path) => graph.files.get(path)!);
      const entries = files.flatMap((file) =>
        file.entries.map((entry) => {
          const role = roles.get(file.file) ?? 'requirement';
          return entry.source.kind === 'requirements' && entry.source.role !== role
            ? { ...entry, source: { kind: 'requirements' as const, role } }
            : entry;
        }),
      );
      const hashMode =
        entries.some((entry) => entry.hashes.length > 0) ||
        files.some((file) => file.options.some((option) => option.name === '--require-hashes'));
      return { root, kind: 'requirements' as const, entries, hashMode, projectName: null, files: order };
    });
}

/** A pyproject's install set: every group together (uv and Poetry resolve them as one). */
export function pyprojectInstallSet(
  pyproject: PyprojectFile,
  normalize: (name: string) => string,
): InstallSet {
  return {
    root: pyproject.file,
    kind: 'pyproject',
    entries: pyproject.entries,
    hashMode: false,
    projectName: pyproject.projectName === null ? null : normalize(pyproject.projectName),
  };
}

/** The entries that name a package of their own (not a self-reference, not a nameless URL, not invalid). */
export function dependencyEntries(set: InstallSet): DependencyEntry[] {
  return set.entries.filter(
    (entry) =>
      entry.requirement !== null &&
      !entry.selfReference &&
      !(set.projectName !== null && entry.requirement.normalizedName === set.projectName),
  );
}
