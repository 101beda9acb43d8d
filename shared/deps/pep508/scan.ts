/**
 * Character classes and token matchers shared by the requirement and marker parsers. Each matcher mirrors one
 * of the regular expressions of `packaging` 26.2's tokenizer, written out by hand so that a token is found in a
 * single forward pass with no backtracking (the regexes used there are not catastrophic, but a hand scan is much
 * faster in V8 and gives exact offsets).
 */
import type { MarkerVariable, SpecifierOperator } from '../model';
import { isPythonSpace } from '../python-space';

/** Python's `str.isspace()`, which is what `\s` matches in a `packaging` regex. */
export const isPyWhitespace = isPythonSpace;

/** ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** ASCII letter or digit. */
export function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** `-`, `_` or `.`: the separators PEP 440 and PEP 508 allow inside names and versions. */
export function isSeparator(c: number): boolean {
  return c === 0x2d || c === 0x5f || c === 0x2e;
}

/** The `WS` token of PEP 508: a space or a tab (newlines are not whitespace there). */
export function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

const UNICODE_WORD = /^[\p{L}\p{N}_]$/u;

/** Python's `\w` for str patterns: a letter or number in any script, or `_`. */
function isWordCodePoint(cp: number): boolean {
  if (cp < 0x80) return isAsciiAlnum(cp) || cp === 0x5f;
  return UNICODE_WORD.test(String.fromCodePoint(cp));
}

/** Whether the character that ends just before `pos` is a word character (false at the start). */
export function wordBefore(s: string, pos: number): boolean {
  if (pos <= 0) return false;
  const c = s.charCodeAt(pos - 1);
  if (c >= 0xdc00 && c <= 0xdfff && pos >= 2) {
    const cp = s.codePointAt(pos - 2) ?? c;
    return isWordCodePoint(cp);
  }
  return isWordCodePoint(c);
}

/** Whether the character that starts at `pos` is a word character (false at the end). */
export function wordAfter(s: string, pos: number): boolean {
  if (pos >= s.length) return false;
  return isWordCodePoint(s.codePointAt(pos) ?? 0);
}

/** Python's `\b` at `pos`. */
export function isWordBoundary(s: string, pos: number): boolean {
  return wordBefore(s, pos) !== wordAfter(s, pos);
}

/** The position after any run of spaces and tabs from `pos`. */
export function skipBlanks(s: string, pos: number): number {
  let i = pos;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

function skipPyWhitespace(s: string, pos: number): number {
  let i = pos;
  while (i < s.length && isPyWhitespace(s.charCodeAt(i))) i++;
  return i;
}

function skipDigits(s: string, pos: number): number {
  let i = pos;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** Python regex `$` without MULTILINE: the end of the text, or just before a final `\n`. */
export function isEnd(s: string, pos: number): boolean {
  return pos === s.length || (pos === s.length - 1 && s.charCodeAt(pos) === 0x0a);
}

/**
 * The `IDENTIFIER` token, `\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b`: returns its end, or -1. As in Python, the match
 * backs off from a trailing `.` or `-` (so `name-` reads as `name`), and `name_` is a whole identifier.
 */
export function matchIdentifier(s: string, pos: number): number {
  if (pos >= s.length || !isAsciiAlnum(s.charCodeAt(pos)) || wordBefore(s, pos)) return -1;
  let end = pos + 1;
  while (end < s.length) {
    const c = s.charCodeAt(end);
    if (!isAsciiAlnum(c) && !isSeparator(c)) break;
    end++;
  }
  for (let e = end; e > pos; e--) {
    if (isWordBoundary(s, e)) return e;
  }
  return -1;
}

/** Case-insensitive ASCII match of a lower-case `word` at `pos`. */
function matchesWord(s: string, pos: number, word: string): boolean {
  if (pos + word.length > s.length) return false;
  for (let k = 0; k < word.length; k++) {
    const c = s.charCodeAt(pos + k);
    const w = word.charCodeAt(k);
    if (c !== w && (c | 0x20) !== w) return false;
  }
  return true;
}

const PRE_WORDS = ['alpha', 'beta', 'preview', 'pre', 'a', 'b', 'c', 'rc'] as const;
const POST_WORDS = ['post', 'rev', 'r'] as const;

function firstWord(s: string, pos: number, words: readonly string[]): number {
  for (const w of words) if (matchesWord(s, pos, w)) return w.length;
  return -1;
}

/** A specifier operator at `pos` (longest first), or null. */
export function matchOperator(s: string, pos: number): SpecifierOperator | null {
  const c0 = s.charCodeAt(pos);
  const c1 = s.charCodeAt(pos + 1);
  switch (c0) {
    case 0x3d: // =
      if (c1 !== 0x3d) return null;
      return s.charCodeAt(pos + 2) === 0x3d ? '===' : '==';
    case 0x21: // !
      return c1 === 0x3d ? '!=' : null;
    case 0x7e: // ~
      return c1 === 0x3d ? '~=' : null;
    case 0x3c: // <
      return c1 === 0x3d ? '<=' : '<';
    case 0x3e: // >
      return c1 === 0x3d ? '>=' : '>';
    default:
      return null;
  }
}

/** One `SPECIFIER` token: the operator, where its version starts and where the token ends. */
export interface SpecifierToken {
  readonly operator: SpecifierOperator;
  readonly versionStart: number;
  readonly end: number;
}

/**
 * The `SPECIFIER` token of `packaging` 26.2 (`Specifier._specifier_regex_str`, case-insensitive) at `pos`, or
 * null. Like the regex it matches a prefix: `>=1.2.*` matches `>=1.2`, and the caller looks at what follows.
 */
export function matchSpecifier(s: string, pos: number): SpecifierToken | null {
  const operator = matchOperator(s, pos);
  if (operator === null) return null;
  const n = s.length;
  let i = skipPyWhitespace(s, pos + operator.length);
  const versionStart = i;
  if (operator === '===') {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x3b || c === 0x29 || isPyWhitespace(c)) break;
      i++;
    }
    return { operator, versionStart, end: i };
  }
  if ((s.charCodeAt(i) | 0x20) === 0x76) i++; // v
  let k = skipDigits(s, i);
  if (k > i && s.charCodeAt(k) === 0x21) i = k + 1; // epoch N!
  k = skipDigits(s, i);
  if (k === i) return null;
  i = k;
  let segments = 1;
  while (s.charCodeAt(i) === 0x2e && isDigit(s.charCodeAt(i + 1))) {
    i = skipDigits(s, i + 1);
    segments++;
  }
  if (operator === '~=' && segments < 2) return null;
  const equality = operator === '==' || operator === '!=';
  if (equality && s.charCodeAt(i) === 0x2e && s.charCodeAt(i + 1) === 0x2a) {
    return { operator, versionStart, end: i + 2 };
  }
  // pre-release: [-_.]?(alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*
  k = isSeparator(s.charCodeAt(i)) ? i + 1 : i;
  let w = firstWord(s, k, PRE_WORDS);
  if (w > 0) {
    k += w;
    if (isSeparator(s.charCodeAt(k))) k++;
    i = skipDigits(s, k);
  }
  // post-release: -[0-9]+ | [-_.]?(post|rev|r)[-_.]?[0-9]*
  if (s.charCodeAt(i) === 0x2d && isDigit(s.charCodeAt(i + 1))) {
    i = skipDigits(s, i + 1);
  } else {
    k = isSeparator(s.charCodeAt(i)) ? i + 1 : i;
    w = firstWord(s, k, POST_WORDS);
    if (w > 0) {
      k += w;
      if (isSeparator(s.charCodeAt(k))) k++;
      i = skipDigits(s, k);
    }
  }
  // dev release: [-_.]?dev[-_.]?[0-9]*
  k = isSeparator(s.charCodeAt(i)) ? i + 1 : i;
  if (matchesWord(s, k, 'dev')) {
    k += 3;
    if (isSeparator(s.charCodeAt(k))) k++;
    i = skipDigits(s, k);
  }
  // local label (== and != only): \+[a-z0-9]+([-_.][a-z0-9]+)*
  if (equality) i = matchLocalLabel(s, i, true);
  return { operator, versionStart, end: i };
}

/**
 * A local version label `+abc.1` at `pos`: returns its end, or `pos` when there is none. `anyCase` is false for
 * the tokenizer's `VERSION_LOCAL_LABEL_TRAIL`, which (unlike the specifier regex) only knows lower case.
 */
export function matchLocalLabel(s: string, pos: number, anyCase: boolean): number {
  const ok = anyCase ? isAsciiAlnum : isLowerAlnum;
  if (s.charCodeAt(pos) !== 0x2b || !ok(s.charCodeAt(pos + 1))) return pos;
  let i = pos + 2;
  for (;;) {
    while (ok(s.charCodeAt(i))) i++;
    if (isSeparator(s.charCodeAt(i)) && ok(s.charCodeAt(i + 1))) i += 2;
    else return i;
  }
}

function isLowerAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);
}

/** Whether all of `text` (spaces around allowed) is one specifier, as `packaging.specifiers.Specifier` accepts. */
export function isWholeSpecifier(text: string): boolean {
  let start = 0;
  let end = text.length;
  while (start < end && isPyWhitespace(text.charCodeAt(start))) start++;
  while (end > start && isPyWhitespace(text.charCodeAt(end - 1))) end--;
  const body = text.slice(start, end);
  const token = matchSpecifier(body, 0);
  return token !== null && token.end === body.length;
}

/** Strips Python whitespace (`str.strip()`) from both ends. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPyWhitespace(text.charCodeAt(start))) start++;
  while (end > start && isPyWhitespace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** The result of reading a quoted string: its value, or why it is not a valid Python string literal. */
export type QuotedString =
  | { readonly ok: true; readonly value: string; readonly end: number }
  | { readonly ok: false; readonly message: string; readonly offset: number };

function hexValue(s: string, pos: number, digits: number): number {
  if (pos + digits > s.length) return -1;
  let v = 0;
  for (let k = 0; k < digits; k++) {
    const c = s.charCodeAt(pos + k);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x61 + 10;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * A quoted marker string at `pos` (which holds `'` or `"`). `packaging` reads it with `ast.literal_eval`, so
 * Python's backslash escapes apply, and a raw line break, a NUL or a backslash before the closing quote make it
 * invalid. Returns null when there is no closing quote at all.
 */
export function readQuoted(s: string, pos: number): QuotedString | null {
  const quote = s.charCodeAt(pos);
  const close = s.indexOf(quote === 0x22 ? '"' : "'", pos + 1);
  if (close < 0) return null;
  let value = '';
  let from = pos + 1;
  let i = pos + 1;
  while (i < close) {
    const c = s.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0) {
      return {
        ok: false,
        message:
          c === 0 ? 'A marker string cannot contain a NUL character' : 'A marker string cannot span lines',
        offset: i,
      };
    }
    if (c !== 0x5c) {
      i++;
      continue;
    }
    value += s.slice(from, i);
    if (i + 1 >= close) {
      return {
        ok: false,
        message: 'The backslash escapes the closing quote, so the string is never closed',
        offset: i,
      };
    }
    const e = s.charCodeAt(i + 1);
    let next = i + 2;
    switch (e) {
      case 0x0a: // backslash-newline: a line continuation
        break;
      case 0x0d:
        if (s.charCodeAt(next) === 0x0a && next < close) next++;
        break;
      case 0x5c:
      case 0x27:
      case 0x22:
        value += String.fromCharCode(e);
        break;
      case 0x61: // \a
        value += '\x07';
        break;
      case 0x62: // \b
        value += '\b';
        break;
      case 0x66: // \f
        value += '\f';
        break;
      case 0x6e: // \n
        value += '\n';
        break;
      case 0x72: // \r
        value += '\r';
        break;
      case 0x74: // \t
        value += '\t';
        break;
      case 0x76: // \v
        value += '\v';
        break;
      case 0x78: // \xHH
      case 0x75: // \uHHHH
      case 0x55: {
        // \UHHHHHHHH
        const digits = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
        const v = next + digits <= close ? hexValue(s, next, digits) : -1;
        if (v < 0 || v > 0x10ffff) {
          return {
            ok: false,
            message: `Invalid escape \`${s.slice(i, Math.min(close, next + digits))}\` in a marker string`,
            offset: i,
          };
        }
        value += String.fromCodePoint(v);
        next += digits;
        break;
      }
      case 0x4e: // \N{NAME}
        return {
          ok: false,
          message:
            'Named escapes (`\\N{...}`) are not supported in marker strings; write the character itself',
          offset: i,
        };
      default:
        if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && next < close; k++) {
            const d = s.charCodeAt(next);
            if (d < 0x30 || d > 0x37) break;
            v = v * 8 + (d - 0x30);
            next++;
          }
          value += String.fromCharCode(v);
        } else {
          // Python keeps an unknown escape as written (with a warning).
          value += s.slice(i, i + 2);
        }
    }
    i = next;
    from = next;
  }
  value += s.slice(from, close);
  return { ok: true, value, end: close + 1 };
}

/** How each spelling the `VARIABLE` token accepts is read (`os.name` is `os_name`, and so on). */
const VARIABLE_SPELLINGS: ReadonlyMap<string, MarkerVariable> = new Map<string, MarkerVariable>([
  ['python_version', 'python_version'],
  ['python_full_version', 'python_full_version'],
  ['os_name', 'os_name'],
  ['os.name', 'os_name'],
  ['sys_platform', 'sys_platform'],
  ['sys.platform', 'sys_platform'],
  ['platform_release', 'platform_release'],
  ['platform_system', 'platform_system'],
  ['platform_version', 'platform_version'],
  ['platform.version', 'platform_version'],
  ['platform_machine', 'platform_machine'],
  ['platform.machine', 'platform_machine'],
  ['platform_python_implementation', 'platform_python_implementation'],
  ['platform.python_implementation', 'platform_python_implementation'],
  ['python_implementation', 'platform_python_implementation'],
  ['implementation_name', 'implementation_name'],
  ['implementation_version', 'implementation_version'],
  ['extras', 'extras'],
  ['extra', 'extra'],
  ['dependency_groups', 'dependency_groups'],
]);

/**
 * The `VARIABLE` token at `pos` (a marker variable between word boundaries), or null. Every spelling is made of
 * lower-case letters, `_` and `.`, so the candidates are that run, and its prefixes that end before a `.`.
 */
export function matchVariable(
  s: string,
  pos: number,
): { readonly name: MarkerVariable; readonly end: number } | null {
  if (wordBefore(s, pos)) return null;
  let end = pos;
  for (;;) {
    const c = s.charCodeAt(end);
    if ((c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2e) end++;
    else break;
  }
  if (end === pos) return null;
  if (!wordAfter(s, end)) {
    const name = VARIABLE_SPELLINGS.get(s.slice(pos, end));
    if (name !== undefined) return { name, end };
  }
  for (let p = end - 1; p > pos; p--) {
    if (s.charCodeAt(p) !== 0x2e || !wordBefore(s, p)) continue;
    const name = VARIABLE_SPELLINGS.get(s.slice(pos, p));
    if (name !== undefined) return { name, end: p };
  }
  return null;
}
