/**
 * PEP 621 `[project]`: name, dependencies, optional-dependencies (extras, PEP 685-normalised), requires-python and
 * dynamic. https://packaging.python.org/en/latest/specifications/pyproject-toml/
 */
import type { DependencyEntry, EntrySource } from '../model';
import { parseSpecifierSet } from '../pep440';
import { isValidName, normalizeExtra, normalizeName } from '../pep508';
import { entryFromString, type ReadContext } from './context';
import { describeNode, isString, type TomlNode, type TomlTable } from './toml';
import type { RequiresPython } from './types';

export interface ProjectSection {
  readonly name: string | null;
  readonly entries: DependencyEntry[];
  readonly requiresPython: RequiresPython | null;
}

/** Reads `[project]` (node is whatever `project` holds; a non-table is a problem). */
export function readProject(context: ReadContext, node: TomlNode): ProjectSection {
  const entries: DependencyEntry[] = [];
  if (node.kind !== 'table') {
    context.wrongType(node, '`project`', 'a table', describeNode(node));
    return { name: null, entries, requiresPython: null };
  }
  const name = readName(context, node);
  const selfName = name === null ? null : normalizeName(name);
  const dynamic = readDynamic(context, node);

  const dependencies = node.members.get('dependencies');
  if (dependencies !== undefined) {
    if (dynamic.has('dependencies')) {
      context.problem(
        dependencies.key.range[0],
        '`dependencies` is listed in `[project].dynamic` and also given here; a build back-end rejects that',
      );
    }
    readRequirementArray(
      context,
      dependencies.node,
      '`project.dependencies`',
      { kind: 'project', section: 'dependencies' },
      null,
      entries,
    );
  }

  const optional = node.members.get('optional-dependencies');
  if (optional !== undefined) {
    if (dynamic.has('optional-dependencies')) {
      context.problem(
        optional.key.range[0],
        '`optional-dependencies` is listed in `[project].dynamic` and also given here; a build back-end rejects that',
      );
    }
    readOptional(context, optional.node, selfName, entries);
  }

  return { name, entries, requiresPython: readRequiresPython(context, node) };
}

function readName(context: ReadContext, project: TomlTable): string | null {
  const member = project.members.get('name');
  if (member === undefined) return null;
  if (!isString(member.node)) {
    context.wrongType(member.node, '`project.name`', 'a string', describeNode(member.node));
    return null;
  }
  return member.node.ast.value;
}

function readDynamic(context: ReadContext, project: TomlTable): Set<string> {
  const fields = new Set<string>();
  const member = project.members.get('dynamic');
  if (member === undefined) return fields;
  if (member.node.kind !== 'array') {
    context.wrongType(member.node, '`project.dynamic`', 'an array of field names', describeNode(member.node));
    return fields;
  }
  for (const element of member.node.elements) {
    if (isString(element)) fields.add(element.ast.value);
  }
  return fields;
}

/**
 * Reads an array of PEP 508 strings into entries. selfName, when given, marks entries naming the project itself.
 */
export function readRequirementArray(
  context: ReadContext,
  node: TomlNode,
  what: string,
  source: EntrySource,
  selfName: string | null,
  into: DependencyEntry[],
): void {
  if (node.kind !== 'array') {
    context.wrongType(node, what, 'an array of requirement strings', describeNode(node));
    return;
  }
  for (const element of node.elements) {
    if (!isString(element)) {
      context.wrongType(element, `Each entry of ${what}`, 'a requirement string', describeNode(element));
      continue;
    }
    const entry = entryFromString(context, element, source);
    into.push(markSelf(entry, selfName));
  }
}

/** Marks an entry that names the project itself (`myproject[test]`), which rules treat differently. */
export function markSelf(entry: DependencyEntry, selfName: string | null): DependencyEntry {
  if (selfName === null || entry.requirement === null || entry.requirement.normalizedName !== selfName)
    return entry;
  return { ...entry, selfReference: true };
}

function readOptional(
  context: ReadContext,
  node: TomlNode,
  selfName: string | null,
  into: DependencyEntry[],
): void {
  if (node.kind !== 'table') {
    context.wrongType(node, '`project.optional-dependencies`', 'a table of arrays', describeNode(node));
    return;
  }
  const seen = new Map<string, string>();
  for (const [extra, member] of node.members) {
    const group = normalizeExtra(extra);
    if (!isValidName(extra)) {
      context.problem(
        member.key.range[0],
        `"${extra}" is not a valid extra name (letters, digits, \`-\`, \`_\`, \`.\`)`,
      );
    }
    const earlier = seen.get(group);
    if (earlier !== undefined) {
      context.problem(
        member.key.range[0],
        `Extra "${extra}" is the same as "${earlier}" once normalised (PEP 685: "${group}")`,
      );
    } else {
      seen.set(group, extra);
    }
    readRequirementArray(
      context,
      member.node,
      `\`project.optional-dependencies.${extra}\``,
      { kind: 'project', section: 'optional-dependencies', group },
      selfName,
      into,
    );
  }
}

function readRequiresPython(context: ReadContext, project: TomlTable): RequiresPython | null {
  const member = project.members.get('requires-python');
  if (member === undefined) return null;
  if (!isString(member.node)) {
    context.wrongType(member.node, '`project.requires-python`', 'a string', describeNode(member.node));
    return null;
  }
  const map = context.stringMap(member.node);
  const parsed = parseSpecifierSet(map.value);
  if (!parsed.ok) {
    context.problem(
      map.start(Math.max(0, Math.min(parsed.offset, map.value.length))),
      `Invalid requires-python "${map.value}": ${parsed.message}`,
      parsed.hint,
    );
    return null;
  }
  return {
    clauses: parsed.clauses,
    text: map.value,
    position: context.position(map.start(0)),
    source: 'project',
  };
}
