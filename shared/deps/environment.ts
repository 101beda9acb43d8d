import type { Finding } from './model';
import { specifierContains } from './pep440';
import type { PyprojectFile } from './pyproject';

/** The facts `flywheel deps env --check` judges, gathered by the caller. */
export interface EnvironmentFacts {
  /** The project's `.venv`, absolute. */
  readonly projectVenv: string;
  /** How reports name the project's `.venv` (relative to the current folder). */
  readonly projectVenvLabel: string;
  /** `VIRTUAL_ENV` from the environment, resolved to an absolute real path; undefined when unset. */
  readonly activeVenv: string | undefined;
  /** `.venv/pyvenv.cfg`, when the project's `.venv` exists. */
  readonly pyvenvCfg: { readonly file: string; readonly text: string } | undefined;
  /** The project's pyproject.toml, when there is one. */
  readonly pyproject: PyprojectFile | undefined;
}

/** The Python version a venv was made with: `version_info` (uv) or `version` (venv, virtualenv) in pyvenv.cfg. */
export function venvPython(text: string): { version: string; line: number; column: number } | undefined {
  const lines = text.split(/\r?\n/);
  for (const key of ['version_info', 'version']) {
    for (let i = 0; i < lines.length; i++) {
      const match = /^\s*([A-Za-z_]+)\s*=\s*(\S+)\s*$/.exec(lines[i]!);
      if (match?.[1] !== key) continue;
      // version_info reads 3.12.4.final.0: the release is its first three parts.
      const version = match[2]!.split('.').slice(0, 3).join('.');
      return { version, line: i + 1, column: lines[i]!.indexOf(match[2]!) + 1 };
    }
  }
  return undefined;
}

const finding = (file: string, line: number, column: number, message: string, fix: string): Finding => ({
  ruleId: 'environment',
  severity: 'error',
  file,
  line,
  column,
  package: null,
  message,
  fix,
});

/**
 * `environment`: the active virtual environment is not the project's `.venv`, the `.venv` is missing, or its
 * Python is one requires-python does not allow.
 */
export function checkEnvironment(facts: EnvironmentFacts): Finding[] {
  const findings: Finding[] = [];
  const activate = 'run `flywheel deps env` and `direnv allow` (or `source .venv/bin/activate`)';
  if (facts.activeVenv === undefined) {
    findings.push(
      finding(
        facts.projectVenvLabel,
        1,
        1,
        `no virtual environment is active (VIRTUAL_ENV is not set); this project's is ${facts.projectVenvLabel}`,
        activate,
      ),
    );
  } else if (facts.activeVenv !== facts.projectVenv) {
    findings.push(
      finding(
        facts.projectVenvLabel,
        1,
        1,
        `the active virtual environment is ${facts.activeVenv}, not this project's ${facts.projectVenvLabel}`,
        `deactivate it, then ${activate}`,
      ),
    );
  }
  if (!facts.pyvenvCfg) {
    findings.push(
      finding(
        facts.projectVenvLabel,
        1,
        1,
        `${facts.projectVenvLabel} does not exist (or has no pyvenv.cfg)`,
        'run `flywheel deps env` and `direnv allow` to create it, or `python3 -m venv .venv`',
      ),
    );
    return findings;
  }
  const python = venvPython(facts.pyvenvCfg.text);
  const requires = facts.pyproject?.requiresPython;
  if (!python) {
    findings.push(
      finding(
        facts.pyvenvCfg.file,
        1,
        1,
        `${facts.pyvenvCfg.file} names no Python version`,
        `recreate ${facts.projectVenvLabel}`,
      ),
    );
  } else if (requires && !specifierContains(requires.clauses, python.version, { prereleases: true })) {
    findings.push(
      finding(
        facts.pyproject!.file,
        requires.position.line,
        requires.position.column,
        `${facts.projectVenvLabel} runs Python ${python.version} (${facts.pyvenvCfg.file}:${python.line}), which requires-python "${requires.text}" does not allow`,
        `recreate ${facts.projectVenvLabel} with an allowed Python (rm -rf .venv, then direnv reload), or widen requires-python`,
      ),
    );
  }
  return findings;
}
