/**
 * The TOML layer of the pyproject reader: parsing with toml-eslint-parser into a merged tree (tables spread over
 * headers, dotted keys and inline tables become one table), and mapping offsets inside a string's decoded value
 * back to the source, so positions point at the text the user wrote.
 */
import type { AST } from 'toml-eslint-parser';
import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import type { Position } from '../model';

/** Offsets (0-based, UTF-16 code units) to 1-based line/column positions. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  /** The position of offset, clamped to the text. */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.trunc(offset) : 0, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - (this.starts[low] ?? 0) + 1 };
  }
}

/** A member of a table: the key part that names it (the last part of a dotted key) and its value. */
export interface TomlMember {
  readonly key: AST.TOMLBare | AST.TOMLQuoted;
  readonly node: TomlNode;
}

export interface TomlTable {
  readonly kind: 'table';
  readonly members: Map<string, TomlMember>;
  /** Where the table starts: its header, its inline `{`, or the first dotted key that made it. */
  readonly start: number;
  readonly end: number;
}

export interface TomlArray {
  readonly kind: 'array';
  readonly elements: TomlNode[];
  readonly start: number;
  readonly end: number;
}

export interface TomlScalar {
  readonly kind: 'value';
  readonly ast: AST.TOMLValue;
  readonly start: number;
  readonly end: number;
}

export type TomlNode = TomlTable | TomlArray | TomlScalar;

/** A string scalar's AST node. */
export type TomlString = AST.TOMLStringValue;

export type TomlParseResult =
  | { readonly ok: true; readonly root: TomlTable; readonly program: AST.TOMLProgram }
  | { readonly ok: false; readonly message: string; readonly offset: number };

/** Parses TOML 1.0 (what Python's tomllib, pip and uv read); a syntax error becomes a message and an offset. */
export function parseTomlDocument(text: string): TomlParseResult {
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(text, { tomlVersion: '1.0' });
  } catch (error) {
    return { ok: false, message: errorMessage(error), offset: errorOffset(error, text) };
  }
  return { ok: true, root: buildTree(program), program };
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `Invalid TOML: ${message}`;
}

function errorOffset(error: unknown, text: string): number {
  if (typeof error !== 'object' || error === null) return 0;
  const fields = error as { index?: unknown; lineNumber?: unknown; column?: unknown };
  if (typeof fields.index === 'number' && Number.isFinite(fields.index)) {
    return Math.max(0, Math.min(fields.index, text.length));
  }
  if (typeof fields.lineNumber === 'number' && typeof fields.column === 'number') {
    let offset = 0;
    for (let line = 1; line < fields.lineNumber; line++) {
      const next = text.indexOf('\n', offset);
      if (next < 0) return text.length;
      offset = next + 1;
    }
    return Math.max(0, Math.min(offset + fields.column, text.length));
  }
  return 0;
}

/** The whole document as plain values (tables as objects), for `[tool.flywheel]`. */
export function staticValue(program: AST.TOMLProgram): Record<string, unknown> {
  return getStaticTOMLValue(program) as Record<string, unknown>;
}

function newTable(start: number, end: number): TomlTable {
  return { kind: 'table', members: new Map(), start, end };
}

function buildTree(program: AST.TOMLProgram): TomlTable {
  const top = program.body[0];
  const root = newTable(top.range[0], top.range[1]);
  for (const item of top.body) {
    if (item.type === 'TOMLKeyValue') {
      insertKeyValue(root, item);
      continue;
    }
    const table = tableAt(root, item);
    for (const keyValue of item.body) insertKeyValue(table, keyValue);
  }
  return root;
}

/** Finds or makes the table a `[header]` or `[[header]]` names (the parser has already rejected conflicts). */
function tableAt(root: TomlTable, header: AST.TOMLTable): TomlTable {
  const path = header.resolvedKey;
  const keys = header.key.keys;
  let keyIndex = 0;
  let current: TomlNode = root;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (typeof part === 'number') {
      if (current.kind !== 'array') return newTable(header.range[0], header.range[1]);
      let element: TomlNode | undefined = current.elements[part];
      if (element === undefined) {
        element = newTable(header.range[0], header.range[1]);
        current.elements[part] = element;
      }
      current = element;
      continue;
    }
    const key = keys[keyIndex++];
    if (current.kind !== 'table' || key === undefined || part === undefined) {
      return newTable(header.range[0], header.range[1]);
    }
    let member = current.members.get(part);
    if (member === undefined) {
      const node: TomlNode = nextIsIndex
        ? { kind: 'array', elements: [], start: header.range[0], end: header.range[1] }
        : newTable(header.range[0], header.range[1]);
      member = { key, node };
      current.members.set(part, member);
    }
    current = member.node;
  }
  return current.kind === 'table' ? current : newTable(header.range[0], header.range[1]);
}

function keyName(key: AST.TOMLBare | AST.TOMLQuoted): string {
  return key.type === 'TOMLBare' ? key.name : key.value;
}

function insertKeyValue(table: TomlTable, keyValue: AST.TOMLKeyValue): void {
  const keys = keyValue.key.keys;
  let current = table;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i];
    if (key === undefined) return;
    const name = keyName(key);
    const member = current.members.get(name);
    if (member !== undefined && member.node.kind === 'table') {
      current = member.node;
      continue;
    }
    if (member !== undefined) return;
    const made = newTable(key.range[0], keyValue.range[1]);
    current.members.set(name, { key, node: made });
    current = made;
  }
  const last = keys[keys.length - 1];
  if (last === undefined) return;
  current.members.set(keyName(last), { key: last, node: convert(keyValue.value) });
}

function convert(content: AST.TOMLContentNode): TomlNode {
  if (content.type === 'TOMLArray') {
    return {
      kind: 'array',
      elements: content.elements.map(convert),
      start: content.range[0],
      end: content.range[1],
    };
  }
  if (content.type === 'TOMLInlineTable') {
    const table = newTable(content.range[0], content.range[1]);
    for (const keyValue of content.body) insertKeyValue(table, keyValue);
    return table;
  }
  return { kind: 'value', ast: content, start: content.range[0], end: content.range[1] };
}

export function isString(node: TomlNode): node is TomlScalar & { readonly ast: TomlString } {
  return node.kind === 'value' && node.ast.kind === 'string';
}

/** A short name for the node's TOML type, for messages ("a string", "an array", …). */
export function describeNode(node: TomlNode): string {
  if (node.kind === 'table') return 'a table';
  if (node.kind === 'array') return 'an array';
  switch (node.ast.kind) {
    case 'string':
      return 'a string';
    case 'integer':
    case 'float':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return 'a date or time';
  }
}

/**
 * A string's decoded value with, for each of its UTF-16 code units, where its source text starts and ends, so an
 * offset (or range) inside the value maps back to the file. Exact for escapes too (a unit an escape produced maps
 * to the escape); when decoding does not reproduce the parser's value, every offset maps to the content start.
 */
export class StringMap {
  private constructor(
    readonly value: string,
    /** Source offset where the content starts (after the opening quotes and a trimmed first newline). */
    readonly contentStart: number,
    /** Source offset of the closing quotes. */
    readonly contentEnd: number,
    private readonly starts: readonly number[] | null,
    private readonly ends: readonly number[] | null,
  ) {}

  static of(text: string, node: TomlString | AST.TOMLQuoted): StringMap {
    const multiline = node.type === 'TOMLValue' && node.multiline;
    const quote = multiline ? 3 : 1;
    let contentStart = node.range[0] + quote;
    const contentEnd = Math.max(contentStart, node.range[1] - quote);
    if (multiline) {
      if (text.startsWith('\r\n', contentStart)) contentStart += 2;
      else if (text.charCodeAt(contentStart) === 10) contentStart += 1;
    }
    const decoded =
      node.style === 'literal'
        ? decodeLiteral(text, contentStart, contentEnd)
        : decodeBasic(text, contentStart, contentEnd, multiline);
    if (decoded.value !== node.value) {
      return new StringMap(node.value, contentStart, contentEnd, null, null);
    }
    return new StringMap(node.value, contentStart, contentEnd, decoded.starts, decoded.ends);
  }

  /** Text written as is from start (a bare key): offsets map one to one. */
  static plain(start: number, value: string): StringMap {
    const decoded = decodeLiteral(value, 0, value.length);
    return new StringMap(
      value,
      start,
      start + value.length,
      decoded.starts.map((offset) => offset + start),
      decoded.ends.map((offset) => offset + start),
    );
  }

  /** The source offset of the value's code unit at index (index = length maps to the closing quotes). */
  start(index: number): number {
    if (this.starts === null) return this.contentStart;
    if (index >= this.value.length) return this.contentEnd;
    return this.starts[Math.max(0, index)] ?? this.contentStart;
  }

  /** The exclusive source end of the value's range [from, to). */
  end(from: number, to: number): number {
    if (this.ends === null) return this.contentEnd;
    if (to <= from) return this.start(from);
    if (to >= this.value.length && this.value.length > 0)
      return this.ends[this.value.length - 1] ?? this.contentEnd;
    return this.ends[to - 1] ?? this.contentEnd;
  }
}

interface Decoded {
  readonly value: string;
  readonly starts: number[];
  readonly ends: number[];
}

/** Multi-line strings read a CRLF newline as LF (as the parser does); everything else is one unit per unit. */
function decodeLiteral(text: string, from: number, to: number): Decoded {
  let value = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = from;
  while (i < to) {
    const width = text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 && i + 1 < to ? 2 : 1;
    value += width === 2 ? '\n' : (text[i] ?? '');
    starts.push(i);
    ends.push(i + width);
    i += width;
  }
  return { value, starts, ends };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\u001b',
  '"': '"',
  '\\': '\\',
};

function decodeBasic(text: string, from: number, to: number, multiline: boolean): Decoded {
  let value = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const push = (units: string, start: number, end: number): void => {
    value += units;
    for (let k = 0; k < units.length; k++) {
      starts.push(start);
      ends.push(end);
    }
  };
  let i = from;
  while (i < to) {
    const ch = text[i] ?? '';
    if (ch === '\r' && text[i + 1] === '\n' && i + 1 < to) {
      push('\n', i, i + 2);
      i += 2;
      continue;
    }
    if (ch !== '\\') {
      push(ch, i, i + 1);
      i += 1;
      continue;
    }
    const next = text[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      push(simple, i, i + 2);
      i += 2;
      continue;
    }
    const width = next === 'u' ? 4 : next === 'U' ? 8 : next === 'x' ? 2 : 0;
    if (width > 0) {
      const code = Number.parseInt(text.slice(i + 2, i + 2 + width), 16);
      if (Number.isNaN(code) || code > 0x10ffff) return { value: '\u0000invalid', starts: [], ends: [] };
      push(String.fromCodePoint(code), i, i + 2 + width);
      i += 2 + width;
      continue;
    }
    if (multiline) {
      // A line-ending backslash: skip it and all whitespace and newlines after it.
      let j = i + 1;
      while (j < to && (text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n')) {
        while (j < to && /[ \t\r\n]/.test(text[j] ?? '')) j++;
        i = j;
        continue;
      }
    }
    return { value: '\u0000invalid', starts: [], ends: [] };
  }
  return { value, starts, ends };
}
