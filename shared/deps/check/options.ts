import type { DeprecatedName, RuleId } from '../model';

/** The Python the checks judge against when `--python` is not given: the newest stable release, never the host's. */
export const DEFAULT_PYTHON = '3.13';

/** A finding the user has accepted: a rule, for one package or for all, with the reason they gave. */
export interface IgnoreRule {
  readonly rule: RuleId;
  /** PEP 503-normalised; absent ignores the rule for every package. */
  readonly package?: string;
  readonly reason: string;
}

/** What a check run judges against. */
export interface CheckOptions {
  /** Target Python, `X.Y`. */
  readonly python: string;
  /** Report every requirement not pinned with `==` or `===` (`unpinned`). */
  readonly requirePins: boolean;
  /** The user's own deprecated names, on top of the built-in table. */
  readonly deprecated: readonly DeprecatedName[];
  readonly ignore: readonly IgnoreRule[];
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  python: DEFAULT_PYTHON,
  requirePins: false,
  deprecated: [],
  ignore: [],
};
