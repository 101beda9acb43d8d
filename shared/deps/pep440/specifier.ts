/**
 * PEP 440 version specifiers: parsing and validating clauses (`>=1.0`, `==1.4.*`, `~=2.2`, `===foo`), canonical
 * text, and membership exactly as `packaging` 26's `SpecifierSet.contains` decides it.
 */
import type { SpecifierClause, SpecifierOperator } from '../model';
import { isPythonSpace } from '../python-space';
import {
  comparePublic,
  compareReleases,
  compareVersions,
  isPrerelease,
  makeVersion,
  normalizePublic,
  normalizeVersion,
  parseVersion,
  pythonStrip,
  type Version,
} from './version';

export interface ContainsOptions {
  /**
   * false: no pre-release (or development release) matches. true or absent: they match like any other version.
   * (`packaging` 26 admits a lone candidate pre-release by default, as PEP 440 says to when nothing else matches.)
   */
  readonly prereleases?: boolean;
}

export type ParseClauseResult =
  | { readonly ok: true; readonly clause: SpecifierClause }
  | { readonly ok: false; readonly message: string; readonly hint?: string };

export type ParseSetResult =
  | { readonly ok: true; readonly clauses: SpecifierClause[] }
  | { readonly ok: false; readonly message: string; readonly hint?: string; readonly offset: number };

// ---------------------------------------------------------------------------------------------------------------
// Parsing

const MISSPELT_OPERATOR = /^(?:=>|=<|<>|=~)/;
const WILDCARD_HEAD = /^[vV]?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*$/;

function splitOperator(text: string): { operator: SpecifierOperator; rest: string } | null {
  if (text.startsWith('===')) return { operator: '===', rest: text.slice(3) };
  const two = text.slice(0, 2);
  if (two === '~=' || two === '==' || two === '!=' || two === '<=' || two === '>=') {
    return { operator: two, rest: text.slice(2) };
  }
  const one = text.charAt(0);
  if (one === '<' || one === '>') return { operator: one, rest: text.slice(1) };
  return null;
}

function invalid(text: string, reason: string, hint?: string): ParseClauseResult {
  const message = `\`${text}\` is not a valid version specifier: ${reason}`;
  return hint === undefined ? { ok: false, message } : { ok: false, message, hint };
}

/** Why a clause without a PEP 440 operator is wrong, with the likely fix. */
function missingOperator(text: string): ParseClauseResult {
  const twoCharFixes: Readonly<Record<string, string>> = { '=>': '>=', '=<': '<=', '<>': '!=', '=~': '~=' };
  const fix = twoCharFixes[text.slice(0, 2)];
  if (fix !== undefined) {
    const version = pythonStrip(text.slice(2));
    return invalid(text, `\`${text.slice(0, 2)}\` is not an operator`, `write \`${fix}${version}\``);
  }
  const first = text.charAt(0);
  const rest = pythonStrip(text.slice(1));
  if (first === '=') return invalid(text, '`=` is not an operator', `write \`==${rest}\``);
  if (first === '!') return invalid(text, '`!` is not an operator', `write \`!=${rest}\``);
  if (first === '~') return invalid(text, '`~` is Poetry syntax, not PEP 440', `write \`~=${rest}\``);
  if (first === '^') {
    return invalid(text, '`^` is Poetry syntax, not PEP 440', 'write a range such as `>=1.2,<2`');
  }
  if (text === '' || text === '*')
    return invalid(text, 'there is no operator', 'leave the specifier out to allow any version');
  if (parseVersion(text) !== null || WILDCARD_HEAD.test(text.replace(/\.\*$/, ''))) {
    return invalid(text, 'there is no operator', `write \`==${text}\``);
  }
  return invalid(text, 'it does not start with one of ~= == != <= >= < > ===');
}

/** Validates a clause's version for its operator, as `packaging`'s specifier grammar does. */
function versionProblem(
  operator: SpecifierOperator,
  version: string,
): { reason: string; hint?: string } | null {
  if (operator === '===') {
    for (let k = 0; k < version.length; k++) {
      const code = version.charCodeAt(k);
      if (isPythonSpace(code) || code === 59 || code === 41) {
        return { reason: 'an arbitrary-equality version cannot hold whitespace, `;` or `)`' };
      }
    }
    return null;
  }
  if (version === '') return { reason: 'the version is missing' };
  if (version.endsWith('.*')) {
    const head = version.slice(0, -2);
    if (operator !== '==' && operator !== '!=') {
      if (operator === '~=') {
        return { reason: '`~=` does not take a wildcard', hint: 'a wildcard only goes with == or !=' };
      }
      return {
        reason: 'a wildcard (`.*`) only goes with == or !=',
        hint: 'a wildcard only goes with == or !=',
      };
    }
    if (WILDCARD_HEAD.test(head)) return null;
    if (parseVersion(head) !== null) {
      return {
        reason: 'a wildcard only follows release numbers (no pre-, post-, dev- or local part)',
        hint: `write \`${operator}${releaseOnly(head)}.*\``,
      };
    }
    return { reason: `\`${head}\` is not a valid PEP 440 version` };
  }
  const parsed = parseVersion(version);
  if (parsed === null) return { reason: `\`${version}\` is not a valid PEP 440 version` };
  if (parsed.local !== null && operator !== '==' && operator !== '!=') {
    return {
      reason: 'a local version label (`+…`) only goes with ==, != or ===',
      hint: `write \`${operator}${version.slice(0, version.indexOf('+'))}\``,
    };
  }
  if (operator === '~=' && parsed.release.length < 2) {
    const reason = '`~=` needs at least two release numbers';
    const plain = parsed.pre === null && parsed.post === null && parsed.dev === null;
    return plain ? { reason, hint: `write \`~=${version}.0\`` } : { reason };
  }
  return null;
}

function releaseOnly(head: string): string {
  const parsed = parseVersion(head);
  if (parsed === null) return head;
  return normalizePublic(makeVersion({ epoch: parsed.epoch, release: parsed.release }));
}

/**
 * Parses one clause such as `>=1.0`, `== 1.4.*` or `===foo`, validating it as `packaging.specifiers.Specifier`
 * does. The clause keeps the version as written, trimmed.
 */
export function parseSpecifierClause(text: string): ParseClauseResult {
  const stripped = pythonStrip(text);
  const split = MISSPELT_OPERATOR.test(stripped) ? null : splitOperator(stripped);
  if (split === null) return missingOperator(stripped);
  const version = pythonStrip(split.rest);
  if (
    split.operator !== '===' &&
    (version.startsWith('=') || version.startsWith('<') || version.startsWith('>'))
  ) {
    return invalid(stripped, 'the operator is not one of ~= == != <= >= < > ===');
  }
  const problem = versionProblem(split.operator, version);
  if (problem !== null) return invalid(stripped, problem.reason, problem.hint);
  return { ok: true, clause: { operator: split.operator, version } };
}

/**
 * Parses a comma-separated specifier set as `packaging.specifiers.SpecifierSet` does: whitespace is allowed
 * around clauses, empty pieces are skipped, '' is the empty set. On failure `offset` is the 0-based position of
 * the offending clause.
 */
export function parseSpecifierSet(text: string): ParseSetResult {
  const clauses: SpecifierClause[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    let from = start;
    while (from < end && isPythonSpace(text.charCodeAt(from))) from++;
    const piece = text.slice(from, end);
    if (pythonStrip(piece) !== '') {
      const result = parseSpecifierClause(piece);
      if (!result.ok) {
        return result.hint === undefined
          ? { ok: false, message: result.message, offset: from }
          : { ok: false, message: result.message, hint: result.hint, offset: from };
      }
      clauses.push(result.clause);
    }
    start = end + 1;
  }
  return { ok: true, clauses };
}

/** Canonical text of a clause: the operator, then the version as written, trimmed (`>=1.0`). */
export function formatClause(clause: SpecifierClause): string {
  return clause.operator + pythonStrip(clause.version);
}

/** Canonical text of a set: clauses in the given order, joined by `,` without spaces (`>=1.0,<2`). */
export function formatSpecifier(clauses: readonly SpecifierClause[]): string {
  let text = '';
  for (let k = 0; k < clauses.length; k++) text += (k === 0 ? '' : ',') + formatClause(clauses[k]!);
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled clauses

/** A prefix match (`==X.*`, and the prefix part of `~=`) as `packaging` does it: on split, normalised text. */
export interface PrefixPattern {
  /** `_version_split` of the canonical prefix: epoch, release numbers, then any other pieces. */
  readonly split: readonly string[];
  /** How many leading pieces are digits (the epoch and the release numbers). */
  readonly numericLength: number;
  /** The pieces as numbers when they are all canonical numbers (the usual case), for a faster match. */
  readonly numbers: readonly number[] | null;
}

export type CompiledClause =
  | { readonly kind: 'never' }
  | { readonly kind: 'arbitrary'; readonly lower: string }
  | {
      readonly kind: 'compare';
      readonly operator: '==' | '!=' | '<=' | '>=' | '<' | '>';
      readonly version: Version;
      /** For `<`: the earliest pre-release of the version (`1.0` → `1.0.dev0`). */
      readonly earliest: Version;
    }
  | { readonly kind: 'prefix'; readonly negate: boolean; readonly pattern: PrefixPattern }
  | { readonly kind: 'compatible'; readonly version: Version; readonly pattern: PrefixPattern };

const PREFIX_PIECE = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/;
const DIGITS = /^[0-9]+$/;

/** `packaging.specifiers._version_split`. */
export function versionSplit(text: string): string[] {
  const bang = text.lastIndexOf('!');
  const epoch = bang < 0 ? '' : text.slice(0, bang);
  const rest = bang < 0 ? text : text.slice(bang + 1);
  const result = [epoch === '' ? '0' : epoch];
  for (const item of rest.split('.')) {
    const match = PREFIX_PIECE.exec(item);
    if (match) result.push(match[1]!, match[2]!);
    else result.push(item);
  }
  return result;
}

function numericPrefixLength(split: readonly string[]): number {
  let count = 0;
  while (count < split.length && DIGITS.test(split[count]!)) count++;
  return count;
}

/** `canonicalize_version(text, strip_trailing_zero=False)`: the normalised text, or the text itself if invalid. */
function canonicalText(text: string): string {
  const parsed = parseVersion(text);
  return parsed === null ? text : normalizeVersion(parsed);
}

const CANONICAL_NUMBER = /^(?:0|[1-9][0-9]{0,14})$/;

function prefixPattern(prefix: string): PrefixPattern {
  const split = versionSplit(canonicalText(prefix));
  const numbers = split.every((piece) => CANONICAL_NUMBER.test(piece)) ? split.map(Number) : null;
  return { split, numericLength: numericPrefixLength(split), numbers };
}

function isNotSuffix(piece: string): boolean {
  return !(
    piece.startsWith('dev') ||
    piece.startsWith('a') ||
    piece.startsWith('b') ||
    piece.startsWith('rc') ||
    piece.startsWith('post')
  );
}

/** The prefix `~=` matches, computed from the version text exactly as `packaging` 26 does. */
function compatiblePrefix(version: string): string {
  const pieces = versionSplit(version);
  let kept = 0;
  while (kept < pieces.length && isNotSuffix(pieces[kept]!)) kept++;
  const prefix = pieces.slice(0, Math.max(kept - 1, 0));
  return `${prefix[0] ?? ''}!${prefix.slice(1).join('.')}`;
}

const compiledCache = new Map<string, CompiledClause>();
const NEVER: CompiledClause = { kind: 'never' };

/** A clause ready to test versions against; invalid clauses (not from `parseSpecifierClause`) match nothing. */
export function compileClause(clause: SpecifierClause): CompiledClause {
  const key = clause.operator + '\u0000' + clause.version;
  const cached = compiledCache.get(key);
  if (cached !== undefined) return cached;
  const compiled = compileUncached(clause.operator, pythonStrip(clause.version));
  if (compiledCache.size >= 4096) compiledCache.clear();
  compiledCache.set(key, compiled);
  return compiled;
}

function compileUncached(operator: SpecifierOperator, version: string): CompiledClause {
  if (versionProblem(operator, version) !== null) return NEVER;
  if (operator === '===') return { kind: 'arbitrary', lower: version.toLowerCase() };
  if (version.endsWith('.*')) {
    return { kind: 'prefix', negate: operator === '!=', pattern: prefixPattern(version.slice(0, -2)) };
  }
  const parsed = parseVersion(version);
  if (parsed === null) return NEVER;
  if (operator === '~=') {
    return { kind: 'compatible', version: parsed, pattern: prefixPattern(compatiblePrefix(version)) };
  }
  const earliest = makeVersion({ ...parsed, dev: 0, local: null });
  return { kind: 'compare', operator, version: parsed, earliest };
}

// ---------------------------------------------------------------------------------------------------------------
// Membership

/** The pieces `_version_split` gives for a version's public part, without building the text. */
function publicPieces(v: Version): string[] {
  const pieces = [String(v.epoch)];
  for (const n of v.release) pieces.push(String(n));
  if (v.pre !== null) pieces.push(v.pre[0] + String(v.pre[1]));
  if (v.post !== null) pieces.push('post' + String(v.post));
  if (v.dev !== null) pieces.push('dev' + String(v.dev));
  return pieces;
}

/** `Specifier._compare_equal` for a prefix: pad the release with zeros, cut to the pattern's length, compare. */
export function prefixMatches(pattern: PrefixPattern, v: Version): boolean {
  const numbers = pattern.numbers;
  if (numbers !== null) {
    if (v.epoch !== numbers[0]) return false;
    for (let k = 1; k < numbers.length; k++) if ((v.release[k - 1] ?? 0) !== numbers[k]) return false;
    return true;
  }
  const pieces = publicPieces(v);
  const numeric = 1 + v.release.length;
  const padding = pattern.numericLength - numeric;
  const padded =
    padding > 0
      ? [...pieces.slice(0, numeric), ...new Array<string>(padding).fill('0'), ...pieces.slice(numeric)]
      : pieces;
  if (padded.length < pattern.split.length) return false;
  for (let k = 0; k < pattern.split.length; k++) {
    if (padded[k] !== pattern.split[k]) return false;
  }
  return true;
}

function samePre(a: Version, b: Version): boolean {
  if (a.pre === null || b.pre === null) return a.pre === b.pre;
  return a.pre[0] === b.pre[0] && a.pre[1] === b.pre[1];
}

/** Does a (parsed) candidate match a compiled clause? `text` is the candidate as given, for `===`. */
export function compiledMatches(clause: CompiledClause, v: Version, text: string): boolean {
  switch (clause.kind) {
    case 'never':
      return false;
    case 'arbitrary':
      return text.toLowerCase() === clause.lower;
    case 'prefix':
      return prefixMatches(clause.pattern, v) !== clause.negate;
    case 'compatible':
      return comparePublic(v, clause.version) >= 0 && prefixMatches(clause.pattern, v);
    case 'compare':
      return compareMatches(clause.operator, clause.version, clause.earliest, v);
  }
}

function compareMatches(
  operator: '==' | '!=' | '<=' | '>=' | '<' | '>',
  spec: Version,
  earliest: Version,
  v: Version,
): boolean {
  switch (operator) {
    case '==':
      return spec.local === null ? comparePublic(v, spec) === 0 : compareVersions(v, spec) === 0;
    case '!=':
      return spec.local === null ? comparePublic(v, spec) !== 0 : compareVersions(v, spec) !== 0;
    case '<=':
      return comparePublic(v, spec) <= 0;
    case '>=':
      return comparePublic(v, spec) >= 0;
    case '<':
      if (compareVersions(v, spec) >= 0) return false;
      return isPrerelease(spec) || !isPrerelease(v) || compareVersions(v, earliest) < 0;
    case '>': {
      if (compareVersions(v, spec) <= 0) return false;
      const postOfSpec =
        spec.post === null &&
        spec.dev === null &&
        v.post !== null &&
        v.epoch === spec.epoch &&
        compareReleases(v.release, spec.release) === 0 &&
        samePre(v, spec);
      if (postOfSpec) return false;
      return !(v.local !== null && comparePublic(v, spec) === 0);
    }
  }
}

/**
 * Is `version` in the set all `clauses` allow? Exactly `packaging` 26's `SpecifierSet(...).contains(version,
 * prereleases=...)`: an empty set admits anything (even text that is not a version) unless `prereleases` is
 * false and it is a pre-release; text that is not a version only matches `===` clauses.
 */
export function specifierContains(
  clauses: readonly SpecifierClause[],
  version: string,
  options?: ContainsOptions,
): boolean {
  const parsed = parseVersion(version);
  if (clauses.length === 0) return parsed === null || options?.prereleases !== false || !isPrerelease(parsed);
  if (parsed === null) {
    const lower = version.toLowerCase();
    for (const clause of clauses) {
      const compiled = compileClause(clause);
      if (compiled.kind !== 'arbitrary' || compiled.lower !== lower) return false;
    }
    return true;
  }
  if (options?.prereleases === false && isPrerelease(parsed)) return false;
  for (const clause of clauses) {
    if (!compiledMatches(compileClause(clause), parsed, version)) return false;
  }
  return true;
}

/** One clause's verdict, with the same semantics as `specifierContains([clause], ...)`. */
export function clauseContains(clause: SpecifierClause, version: string, options?: ContainsOptions): boolean {
  return specifierContains([clause], version, options);
}
