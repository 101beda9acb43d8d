/**
 * The line layer of a requirements file, as pip's `preprocess` (pip/_internal/req/req_file.py) sees it: physical
 * lines joined at a trailing backslash into logical lines, the comment cut off, the rest trimmed and `${VAR}`
 * expanded. Every character of a logical line maps back to the physical line and column it came from.
 */
import type { Position } from '../model';
import { isPythonSpace } from '../python-space';

/**
 * A run of a logical line's text and where it came from. A verbatim piece copies the source one for one from
 * (line, column); an expansion piece is the value of a `${VAR}` written from (line, column) to (endLine, endColumn).
 */
export interface Piece {
  /** Offset in the logical line's text where the run starts. */
  readonly at: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
  readonly verbatim: boolean;
  readonly endLine: number;
  /** Exclusive. */
  readonly endColumn: number;
}

/** One logical line: the text pip parses, and the comment pip drops. */
export interface LogicalLine {
  /** The content: continuations joined, comment removed, trimmed, `${VAR}` expanded. '' for a blank or comment line. */
  readonly text: string;
  /** How `text` maps back to the file (empty when `text` is ''). */
  readonly pieces: readonly Piece[];
  /** The comment's text after `#` (on the last physical line of a joined line it may follow a `\`), or null. */
  readonly comment: string | null;
  /** Where the comment's `#` is. */
  readonly commentPosition: Position | null;
  /** The first and last physical lines it spans. */
  readonly line: number;
  readonly endLine: number;
}

/** The logical lines of a file, and how many physical lines it has (a last line without a newline counts). */
export interface SplitResult {
  readonly lines: LogicalLine[];
  readonly lineCount: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

const BACKSLASH = 0x5c;
const HASH = 0x23;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const BOM = 0xfeff;

/** Python's `str.isspace`: what pip's `\s` and `strip()` see in a requirements line. */
export const isSpace = isPythonSpace;

/** A physical line: [start, end) of its content in the source, without the line break. */
interface Physical {
  start: number;
  end: number;
  /** 1-based. */
  number: number;
}

/** The first character of the line that is not whitespace is `#`: pip's `COMMENT_RE.match(line)`. */
function isCommentLine(source: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code === HASH) return true;
    if (!isSpace(code)) return false;
  }
  return false;
}

/** The first `#` at `from` or after whitespace, in [from, end); `atStart` says whether `from` starts the text. */
function findComment(text: string, from: number, end: number, atStart: boolean): number {
  let index = text.indexOf('#', from);
  while (index !== -1 && index < end) {
    if ((index === from && atStart) || (index > from && isSpace(text.charCodeAt(index - 1)))) return index;
    index = text.indexOf('#', index + 1);
  }
  return -1;
}

/**
 * Reads a requirements file one logical line at a time, exactly as pip splits it: `\` at the end of a line joins
 * the next one (not after a comment line; a comment line ends the join), a comment starts at `#` at the start of
 * the logical line or after whitespace, the rest is stripped, and `${NAME}` (upper case, digits, `_`) is replaced
 * by a non-empty value from env. Line breaks are `\n`, `\r\n` and `\r`; a leading BOM is skipped. Reading
 * line by line keeps nothing alive that the caller does not keep.
 */
export class LogicalLineReader {
  private offset: number;
  private count = 0;
  private readonly hasReturn: boolean;

  constructor(
    private readonly source: string,
    private readonly env: Env = {},
  ) {
    this.offset = source.charCodeAt(0) === BOM ? 1 : 0;
    this.hasReturn = source.indexOf('\r') !== -1;
  }

  /** The physical lines read so far: all of them once next() has returned null. */
  get lineCount(): number {
    return this.count;
  }

  next(): LogicalLine | null {
    const { source, env } = this;
    const first = this.physical();
    if (first === null) return null;
    const last = first.end - 1;
    if (
      last < first.start ||
      source.charCodeAt(last) !== BACKSLASH ||
      isCommentLine(source, first.start, first.end)
    ) {
      return singleLine(source, first, env);
    }
    // A continuation: gather the group, then build it through the general path.
    const group: Physical[] = [first];
    let closedByComment = false;
    for (let next = this.physical(); next !== null; next = this.physical()) {
      group.push(next);
      if (isCommentLine(source, next.start, next.end)) {
        closedByComment = true;
        break;
      }
      const nextLast = next.end - 1;
      if (nextLast < next.start || source.charCodeAt(nextLast) !== BACKSLASH) break;
    }
    return joinedLine(source, group, closedByComment, env);
  }

  private physical(): Physical | null {
    const { source } = this;
    const start = this.offset;
    const length = source.length;
    if (start >= length) return null;
    let end: number;
    if (!this.hasReturn) {
      end = source.indexOf('\n', start);
      if (end === -1) end = length;
      this.offset = end + 1;
    } else {
      end = start;
      while (end < length) {
        const code = source.charCodeAt(end);
        if (code === NEWLINE || code === RETURN) break;
        end++;
      }
      this.offset =
        end < length && source.charCodeAt(end) === RETURN && source.charCodeAt(end + 1) === NEWLINE
          ? end + 2
          : end + 1;
    }
    this.count++;
    return { start, end, number: this.count };
  }
}

/** All the logical lines of a file, and how many physical lines it has (a last line without a newline counts). */
export function splitLogicalLines(source: string, env: Env = {}): SplitResult {
  const reader = new LogicalLineReader(source, env);
  const lines: LogicalLine[] = [];
  for (let line = reader.next(); line !== null; line = reader.next()) lines.push(line);
  return { lines, lineCount: reader.lineCount };
}

/** The common case, a line without continuation: no joining, one verbatim piece unless `${VAR}` expands. */
function singleLine(source: string, physical: Physical, env: Env): LogicalLine {
  const { start, end, number } = physical;
  const hash = findComment(source, start, end, true);
  let comment: string | null = null;
  let commentPosition: Position | null = null;
  let contentEnd = end;
  if (hash !== -1) {
    comment = source.slice(hash + 1, end);
    commentPosition = { line: number, column: hash - start + 1 };
    contentEnd = hash;
  }
  let a = start;
  while (a < contentEnd && isSpace(source.charCodeAt(a))) a++;
  let b = contentEnd;
  while (b > a && isSpace(source.charCodeAt(b - 1))) b--;
  if (a === b) return { text: '', pieces: [], comment, commentPosition, line: number, endLine: number };
  const text = source.slice(a, b);
  const column = a - start + 1;
  const pieces: Piece[] = [
    {
      at: 0,
      length: b - a,
      line: number,
      column,
      verbatim: true,
      endLine: number,
      endColumn: column + b - a,
    },
  ];
  if (text.indexOf('${') === -1)
    return { text, pieces, comment, commentPosition, line: number, endLine: number };
  const expanded = expandEnv(text, pieces, env);
  return { ...expanded, comment, commentPosition, line: number, endLine: number };
}

/** Lines joined by `\`: pip strips the backslashes at both ends of each continued line and concatenates. */
function joinedLine(
  source: string,
  group: readonly Physical[],
  closedByComment: boolean,
  env: Env,
): LogicalLine {
  const parts: string[] = [];
  const pieces: Piece[] = [];
  let at = 0;
  const contentLines = closedByComment ? group.length - 1 : group.length;
  for (let i = 0; i < contentLines; i++) {
    const { start, end, number } = group[i]!;
    let a = start;
    let b = end;
    if (b > a && source.charCodeAt(b - 1) === BACKSLASH) {
      // pip's `line.strip("\\")` on every line that ends in a backslash.
      while (a < b && source.charCodeAt(a) === BACKSLASH) a++;
      while (b > a && source.charCodeAt(b - 1) === BACKSLASH) b--;
    }
    if (b > a) {
      const column = a - start + 1;
      parts.push(source.slice(a, b));
      pieces.push({
        at,
        length: b - a,
        line: number,
        column,
        verbatim: true,
        endLine: number,
        endColumn: column + b - a,
      });
      at += b - a;
    }
  }
  const joined = parts.join('');
  const firstLine = group[0]!.number;
  const lastLine = group[group.length - 1]!.number;

  let comment: string | null = null;
  let commentPosition: Position | null = null;
  let contentEnd = joined.length;
  const hash = findComment(joined, 0, joined.length, true);
  if (hash !== -1) {
    contentEnd = hash;
    commentPosition = startOf(pieces, hash);
    comment = joined.slice(hash + 1);
    if (closedByComment) {
      // The comment runs to the end of the logical line, which ends with pip's " " + the closing comment line.
      const closing = group[group.length - 1]!;
      comment += ` ${source.slice(closing.start, closing.end)}`;
    }
  } else if (closedByComment) {
    // pip prefixes the closing comment line with a space, so its `#` always starts a comment.
    const closing = group[group.length - 1]!;
    let h = closing.start;
    while (source.charCodeAt(h) !== HASH) h++;
    comment = source.slice(h + 1, closing.end);
    commentPosition = { line: closing.number, column: h - closing.start + 1 };
  }
  let a = 0;
  while (a < contentEnd && isSpace(joined.charCodeAt(a))) a++;
  let b = contentEnd;
  while (b > a && isSpace(joined.charCodeAt(b - 1))) b--;
  if (a === b) return { text: '', pieces: [], comment, commentPosition, line: firstLine, endLine: lastLine };
  const text = joined.slice(a, b);
  const sliced = slicePieces(pieces, a, b);
  if (text.indexOf('${') === -1) {
    return { text, pieces: sliced, comment, commentPosition, line: firstLine, endLine: lastLine };
  }
  const expanded = expandEnv(text, sliced, env);
  return { ...expanded, comment, commentPosition, line: firstLine, endLine: lastLine };
}

/** The pieces covering [from, to) of a text, re-based to start at 0. Only verbatim pieces are cut. */
function slicePieces(pieces: readonly Piece[], from: number, to: number): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const a = Math.max(piece.at, from);
    const b = Math.min(piece.at + piece.length, to);
    if (b <= a) continue;
    if (piece.verbatim) {
      const column = piece.column + (a - piece.at);
      out.push({
        at: a - from,
        length: b - a,
        line: piece.line,
        column,
        verbatim: true,
        endLine: piece.line,
        endColumn: column + b - a,
      });
    } else {
      out.push({ ...piece, at: a - from, length: b - a });
    }
  }
  return out;
}

const NAME_CHAR = /^[A-Z0-9_]$/;

/** pip's ENV_VAR_RE `\$\{([A-Z0-9_]+)\}`: each `${NAME}` with a non-empty value in env is replaced. */
function expandEnv(text: string, pieces: readonly Piece[], env: Env): { text: string; pieces: Piece[] } {
  const parts: string[] = [];
  const out: Piece[] = [];
  let copied = 0; // text before this offset is in parts
  let outAt = 0;
  let search = text.indexOf('${');
  while (search !== -1) {
    let close = search + 2;
    while (close < text.length && NAME_CHAR.test(text.charAt(close))) close++;
    if (close === search + 2 || text.charCodeAt(close) !== 0x7d) {
      search = text.indexOf('${', search + 1);
      continue;
    }
    const value = env[text.slice(search + 2, close)];
    if (value === undefined || value === '') {
      search = text.indexOf('${', close + 1);
      continue;
    }
    for (const piece of slicePieces(pieces, copied, search)) out.push({ ...piece, at: piece.at + outAt });
    parts.push(text.slice(copied, search));
    outAt += search - copied;
    const start = startOf(pieces, search);
    const end = endOf(pieces, close + 1);
    out.push({
      at: outAt,
      length: value.length,
      line: start.line,
      column: start.column,
      verbatim: false,
      endLine: end.line,
      endColumn: end.column,
    });
    parts.push(value);
    outAt += value.length;
    copied = close + 1;
    search = text.indexOf('${', copied);
  }
  if (copied === 0) return { text, pieces: pieces.slice() };
  for (const piece of slicePieces(pieces, copied, text.length)) out.push({ ...piece, at: piece.at + outAt });
  parts.push(text.slice(copied));
  return { text: parts.join(''), pieces: out.filter((piece) => piece.length > 0) };
}

function pieceAt(pieces: readonly Piece[], offset: number): Piece {
  // Lines hold one piece, a few when joined or expanded: a linear scan beats a binary search here.
  let chosen = pieces[0]!;
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (piece.at > offset) break;
    chosen = piece;
  }
  return chosen;
}

/** Where the character at `offset` of a line's text starts in the file (offset = length: just after the text). */
export function startOf(pieces: readonly Piece[], offset: number): Position {
  if (pieces.length === 0) return { line: 1, column: 1 };
  const piece = pieceAt(pieces, offset);
  if (offset >= piece.at + piece.length) return { line: piece.endLine, column: piece.endColumn };
  if (!piece.verbatim) return { line: piece.line, column: piece.column };
  return { line: piece.line, column: piece.column + (offset - piece.at) };
}

/** Where the text before `offset` ends in the file: just after the character at offset - 1 (exclusive end). */
export function endOf(pieces: readonly Piece[], offset: number): Position {
  if (pieces.length === 0) return { line: 1, column: 1 };
  if (offset <= 0) return startOf(pieces, 0);
  const piece = pieceAt(pieces, offset - 1);
  if (!piece.verbatim) return { line: piece.endLine, column: piece.endColumn };
  return { line: piece.line, column: piece.column + (offset - piece.at) };
}

/** Where the character at `offset` of a logical line starts. */
export function positionAt(line: LogicalLine, offset: number): Position {
  return line.pieces.length === 0 ? { line: line.line, column: 1 } : startOf(line.pieces, offset);
}

/** The exclusive end of the text before `offset` of a logical line. */
export function endPositionAt(line: LogicalLine, offset: number): Position {
  return line.pieces.length === 0 ? { line: line.line, column: 1 } : endOf(line.pieces, offset);
}
