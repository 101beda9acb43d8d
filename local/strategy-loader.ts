import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StrategyRef, StrategyResolver } from '@shared/ports/strategy-resolver';
import type { Strategy } from '@shared/strategies/api';
import { builtinStrategies, findBuiltinStrategy } from '@shared/strategies/builtin';
import {
  assertStrategy,
  InvalidStrategyError,
  StrategyNotFoundError,
} from '@shared/strategies/strategy-schema';
import { textHash } from '@shared/sweep/ids';
import { builtinStrategyResolver } from '../functions/lib/builtin-strategies';
import { InputError } from './cli/errors';
import { PROJECT_ROOT } from './paths';

const MODULE_EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs)$/;

function looksLikePath(reference: string): boolean {
  return reference.includes('/') || reference.includes('\\') || MODULE_EXTENSIONS.test(reference);
}

/** Registers tsx for TypeScript modules when nothing has yet (a bundled worker thread starts without it). */
function ensureTypeScriptLoader(path: string): void {
  if (!/\.[cm]?ts$/.test(path) || require.extensions['.ts']) return;
  process.env.TSX_TSCONFIG_PATH ??= join(PROJECT_ROOT, 'tsconfig.json');
  require('tsx/cjs');
}

function loadModule(path: string, label: string): Strategy {
  let exported: Record<string, unknown>;
  try {
    ensureTypeScriptLoader(path);
    exported = require(path) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidStrategyError(`cannot load strategy module ${label}: ${(error as Error).message}`);
  }
  const candidate = exported.default ?? exported.strategy;
  if (candidate === undefined) {
    throw new InvalidStrategyError(
      `${label} exports no strategy: use \`export default defineStrategy({...})\` or \`export const strategy = ...\`.`,
    );
  }
  return assertStrategy(candidate, label);
}

/**
 * Resolves strategies on this machine: built-ins by name, users' modules by path. TypeScript modules load
 * through tsx (registered by the CLI and by worker threads); a module is pinned by the hash of its source.
 */
export function createStrategyResolver(): StrategyResolver {
  return {
    resolve(reference, baseDir) {
      if (findBuiltinStrategy(reference)) return builtinStrategyResolver.resolve(reference, baseDir);
      if (!looksLikePath(reference)) {
        const names = builtinStrategies.map((strategy) => strategy.name).join(', ');
        throw new StrategyNotFoundError(
          `unknown strategy "${reference}". Built-in strategies: ${names}. For your own, give a module path such as ./my-strategy.ts.`,
        );
      }
      const path = resolve(baseDir, reference);
      if (!existsSync(path))
        throw new StrategyNotFoundError(`strategy module not found: ${reference} (looked at ${path}).`);
      const strategy = loadModule(path, reference);
      return {
        strategy,
        ref: {
          name: strategy.name,
          module: path,
          identity: `module:${textHash(readFileSync(path, 'utf8'))}`,
        },
      };
    },
    load(ref: StrategyRef) {
      if (!ref.module) return builtinStrategyResolver.load(ref);
      if (!existsSync(ref.module))
        throw new StrategyNotFoundError(`strategy module ${ref.module} no longer exists`);
      if (`module:${textHash(readFileSync(ref.module, 'utf8'))}` !== ref.identity) {
        throw new StrategyNotFoundError(
          `strategy module ${ref.module} changed since the sweep was planned; submit the sweep again`,
        );
      }
      return loadModule(ref.module, ref.module);
    },
  };
}

/** Resolves `--strategy` for the CLI: a built-in name or a module path; problems become InputError (exit 2). */
export function loadStrategy(reference: string, cwd = process.cwd()): Strategy {
  try {
    return createStrategyResolver().resolve(reference, cwd).strategy;
  } catch (error) {
    if (error instanceof StrategyNotFoundError || error instanceof InvalidStrategyError)
      throw new InputError(error.message);
    throw error;
  }
}
