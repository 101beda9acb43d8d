import type { Strategy } from '../strategies/api';

/** How jobs and promotions refer to a strategy: a built-in, or a module pinned by the hash of its source. */
export interface StrategyRef {
  readonly name: string;
  /** Absolute path of the strategy module; absent for built-ins. */
  readonly module?: string | undefined;
  /** `builtin:<name>@<version>` or `module:<sha256>`: equal identities compute equal results. */
  readonly identity: string;
}

/** Finds strategies: built-ins by name, users' modules by path (reading a module is I/O, hence a port). */
export interface StrategyResolver {
  /** Resolves what a spec or flag names; relative module paths start from `baseDir`. */
  resolve(reference: string, baseDir: string): { strategy: Strategy; ref: StrategyRef };
  /** Loads the strategy a job or promotion recorded; fails if a module changed since. */
  load(ref: StrategyRef): Strategy;
}
