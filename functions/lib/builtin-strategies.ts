import type { StrategyRef, StrategyResolver } from '@shared/ports/strategy-resolver';
import { builtinStrategies, findBuiltinStrategy } from '@shared/strategies/builtin';
import { StrategyNotFoundError } from '@shared/strategies/strategy-schema';
import packageJson from '../../package.json';

/** The identity of a built-in strategy: its name and the Flywheel version that defines it. */
export function builtinIdentity(name: string): string {
  return `builtin:${name}@${packageJson.version}`;
}

/**
 * Resolves built-in strategies only: what a deployed function can run. Users' strategy modules run in the local
 * runtime, where they can be loaded from disk.
 */
export const builtinStrategyResolver: StrategyResolver = {
  resolve(reference) {
    const strategy = findBuiltinStrategy(reference);
    if (!strategy) {
      const names = builtinStrategies.map((builtin) => builtin.name).join(', ');
      throw new StrategyNotFoundError(
        `"${reference}" is not a built-in strategy (${names}); strategy modules run in the local runtime only`,
      );
    }
    return { strategy, ref: { name: strategy.name, identity: builtinIdentity(strategy.name) } };
  },
  load(ref: StrategyRef) {
    const strategy = ref.module ? undefined : findBuiltinStrategy(ref.name);
    if (!strategy) {
      throw new StrategyNotFoundError(
        `strategy ${ref.module ?? ref.name} is not a built-in; this function runs built-ins only`,
      );
    }
    return strategy;
  },
};
