/**
 * JSON with positions, for package.json and package-lock.json: jsonc-parser's tree (which keeps duplicate keys,
 * as JSON.parse does not) read strictly (no comments, no trailing commas), and offsets turned into positions.
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Position } from '../model';

/** Offsets (0-based, UTF-16 code units) to 1-based line/column positions. */
export class LineIndex {
  private readonly starts: number[] = [0];
  private readonly length: number;

  constructor(text: string) {
    this.length = text.length;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** The position of offset, clamped to the text. */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.trunc(offset) : 0, this.length));
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

/** A parsed JSON file: its tree when the text is valid JSON, else the first syntax error. */
export interface JsonDocument {
  readonly file: string;
  readonly text: string;
  readonly root: Node | undefined;
  /** The first syntax error; `message` goes after the file's name ("is not valid JSON: …"). */
  readonly error: { readonly message: string; readonly hint: string; readonly position: Position } | null;
  readonly lines: LineIndex;
}

/** One `"key": value` of an object, duplicates kept in the order written. */
export interface JsonMember {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node;
}

const SYNTAX_HINT =
  'fix the JSON there: keys and strings in double quotes, a comma between entries and none after the last';

const ERROR_WORDS: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a missing property name (keys are strings in double quotes)',
  ValueExpected: 'a missing value',
  ColonExpected: 'a missing `:` after a key',
  CommaExpected: 'a missing `,` between entries',
  CloseBraceExpected: 'a missing `}`',
  CloseBracketExpected: 'a missing `]`',
  EndOfFileExpected: 'text after the end of the JSON value',
  InvalidCommentToken: 'a comment (JSON has none)',
  UnexpectedEndOfComment: 'an unterminated comment (JSON has none)',
  UnexpectedEndOfString: 'an unterminated string',
  UnexpectedEndOfNumber: 'an unterminated number',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape',
  InvalidCharacter: 'a control character inside a string',
};

/** Parses strictly; a text that is not JSON keeps no tree, so no rule reads a half-recovered document. */
export function parseJson(text: string, file: string): JsonDocument {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first === undefined && root !== undefined) {
    // npm reads with JSON.parse: whatever it refuses that the tree let through is an error too.
    try {
      JSON.parse(text);
      return { file, text, root, error: null, lines };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const at = Number(/position (\d+)/.exec(detail)?.[1] ?? 0);
      return {
        file,
        text,
        root: undefined,
        error: { message: `is not valid JSON: ${detail}`, hint: SYNTAX_HINT, position: lines.position(at) },
        lines,
      };
    }
  }
  const offset = first?.offset ?? 0;
  return { file, text, root: undefined, error: describeError(text, offset, first, lines), lines };
}

function describeError(text: string, offset: number, error: ParseError | undefined, lines: LineIndex) {
  const conflict = /^(<{7}|={7}|>{7})( |$)/m.exec(text);
  if (conflict) {
    return {
      message: 'has git merge conflict markers, so it is not valid JSON',
      hint: 'resolve the conflict (for package-lock.json: keep either side, then run `npm install`, which merges it)',
      position: lines.position(conflict.index),
    };
  }
  if (text.trim() === '') {
    return {
      message: 'is empty, which is not valid JSON',
      hint: 'write a JSON object `{ … }`',
      position: lines.position(0),
    };
  }
  const code = error ? printParseErrorCode(error.error) : 'ValueExpected';
  const before = text.slice(0, offset).trimEnd();
  const trailingComma = before.endsWith(',') && /^[}\]]/.test(text.slice(offset));
  const what = trailingComma ? 'a trailing comma (JSON allows none)' : (ERROR_WORDS[code] ?? code);
  const position = lines.position(trailingComma ? before.length - 1 : offset);
  return {
    message: `is not valid JSON: ${what}`,
    hint: trailingComma ? 'remove the comma' : SYNTAX_HINT,
    position,
  };
}

/** The members of an object node, in order, duplicates kept; [] for anything else. */
export function members(node: Node | undefined): JsonMember[] {
  if (node?.type !== 'object' || !node.children) return [];
  const result: JsonMember[] = [];
  for (const property of node.children) {
    const [keyNode, value] = property.children ?? [];
    if (keyNode?.type !== 'string' || value === undefined) continue;
    result.push({ key: String(keyNode.value), keyNode, value });
  }
  return result;
}

/** What a node is, in words, for messages (`a number`, `an array`). */
export function describeNode(node: Node): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'null':
      return 'null';
    default:
      return `a ${node.type}`;
  }
}

/**
 * Offsets of the object keys whose path `want` accepts, in one pass over text that is valid JSON (JSON.parse
 * accepted it): what a large lockfile needs for positions, an order of magnitude faster than building a tree.
 * Paths are keys from the root (`['packages', 'node_modules/a']`), joined with NUL; a repeated key keeps the last.
 */
export function keyOffsets(text: string, want: (path: readonly string[]) => boolean): Map<string, number> {
  const offsets = new Map<string, number>();
  // One frame per open container: whether it is an object, and the key being read in it.
  const objects: boolean[] = [];
  const keys: string[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          escaped = true;
          j += 2;
        } else if (d === 34) break;
        else j++;
      }
      if (expectKey && objects[objects.length - 1] === true) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        keys[keys.length - 1] = key;
        expectKey = false;
        if (want(keys)) offsets.set(keys.join('\u0000'), i);
      }
      i = j;
    } else if (c === 123) {
      objects.push(true);
      keys.push('');
      expectKey = true;
    } else if (c === 91) {
      objects.push(false);
      keys.push('');
      expectKey = false;
    } else if (c === 125 || c === 93) {
      objects.pop();
      keys.pop();
      expectKey = false;
    } else if (c === 44) {
      expectKey = objects[objects.length - 1] === true;
    }
  }
  return offsets;
}
