/**
 * The include graph of requirements files: the roots and every file they reach through `-r` and `-c`, each read
 * (through the ManifestReader port) and parsed once, with missing files and include cycles reported where the
 * include is written.
 */
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { ManifestReader } from '../../ports/manifest-reader';
import type { ParseProblem, Position } from '../model';
import type { RequirementsEntry } from './entry';
import { parseRequirementsFile, type RequirementsFile } from './file';
import type { Env } from './lines';

export interface RequirementsEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'requirement' | 'constraint';
  /** Where the include is written in `from`. */
  readonly position: Position;
}

export interface GraphProblem {
  /** The file the problem is in: the including file (or the root itself when a root is missing). */
  readonly file: string;
  readonly problem: ParseProblem;
  readonly kind: 'missing' | 'cycle';
}

export interface RequirementsGraph {
  /** Every file read, by its path (roots normalised, includes resolved against the including file's folder). */
  readonly files: Map<string, RequirementsFile>;
  readonly edges: RequirementsEdge[];
  readonly problems: GraphProblem[];
}

/** pip fetches these includes over the network rather than from disk; the graph notes them and goes no further. */
const REMOTE = /^(?:https?|file):/i;

/** Where an include points: relative to the including file's folder, as pip's os.path.join does. */
export function resolveInclude(from: string, target: string): string {
  if (REMOTE.test(target)) return target;
  return isAbsolute(target) ? normalize(target) : join(dirname(from), target);
}

/**
 * Reads the roots and, breadth first, every file they include. Each file is parsed once. A missing include
 * target (or one the reader fails on, such as a folder) is a problem at its include; so is the include that closes a cycle (found by an iterative depth-first
 * walk in pip's order). Entries of files that only `-c` reaches get the role 'constraint' (pip reads a `-r`
 * inside a constraints file as requirements, and so does this).
 */
export async function loadRequirementsGraph(
  roots: readonly string[],
  reader: ManifestReader,
  env: Env = {},
): Promise<RequirementsGraph> {
  const parsed = new Map<string, RequirementsFile>();
  /** Files that could not be read: null when absent, else why reading failed. */
  const missing = new Map<string, string | null>();
  const edges: RequirementsEdge[] = [];
  const problems: GraphProblem[] = [];
  const queued = new Set<string>();
  const rootPaths: string[] = [];
  for (const root of roots) {
    const path = normalize(root);
    if (queued.has(path)) continue;
    queued.add(path);
    rootPaths.push(path);
  }

  let frontier = rootPaths;
  while (frontier.length > 0) {
    const texts = await Promise.all(frontier.map((path) => readOrError(reader, path)));
    const next: string[] = [];
    frontier.forEach((path, index) => {
      const text = texts[index];
      if (typeof text !== 'string') {
        missing.set(path, text?.error ?? null);
        return;
      }
      const file = parseRequirementsFile(text, path, env);
      parsed.set(path, file);
      for (const include of file.includes) {
        const to = resolveInclude(path, include.target);
        edges.push({ from: path, to, kind: include.kind, position: include.position });
        if (REMOTE.test(to) || queued.has(to)) continue;
        queued.add(to);
        next.push(to);
      }
    });
    frontier = next;
  }

  for (const root of rootPaths) {
    if (!missing.has(root)) continue;
    const error = missing.get(root) ?? null;
    const message = error === null ? `requirements file ${root} not found` : `cannot read ${root}: ${error}`;
    problems.push({ file: root, problem: { message, position: { line: 1, column: 1 } }, kind: 'missing' });
  }
  for (const edge of edges) {
    if (!missing.has(edge.to)) continue;
    const error = missing.get(edge.to) ?? null;
    const option = edge.kind === 'requirement' ? '-r' : '-c';
    const message =
      error === null
        ? `${option} includes ${edge.to}, which does not exist`
        : `${option} includes ${edge.to}, which cannot be read: ${error}`;
    problems.push({
      file: edge.from,
      problem: {
        message,
        hint: `fix the path: it is resolved relative to the folder of ${edge.from}`,
        position: edge.position,
      },
      kind: 'missing',
    });
  }
  problems.push(...findCycles(rootPaths, edges, parsed));

  return { files: withRoles(parsed, rootPaths, edges), edges, problems };
}

/** Reads a file; a read that fails (a folder, no permission) comes back as its error message, not a throw. */
async function readOrError(
  reader: ManifestReader,
  path: string,
): Promise<string | undefined | { error: string }> {
  try {
    return await reader.read(path);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The includes that close a cycle: back edges of a depth-first walk from the roots, in file order. */
function findCycles(
  roots: readonly string[],
  edges: readonly RequirementsEdge[],
  files: ReadonlyMap<string, RequirementsFile>,
): GraphProblem[] {
  const outgoing = new Map<string, RequirementsEdge[]>();
  for (const edge of edges) {
    const list = outgoing.get(edge.from);
    if (list === undefined) outgoing.set(edge.from, [edge]);
    else list.push(edge);
  }
  const problems: GraphProblem[] = [];
  const state = new Map<string, 'open' | 'done'>();
  for (const root of roots) {
    if (state.has(root) || !files.has(root)) continue;
    const stack: { path: string; next: number }[] = [{ path: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const out = outgoing.get(frame.path) ?? [];
      if (frame.next >= out.length) {
        state.set(frame.path, 'done');
        stack.pop();
        continue;
      }
      const edge = out[frame.next]!;
      frame.next++;
      const seen = state.get(edge.to);
      if (seen === 'open') {
        const from = stack.findIndex((entry) => entry.path === edge.to);
        const chain = [...stack.slice(from).map((entry) => entry.path), edge.to].join(' → ');
        const option = edge.kind === 'requirement' ? '-r' : '-c';
        problems.push({
          file: edge.from,
          problem: {
            message: `${option} ${edge.to} closes an include cycle: ${chain}`,
            hint: 'remove this include: the file is already part of the chain that includes this one',
            position: edge.position,
          },
          kind: 'cycle',
        });
      } else if (seen === undefined && files.has(edge.to)) {
        state.set(edge.to, 'open');
        stack.push({ path: edge.to, next: 0 });
      }
    }
  }
  return problems;
}

/** Files that no root and no `-r` reaches are constraints files: their entries get the role 'constraint'. */
function withRoles(
  files: Map<string, RequirementsFile>,
  roots: readonly string[],
  edges: readonly RequirementsEdge[],
): Map<string, RequirementsFile> {
  const required = new Set<string>(roots);
  for (const edge of edges) if (edge.kind === 'requirement' && files.has(edge.from)) required.add(edge.to);
  const result = new Map<string, RequirementsFile>();
  for (const [path, file] of files) {
    if (required.has(path)) {
      result.set(path, file);
      continue;
    }
    const entries: RequirementsEntry[] = file.entries.map((entry) => ({
      ...entry,
      source: { kind: 'requirements', role: 'constraint' },
    }));
    result.set(path, { ...file, entries });
  }
  return result;
}
