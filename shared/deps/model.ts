/**
 * The dependency guard's shared vocabulary: what a manifest is read into, and what the rules report.
 * Parsers (requirements files, pyproject.toml) produce DependencyEntry values; rules produce Finding values.
 */

/** A place in a file: line and column are 1-based; column counts UTF-16 code units from the line start. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** How bad a finding is; `--fail-on` compares against this order. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every rule the guard has, in the order the README documents them. */
export const RULE_IDS = [
  'parse-error',
  'include-error',
  'deprecated-name',
  'conflict',
  'duplicate',
  'hash-mode',
  'unpinned',
  'lock-out-of-sync',
  'python-version',
  'unknown-package',
  'yanked',
  'vulnerability',
  'online-unavailable',
  'environment',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** A replacement of text in one file: the fix `flywheel deps fix` applies (positions as in Position). */
export interface TextEdit {
  readonly file: string;
  readonly start: Position;
  /** Exclusive end; an edit with start = end inserts. */
  readonly end: Position;
  readonly text: string;
}

/** One problem found in a manifest. */
export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly file: string;
  /** Start of the offending text. */
  readonly line: number;
  readonly column: number;
  /** The package the finding is about (PEP 503-normalised for Python, the npm name for npm), or null. */
  readonly package: string | null;
  readonly message: string;
  /** What to do about it, in words; null when there is nothing better to say than the message. */
  readonly fix: string | null;
  /** The edits that fix it, when `deps fix` can apply them safely. */
  readonly edits?: readonly TextEdit[];
}

/** A problem a parser met, before it becomes a `parse-error` (or `include-error`) finding. */
export interface ParseProblem {
  readonly message: string;
  /** A likely correction, e.g. "write `pkg==1.0`". */
  readonly hint?: string;
  readonly position: Position;
  /** A safe correction of the offending text, e.g. `=` → `==`. */
  readonly edits?: readonly TextEdit[];
}

/** PEP 440 comparison operators. */
export const SPECIFIER_OPERATORS = ['~=', '===', '==', '!=', '<=', '>=', '<', '>'] as const;
export type SpecifierOperator = (typeof SPECIFIER_OPERATORS)[number];

/** One clause of a version specifier, e.g. `>=1.2` or `==1.4.*` (version holds `1.4.*`, as written). */
export interface SpecifierClause {
  readonly operator: SpecifierOperator;
  readonly version: string;
}

/** The environment markers PEP 508 defines. */
export const MARKER_VARIABLES = [
  'python_version',
  'python_full_version',
  'os_name',
  'sys_platform',
  'platform_release',
  'platform_system',
  'platform_version',
  'platform_machine',
  'platform_python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
  'extras',
  'dependency_groups',
] as const;
export type MarkerVariable = (typeof MARKER_VARIABLES)[number];

/** Marker comparison operators: the PEP 440 ones plus `in` and `not in`. */
export type MarkerOperator = '===' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '~=' | 'in' | 'not in';

/** A parsed environment marker; `and` binds tighter than `or`, as PEP 508 says. */
export type Marker =
  | { readonly type: 'and' | 'or'; readonly left: Marker; readonly right: Marker }
  | {
      readonly type: 'compare';
      readonly left: MarkerOperand;
      readonly operator: MarkerOperator;
      readonly right: MarkerOperand;
    };
export type MarkerOperand =
  | { readonly type: 'variable'; readonly name: MarkerVariable }
  | { readonly type: 'string'; readonly value: string };

/** A PEP 508 requirement, parsed. Offsets are 0-based into the text that was parsed. */
export interface Requirement {
  /** As written. */
  readonly name: string;
  /** PEP 503: lower case, runs of `-`, `_` and `.` as one `-`. */
  readonly normalizedName: string;
  /** PEP 685-normalised extras, in the order written, without duplicates. */
  readonly extras: readonly string[];
  readonly clauses: readonly SpecifierClause[];
  /** The clauses in canonical text, `,`-joined without spaces (`>=1.0,<2`); '' for none. */
  readonly specifier: string;
  readonly marker: Marker | null;
  /** The marker in canonical text (`python_version < "3.9" and sys_platform == "linux"`), or null. */
  readonly markerText: string | null;
  /** The direct reference after `@`, or null. */
  readonly url: string | null;
  readonly offsets: {
    readonly name: number;
    readonly extras?: number;
    readonly specifier?: number;
    readonly marker?: number;
    readonly url?: number;
  };
}

/** Where an entry came from, so rules can treat each kind of dependency as pip, uv or Poetry would. */
export type EntrySource =
  | { readonly kind: 'requirements'; readonly role: 'requirement' | 'constraint' }
  | {
      readonly kind: 'project';
      readonly section: 'dependencies' | 'optional-dependencies';
      readonly group?: string;
    }
  | { readonly kind: 'dependency-group'; readonly group: string }
  | { readonly kind: 'poetry'; readonly group: string };

/** One dependency as a manifest declares it. */
export interface DependencyEntry {
  readonly file: string;
  /** Start of the requirement text (after `-e `, inside a TOML string's quotes). */
  readonly position: Position;
  /** The requirement text as written (one logical line without options and comments; a TOML string's value). */
  readonly raw: string;
  readonly source: EntrySource;
  /** Null when the text is not a valid requirement; `problem` then says why. */
  readonly requirement: Requirement | null;
  readonly problem?: ParseProblem;
  /** For a URL or local path without a name (`.`, `./pkg[test]`): the reference, and the name from `#egg=` if any. */
  readonly reference?: {
    readonly url: string;
    readonly name: string | null;
    readonly extras: readonly string[];
  };
  readonly editable: boolean;
  /** `--hash` values given for it (`sha256:…`). */
  readonly hashes: readonly string[];
  /** pip-compile / uv `# via` annotations: the packages that pulled it in. */
  readonly via: readonly string[];
  /** Where each part starts in the file, for pointing findings at it. */
  readonly spans: {
    readonly name?: Position;
    readonly specifier?: Position;
    readonly marker?: Position;
    readonly url?: Position;
  };
  /** The whole entry's extent, from `position` to the end of its last character (exclusive). */
  readonly end: Position;
  /**
   * Set when a pyproject entry names the project itself (`myproject[test]` in optional-dependencies or a
   * dependency group): it pulls in the project's own extras, not a package from an index.
   */
  readonly selfReference?: true;
}

/** The deprecated-name rule's data: one row of the table in data/deps/deprecated-names.md, or a user's own. */
export interface DeprecatedName {
  /** PEP 503-normalised. */
  readonly name: string;
  readonly category:
    | 'FAILS'
    | 'NOT-FOUND'
    | 'WRONG-PKG'
    | 'DUMMY-OK'
    | 'RENAMED'
    | 'DEPRECATED'
    | 'ABANDONED'
    | 'BACKPORT'
    | 'ARTIFACT';
  /** The package to use instead, or null to remove the line (backports, artifacts). */
  readonly replacement: string | null;
  readonly reason: string;
}

/** Package ecosystems the guard knows, named as OSV names them. */
export type Ecosystem = 'PyPI' | 'npm';

/** A package a manifest names, for the online checks: with its exact version when one is pinned or locked. */
export interface PackageRef {
  readonly ecosystem: Ecosystem;
  /** PEP 503-normalised for PyPI; the npm name as written (npm names are already lower case). */
  readonly name: string;
  /** The exact version (`==` pin, or the lockfile's version), or null. */
  readonly version: string | null;
  readonly file: string;
  /** Where findings about it point: its name in the manifest. */
  readonly position: Position;
}
