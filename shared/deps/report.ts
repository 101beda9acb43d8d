import type { Finding } from './model';

/** A finding as the JSON report documents it: `deps check --format json` and the deps-check function. */
export interface PublicFinding {
  readonly ruleId: Finding['ruleId'];
  readonly severity: Finding['severity'];
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly package: string | null;
  readonly message: string;
  readonly fix: string | null;
}

/** The finding as `--format json` documents it (edits stay internal; SARIF carries them). */
export function publicFinding(finding: Finding): PublicFinding {
  const { ruleId, severity, file, line, column, package: pkg, message, fix } = finding;
  return { ruleId, severity, file, line, column, package: pkg, message, fix };
}

/** The whole JSON report: the manifests read and their findings. */
export function publicReport(result: {
  readonly files: readonly string[];
  readonly findings: readonly Finding[];
}): {
  files: string[];
  findings: PublicFinding[];
} {
  return { files: [...result.files], findings: result.findings.map(publicFinding) };
}
