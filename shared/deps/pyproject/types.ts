import type { DependencyEntry, ParseProblem, Position, SpecifierClause } from '../model';

/** The Python versions the project supports: `[project].requires-python`, else Poetry's `python` dependency. */
export interface RequiresPython {
  readonly clauses: SpecifierClause[];
  /** The value as written. */
  readonly text: string;
  /** Inside the string's quotes. */
  readonly position: Position;
  readonly source: 'project' | 'poetry';
}

/** A pyproject.toml, read. */
export interface PyprojectFile {
  readonly file: string;
  /** `[project].name` as written, else `[tool.poetry].name`, else null. */
  readonly projectName: string | null;
  /**
   * In file-section order: `[project]` dependencies and optional-dependencies, `[dependency-groups]`, then Poetry's
   * main dependencies, dev-dependencies and groups.
   */
  readonly entries: DependencyEntry[];
  readonly requiresPython: RequiresPython | null;
  /**
   * Every problem met, sorted by position: TOML syntax, wrong types, invalid requirements (these are also on their
   * entry's `problem`, as the same object), include-group errors, untranslatable Poetry constraints.
   */
  readonly problems: ParseProblem[];
  /** `[tool.flywheel]` as plain values, or null when absent. */
  readonly toolFlywheel: unknown | null;
}
