import { describe, expect, it } from '@jest/globals';
import { checkEnvironment, type EnvironmentFacts, venvPython } from '@shared/deps/environment';
import { parsePyproject } from '@shared/deps/pyproject';

const PYPROJECT = parsePyproject(
  '[project]\nname = "bot"\nrequires-python = ">=3.11,<3.13"\n',
  'pyproject.toml',
);
const facts = (overrides: Partial<EnvironmentFacts>): EnvironmentFacts => ({
  projectVenv: '/work/bot/.venv',
  projectVenvLabel: '.venv',
  activeVenv: '/work/bot/.venv',
  pyvenvCfg: {
    file: '.venv/pyvenv.cfg',
    text: 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.4\n',
  },
  pyproject: PYPROJECT,
  ...overrides,
});

describe('venvPython', () => {
  it.each([
    ['version = 3.12.4\n', '3.12.4', 1],
    ['home = /usr/bin\nversion_info = 3.13.0.final.0\nversion = 3.13.0\n', '3.13.0', 2],
    ['implementation = CPython\nversion_info = 3.11.9.final.0\n', '3.11.9', 2],
  ])('reads %j as Python %s (line %i)', (text, version, line) => {
    expect(venvPython(text)).toMatchObject({ version, line });
  });

  it('finds nothing in a pyvenv.cfg without a version', () => {
    expect(venvPython('home = /usr/bin\n')).toBeUndefined();
  });
});

describe('checkEnvironment', () => {
  it('is quiet when the project’s .venv is active and its Python is allowed', () => {
    expect(checkEnvironment(facts({}))).toEqual([]);
  });

  it('reports no active environment, and another project’s', () => {
    const none = checkEnvironment(facts({ activeVenv: undefined }));
    const other = checkEnvironment(facts({ activeVenv: '/home/me/.virtualenvs/old' }));
    expect(none.map((f) => f.message)).toEqual([
      "no virtual environment is active (VIRTUAL_ENV is not set); this project's is .venv",
    ]);
    expect(other.map((f) => f.message)).toEqual([
      "the active virtual environment is /home/me/.virtualenvs/old, not this project's .venv",
    ]);
    expect(other[0]).toMatchObject({ ruleId: 'environment', severity: 'error', file: '.venv' });
  });

  it('reports a missing .venv', () => {
    const findings = checkEnvironment(facts({ pyvenvCfg: undefined }));
    expect(findings.map((f) => f.message)).toEqual(['.venv does not exist (or has no pyvenv.cfg)']);
  });

  it('reports a .venv Python that requires-python excludes, at requires-python', () => {
    const findings = checkEnvironment(
      facts({ pyvenvCfg: { file: '.venv/pyvenv.cfg', text: 'version_info = 3.13.1.final.0\n' } }),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        file: 'pyproject.toml',
        line: 3,
        column: 20,
        message:
          '.venv runs Python 3.13.1 (.venv/pyvenv.cfg:1), which requires-python ">=3.11,<3.13" does not allow',
      }),
    ]);
  });
});
