/**
 * Poetry's `[tool.poetry]` dependencies, translated to PEP 508: `dependencies` (group `main`; its `python` key is
 * the project's Python constraint), `dev-dependencies` (group `dev`) and `group.<name>.dependencies`.
 * https://python-poetry.org/docs/dependency-specification/
 */
import type { DependencyEntry, ParseProblem, Position, SpecifierClause } from '../model';
import { formatSpecifier, poetryConstraint } from '../pep440';
import { normalizeExtra, parseRequirement } from '../pep508';
import type { ReadContext } from './context';
import { describeNode, isString, StringMap, type TomlMember, type TomlNode } from './toml';
import type { RequiresPython } from './types';

export interface PoetrySection {
  readonly name: string | null;
  readonly entries: DependencyEntry[];
  readonly requiresPython: RequiresPython | null;
}

/** Reads `[tool.poetry]` (node is whatever `tool.poetry` holds). */
export function readPoetry(context: ReadContext, node: TomlNode): PoetrySection {
  const entries: DependencyEntry[] = [];
  if (node.kind !== 'table') {
    context.wrongType(node, '`tool.poetry`', 'a table', describeNode(node));
    return { name: null, entries, requiresPython: null };
  }
  let name: string | null = null;
  const nameMember = node.members.get('name');
  if (nameMember !== undefined && isString(nameMember.node)) name = nameMember.node.ast.value;

  let requiresPython: RequiresPython | null = null;
  const main = node.members.get('dependencies');
  if (main !== undefined) {
    readDependencyTable(context, main.node, '`tool.poetry.dependencies`', 'main', entries, (python) => {
      requiresPython = readPython(context, python);
    });
  }
  const dev = node.members.get('dev-dependencies');
  if (dev !== undefined) {
    readDependencyTable(context, dev.node, '`tool.poetry.dev-dependencies`', 'dev', entries);
  }
  const groups = node.members.get('group');
  if (groups !== undefined) {
    if (groups.node.kind !== 'table') {
      context.wrongType(groups.node, '`tool.poetry.group`', 'a table of groups', describeNode(groups.node));
    } else {
      for (const [group, member] of groups.node.members) {
        if (member.node.kind !== 'table') {
          context.wrongType(
            member.node,
            `\`tool.poetry.group.${group}\``,
            'a table',
            describeNode(member.node),
          );
          continue;
        }
        const dependencies = member.node.members.get('dependencies');
        if (dependencies === undefined) continue;
        readDependencyTable(
          context,
          dependencies.node,
          `\`tool.poetry.group.${group}.dependencies\``,
          normalizeExtra(group),
          entries,
        );
      }
    }
  }
  return { name, entries, requiresPython };
}

function readDependencyTable(
  context: ReadContext,
  node: TomlNode,
  what: string,
  group: string,
  into: DependencyEntry[],
  onPython?: (member: TomlMember) => void,
): void {
  if (node.kind !== 'table') {
    context.wrongType(node, what, 'a table of dependencies', describeNode(node));
    return;
  }
  for (const [name, member] of node.members) {
    if (onPython !== undefined && name === 'python') {
      onPython(member);
      continue;
    }
    readDependency(context, name, member, group, into);
  }
}

/** The `python` key of the main dependencies: the project's Python constraint. */
function readPython(context: ReadContext, member: TomlMember): RequiresPython | null {
  if (!isString(member.node)) {
    context.wrongType(
      member.node,
      "Poetry's `python` dependency",
      'a constraint string',
      describeNode(member.node),
    );
    return null;
  }
  const map = context.stringMap(member.node);
  const translated = poetryConstraint(map.value.trim());
  if (!translated.ok) {
    context.problem(
      map.start(0),
      constraintMessage(`Poetry's python constraint "${map.value}"`, map.value, translated.message),
    );
    return null;
  }
  return {
    clauses: translated.clauses,
    text: map.value,
    position: context.position(map.start(0)),
    source: 'poetry',
  };
}

/** A message for a constraint poetryConstraint rejected (`what` ends the sentence's subject); `||` gets its own. */
function constraintMessage(what: string, text: string, message: string): string {
  if (text.includes('||')) {
    return `${what} uses \`||\` (either-or), which one PEP 440 specifier set cannot express, so it cannot be translated`;
  }
  return `${what} is not a valid Poetry constraint: ${message}`;
}

/** A string value with its map, or a wrong-type problem. */
interface Text {
  readonly value: string;
  readonly map: StringMap;
}

/** One Poetry dependency (a key of a dependencies table): a constraint, a table, or an array of those. */
function readDependency(
  context: ReadContext,
  name: string,
  member: TomlMember,
  group: string,
  into: DependencyEntry[],
): void {
  const key = keyText(context, member);
  const node = member.node;
  if (node.kind === 'array') {
    for (const element of node.elements) {
      if (element.kind === 'array' || (element.kind === 'value' && !isString(element))) {
        context.wrongType(
          element,
          `Each constraint of Poetry dependency "${name}"`,
          'a constraint string or a table',
          describeNode(element),
        );
        continue;
      }
      const entry = readSpec(context, name, key, element, group, element.start, element.end);
      if (entry !== null) into.push(entry);
    }
    return;
  }
  if (node.kind === 'value' && !isString(node)) {
    context.wrongType(
      node,
      `Poetry dependency "${name}"`,
      'a constraint string, a table or an array of tables',
      describeNode(node),
    );
    return;
  }
  const position = key.map.start(0);
  const entry = readSpec(context, name, key, node, group, position, node.end);
  if (entry !== null) into.push(entry);
}

function keyText(context: ReadContext, member: TomlMember): Text {
  const key = member.key;
  if (key.type === 'TOMLQuoted') return { value: key.value, map: StringMap.of(context.text, key) };
  return { value: key.name, map: StringMap.plain(key.range[0], key.name) };
}

/** Requirement text built from pieces, each remembering where in the file it came from. */
class Composer {
  text = '';
  private readonly pieces: {
    readonly from: number;
    readonly to: number;
    readonly origin: (i: number) => number;
  }[] = [];

  constructor(private readonly fallback: number) {}

  add(part: string, origin?: (i: number) => number): void {
    if (origin !== undefined)
      this.pieces.push({ from: this.text.length, to: this.text.length + part.length, origin });
    this.text += part;
  }

  /** The source offset of the composed text's offset: inside the piece that holds it, else the piece before. */
  origin(offset: number): number {
    let best = this.fallback;
    for (const piece of this.pieces) {
      if (offset >= piece.from && offset < piece.to) return piece.origin(offset - piece.from);
      if (piece.from <= offset) best = piece.origin(Math.max(0, piece.to - piece.from - 1));
    }
    return best;
  }
}

const constant =
  (offset: number) =>
  (_index: number): number =>
    offset;

/** The fields of a Poetry dependency table that change its requirement. */
interface Spec {
  version: Text | null;
  extras: Text[];
  markers: Text | null;
  python: Text | null;
  platform: Text | null;
  reference: { kind: 'git' | 'path' | 'url'; text: Text } | null;
  revision: Text | null;
  subdirectory: Text | null;
  develop: boolean;
}

/**
 * One constraint (a string or a table) of dependency name into an entry; null when a field had the wrong type
 * (the problem is recorded).
 */
function readSpec(
  context: ReadContext,
  name: string,
  key: Text,
  node: TomlNode,
  group: string,
  start: number,
  end: number,
): DependencyEntry | null {
  const spec = readFields(context, name, node);
  if (spec === null) return null;
  const position = context.position(start);
  const common = {
    file: context.file,
    position,
    source: { kind: 'poetry', group } as const,
    editable: spec.develop,
    hashes: [],
    via: [],
    end: context.position(end),
  };
  const spans: { name: Position; specifier?: Position; marker?: Position; url?: Position } = {
    name: context.position(key.map.start(0)),
  };
  const composer = new Composer(start);
  composer.add(name, (i) => key.map.start(i));
  if (spec.extras.length > 0) {
    composer.add('[');
    spec.extras.forEach((extra, index) => {
      if (index > 0) composer.add(',');
      composer.add(extra.value, (i) => extra.map.start(i));
    });
    composer.add(']');
  }

  if (spec.reference === null && spec.version !== null) {
    const version = spec.version;
    spans.specifier = context.position(version.map.start(0));
    const translated = poetryConstraint(version.value.trim());
    if (!translated.ok) {
      const problem = context.problem(
        version.map.start(0),
        constraintMessage(
          `The constraint "${version.value}" of "${name}"`,
          version.value,
          translated.message,
        ),
      );
      return { ...common, raw: `${name} = "${version.value}"`, requirement: null, problem, spans };
    }
    composer.add(formatSpecifier(translated.clauses), constant(version.map.start(0)));
  }

  let reference: DependencyEntry['reference'];
  if (spec.reference !== null) {
    const target = spec.reference.text;
    spans.url = context.position(target.map.start(0));
    const url = referenceUrl(spec);
    reference = { url, name, extras: spec.extras.map((extra) => normalizeExtra(extra.value)) };
    if (spec.reference.kind === 'url') {
      composer.add(' @ ');
      composer.add(target.value, (i) => target.map.start(i));
    }
  }

  const marker = composeMarker(context, name, spec);
  if ('problem' in marker) {
    return { ...common, raw: composer.text, requirement: null, problem: marker.problem, spans };
  }
  if (marker.parts.length > 0) {
    spans.marker = context.position(marker.start);
    composer.add(' ; ');
    const several = marker.parts.length > 1;
    marker.parts.forEach((part, index) => {
      if (index > 0) composer.add(' and ');
      const wrap = several && part.wrap;
      if (wrap) composer.add('(');
      composer.add(part.text, part.origin);
      if (wrap) composer.add(')');
    });
  }

  const raw = composer.text;
  const parsed = parseRequirement(raw);
  const extra = reference === undefined ? {} : { reference };
  if (!parsed.ok) {
    const problem = context.problem(
      composer.origin(parsed.offset),
      `Poetry dependency "${name}" translates to "${raw}", which is not a valid requirement: ${parsed.message}`,
      parsed.hint,
    );
    return { ...common, ...extra, raw, requirement: null, problem, spans };
  }
  return { ...common, ...extra, raw, requirement: parsed.requirement, spans };
}

function referenceUrl(spec: Spec): string {
  const reference = spec.reference;
  if (reference === null) return '';
  if (reference.kind !== 'git') return reference.text.value;
  const base = reference.text.value.startsWith('git+') ? reference.text.value : `git+${reference.text.value}`;
  const revision = spec.revision === null ? '' : `@${spec.revision.value}`;
  const subdirectory = spec.subdirectory === null ? '' : `#subdirectory=${spec.subdirectory.value}`;
  return base + revision + subdirectory;
}

/** Reads a string constraint or a table's fields; null after a wrong-type problem. */
function readFields(context: ReadContext, name: string, node: TomlNode): Spec | null {
  const spec: Spec = {
    version: null,
    extras: [],
    markers: null,
    python: null,
    platform: null,
    reference: null,
    revision: null,
    subdirectory: null,
    develop: false,
  };
  if (isString(node)) {
    spec.version = { value: node.ast.value, map: context.stringMap(node) };
    return spec;
  }
  if (node.kind !== 'table') return null;
  let ok = true;
  const text = (field: string): Text | null => {
    const member = node.members.get(field);
    if (member === undefined) return null;
    if (!isString(member.node)) {
      context.wrongType(
        member.node,
        `\`${field}\` of Poetry dependency "${name}"`,
        'a string',
        describeNode(member.node),
      );
      ok = false;
      return null;
    }
    return { value: member.node.ast.value, map: context.stringMap(member.node) };
  };
  spec.version = text('version');
  spec.markers = text('markers');
  spec.python = text('python');
  spec.platform = text('platform');
  for (const kind of ['git', 'path', 'url'] as const) {
    const target = text(kind);
    if (target !== null && spec.reference === null) spec.reference = { kind, text: target };
  }
  spec.revision = text('rev') ?? text('tag') ?? text('branch');
  spec.subdirectory = text('subdirectory');
  const extras = node.members.get('extras');
  if (extras !== undefined) {
    if (extras.node.kind !== 'array' || !extras.node.elements.every(isString)) {
      context.wrongType(
        extras.node,
        `\`extras\` of Poetry dependency "${name}"`,
        'an array of strings',
        describeNode(extras.node),
      );
      ok = false;
    } else {
      for (const element of extras.node.elements) {
        if (isString(element))
          spec.extras.push({ value: element.ast.value, map: context.stringMap(element) });
      }
    }
  }
  const develop = node.members.get('develop');
  if (develop !== undefined) {
    if (develop.node.kind === 'value' && develop.node.ast.kind === 'boolean')
      spec.develop = develop.node.ast.value;
    else {
      context.wrongType(
        develop.node,
        `\`develop\` of Poetry dependency "${name}"`,
        'true or false',
        describeNode(develop.node),
      );
      ok = false;
    }
  }
  return ok ? spec : null;
}

interface MarkerPart {
  readonly text: string;
  readonly origin: (i: number) => number;
  /** Whether it needs parentheses when joined with `and`. */
  readonly wrap: boolean;
}

/**
 * The marker parts of a table: `markers` as written, `python` as python_version / python_full_version
 * comparisons (`||` alternatives become `or`), `platform` as sys_platform; or the problem with `python`.
 */
function composeMarker(
  context: ReadContext,
  name: string,
  spec: Spec,
): { readonly parts: MarkerPart[]; readonly start: number } | { readonly problem: ParseProblem } {
  const parts: MarkerPart[] = [];
  let start = -1;
  if (spec.markers !== null && spec.markers.value.trim() !== '') {
    const markers = spec.markers;
    parts.push({
      text: markers.value,
      origin: (i) => markers.map.start(i),
      wrap: /\bor\b/.test(markers.value),
    });
    start = markers.map.start(0);
  }
  if (spec.python !== null) {
    const python = spec.python;
    const translated = pythonMarker(python.value);
    if (!translated.ok) {
      const problem = context.problem(
        python.map.start(0),
        `The python constraint "${python.value}" of Poetry dependency "${name}" is not valid: ${translated.message}`,
      );
      return { problem };
    }
    if (translated.marker !== null) {
      parts.push({ text: translated.marker, origin: constant(python.map.start(0)), wrap: translated.or });
      if (start < 0) start = python.map.start(0);
    }
  }
  if (spec.platform !== null) {
    const platform = spec.platform;
    parts.push({
      text: `sys_platform == "${platform.value}"`,
      origin: constant(platform.map.start(0)),
      wrap: false,
    });
    if (start < 0) start = platform.map.start(0);
  }
  return { parts, start };
}

/** A Poetry python constraint as a marker: null when it allows every version. */
export function pythonMarker(
  text: string,
):
  | { readonly ok: true; readonly marker: string | null; readonly or: boolean }
  | { readonly ok: false; readonly message: string } {
  const alternatives: string[] = [];
  for (const alternative of text.split('||')) {
    const translated = poetryConstraint(alternative.trim());
    if (!translated.ok) return { ok: false, message: translated.message };
    if (translated.clauses.length === 0) return { ok: true, marker: null, or: false };
    alternatives.push(translated.clauses.map(pythonComparison).join(' and '));
  }
  if (alternatives.length === 1) return { ok: true, marker: alternatives[0] ?? null, or: false };
  return {
    ok: true,
    marker: alternatives.map((part) => (part.includes(' and ') ? `(${part})` : part)).join(' or '),
    or: true,
  };
}

/** `>=3.8` → `python_version >= "3.8"`; a version with a third segment or a pre-release compares the full version. */
function pythonComparison(clause: SpecifierClause): string {
  const version = clause.version.trim();
  const variable = /^\d+(\.\d+)?(\.\*)?$/.test(version) ? 'python_version' : 'python_full_version';
  return `${variable} ${clause.operator} "${version}"`;
}
