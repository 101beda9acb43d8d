import type { Finding, Position, RuleId, Severity } from '../model';

/** A finding at a position (the start of a key, an entry or a value). */
export function findingAt(
  file: string,
  at: Position,
  ruleId: RuleId,
  severity: Severity,
  pkg: string | null,
  message: string,
  fix: string | null,
): Finding {
  return { ruleId, severity, file, line: at.line, column: at.column, package: pkg, message, fix };
}

/** `file:line`, for pointing from one finding at another place. */
export const where = (file: string, at: Position) => `${file}:${at.line}`;
