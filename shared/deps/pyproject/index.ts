/**
 * pyproject.toml, read for the dependency guard: PEP 621 `[project]`, PEP 735 `[dependency-groups]`, Poetry's
 * `[tool.poetry]` dependencies (translated to PEP 508) and `[tool.flywheel]`. Pure and synchronous; never throws.
 * `[build-system].requires` is not read.
 */
import type { DependencyEntry, ParseProblem } from '../model';
import { normalizeName } from '../pep508';
import { ReadContext } from './context';
import { readProject } from './pep621';
import { readDependencyGroups } from './pep735';
import { readPoetry } from './poetry';
import { parseTomlDocument, staticValue, type TomlTable } from './toml';
import type { PyprojectFile, RequiresPython } from './types';

export { pythonMarker } from './poetry';
export type { PyprojectFile, RequiresPython } from './types';

/** Reads a pyproject.toml's text; file names it in entries and edits. */
export function parsePyproject(text: string, file: string): PyprojectFile {
  const context = new ReadContext(text, file);
  const parsed = parseTomlDocument(text);
  if (!parsed.ok) {
    context.problem(parsed.offset, parsed.message);
    return empty(file, context.problems);
  }
  try {
    return read(context, parsed.root, () => staticValue(parsed.program));
  } catch (error) {
    // A bug, not the user's: say so at the top of the file rather than throw at the caller.
    const message = error instanceof Error ? error.message : String(error);
    return empty(file, [{ message: `Could not read ${file}: ${message}`, position: { line: 1, column: 1 } }]);
  }
}

function empty(file: string, problems: ParseProblem[]): PyprojectFile {
  return { file, projectName: null, entries: [], requiresPython: null, problems, toolFlywheel: null };
}

function read(context: ReadContext, root: TomlTable, plain: () => Record<string, unknown>): PyprojectFile {
  const entries: DependencyEntry[] = [];
  let projectName: string | null = null;
  let requiresPython: RequiresPython | null = null;

  const project = root.members.get('project');
  if (project !== undefined) {
    const section = readProject(context, project.node);
    projectName = section.name;
    requiresPython = section.requiresPython;
    entries.push(...section.entries);
  }

  const tool = root.members.get('tool');
  const toolTable = tool !== undefined && tool.node.kind === 'table' ? tool.node : null;
  const poetry = toolTable?.members.get('poetry');
  const poetrySection = poetry === undefined ? null : readPoetry(context, poetry.node);
  if (projectName === null && poetrySection !== null) projectName = poetrySection.name;

  const groups = root.members.get('dependency-groups');
  if (groups !== undefined) {
    readDependencyGroups(
      context,
      groups.node,
      projectName === null ? null : normalizeName(projectName),
      entries,
    );
  }
  if (poetrySection !== null) {
    entries.push(...poetrySection.entries);
    requiresPython ??= poetrySection.requiresPython;
  }

  let toolFlywheel: unknown | null = null;
  if (toolTable?.members.has('flywheel') === true) {
    const tools = plain().tool;
    if (typeof tools === 'object' && tools !== null)
      toolFlywheel = (tools as Record<string, unknown>).flywheel ?? null;
  }

  const problems = [...context.problems].sort(
    (a, b) => a.position.line - b.position.line || a.position.column - b.position.column,
  );
  return { file: context.file, projectName, entries, requiresPython, problems, toolFlywheel };
}
