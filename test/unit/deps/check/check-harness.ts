import { type CheckResult, checkManifests } from '@shared/deps/check/check';
import { type CheckOptions, DEFAULT_CHECK_OPTIONS } from '@shared/deps/check/options';
import type { Finding } from '@shared/deps/model';

/** Checks in-memory files (path → text), starting from `roots`. */
export async function checkFiles(
  files: Record<string, string>,
  roots: readonly string[] = Object.keys(files),
  options: Partial<CheckOptions> = {},
): Promise<CheckResult> {
  return checkManifests(
    roots,
    { read: async (path) => files[path] },
    { ...DEFAULT_CHECK_OPTIONS, ...options },
  );
}

/** The findings in a compact, readable form: `file:line:column rule severity package`. */
export const brief = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.severity} ${f.package ?? '-'}`);
