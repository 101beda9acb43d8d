import { z } from 'zod';
import type { NumberParamSpec, ParamSpec, ParamSpecs, ParamValues, Strategy } from './api';

/** A parameter value that cannot be used; the message names the parameter, the problem and the fix. */
export class StrategyParamError extends Error {
  override readonly name = 'StrategyParamError';
}

/** Raw parameter values: strings from the command line, or numbers and booleans from a spec file. */
export type RawParams = Readonly<Record<string, string | number | boolean>>;

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const DECIMAL_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

function describeBounds(spec: NumberParamSpec): string {
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`≥ ${spec.min}`);
  if (spec.max !== undefined) parts.push(`≤ ${spec.max}`);
  return parts.join(' and ');
}

/** Human description of the values a parameter accepts, e.g. "a whole number ≥ 1". */
export function describeParam(spec: ParamSpec): string {
  if (spec.type === 'boolean') return 'true or false';
  const kind = spec.type === 'int' ? 'a whole number' : 'a number';
  const bounds = describeBounds(spec);
  return bounds ? `${kind} ${bounds}` : kind;
}

/** The zod schema of one parameter: it accepts text from a command line as well as typed values. */
export function paramSchema(name: string, spec: ParamSpec) {
  const expected = `${name} must be ${describeParam(spec)}`;
  if (spec.type === 'boolean') {
    return z.preprocess(
      (value) => (typeof value === 'string' ? (BOOLEAN_WORDS[value.trim().toLowerCase()] ?? value) : value),
      z.boolean({ error: expected }),
    );
  }
  const pattern = spec.type === 'int' ? INTEGER_TEXT : DECIMAL_TEXT;
  let schema = z.number({ error: expected }).refine(Number.isFinite, { error: expected });
  if (spec.type === 'int') schema = schema.refine(Number.isInteger, { error: expected });
  if (spec.min !== undefined) schema = schema.refine((v) => v >= spec.min!, { error: expected });
  if (spec.max !== undefined) schema = schema.refine((v) => v <= spec.max!, { error: expected });
  return z.preprocess(
    (value) => (typeof value === 'string' && pattern.test(value) ? Number(value) : value),
    schema,
  );
}

// Building a zod schema costs far more than using one, and sweeps resolve parameters for every combination.
const schemaCache = new WeakMap<ParamSpecs, Map<string, ReturnType<typeof paramSchema>>>();

/** The schema of one parameter of a strategy, built once per strategy and parameter. */
export function cachedParamSchema(specs: ParamSpecs, name: string, spec: ParamSpec) {
  let schemas = schemaCache.get(specs);
  if (!schemas) {
    schemas = new Map();
    schemaCache.set(specs, schemas);
  }
  let schema = schemas.get(name);
  if (!schema) {
    schema = paramSchema(name, spec);
    schemas.set(name, schema);
  }
  return schema;
}

/**
 * Merges raw values over a strategy's defaults and validates every one, then the strategy's own rules.
 * Throws StrategyParamError naming the parameter, what it got and what it accepts.
 */
export function resolveParams<P extends ParamSpecs>(
  strategy: Strategy<P>,
  raw: RawParams = {},
): ParamValues<P> {
  const known = Object.keys(strategy.params);
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      throw new StrategyParamError(
        `${strategy.name} has no parameter "${key}"; its parameters are ${known.join(', ') || '(none)'}.`,
      );
    }
  }
  const values: Record<string, number | boolean> = {};
  for (const [name, spec] of Object.entries(strategy.params)) {
    const given = raw[name];
    const parsed = cachedParamSchema(strategy.params, name, spec).safeParse(given ?? spec.default);
    if (!parsed.success) {
      throw new StrategyParamError(
        `${strategy.name}: ${parsed.error.issues[0]?.message ?? `${name} is invalid`}, got ${JSON.stringify(given)}.`,
      );
    }
    values[name] = parsed.data;
  }
  const typed = values as ParamValues<P>;
  const problem = strategy.validate?.(typed);
  if (problem) throw new StrategyParamError(`${strategy.name}: ${problem}.`);
  return typed;
}
