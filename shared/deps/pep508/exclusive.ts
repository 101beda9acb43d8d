/**
 * Whether two markers can never both hold: the question behind "these two pins conflict only if they can be
 * installed together". Sound rather than complete: `true` is a proof, `false` may just mean "could not tell".
 */
import type { Marker, MarkerOperator, MarkerVariable, SpecifierClause } from '../model';
import {
  compareVersions,
  normalizeVersion,
  parseSpecifierClause,
  parseVersion,
  satisfiable,
} from '../pep440';
import { chainOperands } from './marker';
import { isWholeSpecifier, pyStrip } from './scan';

/** Past this many conjunctions in one marker's DNF, give up (and answer "not exclusive"). */
export const MAX_CONJUNCTIONS = 64;

type Comparison = Marker & { readonly type: 'compare' };

/** The string-valued variables whose constraints can prove exclusivity. */
const STRING_VARIABLES: ReadonlySet<MarkerVariable> = new Set<MarkerVariable>([
  'sys_platform',
  'platform_system',
  'platform_machine',
  'os_name',
  'implementation_name',
]);

/** Longest `in` literal whose substrings are enumerated; a longer one is given up on (satisfiable). */
const MAX_IN_LENGTH = 64;

/** What one conjunction says about one string variable. */
interface StringConstraints {
  readonly equal: Set<string>;
  readonly notEqual: string[];
  /** `var in "L"`: the value is a substring of L. */
  readonly within: string[];
  readonly notWithin: string[];
  /** `"S" in var`: the value contains S. */
  readonly contains: string[];
  readonly notContains: string[];
}

/** What one conjunction says, on the variables that can prove exclusivity. */
interface Summary {
  /** Constraints on python_full_version (python_version ones mapped onto it). */
  readonly versions: SpecifierClause[];
  /** Some python_version constraint no Python version meets. */
  empty: boolean;
  readonly strings: Map<MarkerVariable, StringConstraints>;
}

/** Whether a comparison can help prove exclusivity (a listed variable against a literal). */
function relevant(m: Comparison): boolean {
  const variable = m.left.type === 'variable' ? m.left : m.right.type === 'variable' ? m.right : null;
  if (variable === null || (m.left.type === 'variable' && m.right.type === 'variable')) return false;
  const name = variable.name;
  return STRING_VARIABLES.has(name) || name === 'python_version' || name === 'python_full_version';
}

/**
 * The DNF of a marker as a list of conjunctions of comparisons, or null past MAX_CONJUNCTIONS. Comparisons that
 * cannot prove anything are taken as true (a looser marker, so still sound), which keeps the DNF small.
 */
function toDnf(m: Marker): Comparison[][] | null {
  if (m.type === 'compare') return relevant(m) ? [[m]] : [[]];
  const parts = chainOperands(m, m.type);
  if (m.type === 'or') {
    const out: Comparison[][] = [];
    for (const part of parts) {
      const sub = toDnf(part);
      if (sub === null) return null;
      if (sub.some((c) => c.length === 0)) return [[]]; // true or anything is true
      if (out.length + sub.length > MAX_CONJUNCTIONS) return null;
      out.push(...sub);
    }
    return out;
  }
  let out: Comparison[][] = [[]];
  for (const part of parts) {
    const sub = toDnf(part);
    if (sub === null || out.length * sub.length > MAX_CONJUNCTIONS) return null;
    const next: Comparison[][] = [];
    for (const a of out) for (const b of sub) next.push([...a, ...b]);
    out = next;
  }
  return out;
}

/**
 * `"V" op variable` as a clause on the variable that admits at least every value the comparison does (so it is
 * safe for proving exclusivity), or null when there is none to give. On python_full_version, which can be any
 * version, `"3.8" < v` becomes `v >= 3.8` (`<` excludes pre-releases, `>` post-releases and local versions, so
 * the strict clause would be too narrow); on python_version, always a final `X.Y`, it becomes `v > 3.8` exactly.
 */
function flipped(operator: MarkerOperator, literal: string, finalOnly: boolean): SpecifierClause | null {
  const text = pyStrip(literal);
  if (text.endsWith('.*')) return null;
  const version = parseVersion(text);
  if (version === null) return null;
  const pub = normalizeVersion({ ...version, local: null });
  switch (operator) {
    case '<':
      return { operator: finalOnly ? '>' : '>=', version: pub };
    case '>':
      return { operator: finalOnly && version.local === null ? '<' : '<=', version: pub };
    case '<=':
      return { operator: '>=', version: pub };
    case '>=':
      return { operator: '<=', version: pub };
    case '==':
      return { operator: '==', version: pub };
    default:
      return null;
  }
}

/** `variable op "V"` as packaging evaluates it on a version variable: a specifier clause, or null (no version). */
function forwardClause(operator: MarkerOperator, literal: string): SpecifierClause | null {
  if (operator === 'in' || operator === 'not in' || !isWholeSpecifier(operator + literal)) return null;
  const text = pyStrip(literal);
  if (operator === '===') return null;
  const parsed = parseSpecifierClause(operator + text);
  return parsed.ok ? parsed.clause : null;
}

function range(operator: '<' | '>=', major: number, minor: number): SpecifierClause | null {
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor)) return null;
  return { operator, version: `${major}.${minor}.dev0` };
}

/**
 * A python_version clause as clauses on python_full_version. python_version is `X.Y` and python_full_version is
 * a version whose release starts with X.Y, from X.Y.dev0 up to (not including) X.(Y+1).dev0, pre-releases
 * included (Python 3.9.0rc1 has python_version "3.9"). Returns null for "no constraint" and 'empty' for "no
 * Python version meets it".
 */
function pythonVersionClauses(clause: SpecifierClause): SpecifierClause[] | 'empty' | null {
  const { operator } = clause;
  const wildcard = clause.version.endsWith('.*');
  const version = parseVersion(wildcard ? clause.version.slice(0, -2) : clause.version);
  if (version === null) return null;
  const release = version.release;
  const major = release[0] ?? 0;
  const minor = release[1] ?? 0;
  const final =
    version.pre === null && version.post === null && version.dev === null && version.local === null;
  switch (operator) {
    case '==':
    case '!=': {
      // The X.Y the clause names exactly (`==3.8`, `==3.8.0`, `==3.*`, `==3.8.0.*`), if any.
      let prefix: string | null = null;
      if (version.epoch === 0 && (wildcard || final) && release.slice(2).every((r) => r === 0)) {
        prefix = wildcard && release.length === 1 ? `${major}.*` : `${major}.${minor}.*`;
      }
      if (prefix === null) return operator === '==' ? 'empty' : null;
      return [{ operator, version: prefix }];
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (version.epoch > 0) return operator === '<' || operator === '<=' ? null : 'empty';
      const truncated = parseVersion(`${major}.${minor}`);
      if (truncated === null) return null;
      const cmp = compareVersions(version, truncated);
      // X.Y < V  ⇔ (X,Y) < (a,b), or (X,Y) = (a,b) and a.b < V; and so on for the other operators.
      const upToMinor = operator === '<' ? cmp > 0 : operator === '<=' ? cmp >= 0 : false;
      const fromMinor = operator === '>' ? cmp < 0 : operator === '>=' ? cmp <= 0 : false;
      const c =
        operator === '<' || operator === '<='
          ? range('<', major, upToMinor ? minor + 1 : minor)
          : range('>=', major, fromMinor ? minor : minor + 1);
      return c === null ? null : [c];
    }
    case '~=': {
      const lower = pythonVersionClauses({ operator: '>=', version: clause.version });
      const head = release.slice(0, -1).join('.');
      const prefix = pythonVersionClauses({
        operator: '==',
        version: `${version.epoch > 0 ? `${version.epoch}!` : ''}${head}.*`,
      });
      if (lower === 'empty' || prefix === 'empty') return 'empty';
      return [...(lower ?? []), ...(prefix ?? [])];
    }
    default:
      return null;
  }
}

function stringConstraints(summary: Summary, name: MarkerVariable): StringConstraints {
  let c = summary.strings.get(name);
  if (c === undefined) {
    c = { equal: new Set(), notEqual: [], within: [], notWithin: [], contains: [], notContains: [] };
    summary.strings.set(name, c);
  }
  return c;
}

function addComparison(summary: Summary, m: Comparison): void {
  const { left, right, operator } = m;
  let name: MarkerVariable;
  let literal: string;
  let reversed: boolean;
  if (left.type === 'variable' && right.type === 'string') {
    name = left.name;
    literal = right.value;
    reversed = false;
  } else if (left.type === 'string' && right.type === 'variable') {
    name = right.name;
    literal = left.value;
    reversed = true;
  } else {
    return;
  }
  if (STRING_VARIABLES.has(name)) {
    const c = stringConstraints(summary, name);
    if (operator === '==') c.equal.add(literal);
    else if (operator === '!=') c.notEqual.push(literal);
    else if (operator === 'in') (reversed ? c.contains : c.within).push(literal);
    else if (operator === 'not in') (reversed ? c.notContains : c.notWithin).push(literal);
    return;
  }
  if (name !== 'python_version' && name !== 'python_full_version') return;
  const clause = reversed
    ? flipped(operator, literal, name === 'python_version')
    : forwardClause(operator, literal);
  if (clause === null) return;
  if (name === 'python_full_version') {
    summary.versions.push(clause);
    return;
  }
  const mapped = pythonVersionClauses(clause);
  if (mapped === 'empty') summary.empty = true;
  else if (mapped !== null) summary.versions.push(...mapped);
}

function summarize(conjunction: readonly Comparison[]): Summary {
  const summary: Summary = { versions: [], empty: false, strings: new Map() };
  for (const m of conjunction) addComparison(summary, m);
  return summary;
}

/** Whether some string meets every constraint; true when unsure. */
function stringsSatisfiable(c: StringConstraints): boolean {
  const meets = (v: string): boolean =>
    !c.notEqual.includes(v) &&
    c.within.every((l) => l.includes(v)) &&
    c.notWithin.every((l) => !l.includes(v)) &&
    c.contains.every((s) => v.includes(s)) &&
    c.notContains.every((s) => !v.includes(s));
  if (c.equal.size > 1) return false;
  for (const v of c.equal) return meets(v);
  if (c.within.length > 0) {
    const shortest = c.within.reduce((a, b) => (b.length < a.length ? b : a));
    if (shortest.length > MAX_IN_LENGTH) return true;
    for (let i = 0; i <= shortest.length; i++) {
      for (let j = i; j <= shortest.length; j++) if (meets(shortest.slice(i, j))) return true;
    }
    return false;
  }
  // Otherwise a long enough string made of the required pieces, joined and padded with a character none of the
  // forbidden pieces contains, meets everything, unless a forbidden piece sits inside a required one.
  return !c.notContains.some((s) => s === '' || c.contains.some((r) => r.includes(s)));
}

function merged(
  a: StringConstraints | undefined,
  b: StringConstraints | undefined,
): StringConstraints | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return {
    equal: new Set([...a.equal, ...b.equal]),
    notEqual: [...a.notEqual, ...b.notEqual],
    within: [...a.within, ...b.within],
    notWithin: [...a.notWithin, ...b.notWithin],
    contains: [...a.contains, ...b.contains],
    notContains: [...a.notContains, ...b.notContains],
  };
}

/** Whether some environment can meet both summaries (true when unsure). */
function jointlySatisfiable(a: Summary, b: Summary | null): boolean {
  if (a.empty || b?.empty) return false;
  const versions = b === null ? a.versions : [...a.versions, ...b.versions];
  if (versions.length > 0 && !satisfiable(versions).satisfiable) return false;
  const names = new Set([...a.strings.keys(), ...(b?.strings.keys() ?? [])]);
  for (const name of names) {
    const c = merged(a.strings.get(name), b?.strings.get(name));
    if (c !== undefined && !stringsSatisfiable(c)) return false;
  }
  return true;
}

/**
 * True only when no environment satisfies both markers (`null` is a marker that always holds). Judged on
 * python_version and python_full_version (one version space: python_version "3.8" is every python_full_version
 * from 3.8.dev0 up to 3.9.dev0) and on sys_platform, platform_system, platform_machine, os_name and
 * implementation_name (`==`, `!=`, `in`, `not in`); every other variable, `extra` included, is taken to be free,
 * and variables are taken to be independent of each other. `false` means "not proven exclusive".
 */
export function markersExclusive(a: Marker | null, b: Marker | null): boolean {
  const left = a === null ? [[]] : toDnf(a);
  const right = b === null ? [[]] : toDnf(b);
  if (left === null || right === null) return false;
  const leftSummaries = left.map(summarize).filter((s) => jointlySatisfiable(s, null));
  const rightSummaries = right.map(summarize).filter((s) => jointlySatisfiable(s, null));
  for (const l of leftSummaries) {
    for (const r of rightSummaries) if (jointlySatisfiable(l, r)) return false;
  }
  return true;
}
