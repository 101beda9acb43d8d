/**
 * PEP 440 versions and version specifiers, matching Python's `packaging` 26 exactly.
 * https://packaging.python.org/en/latest/specifications/version-specifiers/
 */

export type { PoetryResult } from './poetry';
export { poetryConstraint } from './poetry';
export type { SatisfiableResult } from './satisfiable';
export { satisfiable } from './satisfiable';
export type { ContainsOptions, ParseClauseResult, ParseSetResult } from './specifier';
export {
  clauseContains,
  formatClause,
  formatSpecifier,
  parseSpecifierClause,
  parseSpecifierSet,
  specifierContains,
} from './specifier';
export type { PreTag, Version } from './version';
export { compareVersions, isPrerelease, normalizeVersion, parseVersion } from './version';
