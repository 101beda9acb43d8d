import type { Bars } from '../market-data/bars';
import type { IndicatorLibrary } from './indicators';

/** A numeric strategy parameter: `int` for periods and counts, `number` for thresholds and multipliers. */
export interface NumberParamSpec {
  readonly type: 'int' | 'number';
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

/** An on/off strategy parameter. */
export interface BooleanParamSpec {
  readonly type: 'boolean';
  readonly default: boolean;
  readonly description: string;
}

/** One parameter's declaration: its type, default, bounds and meaning. */
export type ParamSpec = NumberParamSpec | BooleanParamSpec;

/** A strategy's parameter schema: plain data, so it can be listed, validated and swept. */
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** The parameter values a strategy receives, typed from its schema. */
export type ParamValues<P extends ParamSpecs> = {
  -readonly [K in keyof P]: P[K] extends BooleanParamSpec ? boolean : number;
};

/** Indicator series by name: each a Float64Array as long as the bars, NaN until it has a value. */
export type IndicatorSeries = Record<string, Float64Array>;

/**
 * What a strategy wants after bar i closes: `'long'` or `'short'` (closing any opposite position first),
 * `'exit'` (close the position), or null to do nothing.
 */
export type Decision = 'long' | 'short' | 'exit' | null | undefined;

/** The position held when a strategy decides: it lets a rule exit only the side it is in. */
export type PositionSide = 'long' | 'short' | 'flat';

/** A trading strategy: a parameter schema, the indicators it needs and a signal function over them. */
export interface Strategy<P extends ParamSpecs = ParamSpecs, I extends IndicatorSeries = IndicatorSeries> {
  /** Identifier used on the command line, in kebab-case. */
  readonly name: string;
  readonly description: string;
  readonly params: P;
  /** Checks rules between parameters (such as fast < slow); returns the problem, or undefined when fine. */
  validate?(params: ParamValues<P>): string | undefined;
  /** Computes every indicator once over the whole series. Trading waits until all of them have a value. */
  indicators(bars: Bars, params: ParamValues<P>, ta: IndicatorLibrary): I;
  /**
   * Decides on bar i, using data up to bar i's close only; a market order then fills at bar i+1's open.
   * `position` is the side held at that close.
   */
  signal(i: number, indicators: I, bars: Bars, params: ParamValues<P>, position: PositionSide): Decision;
}

/** Declares a strategy with full type inference of its parameters and indicators. */
export function defineStrategy<P extends ParamSpecs, I extends IndicatorSeries>(
  strategy: Strategy<P, I>,
): Strategy<P, I> {
  return strategy;
}

/** True when series a crosses above series b at bar i: a[i-1] < b[i-1] and a[i] > b[i]. */
export function crossAbove(a: Float64Array, b: Float64Array, i: number): boolean {
  return a[i - 1]! < b[i - 1]! && a[i]! > b[i]!;
}

/** True when series a crosses below series b at bar i: a[i-1] > b[i-1] and a[i] < b[i]. */
export function crossBelow(a: Float64Array, b: Float64Array, i: number): boolean {
  return a[i - 1]! > b[i - 1]! && a[i]! < b[i]!;
}
