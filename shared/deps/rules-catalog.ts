import type { RuleId, Severity } from './model';

/** What each rule checks, for --help, SARIF rule metadata and the README. */
export const RULES: Readonly<
  Record<RuleId, { readonly severity: Severity | 'varies'; readonly summary: string }>
> = {
  'parse-error': {
    severity: 'error',
    summary:
      'a line or value that is not valid PEP 508 / PEP 440 / TOML / JSON / npm range; the check goes on past it',
  },
  'include-error': {
    severity: 'error',
    summary: 'a -r/-c target that does not exist, or includes that form a cycle',
  },
  'deprecated-name': {
    severity: 'varies',
    summary: 'a deprecated, placeholder, squatted, renamed, backport or artifact name, with its replacement',
  },
  conflict: {
    severity: 'error',
    summary:
      'one package with specifiers no version satisfies (markers that exclude each other aside), or a squatter beside its real package',
  },
  duplicate: { severity: 'warning', summary: 'the exact same requirement listed twice' },
  'hash-mode': {
    severity: 'error',
    summary: 'some requirements hashed and others not (or not pinned, or editable): pip refuses the install',
  },
  unpinned: {
    severity: 'error',
    summary: 'with --require-pins: a requirement not pinned with == (or by a constraint)',
  },
  'lock-out-of-sync': {
    severity: 'error',
    summary:
      'a lock or compiled file that disagrees with its input: requirements.in → .txt, package.json → package-lock.json',
  },
  'unknown-package': {
    severity: 'error',
    summary: 'with --online: no such project on PyPI or the npm registry',
  },
  yanked: {
    severity: 'varies',
    summary: 'with --online: a pinned version its maintainers yanked, with their reason',
  },
  vulnerability: {
    severity: 'varies',
    summary: 'with --online: a pinned version with known vulnerabilities (OSV)',
  },
  'online-unavailable': {
    severity: 'info',
    summary:
      'with --online: a registry could not be asked, so what it would say is unknown (never taken as clean)',
  },
  environment: {
    severity: 'error',
    summary:
      "flywheel deps env --check: the active virtual environment is not the project's, or its Python is not allowed",
  },
  'python-version': {
    severity: 'varies',
    summary: 'requires-python or markers that exclude the target Python (--python, default 3.13)',
  },
};
