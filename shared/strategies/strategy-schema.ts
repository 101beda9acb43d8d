import { z } from 'zod';
import { issueList } from '../validation/zod-issues';
import type { Strategy } from './api';

const callable = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
    error: `${what} must be a function`,
  });

const NumberParamSchema = z
  .object({
    type: z.enum(['int', 'number']),
    default: z.number().refine(Number.isFinite, { error: 'default must be a finite number' }),
    min: z.number().optional(),
    max: z.number().optional(),
    description: z.string().default(''),
  })
  .refine((p) => p.type !== 'int' || Number.isInteger(p.default), {
    error: 'an int parameter needs a whole default',
  })
  .refine((p) => p.min === undefined || p.default >= p.min, { error: 'default is below min' })
  .refine((p) => p.max === undefined || p.default <= p.max, { error: 'default is above max' });

const BooleanParamSchema = z.object({
  type: z.literal('boolean'),
  default: z.boolean(),
  description: z.string().default(''),
});

/** The shape every strategy module must export, checked when a user's module is loaded. */
export const StrategySchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, {
    error: 'name must be kebab-case: lower-case letters, digits and dashes',
  }),
  description: z.string().default(''),
  params: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'parameter names must be identifiers' }),
    z.union([NumberParamSchema, BooleanParamSchema], {
      error: "each parameter needs type 'int', 'number' or 'boolean', a default and a description",
    }),
  ),
  validate: callable('validate').optional(),
  indicators: callable('indicators'),
  signal: callable('signal'),
});

/** No strategy answers to a name or path; the message lists the built-ins and how to name a module. */
export class StrategyNotFoundError extends Error {
  override readonly name = 'StrategyNotFoundError';
}

/** A loaded object is not a usable strategy; the message lists each problem by field. */
export class InvalidStrategyError extends Error {
  override readonly name = 'InvalidStrategyError';
}

/** Checks that an unknown value is a strategy and returns it typed; throws InvalidStrategyError otherwise. */
export function assertStrategy(value: unknown, source: string): Strategy {
  const parsed = StrategySchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidStrategyError(
      `${source} does not export a valid strategy:\n${issueList(parsed.error, { top: '(strategy)' })}`,
    );
  }
  return value as Strategy;
}
