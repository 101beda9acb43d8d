/**
 * Environment markers: canonical text, and three-valued evaluation with the semantics of `packaging` 26.2's
 * `Marker.evaluate`.
 */
import type { Marker, MarkerOperand, MarkerOperator, MarkerVariable, SpecifierClause } from '../model';
import { clauseContains, parseSpecifierClause } from '../pep440';
import { normalizeName } from './names';
import { isWholeSpecifier, pyStrip } from './scan';

/** Values for the marker variables; a variable that is missing makes whatever depends on it unknown. */
export type MarkerEnvironment = Partial<Record<MarkerVariable, string>>;

/** The variables whose comparisons are PEP 440 version comparisons (when the value is a valid specifier). */
export const VERSION_VARIABLES: ReadonlySet<MarkerVariable> = new Set<MarkerVariable>([
  'python_version',
  'python_full_version',
  'implementation_version',
  'platform_release',
]);

/** The operands of a left-associative chain of `type` nodes, left to right (iteratively: chains can be long). */
export function chainOperands(m: Marker, type: 'and' | 'or'): Marker[] {
  const rights: Marker[] = [];
  let node = m;
  while (node.type === type) {
    rights.push(node.right);
    node = node.left;
  }
  rights.push(node);
  return rights.reverse();
}

/** A backslash or a control character: the value must be written with Python escapes. */
function needsEscape(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c) return true;
  }
  return false;
}

function formatString(value: string): string {
  if (!needsEscape(value)) {
    if (!value.includes('"')) return `"${value}"`;
    if (!value.includes("'")) return `'${value}'`;
  }
  // `packaging` reads marker strings as Python literals, so Python escapes make any value round-trip. A quote is
  // written `\x22`: `\"` would not do, since the string ends at the first `"` whatever precedes it.
  let out = '"';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\x22';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function formatOperand(o: MarkerOperand): string {
  return o.type === 'variable' ? o.name : formatString(o.value);
}

function formatGroup(m: Marker, parenthesize: boolean): string {
  return parenthesize ? `(${formatMarker(m)})` : formatMarker(m);
}

/**
 * Canonical marker text, as `packaging` writes it: `python_version < "3.9" and sys_platform == "linux"`.
 * Parentheses appear only where the tree needs them (`(a or b) and c`, `a and (b and c)`), so parsing the text
 * gives back the same tree.
 */
export function formatMarker(m: Marker): string {
  if (m.type === 'compare') return `${formatOperand(m.left)} ${m.operator} ${formatOperand(m.right)}`;
  const parts = chainOperands(m, m.type);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    // In an `and` chain every operand that is not a comparison needs parentheses, as does an `or` inside an
    // `or` chain; an `and` inside an `or` chain does not (it binds tighter).
    const paren = m.type === 'and' ? part.type !== 'compare' : part.type === 'or';
    out += (i === 0 ? '' : ` ${m.type} `) + formatGroup(part, paren);
  }
  return out;
}

type Value = string | ReadonlySet<string> | undefined;

interface Context {
  readonly env: MarkerEnvironment;
  readonly extra: string | undefined;
  readonly extras: ReadonlySet<string> | undefined;
  readonly groups: ReadonlySet<string> | undefined;
  readonly fullVersion: string | undefined;
}

function splitList(text: string | undefined): ReadonlySet<string> | undefined {
  if (text === undefined) return undefined;
  const out = new Set<string>();
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (trimmed !== '') out.add(normalizeName(trimmed));
  }
  return out;
}

function variableValue(name: MarkerVariable, ctx: Context): Value {
  switch (name) {
    case 'extra':
      return ctx.extra;
    case 'extras':
      return ctx.extras;
    case 'dependency_groups':
      return ctx.groups;
    case 'python_full_version':
      return ctx.fullVersion;
    default:
      return ctx.env[name];
  }
}

function versionClause(operator: MarkerOperator, value: string): SpecifierClause | null {
  if (operator === 'in' || operator === 'not in') return null;
  if (!isWholeSpecifier(operator + value)) return null;
  const version = pyStrip(value);
  if (operator === '===') return { operator, version };
  const parsed = parseSpecifierClause(operator + version);
  return parsed.ok ? parsed.clause : null;
}

/** One comparison, as `packaging.markers._eval_op` does it; undefined where packaging raises or a value is missing. */
function compare(
  lhs: string,
  operator: MarkerOperator,
  rhs: string | ReadonlySet<string>,
  key: MarkerVariable,
) {
  if (VERSION_VARIABLES.has(key) && typeof rhs === 'string') {
    const clause = versionClause(operator, rhs);
    if (clause !== null) return clauseContains(clause, lhs, { prereleases: true });
  }
  switch (operator) {
    case 'in':
      return typeof rhs === 'string' ? rhs.includes(lhs) : rhs.has(lhs);
    case 'not in':
      return typeof rhs === 'string' ? !rhs.includes(lhs) : !rhs.has(lhs);
    case '<':
    case '>':
      return false;
    case '<=':
    case '==':
    case '>=':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
    default:
      return undefined; // `~=` and `===` on values that are not versions: packaging raises UndefinedComparison
  }
}

function evaluateCompare(m: Marker & { type: 'compare' }, ctx: Context): boolean | undefined {
  const { left, right } = m;
  let key: MarkerVariable;
  let lhs: Value;
  let rhs: Value;
  if (left.type === 'variable') {
    key = left.name;
    lhs = variableValue(left.name, ctx);
    rhs = right.type === 'string' ? right.value : variableValue(right.name, ctx);
  } else if (right.type === 'variable') {
    key = right.name;
    lhs = left.value;
    rhs = variableValue(right.name, ctx);
  } else {
    return undefined; // two literals: packaging looks the right one up as a variable name and fails
  }
  if (typeof lhs !== 'string' || rhs === undefined) return undefined;
  if (key === 'extra') {
    lhs = normalizeName(lhs);
    if (typeof rhs === 'string') rhs = normalizeName(rhs);
  } else if (key === 'extras' || key === 'dependency_groups') {
    lhs = normalizeName(lhs);
    if (typeof rhs === 'string') rhs = normalizeName(rhs);
  }
  return compare(lhs, m.operator, rhs, key);
}

function evaluate(m: Marker, ctx: Context): boolean | undefined {
  if (m.type === 'compare') return evaluateCompare(m, ctx);
  // Kleene logic: a false operand decides an `and`, a true one decides an `or`, whatever the unknown ones are.
  const decisive = m.type === 'or';
  let unknown = false;
  for (const part of chainOperands(m, m.type)) {
    const value = evaluate(part, ctx);
    if (value === decisive) return decisive;
    if (value === undefined) unknown = true;
  }
  return unknown ? undefined : !decisive;
}

function mentionsExtra(marker: Marker): boolean {
  const stack: Marker[] = [marker];
  for (let m = stack.pop(); m !== undefined; m = stack.pop()) {
    if (m.type !== 'compare') stack.push(m.left, m.right);
    else if (
      (m.left.type === 'variable' && m.left.name === 'extra') ||
      (m.right.type === 'variable' && m.right.name === 'extra')
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Evaluates a marker in an environment, three-valued: `undefined` when the answer depends on a variable `env`
 * does not give (or on a comparison `packaging` cannot make, such as `os_name ~= "posix"`).
 *
 * Comparisons follow `packaging` 26.2: for python_version, python_full_version, implementation_version and
 * platform_release, a comparison whose right side is a valid PEP 440 specifier is a version comparison
 * (pre-releases included); otherwise `==`/`!=`/`in`/`not in` compare strings, `<=` and `>=` mean `==`, and `<`
 * and `>` are false. `extra` values compare PEP 685-normalised.
 *
 * `extras` are the extras being installed. When `env.extra` is not given and the marker uses `extra`, the marker
 * holds if it holds for one of them (or for no extra, `""`, when the list is empty), as pip evaluates it. They
 * are also the value of the `extras` variable; without them `env.extras` (and `env.dependency_groups`) are read
 * as comma-separated lists.
 */
export function evaluateMarker(
  m: Marker,
  env: MarkerEnvironment,
  extras?: readonly string[],
): boolean | undefined {
  let fullVersion = env.python_full_version;
  if (fullVersion?.endsWith('+')) fullVersion += 'local'; // as packaging repairs untagged CPython builds
  const base = {
    env,
    extras: extras === undefined ? splitList(env.extras) : new Set(extras.map(normalizeName)),
    groups: splitList(env.dependency_groups),
    fullVersion,
  };
  if (env.extra !== undefined || extras === undefined || !mentionsExtra(m)) {
    return evaluate(m, { ...base, extra: env.extra === undefined ? undefined : normalizeName(env.extra) });
  }
  let result: boolean | undefined = false;
  for (const extra of extras.length > 0 ? extras : ['']) {
    const value = evaluate(m, { ...base, extra: normalizeName(extra) });
    if (value === true) return true;
    if (value === undefined) result = undefined;
  }
  return result;
}
