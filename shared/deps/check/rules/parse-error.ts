import type { Finding, ParseProblem } from '../../model';
import type { GraphProblem } from '../../requirements';

/** `parse-error`: a line or value the manifest's format does not allow; the check goes on past it. */
export function parseErrorFinding(file: string, problem: ParseProblem): Finding {
  const unexpanded = /\$\{([A-Z0-9_]+)\}/.exec(problem.message)?.[1];
  const hint =
    problem.hint ??
    (unexpanded
      ? `set ${unexpanded} in the environment: pip replaces \${${unexpanded}} with its value`
      : null);
  return {
    ruleId: 'parse-error',
    severity: 'error',
    file,
    line: problem.position.line,
    column: problem.position.column,
    package: null,
    message: problem.message,
    fix: hint,
    ...(problem.edits && problem.edits.length > 0 ? { edits: problem.edits } : {}),
  };
}

/** `include-error`: a `-r`/`-c` target that does not exist, or an include that closes a cycle. */
export function includeErrorFinding(graphProblem: GraphProblem): Finding {
  const { problem } = graphProblem;
  return {
    ruleId: 'include-error',
    severity: 'error',
    file: graphProblem.file,
    line: problem.position.line,
    column: problem.position.column,
    package: null,
    message: problem.message,
    fix:
      problem.hint ??
      (graphProblem.kind === 'cycle'
        ? 'remove one of the includes that form the cycle'
        : 'fix the path, or remove the include'),
  };
}
