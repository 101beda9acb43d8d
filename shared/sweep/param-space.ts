import type { ParamSpec, ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import { cachedParamSchema, describeParam } from '../strategies/params';
import { compileConstraint } from './constraint';
import { createSeededRandom, pickDistinctIndices } from './seeded-random';

/** A parameter space that cannot be expanded; the message names the parameter or option and the fix. */
export class ParamSpaceError extends Error {
  override readonly name = 'ParamSpaceError';
}

/**
 * The values one parameter is swept over: a grid `"start:stop:step"` or `{ start, stop, step }` (both ends
 * included), a list (an array, or a comma string such as `"10,14,20"` or `"true,false"`), or one value.
 */
export type ParamRangeInput =
  | string
  | number
  | boolean
  | readonly (number | boolean)[]
  | { start: number; stop: number; step: number };

/** The values to sweep, by parameter name; a parameter left out keeps the strategy's default. */
export type ParamSpaceInput = Readonly<Record<string, ParamRangeInput>>;

/** How expandParamSpace filters and samples the grid. */
export interface ParamSpaceOptions {
  /** A condition over parameter names such as `"fast < slow"` (see compileConstraint); others are dropped. */
  readonly constraint?: string;
  /** Pick this many distinct combinations at random from the constrained grid instead of all of them. */
  readonly random?: number;
  /** Seed of the random pick (default 1): the same seed picks the same combinations. */
  readonly seed?: number;
  /** The largest grid, counted before any constraint, that may be expanded (default 1,000,000). */
  readonly maxCombinations?: number;
}

/** The parameter combinations of a sweep, with the counts that explain how they were chosen. */
export interface ExpandedParamSpace<P extends ParamSpecs = ParamSpecs> {
  /** Every combination to run (or the random pick of them), in grid order. */
  readonly combinations: ParamValues<P>[];
  /** Combinations in the full grid, before the constraint and the strategy's own rule. */
  readonly gridSize: number;
  /**
   * Grid combinations dropped by the constraint or by the strategy's own `validate` rule (such as
   * sma-cross's fast < slow): both count here, and a random pick happens only among the rest.
   */
  readonly rejectedByConstraint: number;
}

/** The default of ParamSpaceOptions.maxCombinations. */
export const DEFAULT_MAX_COMBINATIONS = 1_000_000;

type ParamValue = number | boolean;

/** One parameter's values, counted before they are generated so an oversized grid is refused cheaply. */
interface ParamAxis {
  readonly count: number;
  values(): ParamValue[];
}

const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const RANGE_EXAMPLE = 'a range such as 5:50:5, a list such as 10,14,20 or one value such as 7';

function formatCount(count: number): string {
  return Number.isSafeInteger(count) ? count.toLocaleString('en-US') : count.toExponential(2);
}

/** Places after the decimal point needed to write x exactly, e.g. 2 for 0.25 and 7 for 1e-7. */
function decimalPlaces(x: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(x)).split('e');
  const fractionDigits = mantissa.split('.')[1]?.length ?? 0;
  return Math.min(100, Math.max(0, fractionDigits - Number(exponent)));
}

class ParamAxisBuilder {
  private readonly spec: ParamSpec;

  constructor(
    private readonly strategy: Strategy<ParamSpecs>,
    private readonly name: string,
  ) {
    this.spec = strategy.params[name]!;
  }

  build(input: ParamRangeInput | undefined): ParamAxis {
    if (input === undefined) return this.listAxis([this.spec.default], '');
    if (typeof input === 'number' || typeof input === 'boolean') return this.listAxis([input], '');
    if (Array.isArray(input)) return this.listAxis(input, ` in the list ${JSON.stringify(input)}`);
    if (typeof input === 'string') return this.textAxis(input);
    if (typeof input === 'object' && input !== null) return this.objectAxis(input);
    throw this.error(`${this.name} cannot be swept over ${JSON.stringify(input)}; give ${RANGE_EXAMPLE}`);
  }

  private textAxis(input: string): ParamAxis {
    const text = input.trim();
    if (text === '') throw this.error(`${this.name} has no values; give ${RANGE_EXAMPLE}`);
    if (text.includes(':')) return this.gridTextAxis(text);
    if (!text.includes(',')) return this.listAxis([text], '');
    const items = text.split(',').map((item) => item.trim());
    if (items.includes('')) {
      throw this.error(
        `${this.name} has an empty item in the list "${text}"; separate values with single commas`,
      );
    }
    return this.listAxis(items, ` in the list "${text}"`);
  }

  private gridTextAxis(text: string): ParamAxis {
    const parts = text.split(':').map((part) => part.trim());
    if (parts.length !== 3) {
      throw this.error(`${this.name}: "${text}" is not a range; write start:stop:step, e.g. 5:50:5`);
    }
    const notNumber = parts.find((part) => !DECIMAL_TEXT.test(part));
    if (notNumber !== undefined) {
      throw this.error(`${this.name}: "${notNumber}" in the range "${text}" is not a number`);
    }
    const [start, stop, step] = parts.map(Number) as [number, number, number];
    return this.gridAxis(start, stop, step, `"${text}"`);
  }

  private objectAxis(input: object): ParamAxis {
    const { start, stop, step } = input as Record<string, unknown>;
    const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
    if (!finite(start) || !finite(stop) || !finite(step)) {
      throw this.error(
        `${this.name}: a range needs numbers start, stop and step, got ${JSON.stringify(input)}; ` +
          'write e.g. { "start": 5, "stop": 50, "step": 5 }',
      );
    }
    return this.gridAxis(start, stop, step, `${start}:${stop}:${step}`);
  }

  private gridAxis(start: number, stop: number, step: number, written: string): ParamAxis {
    if (this.spec.type === 'boolean') {
      throw this.error(
        `${this.name} is true or false, so it takes true, false or the list true,false, not the range ${written}`,
      );
    }
    if (!(step > 0)) {
      throw this.error(`${this.name}: the step of the range ${written} must be greater than 0, got ${step}`);
    }
    if (start > stop) {
      throw this.error(
        `${this.name}: the range ${written} starts above its stop; write the smaller value first, ` +
          `e.g. ${stop}:${start}:${step}`,
      );
    }
    const steps = (stop - start) / step;
    const count = Math.floor(steps + Math.max(1, steps) * 1e-10) + 1;
    const decimals = Math.max(decimalPlaces(start), decimalPlaces(step));
    return {
      count,
      values: () =>
        Array.from({ length: count }, (_, k) =>
          this.checked(Number((start + k * step).toFixed(decimals)), ` in the range ${written}`),
        ),
    };
  }

  private listAxis(items: readonly unknown[], where: string): ParamAxis {
    if (items.length === 0) throw this.error(`${this.name} has no values; give ${RANGE_EXAMPLE}`);
    const values = items.map((item) => this.checked(item, where));
    const repeated = values.find((value, index) => values.indexOf(value) !== index);
    if (repeated !== undefined) {
      throw this.error(`${this.name} lists ${repeated} more than once${where}; give each value once`);
    }
    return { count: values.length, values: () => values };
  }

  private checked(value: unknown, where: string): ParamValue {
    const parsed = cachedParamSchema(this.strategy.params, this.name, this.spec).safeParse(value);
    if (parsed.success) return parsed.data;
    const expected = parsed.error.issues[0]?.message ?? `${this.name} must be ${describeParam(this.spec)}`;
    throw this.error(`${expected}, got ${JSON.stringify(value)}${where}`);
  }

  private error(problem: string): ParamSpaceError {
    return new ParamSpaceError(`${this.strategy.name}: ${problem}.`);
  }
}

function wholeNumberOption(name: string, value: number | undefined, fallback: number, min?: number): number {
  if (value === undefined) return fallback;
  const bound = min === undefined ? '' : ` ≥ ${min}`;
  if (!Number.isSafeInteger(value) || (min !== undefined && value < min)) {
    throw new ParamSpaceError(`${name} must be a whole number${bound}, got ${value}.`);
  }
  return value;
}

function checkKnownNames(strategy: Strategy<ParamSpecs>, space: ParamSpaceInput): void {
  const known = Object.keys(strategy.params);
  const unknown = Object.keys(space).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const listed = unknown.map((name) => `"${name}"`).join(', ');
  throw new ParamSpaceError(
    `${strategy.name} has no parameter${unknown.length > 1 ? 's' : ''} ${listed}; ` +
      `its parameters are ${known.join(', ') || '(none)'}.`,
  );
}

/**
 * Reads one `--grid` flag, `name=5:50:5`, `name=10,14,20` or `name=7`, into a parameter name and its
 * values as written; expandParamSpace checks the values against the strategy.
 */
export function parseGridFlag(text: string): [name: string, value: ParamRangeInput] {
  const usage = 'write --grid name=start:stop:step, name=a,b,c or name=value, e.g. --grid fast=5:50:5';
  const equals = text.indexOf('=');
  if (equals < 0) throw new ParamSpaceError(`--grid "${text}" has no "="; ${usage}.`);
  const name = text.slice(0, equals).trim();
  const value = text.slice(equals + 1).trim();
  if (name === '') throw new ParamSpaceError(`--grid "${text}" has no parameter name before "="; ${usage}.`);
  if (value === '') throw new ParamSpaceError(`--grid "${text}" has no values after "="; ${usage}.`);
  return [name, value];
}

/**
 * Expands a sweep's parameter space into the combinations to run. Parameters not in `space` keep the
 * strategy's default; every value is checked against its parameter's spec. Grid order is nested loops in
 * the strategy's declaration order, the first parameter outermost and the last varying fastest.
 * Combinations failing `options.constraint` or the strategy's own `validate` rule are dropped and counted
 * together in `rejectedByConstraint`. With `options.random` = N, N distinct combinations are picked
 * uniformly from the rest (the same ones for the same `seed`), still in grid order.
 * Throws ParamSpaceError for an unknown parameter, a bad value or option, a grid larger than
 * `maxCombinations`, or when every combination is rejected; ConstraintError for a bad constraint.
 */
export function expandParamSpace<P extends ParamSpecs>(
  strategy: Strategy<P>,
  space: ParamSpaceInput,
  options: ParamSpaceOptions = {},
): ExpandedParamSpace<P> {
  const anyStrategy: Strategy<ParamSpecs> = strategy;
  const maxCombinations = wholeNumberOption(
    'maxCombinations',
    options.maxCombinations,
    DEFAULT_MAX_COMBINATIONS,
    1,
  );
  const random = options.random === undefined ? undefined : wholeNumberOption('random', options.random, 1, 1);
  const seed = wholeNumberOption('seed', options.seed, 1);
  checkKnownNames(anyStrategy, space);
  const names = Object.keys(strategy.params);
  const accepts = options.constraint === undefined ? undefined : compileConstraint(options.constraint, names);

  const axes = names.map((name) => new ParamAxisBuilder(anyStrategy, name).build(space[name]));
  const gridSize = axes.reduce((size, axis) => size * axis.count, 1);
  if (gridSize > maxCombinations) {
    throw new ParamSpaceError(
      `${strategy.name}: the grid has ${formatCount(gridSize)} combinations, more than the limit of ` +
        `${formatCount(maxCombinations)}; use larger steps or shorter ranges, or raise maxCombinations.`,
    );
  }
  const valuesByAxis = axes.map((axis) => axis.values());

  const kept: ParamValues<P>[] = [];
  let ruleExample: string | undefined;
  const position = names.map(() => 0);
  for (let index = 0; index < gridSize; index++) {
    const combination: Record<string, ParamValue> = {};
    names.forEach((name, axis) => {
      combination[name] = valuesByAxis[axis]![position[axis]!]!;
    });
    const typed = combination as ParamValues<P>;
    const problem = strategy.validate?.(typed);
    if (problem) ruleExample ??= problem;
    else if (accepts === undefined || accepts(combination)) kept.push(typed);
    for (let axis = names.length - 1; axis >= 0; axis--) {
      position[axis]!++;
      if (position[axis]! < valuesByAxis[axis]!.length) break;
      position[axis] = 0;
    }
  }

  const rejectedByConstraint = gridSize - kept.length;
  if (kept.length === 0) {
    const causes = [
      options.constraint === undefined ? undefined : `the constraint "${options.constraint}"`,
      ruleExample === undefined ? undefined : `${strategy.name}'s own rule (e.g. ${ruleExample})`,
    ].filter((cause) => cause !== undefined);
    throw new ParamSpaceError(
      `${strategy.name}: every one of the ${formatCount(gridSize)} combinations is rejected by ` +
        `${causes.join(' or ')}; loosen the constraint or change the ranges.`,
    );
  }
  const combinations =
    random === undefined
      ? kept
      : pickDistinctIndices(kept.length, random, createSeededRandom(seed)).map((index) => kept[index]!);
  return { combinations, gridSize, rejectedByConstraint };
}
