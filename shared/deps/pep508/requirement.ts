/**
 * A hand-written recursive-descent parser for PEP 508 requirements and environment markers. It follows the
 * grammar of `packaging` 26.2 (`packaging._parser`) token for token, so it accepts and rejects the same strings
 * (see test/fixtures/deps/pep508/packaging-cases.json), and it reports 0-based offsets and hints of its own.
 */
import {
  MARKER_VARIABLES,
  type Marker,
  type MarkerOperand,
  type MarkerOperator,
  type Requirement,
  type SpecifierClause,
} from '../model';
import { formatSpecifier, parseSpecifierClause } from '../pep440';
import { formatMarker } from './marker';
import { normalizeExtra, normalizeName } from './names';
import {
  isAsciiAlnum,
  isBlank,
  isDigit,
  isEnd,
  isSeparator,
  isWholeSpecifier,
  matchIdentifier,
  matchLocalLabel,
  matchOperator,
  matchSpecifier,
  matchVariable,
  readQuoted,
  skipBlanks,
  wordAfter,
  wordBefore,
} from './scan';

/** What parseRequirement returns: the requirement, or why the text is not one. */
export type ParseRequirementResult =
  | { readonly ok: true; readonly requirement: Requirement }
  | { readonly ok: false; readonly message: string; readonly hint?: string; readonly offset: number };

/** What parseMarker returns: the marker, or why the text is not one. */
export type ParseMarkerResult =
  | { readonly ok: true; readonly marker: Marker }
  | { readonly ok: false; readonly message: string; readonly hint?: string; readonly offset: number };

/** A syntax error on its way out of the parser; thrown, and caught at the two entry points. */
class Failure {
  constructor(
    readonly message: string,
    readonly offset: number,
    readonly hint: string | undefined,
  ) {}
}

const VALID_VARIABLES = `valid ones: ${MARKER_VARIABLES.join(', ')}`;

const OPERAND_STOP = new Set([...' \t\r\n()\'";,<>=!~'].map((c) => c.charCodeAt(0)));

function failureResult(f: Failure): { ok: false; message: string; hint?: string; offset: number } {
  return f.hint === undefined
    ? { ok: false, message: f.message, offset: f.offset }
    : { ok: false, message: f.message, hint: f.hint, offset: f.offset };
}

/** `scheme://` (or `file:`) at `pos`: the text looks like a URL. */
function looksLikeUrl(s: string, pos: number): boolean {
  let i = pos;
  const c = s.charCodeAt(i);
  if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return false;
  while (i < s.length) {
    const d = s.charCodeAt(i);
    if (
      (d >= 0x41 && d <= 0x5a) ||
      (d >= 0x61 && d <= 0x7a) ||
      isDigit(d) ||
      d === 0x2b ||
      d === 0x2e ||
      d === 0x2d
    ) {
      i++;
    } else break;
  }
  return s.startsWith('://', i) || (s.slice(pos, i).toLowerCase() === 'file' && s.charCodeAt(i) === 0x3a);
}

/** The text from `pos` up to the next space, tab or line break. */
function runToBlank(s: string, pos: number): string {
  let e = pos;
  while (e < s.length) {
    const c = s.charCodeAt(e);
    if (isBlank(c) || c === 0x0a || c === 0x0d) break;
    e++;
  }
  return s.slice(pos, e);
}

/** Deeper nesting than this is refused (packaging 26.2 on Python 3.11 runs out of stack at about 490). */
const MAX_NESTING = 200;

class Parser {
  pos = 0;
  depth = 0;
  nameEnd = -1;
  /** Where the last version clause read starts and ends, for messages about what follows it. */
  clauseStart = -1;
  clauseEnd = -1;

  constructor(readonly s: string) {}

  fail(message: string, offset: number, hint?: string): never {
    throw new Failure(message, offset, hint);
  }

  blanks(): void {
    this.pos = skipBlanks(this.s, this.pos);
  }

  char(): number {
    return this.s.charCodeAt(this.pos);
  }

  describe(pos: number): string {
    if (pos >= this.s.length) return 'the end';
    const cp = this.s.codePointAt(pos) ?? 0;
    if (cp === 0x0a) return 'a line break';
    if (cp === 0x60) return '"`"';
    return `\`${String.fromCodePoint(cp)}\``;
  }

  // ---------------------------------------------------------------------------------------------------------
  // requirement = WS? IDENTIFIER WS? extras WS? (AT WS? URL (WS marker?)? | specifier WS? marker?) END
  // ---------------------------------------------------------------------------------------------------------
  requirement(): Requirement {
    const s = this.s;
    this.blanks();
    const nameStart = this.pos;
    const nameEnd = matchIdentifier(s, nameStart);
    if (nameEnd < 0) this.failName();
    const name = s.slice(nameStart, nameEnd);
    this.pos = nameEnd;
    this.nameEnd = nameEnd;
    this.blanks();

    let extras: string[] = [];
    let extrasOffset: number | undefined;
    if (this.char() === 0x5b) {
      extrasOffset = this.pos;
      extras = this.extras();
    }
    this.blanks();

    let url: string | null = null;
    let urlOffset: number | undefined;
    let clauses: SpecifierClause[] = [];
    let specifierOffset: number | undefined;
    let marker: Marker | null = null;
    let markerOffset: number | undefined;

    if (this.char() === 0x40) {
      const at = this.pos;
      this.pos++;
      this.blanks();
      const start = this.pos;
      let end = start;
      while (end < s.length && !isBlank(s.charCodeAt(end))) end++;
      if (end === start) {
        this.fail('Expected a URL after `@`', at, `write \`${name} @ https://…\` or remove the \`@\``);
      }
      url = s.slice(start, end);
      urlOffset = start;
      this.pos = end;
      if (!isEnd(s, this.pos)) {
        this.blanks();
        if (!isEnd(s, this.pos)) {
          if (this.char() !== 0x3b) this.failAfterUrl(url, start);
          this.pos++;
          this.blanks();
          markerOffset = this.pos;
          marker = this.markerExpression('after `;`');
          this.blanks();
        }
      }
    } else {
      const start = this.pos;
      let open = -1;
      if (this.char() === 0x28) {
        open = this.pos;
        this.pos++;
      }
      this.blanks();
      const first = this.pos;
      clauses = this.versionMany();
      this.blanks();
      if (open >= 0) {
        if (this.char() !== 0x29) this.failUnclosed(open, '(', ')', clauses.length > 0, nameStart);
        this.pos++;
      }
      if (clauses.length > 0 || open >= 0) specifierOffset = open >= 0 ? start : first;
      this.blanks();
      if (!isEnd(s, this.pos)) {
        if (this.char() !== 0x3b) this.failAfterSpecifier(nameStart, clauses.length > 0, extras.length > 0);
        this.pos++;
        this.blanks();
        markerOffset = this.pos;
        marker = this.markerExpression('after `;`');
        this.blanks();
      }
    }
    if (!isEnd(s, this.pos)) this.failTrailing(marker !== null);

    const normalizedExtras: string[] = [];
    for (const extra of extras) {
      const normal = normalizeExtra(extra);
      if (!normalizedExtras.includes(normal)) normalizedExtras.push(normal);
    }
    const offsets: { name: number; extras?: number; specifier?: number; marker?: number; url?: number } = {
      name: nameStart,
    };
    if (extrasOffset !== undefined) offsets.extras = extrasOffset;
    if (specifierOffset !== undefined) offsets.specifier = specifierOffset;
    if (markerOffset !== undefined && marker !== null) offsets.marker = markerOffset;
    if (urlOffset !== undefined) offsets.url = urlOffset;
    return {
      name,
      normalizedName: normalizeName(name),
      extras: normalizedExtras,
      clauses,
      specifier: formatSpecifier(clauses),
      marker,
      markerText: marker === null ? null : formatMarker(marker),
      url,
      offsets,
    };
  }

  failName(): never {
    const s = this.s;
    const pos = this.pos;
    if (isEnd(s, pos)) this.fail('The requirement is empty: expected a package name', pos);
    const c = s.charCodeAt(pos);
    if (isAsciiAlnum(c)) {
      // Only a letter or number of another script right after the name stops an identifier that starts well.
      let end = pos;
      while (end < s.length && (isAsciiAlnum(s.charCodeAt(end)) || isSeparator(s.charCodeAt(end)))) end++;
      this.fail(
        `A package name contains only ASCII letters, digits, \`.\`, \`_\` and \`-\`, not ${this.describe(end)}`,
        end,
      );
    }
    if (c === 0x2d) {
      this.fail(
        'Expected a package name, not an option',
        pos,
        'options such as `-r`, `-c` and `-e` belong on their own line of a requirements file',
      );
    }
    if (c === 0x2e || c === 0x2f || c === 0x5c || c === 0x7e) {
      this.fail(
        'Expected a package name, not a path',
        pos,
        'a local project needs a name here: write `name @ file:///absolute/path`',
      );
    }
    if (c === 0x23) this.fail('Expected a package name, found a comment', pos);
    if (c === 0x5b) this.fail('Expected a package name before the extras', pos, 'write `name[extra]`');
    if (c === 0x5f || c > 0x7f) {
      this.fail(
        'A package name starts with an ASCII letter or digit and contains only letters, digits, `.`, `_` and `-`',
        pos,
      );
    }
    this.fail(`Expected a package name at the start, found ${this.describe(pos)}`, pos);
  }

  // extras = '[' WS? (IDENTIFIER (WS? ',' WS? IDENTIFIER)*)? WS? ']'
  extras(): string[] {
    const s = this.s;
    const open = this.pos;
    this.pos++;
    this.blanks();
    const extras: string[] = [];
    let end = matchIdentifier(s, this.pos);
    if (end >= 0) {
      extras.push(s.slice(this.pos, end));
      this.pos = end;
      for (;;) {
        this.blanks();
        if (matchIdentifier(s, this.pos) >= 0) {
          this.fail('Expected `,` between extra names', this.pos, 'separate extras with commas: `name[a,b]`');
        }
        if (this.char() !== 0x2c) break;
        this.pos++;
        this.blanks();
        end = matchIdentifier(s, this.pos);
        if (end < 0) {
          if (this.char() === 0x5d) {
            this.fail('Expected an extra name after `,`', this.pos, 'remove the trailing comma');
          }
          this.fail(`Expected an extra name after \`,\`, found ${this.describe(this.pos)}`, this.pos);
        }
        extras.push(s.slice(this.pos, end));
        this.pos = end;
      }
    }
    this.blanks();
    if (this.char() !== 0x5d) this.failUnclosed(open, '[', ']', true, -1);
    this.pos++;
    return extras;
  }

  /** An opening bracket with no closing one where it should be: unbalanced, or something odd inside. */
  failUnclosed(open: number, opener: string, closer: string, after: boolean, nameStart: number): never {
    const s = this.s;
    if (s.indexOf(closer, this.pos) < 0) {
      this.fail(
        `Unbalanced ${opener === '[' ? 'brackets' : 'parentheses'}: this \`${opener}\` is never closed`,
        open,
        `add \`${closer}\` after the ${opener === '[' ? 'extras' : 'version specifier'}`,
      );
    }
    if (opener === '[') {
      this.fail(
        `Unexpected ${this.describe(this.pos)} in the extras`,
        this.pos,
        'extra names contain only letters, digits, `.`, `_` and `-`, separated by commas',
      );
    }
    if (nameStart >= 0) this.failAfterSpecifier(nameStart, after, false, true);
    this.fail(`Expected \`${closer}\`, found ${this.describe(this.pos)}`, this.pos);
  }

  // version_many = (SPECIFIER (WS? ',' WS? SPECIFIER)*)? — a trailing comma is allowed, as in packaging.
  versionMany(): SpecifierClause[] {
    const s = this.s;
    const clauses: SpecifierClause[] = [];
    for (;;) {
      const token = matchSpecifier(s, this.pos);
      if (token === null) break;
      const start = this.pos;
      this.pos = token.end;
      if (s.charCodeAt(this.pos) === 0x2e && s.charCodeAt(this.pos + 1) === 0x2a) {
        const version = s.slice(token.versionStart, token.end);
        this.fail(
          `\`${token.operator}${version}.*\`: \`.*\` cannot be used with \`${token.operator}\``,
          start,
          `a wildcard only goes with == or !=: write \`==${version}.*\`, or \`${token.operator}${version}\``,
        );
      }
      const localEnd = matchLocalLabel(s, this.pos, true);
      if (localEnd > this.pos) {
        const version = s.slice(token.versionStart, token.end);
        this.fail(
          `\`${token.operator}${version}${s.slice(this.pos, localEnd)}\`: a local version label cannot be used with \`${token.operator}\``,
          start,
          `a local version (\`+…\`) only goes with == or !=: write \`${token.operator}${version}\``,
        );
      }
      this.addClauses(token.operator, token.versionStart, token.end, start, clauses);
      this.clauseStart = start;
      this.clauseEnd = token.end;
      this.blanks();
      if (this.char() !== 0x2c) break;
      this.pos++;
      this.blanks();
    }
    return clauses;
  }

  addClauses(
    operator: SpecifierClause['operator'],
    versionStart: number,
    end: number,
    start: number,
    into: SpecifierClause[],
  ): void {
    const s = this.s;
    if (operator !== '===') {
      const parsed = parseSpecifierClause(operator + s.slice(versionStart, end));
      if (!parsed.ok) this.fail(parsed.message, start, parsed.hint);
      into.push(parsed.clause);
      return;
    }
    // `===` takes everything up to a space, `;` or `)`, commas included; packaging then splits the specifier
    // on commas, so `===a,<2` is two clauses and every piece after the first must be a whole specifier.
    const text = s.slice(versionStart, end);
    const comma = text.indexOf(',');
    if (comma < 0) {
      into.push({ operator: '===', version: text });
      return;
    }
    into.push({ operator: '===', version: text.slice(0, comma) });
    let pieceStart = versionStart + comma + 1;
    for (const piece of text.slice(comma + 1).split(',')) {
      if (piece !== '') {
        if (!isWholeSpecifier(piece)) {
          this.fail(
            `\`${piece}\` is not a valid version specifier`,
            pieceStart,
            'an `===` clause runs up to the next space, `;` or `)`, commas included: write it last',
          );
        }
        if (piece.startsWith('===')) {
          into.push({ operator: '===', version: piece.slice(3) });
        } else {
          const parsed = parseSpecifierClause(piece);
          if (!parsed.ok) this.fail(parsed.message, pieceStart, parsed.hint);
          into.push(parsed.clause);
        }
      }
      pieceStart += piece.length + 1;
    }
  }

  /** After the name, extras and version specifier there is something other than `;` or the end. */
  failAfterSpecifier(nameStart: number, hasClauses: boolean, hasExtras: boolean, inParens = false): never {
    const s = this.s;
    const pos = this.pos;
    const c = s.charCodeAt(pos);
    const before = s.slice(nameStart, pos).trimEnd();
    const rest = s.slice(pos).trimEnd();
    const afterBlank = pos > 0 && isBlank(s.charCodeAt(pos - 1));
    const next = s.charCodeAt(pos + 1);
    if (c === 0x3d && next !== 0x3d && next !== 0x3c && next !== 0x3e && next !== 0x7e) {
      this.fail('`=` is not a version operator', pos, `write \`${s.slice(nameStart, pos)}=${rest}\``);
    }
    const clauseEnd = (from: number): number => {
      let end = from;
      while (end < s.length && '<>=!~^'.includes(s.charAt(end))) end++;
      end = skipBlanks(s, end);
      while (end < s.length && !isBlank(s.charCodeAt(end)) && !',;)'.includes(s.charAt(end))) end++;
      return end;
    };
    if (hasClauses && pos === this.clauseEnd && c !== 0x2c && c !== 0x3b && c !== 0x29 && !isBlank(c)) {
      // The version goes on past what PEP 440 allows (`==1.0abc`, `>=1.0+Abc`): judge the whole clause.
      const clause = s.slice(this.clauseStart, clauseEnd(this.clauseStart));
      const parsed = parseSpecifierClause(clause);
      if (!parsed.ok) this.fail(parsed.message, this.clauseStart, parsed.hint);
    }
    if (matchOperator(s, pos) !== null || c === 0x3d || c === 0x21 || c === 0x5e || c === 0x7e) {
      if (hasClauses && matchSpecifier(s, pos) !== null) {
        const clause = s.slice(pos, clauseEnd(pos));
        const head = before.slice(before.search(/[<>=!~(]/));
        if (head.endsWith(',')) {
          this.fail(
            'An `===` version runs up to the next space, commas included, so this clause is left over',
            pos,
            `remove the space after the comma (\`${head}${clause}\`), or write the \`===\` clause last`,
          );
        }
        this.fail(
          'Expected `,` between version clauses',
          pos,
          `separate clauses with commas: \`${head},${clause}\``,
        );
      }
      const clause = s.slice(pos, clauseEnd(pos));
      const parsed = parseSpecifierClause(clause);
      if (!parsed.ok) this.fail(parsed.message, pos, parsed.hint);
      this.fail(`\`${clause}\` is not a valid version specifier`, pos);
    }
    if (c === 0x2c) this.fail('Expected a version clause after `,`', pos, 'remove the extra comma');
    if (c === 0x40 && hasClauses) {
      this.fail(
        'A requirement has a version specifier or a URL, not both',
        pos,
        'drop the version specifier: `name @ url` installs whatever the URL holds',
      );
    }
    if (c === 0x29) this.fail('Unbalanced parentheses: this `)` has no `(` to close', pos, 'remove the `)`');
    if (c === 0x5d) this.fail('Unbalanced brackets: this `]` has no `[` to close', pos, 'remove the `]`');
    if (!inParens) {
      if (!hasClauses && !hasExtras && pos === this.nameEnd && looksLikeUrl(s, nameStart)) {
        this.fail(
          'A URL needs a package name and `@`',
          nameStart,
          `write \`name @ ${runToBlank(s, nameStart)}\` with the package's name`,
        );
      }
      if (!hasClauses && !hasExtras && pos === this.nameEnd && (c === 0x2e || c === 0x2d)) {
        this.fail(
          'A package name cannot end with `.` or `-`',
          pos,
          'a name ends with a letter, a digit or `_`',
        );
      }
      const path = s.startsWith('./', pos) || s.startsWith('../', pos) || c === 0x2f;
      if (afterBlank && (looksLikeUrl(s, pos) || (!hasClauses && path))) {
        this.fail('A URL needs `@` before it', pos, `write \`${before} @ ${rest}\``);
      }
      if (afterBlank && matchVariable(s, pos) !== null) {
        this.fail('Expected `;` before the marker', pos, `write \`${before}; ${rest}\``);
      }
      if (afterBlank && !hasClauses && isDigit(c)) {
        this.fail('A version needs an operator', pos, `write \`${before}==${runToBlank(s, pos)}\``);
      }
    }
    if (inParens) {
      this.fail(`Expected \`,\` or \`)\` in the version specifier, found ${this.describe(pos)}`, pos);
    }
    this.fail(
      hasClauses
        ? `Expected \`,\`, \`;\` or the end after the version specifier, found ${this.describe(pos)}`
        : `Expected a version specifier, \`@\`, \`;\` or the end after the name, found ${this.describe(pos)}`,
      pos,
    );
  }

  failAfterUrl(url: string, urlStart: number): never {
    const pos = this.pos;
    const name = this.s.slice(0, urlStart).trim();
    const rest = this.s.slice(pos).trimEnd();
    if (url.endsWith(';')) {
      this.fail(
        'Expected `;` before the marker: the URL swallowed it',
        pos,
        `a URL runs up to the next space, so put one before \`;\`: \`${name} ${url.slice(0, -1)} ; ${rest}\``,
      );
    }
    this.fail(
      `Expected \`;\` or the end after the URL, found ${this.describe(pos)}`,
      pos,
      `a marker after a URL needs \` ; \` before it: \`${name} ${url} ; ${rest}\``,
    );
  }

  /** Text left over after a complete requirement or marker. */
  failTrailing(afterMarker: boolean): never {
    const s = this.s;
    const pos = this.pos;
    const c = s.charCodeAt(pos);
    if (c === 0x29) this.fail('Unbalanced parentheses: this `)` has no `(` to close', pos, 'remove the `)`');
    if (afterMarker) {
      const word = s.slice(pos, pos + 3);
      if (/^(and|or)\b/i.test(s.slice(pos, pos + 4))) {
        const op = word.toLowerCase().startsWith('or') ? 'or' : 'and';
        this.fail(`Unexpected ${this.describe(pos)}`, pos, `write \`${op}\` in lower case`);
      }
      if (s.startsWith('&&', pos)) this.fail('`&&` is not a marker operator', pos, 'write `and`');
      if (s.startsWith('||', pos)) this.fail('`||` is not a marker operator', pos, 'write `or`');
      this.fail(`Expected \`and\`, \`or\` or the end of the marker, found ${this.describe(pos)}`, pos);
    }
    this.fail(`Unexpected text at the end: ${this.describe(pos)}`, pos);
  }

  // ---------------------------------------------------------------------------------------------------------
  // marker = atom (('and' | 'or') atom)*, with `and` binding tighter than `or`; both are left-associative.
  // ---------------------------------------------------------------------------------------------------------
  markerExpression(context: string): Marker {
    let conjunction = this.atom(context);
    let disjunction: Marker | null = null;
    for (;;) {
      const op = this.booleanOperator();
      if (op === null) break;
      this.pos += op.length;
      const right = this.atom(`after \`${op}\``);
      if (op === 'and') {
        conjunction = { type: 'and', left: conjunction, right };
      } else {
        disjunction =
          disjunction === null ? conjunction : { type: 'or', left: disjunction, right: conjunction };
        conjunction = right;
      }
    }
    return disjunction === null ? conjunction : { type: 'or', left: disjunction, right: conjunction };
  }

  booleanOperator(): 'and' | 'or' | null {
    const s = this.s;
    const pos = this.pos;
    if (wordBefore(s, pos)) return null;
    if (s.startsWith('or', pos) && !wordAfter(s, pos + 2)) return 'or';
    if (s.startsWith('and', pos) && !wordAfter(s, pos + 3)) return 'and';
    return null;
  }

  // atom = WS? '(' WS? marker WS? ')' WS? | WS? item WS?
  atom(context: string): Marker {
    this.blanks();
    let marker: Marker;
    if (this.char() === 0x28) {
      const open = this.pos;
      if (++this.depth > MAX_NESTING) this.fail(`Parentheses nested more than ${MAX_NESTING} deep`, open);
      this.pos++;
      this.blanks();
      marker = this.markerExpression('after `(`');
      this.depth--;
      this.blanks();
      if (this.char() !== 0x29) {
        if (this.s.indexOf(')', this.pos) < 0) {
          this.fail(
            'Unbalanced parentheses: this `(` is never closed',
            open,
            'add `)` at the end of the group',
          );
        }
        this.fail(`Expected \`and\`, \`or\` or \`)\`, found ${this.describe(this.pos)}`, this.pos);
      }
      this.pos++;
    } else {
      marker = this.item(context);
    }
    this.blanks();
    return marker;
  }

  // item = operand WS? operator WS? operand
  item(context: string): Marker {
    let left = this.operand(null, null, context);
    this.blanks();
    const operator = this.markerOperator(left);
    this.blanks();
    let right = this.operand(left, operator, `after \`${operator}\``);
    // PEP 685: the value compared with `extra` is normalised (packaging does the same, also to a variable).
    if (left.type === 'variable' && left.name === 'extra') {
      right = { type: 'string', value: normalizeExtra(right.type === 'string' ? right.value : right.name) };
    } else if (right.type === 'variable' && right.name === 'extra') {
      left = { type: 'string', value: normalizeExtra(left.type === 'string' ? left.value : left.name) };
    }
    return { type: 'compare', left, operator, right };
  }

  operand(left: MarkerOperand | null, operator: MarkerOperator | null, context: string): MarkerOperand {
    const s = this.s;
    const variable = matchVariable(s, this.pos);
    if (variable !== null) {
      this.pos = variable.end;
      return { type: 'variable', name: variable.name };
    }
    const c = this.char();
    if (c === 0x22 || c === 0x27) {
      const quoted = readQuoted(s, this.pos);
      if (quoted === null) {
        this.fail(
          `Unterminated string: this ${c === 0x22 ? "'\"'" : '"\'"'} is never closed`,
          this.pos,
          'close the string with the same quote',
        );
      }
      if (!quoted.ok) this.fail(quoted.message, quoted.offset);
      this.pos = quoted.end;
      return { type: 'string', value: quoted.value };
    }
    return this.failOperand(left, operator, context);
  }

  failOperand(left: MarkerOperand | null, operator: MarkerOperator | null, context: string): never {
    const s = this.s;
    const pos = this.pos;
    let end = pos;
    while (end < s.length && !OPERAND_STOP.has(s.charCodeAt(end))) end++;
    const word = s.slice(pos, end);
    if (isEnd(s, pos)) {
      this.fail(
        `Expected a marker${left === null ? '' : ' value'}${context === '' ? '' : ` ${context}`}, found the end`,
        pos,
        left === null
          ? 'a marker compares a variable with a quoted string, e.g. `python_version < "3.9"`'
          : undefined,
      );
    }
    if (word === '') {
      this.fail(
        `Expected a marker variable or quoted string${context === '' ? '' : ` ${context}`}, found ${this.describe(pos)}`,
        pos,
      );
    }
    if (left !== null && operator !== null && left.type === 'variable') {
      this.fail(
        `Unquoted value \`${word}\` in the marker`,
        pos,
        `quote the value: ${left.name} ${operator} "${word}"`,
      );
    }
    if (isDigit(word.charCodeAt(0))) {
      this.fail(`Unquoted value \`${word}\` in the marker`, pos, `quote the value: "${word}"`);
    }
    const guess = word.toLowerCase().replace(/[-.]/g, '_');
    const known = (MARKER_VARIABLES as readonly string[]).includes(guess)
      ? guess
      : guess === 'python_implementation'
        ? 'platform_python_implementation'
        : null;
    this.fail(
      `Unknown marker variable \`${word}\``,
      pos,
      known !== null ? `write \`${known}\` (${VALID_VARIABLES})` : VALID_VARIABLES,
    );
  }

  // operator = 'in' | 'not' WS 'in' | '===' | '==' | '~=' | '!=' | '<=' | '>=' | '<' | '>'
  markerOperator(left: MarkerOperand): MarkerOperator {
    const s = this.s;
    const pos = this.pos;
    if (!wordBefore(s, pos)) {
      if (s.startsWith('in', pos) && !wordAfter(s, pos + 2)) {
        this.pos += 2;
        return 'in';
      }
      if (s.startsWith('not', pos) && !wordAfter(s, pos + 3)) {
        this.pos += 3;
        if (!isBlank(this.char())) this.fail('Expected a space after `not`', this.pos, 'write `not in`');
        this.blanks();
        if (!(s.startsWith('in', this.pos) && !wordAfter(s, this.pos + 2))) {
          this.fail('Expected `in` after `not`', this.pos, 'write `not in`');
        }
        this.pos += 2;
        return 'not in';
      }
    }
    const operator = matchOperator(s, pos);
    if (operator !== null) {
      this.pos += operator.length;
      return operator;
    }
    const leftText = left.type === 'variable' ? left.name : `"${left.value}"`;
    if (s.charCodeAt(pos) === 0x3d) this.fail('`=` is not a marker operator', pos, 'write `==`');
    this.fail(
      `Expected a marker operator after ${leftText}, found ${this.describe(pos)}`,
      pos,
      'marker operators: ==, !=, <, <=, >, >=, ~=, ===, in, not in',
    );
  }
}

/**
 * Parses one PEP 508 requirement (`name[extras] specifier ; marker` or `name[extras] @ url ; marker`). Never
 * throws: a text that is not a requirement gives `ok: false` with a message, a hint when there is a likely
 * correction, and the 0-based offset of the offending text.
 */
export function parseRequirement(text: string): ParseRequirementResult {
  const parser = new Parser(text);
  try {
    return { ok: true, requirement: parser.requirement() };
  } catch (error) {
    if (error instanceof Failure) return failureResult(error);
    throw error;
  }
}

/** Parses an environment marker on its own (as `packaging.markers.Marker` does), e.g. a Poetry `markers` value. */
export function parseMarker(text: string): ParseMarkerResult {
  const parser = new Parser(text);
  try {
    const marker = parser.markerExpression('');
    if (!isEnd(text, parser.pos)) parser.failTrailing(true);
    return { ok: true, marker };
  } catch (error) {
    if (error instanceof Failure) return failureResult(error);
    throw error;
  }
}

/**
 * Canonical PEP 508 text for a requirement: `name[a,b]>=1.0,<2; python_version < "3.9"`, or
 * `name[a] @ url ; marker` for a direct reference. Parsing the result gives back an equal requirement.
 */
export function formatRequirement(r: Requirement): string {
  let out = r.name;
  if (r.extras.length > 0) out += `[${r.extras.join(',')}]`;
  if (r.url !== null) {
    out += ` @ ${r.url}`;
    if (r.marker !== null) out += ' ';
  } else {
    out += formatSpecifier(r.clauses);
  }
  if (r.marker !== null) out += `; ${formatMarker(r.marker)}`;
  return out;
}
