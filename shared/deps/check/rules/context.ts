import type { KnownName } from '../../deprecated-names';
import type { DependencyEntry, Finding, Position, RuleId, Severity, TextEdit } from '../../model';
import type { CheckOptions } from '../options';

/** What every rule may consult besides the manifests. */
export interface RuleContext {
  readonly options: CheckOptions;
  /** Built-in and user deprecated names by normalised name (the user's win). */
  readonly knownNames: ReadonlyMap<string, KnownName>;
  /** A checked file's lines (without line ends), for edits that remove whole lines. */
  readonly lines: (file: string) => readonly string[] | undefined;
}

/** A finding about an entry, pointing at `at` (default: the start of the requirement). */
export function entryFinding(
  entry: DependencyEntry,
  ruleId: RuleId,
  severity: Severity,
  message: string,
  fix: string | null,
  options: { at?: Position; edits?: readonly TextEdit[] } = {},
): Finding {
  const at = options.at ?? entry.position;
  return {
    ruleId,
    severity,
    file: entry.file,
    line: at.line,
    column: at.column,
    package: entry.requirement?.normalizedName ?? entry.reference?.name ?? null,
    message,
    fix,
    ...(options.edits && options.edits.length > 0 ? { edits: options.edits } : {}),
  };
}

/** `file:line`, for pointing from one finding at another entry. */
export function where(entry: DependencyEntry): string {
  return `${entry.file}:${entry.position.line}`;
}

/** The requirement as written, for messages. */
export function quoted(entry: DependencyEntry): string {
  return `\`${entry.raw.trim()}\``;
}
