import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CheckResult } from '@shared/deps/check/check';
import { loadDepsConfig } from './config';
import { runDepsCheck } from './run-check';

/** What the gate checks when the configuration names nothing: the project's own manifest (with its lockfile). */
export const DEFAULT_BEFORE_START = ['package.json'];

/** The gate's verdict: the check's result, and the manifests it looked at. */
export interface StartGateResult {
  readonly checked: readonly string[];
  readonly result: CheckResult & { options: { python: string } };
  readonly errors: number;
}

/**
 * The dependency check `flywheel start` runs first: the manifests `deps.beforeStart` lists (default
 * package.json), each only if it exists. Test fixtures are never among them unless listed by name.
 */
export async function runStartGate(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StartGateResult | undefined> {
  const { config } = await loadDepsConfig(cwd);
  const checked = (config.beforeStart ?? DEFAULT_BEFORE_START).filter((path) =>
    existsSync(resolve(cwd, path)),
  );
  if (checked.length === 0) return undefined;
  const result = await runDepsCheck(checked, cwd, env, {});
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  return { checked, result, errors };
}
