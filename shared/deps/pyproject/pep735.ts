/**
 * PEP 735 `[dependency-groups]`: groups of PEP 508 strings and `{ include-group = "name" }` tables.
 * https://packaging.python.org/en/latest/specifications/dependency-groups/
 * An include does not copy entries: each entry stays in the group that declares it; includes are checked for
 * undefined targets and cycles.
 */
import type { DependencyEntry } from '../model';
import { isValidName, normalizeExtra } from '../pep508';
import { entryFromString, type ReadContext } from './context';
import { markSelf } from './pep621';
import { describeNode, isString, type TomlNode } from './toml';

interface Include {
  readonly from: string;
  readonly to: string;
  readonly written: string;
  /** Source offset of the include table. */
  readonly offset: number;
}

/** Reads `[dependency-groups]` (node is whatever `dependency-groups` holds) into entries. */
export function readDependencyGroups(
  context: ReadContext,
  node: TomlNode,
  selfName: string | null,
  into: DependencyEntry[],
): void {
  if (node.kind !== 'table') {
    context.wrongType(node, '`dependency-groups`', 'a table of arrays', describeNode(node));
    return;
  }
  const defined = new Map<string, string>();
  const includes: Include[] = [];
  for (const [name, member] of node.members) {
    const group = normalizeExtra(name);
    if (!isValidName(name)) {
      context.problem(
        member.key.range[0],
        `"${name}" is not a valid dependency group name (letters, digits, \`-\`, \`_\`, \`.\`)`,
      );
    }
    const earlier = defined.get(group);
    if (earlier !== undefined) {
      context.problem(
        member.key.range[0],
        `Dependency group "${name}" is the same as "${earlier}" once normalised ("${group}")`,
      );
    } else {
      defined.set(group, name);
    }
    if (member.node.kind !== 'array') {
      context.wrongType(
        member.node,
        `Dependency group "${name}"`,
        'an array of requirement strings and include-group tables',
        describeNode(member.node),
      );
      continue;
    }
    for (const element of member.node.elements) {
      if (isString(element)) {
        into.push(markSelf(entryFromString(context, element, { kind: 'dependency-group', group }), selfName));
        continue;
      }
      const include = readInclude(context, element, name);
      if (include !== null) includes.push({ ...include, from: group });
    }
  }
  for (const include of includes) {
    if (!defined.has(include.to)) {
      context.problem(
        include.offset,
        `include-group "${include.written}" names a dependency group that does not exist`,
      );
    }
  }
  reportCycles(context, includes);
}

function readInclude(context: ReadContext, element: TomlNode, group: string): Omit<Include, 'from'> | null {
  const what = `Each entry of dependency group "${group}"`;
  if (element.kind !== 'table') {
    context.wrongType(element, what, 'a requirement string or an include-group table', describeNode(element));
    return null;
  }
  const target = element.members.get('include-group');
  const others = [...element.members.keys()].filter((key) => key !== 'include-group');
  if (target === undefined || others.length > 0) {
    context.problem(
      element.start,
      `${what} must be a requirement string or { include-group = "…" }` +
        (others.length > 0 ? `; unknown key ${others.map((key) => `"${key}"`).join(', ')}` : ''),
    );
    return null;
  }
  if (!isString(target.node)) {
    context.wrongType(target.node, '`include-group`', 'a group name string', describeNode(target.node));
    return null;
  }
  const written = target.node.ast.value;
  return { to: normalizeExtra(written), written, offset: element.start };
}

/** Reports every include that closes a cycle, at that include (depth-first, in file order). */
function reportCycles(context: ReadContext, includes: readonly Include[]): void {
  const out = new Map<string, Include[]>();
  for (const include of includes) {
    const list = out.get(include.from) ?? [];
    list.push(include);
    out.set(include.from, list);
  }
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (group: string): void => {
    state.set(group, 'active');
    stack.push(group);
    for (const include of out.get(group) ?? []) {
      const seen = state.get(include.to);
      if (seen === 'active') {
        const cycle = [...stack.slice(stack.indexOf(include.to)), include.to];
        context.problem(include.offset, `include-group makes a cycle: ${cycle.join(' → ')}`);
      } else if (seen === undefined && out.has(include.to)) {
        visit(include.to);
      }
    }
    stack.pop();
    state.set(group, 'done');
  };
  for (const group of out.keys()) {
    if (!state.has(group)) visit(group);
  }
}
