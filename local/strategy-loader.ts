import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Strategy } from '@shared/strategies/api';
import { builtinStrategies, findBuiltinStrategy } from '@shared/strategies/builtin';
import { assertStrategy, InvalidStrategyError } from '@shared/strategies/strategy-schema';
import { InputError } from './cli/errors';

const MODULE_EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs)$/;

function looksLikePath(reference: string): boolean {
  return reference.includes('/') || reference.includes('\\') || MODULE_EXTENSIONS.test(reference);
}

/**
 * Resolves `--strategy`: a built-in name, or the path of a TypeScript or JavaScript module whose default
 * export (or export named `strategy`) is a strategy. TypeScript loads through tsx, registered by the CLI.
 */
export function loadStrategy(reference: string, cwd = process.cwd()): Strategy {
  const builtin = findBuiltinStrategy(reference);
  if (builtin) return builtin;
  const names = builtinStrategies.map((strategy) => strategy.name).join(', ');
  if (!looksLikePath(reference)) {
    throw new InputError(
      `unknown strategy "${reference}". Built-in strategies: ${names}. For your own, give a module path such as ./my-strategy.ts.`,
    );
  }
  const path = resolve(cwd, reference);
  if (!existsSync(path)) throw new InputError(`strategy module not found: ${reference} (looked at ${path}).`);
  let exported: Record<string, unknown>;
  try {
    exported = require(path) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`cannot load strategy module ${reference}: ${(error as Error).message}`);
  }
  const candidate = exported.default ?? exported.strategy;
  if (candidate === undefined) {
    throw new InputError(
      `${reference} exports no strategy: use \`export default defineStrategy({...})\` or \`export const strategy = ...\`.`,
    );
  }
  try {
    return assertStrategy(candidate, reference);
  } catch (error) {
    if (error instanceof InvalidStrategyError) throw new InputError(error.message);
    throw error;
  }
}
