import { BlockList, isIP } from 'node:net';

/** An event as EventBridge delivers it to a rule's target: the caller's fields wrapped in the bus envelope. */
export interface EventBridgeEnvelope<Detail = unknown> {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Detail;
}

/** A JSON scalar an event pattern can match exactly. */
export type EventPatternValue = string | number | boolean | null;

/** A string that may be compared without regard to case, as `prefix` and `suffix` allow. */
export type EventPatternText = string | { readonly 'equals-ignore-case': string };

/** What `anything-but` may exclude: values of one type, or strings by prefix, suffix, case or wildcard. */
export type EventPatternExclusion =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string | readonly string[] }
  | { readonly wildcard: string | readonly string[] };

/** One content filter on a field, spelled as in an EventBridge event pattern. */
export type EventPatternFilter =
  | { readonly prefix: EventPatternText }
  | { readonly suffix: EventPatternText }
  | { readonly 'equals-ignore-case': string }
  | { readonly wildcard: string }
  | { readonly 'anything-but': EventPatternExclusion }
  | { readonly numeric: readonly (string | number)[] }
  | { readonly exists: boolean }
  | { readonly cidr: string };

/** An EventBridge event pattern: each field lists allowed values or filters, or nests a pattern; `$or` lists alternatives. */
export interface EventPattern {
  readonly [field: string]:
    | readonly (EventPatternValue | EventPatternFilter)[]
    | EventPattern
    | readonly EventPattern[];
}

/** An event pattern that EventBridge would refuse; `path` names the bad part, e.g. `detail.state[0].numeric`. */
export class EventPatternError extends Error {
  override readonly name = 'EventPatternError';
  constructor(
    readonly path: string,
    problem: string,
    fix: string,
  ) {
    super(`Invalid event pattern at ${path}: ${problem}. ${fix}`);
  }
}

/**
 * Checks that a value is an event pattern EventBridge accepts and returns it typed.
 * Throws `EventPatternError` naming the path of the first bad part.
 */
export function validateEventPattern(pattern: unknown): EventPattern {
  compilePattern(pattern);
  return pattern as EventPattern;
}

/**
 * Whether an event matches a pattern, following EventBridge content filtering: every field of the pattern must match
 * (AND), any listed value may match (OR), an array in the event matches when any of its elements does.
 * Throws `EventPatternError` if the pattern is invalid.
 */
export function matchesEventPattern(pattern: EventPattern, event: EventBridgeEnvelope): boolean {
  return matchesObject(compilePattern(pattern), event);
}

type Leaf = string | number | boolean | null;

type LeafTest = (leaf: Leaf) => boolean;

type FieldMatcher =
  | { readonly kind: 'exists'; readonly present: boolean }
  | { readonly kind: 'test'; readonly test: LeafTest };

type CompiledField =
  | { readonly kind: 'values'; readonly name: string; readonly matchers: readonly FieldMatcher[] }
  | { readonly kind: 'object'; readonly name: string; readonly pattern: CompiledObject };

interface CompiledObject {
  readonly fields: readonly CompiledField[];
  /** Each entry is one `$or`: at least one of its branches must match. */
  readonly alternatives: readonly (readonly CompiledObject[])[];
}

const OR_KEY = '$or';

const FILTER_NAMES = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
]);

// Patterns are immutable once validated, so each is compiled once and reused for every event.
const compiledPatterns = new WeakMap<object, CompiledObject>();

function compilePattern(pattern: unknown): CompiledObject {
  if (isPlainObject(pattern)) {
    const cached = compiledPatterns.get(pattern);
    if (cached) return cached;
  }
  const compiled = compileObject(pattern, '(pattern)', false);
  compiledPatterns.set(pattern as object, compiled);
  return compiled;
}

function compileObject(node: unknown, path: string, insideOr: boolean): CompiledObject {
  if (!isPlainObject(node)) {
    throw new EventPatternError(
      path,
      'expected an object',
      'Write the pattern as a JSON object, e.g. { "source": ["flywheel.backtest"] }',
    );
  }
  const entries = Object.entries(node);
  if (entries.length === 0) {
    throw new EventPatternError(
      path,
      'empty objects are not allowed',
      'Name at least one field to match, or remove the object',
    );
  }
  const fields: CompiledField[] = [];
  const alternatives: CompiledObject[][] = [];
  for (const [name, value] of entries) {
    const fieldPath = path === '(pattern)' ? name : `${path}.${name}`;
    if (name === OR_KEY) {
      alternatives.push(compileOr(value, fieldPath));
      continue;
    }
    if (insideOr && FILTER_NAMES.has(name)) {
      throw new EventPatternError(
        fieldPath,
        `"${name}" is a filter keyword and cannot be a field name inside $or`,
        `Put the filter in a list under a field, e.g. { "state": [{ "${name}": ... }] }`,
      );
    }
    if (Array.isArray(value)) {
      fields.push({ kind: 'values', name, matchers: compileValueList(value, fieldPath) });
    } else if (isPlainObject(value)) {
      fields.push({ kind: 'object', name, pattern: compileObject(value, fieldPath, insideOr) });
    } else {
      throw new EventPatternError(
        fieldPath,
        `expected a list of values or a nested object, got ${describeValue(value)}`,
        `Wrap the value in a list, e.g. "${name}": [${JSON.stringify(value) ?? 'value'}]`,
      );
    }
  }
  return { fields, alternatives };
}

function compileOr(value: unknown, path: string): CompiledObject[] {
  if (!Array.isArray(value) || value.length < 2) {
    throw new EventPatternError(
      path,
      '$or needs a list of at least two objects',
      'Write alternatives as "$or": [{ "state": ["a"] }, { "count": [1] }]',
    );
  }
  return value.map((branch, index) => compileObject(branch, `${path}[${index}]`, true));
}

function compileValueList(values: readonly unknown[], path: string): FieldMatcher[] {
  if (values.length === 0) {
    throw new EventPatternError(
      path,
      'empty lists are not allowed',
      'List at least one allowed value, e.g. ["running"]',
    );
  }
  return values.map((value, index) => compileValue(value, `${path}[${index}]`));
}

function compileValue(value: unknown, path: string): FieldMatcher {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return { kind: 'test', test: (leaf) => leaf === value };
  }
  if (typeof value === 'number') {
    requireFiniteNumber(value, path);
    return { kind: 'test', test: (leaf) => leaf === value };
  }
  if (!isPlainObject(value)) {
    throw new EventPatternError(
      path,
      `expected a string, number, boolean, null or filter object, got ${describeValue(value)}`,
      'Use a JSON scalar such as "running" or a filter such as { "prefix": "run" }',
    );
  }
  const keys = Object.keys(value);
  const [filterName] = keys;
  if (keys.length !== 1 || filterName === undefined) {
    throw new EventPatternError(
      path,
      `a filter object needs exactly one key, got ${keys.length}`,
      'Split it into separate filters in the list, e.g. [{ "prefix": "a" }, { "suffix": "z" }]',
    );
  }
  const argument = value[filterName];
  const filterPath = `${path}.${filterName}`;
  switch (filterName) {
    case 'prefix':
      return testString(
        compileTextTest(argument, filterPath, 'prefix', (text, part) => text.startsWith(part)),
      );
    case 'suffix':
      return testString(compileTextTest(argument, filterPath, 'suffix', (text, part) => text.endsWith(part)));
    case 'equals-ignore-case': {
      const expected = requireString(argument, filterPath, '{ "equals-ignore-case": "Running" }');
      return testString((text) => foldCase(text) === foldCase(expected));
    }
    case 'wildcard':
      return testString(compileWildcard(argument, filterPath));
    case 'anything-but':
      return { kind: 'test', test: compileAnythingBut(argument, filterPath) };
    case 'numeric':
      return { kind: 'test', test: compileNumeric(argument, filterPath) };
    case 'exists':
      if (typeof argument !== 'boolean') {
        throw new EventPatternError(
          filterPath,
          `expected true or false, got ${describeValue(argument)}`,
          'Write { "exists": true } or { "exists": false }',
        );
      }
      return { kind: 'exists', present: argument };
    case 'cidr':
      return { kind: 'test', test: compileCidr(argument, filterPath) };
    default:
      throw new EventPatternError(
        filterPath,
        `unknown filter "${filterName}"`,
        `Use one of: ${[...FILTER_NAMES].join(', ')}`,
      );
  }
}

function testString(test: (text: string) => boolean): FieldMatcher {
  return { kind: 'test', test: (leaf) => typeof leaf === 'string' && test(leaf) };
}

function compileTextTest(
  argument: unknown,
  path: string,
  filterName: 'prefix' | 'suffix',
  compare: (text: string, part: string) => boolean,
): (text: string) => boolean {
  if (typeof argument === 'string') return (text) => compare(text, argument);
  if (isPlainObject(argument) && Object.keys(argument).length === 1 && 'equals-ignore-case' in argument) {
    const part = requireString(
      argument['equals-ignore-case'],
      `${path}.equals-ignore-case`,
      `{ "${filterName}": { "equals-ignore-case": "abc" } }`,
    );
    return (text) => compare(foldCase(text), foldCase(part));
  }
  throw new EventPatternError(
    path,
    `expected a string or { "equals-ignore-case": string }, got ${describeValue(argument)}`,
    `Write { "${filterName}": "abc" } or { "${filterName}": { "equals-ignore-case": "abc" } }`,
  );
}

function compileAnythingBut(argument: unknown, path: string): LeafTest {
  if (typeof argument === 'string') return (leaf) => leaf !== argument;
  if (typeof argument === 'number') {
    requireFiniteNumber(argument, path);
    return (leaf) => leaf !== argument;
  }
  if (Array.isArray(argument)) {
    const allStrings = argument.every((item) => typeof item === 'string');
    const allNumbers = argument.every((item) => typeof item === 'number' && Number.isFinite(item));
    if (argument.length === 0 || (!allStrings && !allNumbers)) {
      throw new EventPatternError(
        path,
        'the list must hold only strings or only numbers, and at least one',
        'Write { "anything-but": ["stopped", "failed"] } or { "anything-but": [100, 200] }',
      );
    }
    const excluded = new Set<Leaf>(argument as Leaf[]);
    return (leaf) => !excluded.has(leaf);
  }
  if (isPlainObject(argument) && Object.keys(argument).length === 1) {
    const [name] = Object.keys(argument);
    const inner = argument[name as string];
    const innerPath = `${path}.${name}`;
    switch (name) {
      case 'prefix':
      case 'suffix': {
        const part = requireString(inner, innerPath, `{ "anything-but": { "${name}": "init" } }`);
        if (part === '') {
          throw new EventPatternError(
            innerPath,
            `an empty ${name} is not allowed`,
            `Give the ${name} to exclude, e.g. "init"`,
          );
        }
        return name === 'prefix'
          ? (leaf) => !(typeof leaf === 'string' && leaf.startsWith(part))
          : (leaf) => !(typeof leaf === 'string' && leaf.endsWith(part));
      }
      case 'equals-ignore-case': {
        const excluded = new Set(
          requireStringOrStrings(
            inner,
            innerPath,
            '{ "anything-but": { "equals-ignore-case": ["stopped", "failed"] } }',
          ).map(foldCase),
        );
        return (leaf) => !(typeof leaf === 'string' && excluded.has(foldCase(leaf)));
      }
      case 'wildcard': {
        const tests = requireStringOrStrings(
          inner,
          innerPath,
          '{ "anything-but": { "wildcard": "*/lib/*" } }',
        ).map((pattern, index) =>
          compileWildcard(pattern, Array.isArray(inner) ? `${innerPath}[${index}]` : innerPath),
        );
        return (leaf) => !(typeof leaf === 'string' && tests.some((test) => test(leaf)));
      }
    }
  }
  throw new EventPatternError(
    path,
    `expected a string, a number, a list of either, or one of prefix, suffix, equals-ignore-case, wildcard; got ${describeValue(argument)}`,
    'Write e.g. { "anything-but": "initializing" } or { "anything-but": { "prefix": "init" } }',
  );
}

const NUMERIC_EXAMPLE = 'Write e.g. { "numeric": [">", 0, "<=", 5] } or { "numeric": ["=", 3] }';

function compileNumeric(argument: unknown, path: string): LeafTest {
  if (!Array.isArray(argument)) {
    throw new EventPatternError(path, `expected a list, got ${describeValue(argument)}`, NUMERIC_EXAMPLE);
  }
  const [operator, operand, upperOperator, upperOperand, ...rest] = argument;
  const numberAt = (value: unknown, index: number): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new EventPatternError(
        `${path}[${index}]`,
        `expected a number, got ${describeValue(value)}`,
        NUMERIC_EXAMPLE,
      );
    }
    return value;
  };
  if (rest.length > 0) {
    throw new EventPatternError(
      path,
      `too many terms (${argument.length}); at most a lower and an upper bound`,
      NUMERIC_EXAMPLE,
    );
  }
  if (!isNumericOperator(operator)) {
    throw new EventPatternError(
      `${path}[0]`,
      `unknown operator ${describeValue(operator)}; use =, <, <=, > or >=`,
      NUMERIC_EXAMPLE,
    );
  }
  const bound = numberAt(operand, 1);
  const single = argument.length === 2;
  switch (operator) {
    case '=':
      if (!single) throw new EventPatternError(path, '"=" takes exactly one number', NUMERIC_EXAMPLE);
      return (leaf) => leaf === bound;
    case '<':
    case '<=':
      if (!single)
        throw new EventPatternError(path, `"${operator}" must come last in a range`, NUMERIC_EXAMPLE);
      return operator === '<'
        ? (leaf) => typeof leaf === 'number' && leaf < bound
        : (leaf) => typeof leaf === 'number' && leaf <= bound;
    case '>':
    case '>=': {
      const above: (value: number) => boolean =
        operator === '>' ? (value) => value > bound : (value) => value >= bound;
      if (single) return (leaf) => typeof leaf === 'number' && above(leaf);
      if (upperOperator !== '<' && upperOperator !== '<=') {
        throw new EventPatternError(
          `${path}[2]`,
          `expected "<" or "<=" for the upper bound, got ${describeValue(upperOperator)}`,
          NUMERIC_EXAMPLE,
        );
      }
      const top = numberAt(upperOperand, 3);
      if (top < bound || (top === bound && (operator === '>' || upperOperator === '<'))) {
        throw new EventPatternError(
          path,
          `the range ${operator} ${bound} and ${upperOperator} ${top} matches no number`,
          'Put the lower bound below the upper bound',
        );
      }
      const below: (value: number) => boolean =
        upperOperator === '<' ? (value) => value < top : (value) => value <= top;
      return (leaf) => typeof leaf === 'number' && above(leaf) && below(leaf);
    }
  }
}

type NumericOperator = '=' | '<' | '<=' | '>' | '>=';

function isNumericOperator(value: unknown): value is NumericOperator {
  return value === '=' || value === '<' || value === '<=' || value === '>' || value === '>=';
}

function compileWildcard(argument: unknown, path: string): (text: string) => boolean {
  const pattern = requireString(argument, path, '{ "wildcard": "dir/*.png" }');
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index] as string;
    if (character === '\\') {
      const escaped = pattern[index + 1];
      if (escaped !== '*' && escaped !== '\\') {
        throw new EventPatternError(
          path,
          `"\\" may only escape "*" or "\\" (at character ${index + 1})`,
          'Write \\* for a literal asterisk and \\\\ for a backslash',
        );
      }
      source += escapeRegExp(escaped);
      index += 1;
    } else if (character === '*') {
      if (pattern[index + 1] === '*') {
        throw new EventPatternError(
          path,
          `consecutive wildcard characters are not allowed (at character ${index + 1})`,
          'Use a single * to match any run of characters',
        );
      }
      source += '.*';
    } else {
      source += escapeRegExp(character);
    }
  }
  const expression = new RegExp(`^${source}$`, 's');
  return (text) => expression.test(text);
}

function compileCidr(argument: unknown, path: string): LeafTest {
  const range = requireString(argument, path, '{ "cidr": "10.0.0.0/24" }');
  const [network, prefixText, ...extra] = range.split('/');
  const family = isIP(network ?? '');
  const prefixLength = Number(prefixText);
  const maximum = family === 6 ? 128 : 32;
  if (family === 0 || extra.length > 0 || !/^\d+$/.test(prefixText ?? '') || prefixLength > maximum) {
    throw new EventPatternError(
      path,
      `"${range}" is not an IPv4 or IPv6 CIDR block`,
      'Write e.g. { "cidr": "10.0.0.0/24" } or { "cidr": "2001:db8::/32" }',
    );
  }
  const addresses = new BlockList();
  const type = family === 6 ? 'ipv6' : 'ipv4';
  addresses.addSubnet(network as string, prefixLength, type);
  return (leaf) => typeof leaf === 'string' && isIP(leaf) === family && addresses.check(leaf, type);
}

function requireString(value: unknown, path: string, example: string): string {
  if (typeof value !== 'string') {
    throw new EventPatternError(
      path,
      `expected a string, got ${describeValue(value)}`,
      `Write e.g. ${example}`,
    );
  }
  return value;
}

function requireStringOrStrings(value: unknown, path: string, example: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string'))
    return value as string[];
  throw new EventPatternError(
    path,
    `expected a string or a non-empty list of strings, got ${describeValue(value)}`,
    `Write e.g. ${example}`,
  );
}

function requireFiniteNumber(value: number, path: string): void {
  if (!Number.isFinite(value)) {
    throw new EventPatternError(path, `${value} is not a JSON number`, 'Use a finite number such as 42');
  }
}

function matchesObject(pattern: CompiledObject, value: unknown): boolean {
  const fields = isPlainObject(value) ? value : {};
  for (const field of pattern.fields) {
    const fieldValue = Object.hasOwn(fields, field.name) ? fields[field.name] : undefined;
    if (
      field.kind === 'values'
        ? !matchesValues(field.matchers, fieldValue)
        : !matchesNested(field.pattern, fieldValue)
    ) {
      return false;
    }
  }
  return pattern.alternatives.every((branches) => branches.some((branch) => matchesObject(branch, value)));
}

function matchesValues(matchers: readonly FieldMatcher[], value: unknown): boolean {
  const leaves = collectLeaves(value);
  return matchers.some((matcher) =>
    matcher.kind === 'exists'
      ? matcher.present === leaves.length > 0
      : leaves.some((leaf) => matcher.test(leaf)),
  );
}

function matchesNested(pattern: CompiledObject, value: unknown): boolean {
  const candidates = collectObjects(value);
  // With no object to look into, only "exists": false conditions can still hold, so match against nothing.
  if (candidates.length === 0) return matchesObject(pattern, undefined);
  // Each candidate is one array element: fields from different elements never combine into one match.
  return candidates.some((candidate) => matchesObject(pattern, candidate));
}

/** The scalar values at a field; arrays (nested too) contribute their scalar elements, objects contribute none. */
function collectLeaves(value: unknown): Leaf[] {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return [value];
  if (Array.isArray(value)) return value.flatMap(collectLeaves);
  return [];
}

function collectObjects(value: unknown): Record<string, unknown>[] {
  if (isPlainObject(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(collectObjects);
  return [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function foldCase(text: string): string {
  return text.toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
