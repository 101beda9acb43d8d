import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { runFlywheel } from '../support/run-cli';
import { tempHome } from '../support/temp-home';

expect.extend({ toBeValidSarifLog } as never);
const expectValidSarif = (value: unknown) =>
  (expect(value) as unknown as { toBeValidSarifLog(): void }).toBeValidSarifLog();

/** A project folder with these files (path → text). */
function project(files: Record<string, string>): string {
  const root = tempHome('deps');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const deps = (cwd: string, ...argv: string[]) => runFlywheel(['deps', ...argv], { cwd });

const TRADING_BOT = {
  'requirements.txt':
    '# trading bot\n-r requirements/ml.txt\nccxt==4.3.98\nnumpy>=2.0\nPyYAML==6.0.2  # config\n',
  'requirements/ml.txt': 'sklearn==0.0\nnumpy<1.26\npandas=2.2.2\n',
  'pyproject.toml':
    '[project]\nname = "bot"\nrequires-python = ">=3.11"\ndependencies = ["bs4", "httpx>=0.27"]\n',
  'node_modules/pkg/requirements.txt': 'sklearn\n',
  '.venv/lib/requirements.txt': 'sklearn\n',
  'docs/MANIFEST.in': 'include README.md\n',
};

describe('flywheel deps check', () => {
  it('searches a folder (skipping node_modules and .venv) and prints findings grouped by file, exit 1', async () => {
    const root = project(TRADING_BOT);
    const { code, stdout } = await deps(root, 'check');
    expect(code).toBe(1);
    expect(stdout.split('\n').filter((line) => /^\S/.test(line))).toEqual([
      'pyproject.toml',
      'requirements/ml.txt',
      '3 errors, 1 warning, 0 info in 3 manifests (target Python 3.13).',
      'Automatic fixes available: flywheel deps fix pyproject.toml requirements/ml.txt',
    ]);
    expect(stdout).toContain('  1:1  error    deprecated-name  `sklearn==0.0`: installing it fails');
    expect(stdout).not.toContain('\u001b[');
  });

  it('prints { files, findings } with --format json (and --json), each finding with the documented keys', async () => {
    const root = project(TRADING_BOT);
    const json = await deps(root, 'check', '--format', 'json');
    const alias = await deps(root, 'check', '--json');
    const report = JSON.parse(json.stdout);
    expect(alias.stdout).toBe(json.stdout);
    expect(report.files).toEqual(['requirements.txt', 'requirements/ml.txt', 'pyproject.toml']);
    expect(report.findings.map((f: Record<string, unknown>) => Object.keys(f))).toEqual(
      Array(4).fill(['ruleId', 'severity', 'file', 'line', 'column', 'package', 'message', 'fix']),
    );
    expect(report.findings[2]).toEqual({
      ruleId: 'conflict',
      severity: 'error',
      file: 'requirements/ml.txt',
      line: 2,
      column: 6,
      package: 'numpy',
      message: '`numpy<1.26` and `numpy>=2.0` (requirements.txt:4) admit no common version',
      fix: 'make the constraints on numpy agree, or give them exclusive markers',
    });
  });

  it('writes SARIF 2.1.0 that the official schema accepts, with rules, locations and fixes', async () => {
    const root = project(TRADING_BOT);
    const { code, stdout } = await deps(root, 'check', '--format', 'sarif');
    const sarif = JSON.parse(stdout);
    expect(code).toBe(1);
    expectValidSarif(sarif);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toContain('deprecated-name');
    expect(run.results).toHaveLength(4);
    const sklearn = run.results.find(
      (r: { ruleId: string; level: string }) => r.ruleId === 'deprecated-name' && r.level === 'error',
    );
    expect(sklearn.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'requirements/ml.txt', uriBaseId: '%SRCROOT%', index: 1 },
      region: { startLine: 1, startColumn: 1 },
    });
    expect(sklearn.fixes[0].artifactChanges[0].replacements[0]).toEqual({
      deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 13 },
      insertedContent: { text: 'scikit-learn' },
    });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/.*\/$/);
  });

  it('has a schema check that rejects a broken log', () => {
    expect(() => expectValidSarif({ version: '2.1.0', runs: [{ results: [] }] })).toThrow();
  });

  it.each([
    ['error', ['--fail-on', 'error'], 1],
    ['warning, only warnings present', ['--fail-on', 'warning'], 1],
    ['error, only warnings present', ['--fail-on', 'error'], 0],
    ['never', ['--fail-on', 'never'], 0],
  ])('exits by --fail-on %s', async (_case, flags, expected) => {
    const onlyWarning = _case.includes('only warnings');
    const root = project(onlyWarning ? { 'requirements.txt': 'bs4==0.0.2\n' } : TRADING_BOT);
    expect((await deps(root, 'check', ...flags)).code).toBe(expected);
  });

  it('exits 0 with a clean report for clean manifests', async () => {
    const root = project({ 'requirements.txt': 'ccxt==4.3.98\nnumpy>=2,<3\n' });
    const { code, stdout } = await deps(root, 'check');
    expect(code).toBe(0);
    expect(stdout).toBe('No problems: 0 errors, 0 warnings, 0 info in 1 manifest (target Python 3.13).\n');
  });

  it('writes the report to --output atomically and says where', async () => {
    const root = project(TRADING_BOT);
    const { stdout, stderr } = await deps(root, 'check', '--format', 'sarif', '--output', 'out/deps.sarif');
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Report written to .*out\/deps\.sarif \(4 findings in 3 manifests\)/);
    expectValidSarif(JSON.parse(readFileSync(join(root, 'out/deps.sarif'), 'utf8')));
  });

  it('judges against --python and applies --require-pins', async () => {
    const root = project({ 'requirements.txt': 'typing\nrequests>=2\n' });
    const on27 = JSON.parse((await deps(root, 'check', '--json', '--python', '2.7')).stdout);
    const pinned = JSON.parse((await deps(root, 'check', '--json', '--require-pins')).stdout);
    expect(
      on27.findings.map((f: { ruleId: string; severity: string }) => `${f.ruleId} ${f.severity}`),
    ).toEqual(['deprecated-name warning']);
    expect(pinned.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'deprecated-name',
      'unpinned',
      'unpinned',
    ]);
  });

  it.each([
    [['check', 'missing.txt'], /missing\.txt: no such file or folder/],
    [['check', '--python', '3'], /--python.*expected X\.Y/],
    [['check', '--format', 'xml'], /argument 'xml' is invalid/],
    [['check', '--fail-on', 'sometimes'], /argument 'sometimes' is invalid/],
    [['parse', 'missing.txt'], /manifest not found/],
  ])('exits 2 for bad usage: %j', async (argv, message) => {
    const root = project({ 'requirements.txt': 'six\n' });
    const { code, stderr } = await deps(root, ...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('colours the report on a terminal', async () => {
    const root = project({ 'requirements.txt': 'sklearn\n' });
    let stdout = '';
    const { runCli } = await import('../../local/cli/main');
    await runCli(['deps', 'check'], {
      out: (t) => {
        stdout += t;
      },
      err: () => {},
      cwd: root,
      env: {},
      colour: true,
    });
    expect(stdout).toContain('\u001b[31merror');
  });
});

describe('deps configuration', () => {
  it('reads ignore (with reasons), own deprecated names and excludes from flywheel.config.yaml', async () => {
    const root = project({
      'flywheel.config.yaml': [
        'deps:',
        '  ignore:',
        '    - { rule: deprecated-name, package: Gym, reason: "our legacy env needs gym" }',
        '  deprecated:',
        '    - { name: old_broker, replacement: new-broker, category: RENAMED, reason: "the broker renamed its SDK" }',
        '  exclude: ["vendor/**"]',
        '',
      ].join('\n'),
      'requirements.txt': 'gym==0.26.2\nold-broker==1.2\n',
      'vendor/requirements.txt': 'sklearn\n',
    });
    const { stdout } = await deps(root, 'check', '--json');
    const report = JSON.parse(stdout);
    expect(report.files).toEqual(['requirements.txt']);
    expect(report.findings.map((f: { package: string; message: string }) => [f.package, f.message])).toEqual([
      ['old-broker', expect.stringContaining('the broker renamed its SDK; use new-broker')],
    ]);
    expect((await deps(root, 'check')).stdout).toMatch(/1 finding ignored by configuration/);
  });

  it('reads [tool.flywheel] from pyproject.toml', async () => {
    const root = project({
      'pyproject.toml':
        '[project]\nname = "x"\ndependencies = ["bs4"]\n\n[tool.flywheel]\nignore = [{ rule = "deprecated-name", package = "bs4", reason = "distro ships it" }]\n',
    });
    const { code, stdout } = await deps(root, 'check', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).findings).toEqual([]);
  });

  it('exits 2 naming each invalid setting', async () => {
    const root = project({
      'flywheel.config.yaml': 'deps:\n  ignore:\n    - { rule: no-such-rule, reason: "" }\n  python: "3"\n',
      'requirements.txt': 'six\n',
    });
    const { code, stderr } = await deps(root, 'check');
    expect(code).toBe(2);
    expect(stderr).toMatch(/flywheel\.config\.yaml \(deps\) is invalid/);
    expect(stderr).toMatch(/ignore\.0\.rule/);
    expect(stderr).toMatch(/ignore\.0\.reason: give the reason/);
    expect(stderr).toMatch(/python: write X\.Y/);
  });
});

describe('flywheel deps parse', () => {
  const FILE = [
    '# pinned by pip-compile',
    '--index-url https://pypi.org/simple',
    '',
    'requests[socks,SECURITY] >=2.31, <3 ; python_version >= "3.8"  # http',
    'pandas=2.2.2',
    '-e git+https://github.com/org/tool.git#egg=Tool',
    'numpy==2.1.0 \\',
    '    --hash=sha256:' + 'b'.repeat(64),
    '',
  ].join('\n');

  it('prints one NDJSON object per requirement, with the documented keys, and nothing for other lines', async () => {
    const root = project({ 'requirements.txt': FILE });
    const { code, stdout } = await deps(root, 'parse', 'requirements.txt', '--json');
    const records = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(code).toBe(1);
    expect(records).toEqual([
      {
        line: 4,
        raw: 'requests[socks,SECURITY] >=2.31, <3 ; python_version >= "3.8"',
        name: 'requests',
        normalizedName: 'requests',
        extras: ['socks', 'security'],
        specifier: '>=2.31,<3',
        marker: 'python_version >= "3.8"',
        url: null,
        editable: false,
        error: null,
      },
      {
        line: 5,
        raw: 'pandas=2.2.2',
        name: null,
        normalizedName: null,
        extras: null,
        specifier: null,
        marker: null,
        url: null,
        editable: null,
        error: expect.stringContaining('write `pandas==2.2.2`'),
      },
      {
        line: 6,
        raw: 'git+https://github.com/org/tool.git#egg=Tool',
        name: 'tool',
        normalizedName: 'tool',
        extras: [],
        specifier: null,
        marker: null,
        url: 'git+https://github.com/org/tool.git#egg=Tool',
        editable: true,
        error: null,
      },
      expect.objectContaining({ line: 7, name: 'numpy', specifier: '==2.1.0' }),
    ]);
  });

  it('prints a table without --json, and reads pyproject.toml too', async () => {
    const root = project({
      'pyproject.toml': '[project]\nname = "x"\ndependencies = ["httpx>=0.27", "rich"]\n',
    });
    const { code, stdout } = await deps(root, 'parse', 'pyproject.toml');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^line\s+name\s+extras\s+specifier\s+marker\s+url \/ error$/);
    expect(stdout).toMatch(/3\s+httpx\s+>=0\.27/);
  });
});

describe('flywheel deps fix', () => {
  const ORIGINAL = [
    '# Trading bot',
    'sklearn>=0.24  # models',
    'pandas=2.2.2',
    '',
    'pkg-resources==0.0.0',
    'enum34==1.1.10',
    'requests==2.32.3',
    '',
  ].join('\n');
  const FIXED = ['# Trading bot', 'scikit-learn  # models', 'pandas==2.2.2', '', 'requests==2.32.3', ''].join(
    '\n',
  );

  it('prints a unified diff with --dry-run and writes nothing', async () => {
    const root = project({ 'requirements.txt': ORIGINAL });
    const { code, stdout } = await deps(root, 'fix', 'requirements.txt', '--dry-run');
    expect(code).toBe(0);
    expect(stdout).toContain('--- requirements.txt\n+++ requirements.txt\n');
    const changes = stdout.split('\n').filter((line) => /^[-+][^-+]/.test(line));
    expect(changes).toEqual([
      '-sklearn>=0.24  # models',
      '-pandas=2.2.2',
      '+scikit-learn  # models',
      '+pandas==2.2.2',
      '-pkg-resources==0.0.0',
      '-enum34==1.1.10',
    ]);
    expect(readFileSync(join(root, 'requirements.txt'), 'utf8')).toBe(ORIGINAL);
  });

  it('rewrites the file keeping comments, order and formatting, and reports what remains', async () => {
    const root = project({ 'requirements.txt': `${ORIGINAL}numpy>=2\nnumpy<1\n` });
    const { code, stderr } = await deps(root, 'fix', 'requirements.txt');
    expect(readFileSync(join(root, 'requirements.txt'), 'utf8')).toBe(`${FIXED}numpy>=2\nnumpy<1\n`);
    expect(stderr).toMatch(/Fixed requirements\.txt \(4 changes\)/);
    expect(stderr).toMatch(/Remaining:\n[\s\S]*conflict/);
    expect(code).toBe(1);
  });

  it('says so when there is nothing to fix, and exits 0', async () => {
    const root = project({ 'requirements.txt': 'requests==2.32.3\n' });
    const { code, stderr } = await deps(root, 'fix', 'requirements.txt');
    expect(code).toBe(0);
    expect(stderr).toBe('Nothing to fix automatically.\n');
  });
});

describe('the README', () => {
  const ROOT = join(__dirname, '../..');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('shows exactly what `flywheel deps check examples/deps` prints', async () => {
    const shown = /```\n(examples\/deps\/pyproject\.toml\n[\s\S]*?)```/.exec(readme)?.[1];
    const { code, stdout } = await deps(ROOT, 'check', 'examples/deps');
    expect(code).toBe(1);
    expect(stdout).toBe(shown);
  });

  it('shows exactly the diff `flywheel deps fix examples/deps/requirements-ml.txt --dry-run` prints', async () => {
    const shown = /```diff\n([\s\S]*?)```/.exec(readme)?.[1];
    const { stdout } = await deps(ROOT, 'fix', 'examples/deps/requirements-ml.txt', '--dry-run');
    expect(stdout.split('\n').slice(2).join('\n')).toBe(shown);
  });
});

describe('flywheel deps env', () => {
  it('writes an .envrc that makes direnv create and activate .venv, and leaves it alone when current', async () => {
    const root = project({});
    const first = await deps(root, 'env');
    const again = await deps(root, 'env');
    expect(first.stdout).toMatch(/Wrote \.envrc\. Run `direnv allow`/);
    expect(again.stdout).toBe('.envrc is up to date.\n');
    const envrc = readFileSync(join(root, '.envrc'), 'utf8');
    expect(envrc.split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      'export VIRTUAL_ENV="$PWD/.venv"',
      'layout python python3',
      '',
    ]);
  });

  it('keeps an .envrc someone else wrote unless --force', async () => {
    const root = project({ '.envrc': 'use nix\n' });
    const refused = await deps(root, 'env');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /exists and was not written by flywheel; keep it, or replace it with --force/,
    );
    expect(readFileSync(join(root, '.envrc'), 'utf8')).toBe('use nix\n');
    expect((await deps(root, 'env', '--force', '--python-bin', 'python3.12')).code).toBe(0);
    expect(readFileSync(join(root, '.envrc'), 'utf8')).toContain('layout python python3.12\n');
  });

  it('--check exits 0 for the project’s .venv with an allowed Python, and 1 otherwise', async () => {
    const root = project({
      'pyproject.toml': '[project]\nname = "bot"\nrequires-python = ">=3.11"\n',
      '.venv/pyvenv.cfg': 'home = /usr/bin\nversion = 3.12.4\n',
    });
    const check = (env: Record<string, string>) =>
      runFlywheel(['deps', 'env', '--check', '--json'], { cwd: root, env });
    const good = await check({ VIRTUAL_ENV: join(root, '.venv') });
    const unset = await check({});
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({ findings: [] });
    expect(unset.code).toBe(1);
    expect(JSON.parse(unset.stdout).findings).toEqual([
      expect.objectContaining({ ruleId: 'environment', severity: 'error', file: '.venv' }),
    ]);
  });

  it('--check names a .venv whose Python breaks requires-python', async () => {
    const root = project({
      'pyproject.toml': '[project]\nname = "bot"\nrequires-python = ">=3.13"\n',
      '.venv/pyvenv.cfg': 'version_info = 3.11.9.final.0\n',
    });
    const { code, stdout } = await runFlywheel(['deps', 'env', '--check'], {
      cwd: root,
      env: { VIRTUAL_ENV: join(root, '.venv') },
    });
    expect(code).toBe(1);
    expect(stdout).toContain('pyproject.toml\n');
    expect(stdout).toContain(
      '.venv runs Python 3.11.9 (.venv/pyvenv.cfg:1), which requires-python ">=3.13" does not allow',
    );
    expect(stdout).toContain('1 error, 0 warnings, 0 info.');
  });
});

describe('Node manifests', () => {
  const STALE_LOCK = join(__dirname, '../fixtures/deps/npm/stale-lock');

  it('checks package.json with its lockfile, found by a folder search or named (the lockfile names its project)', async () => {
    const root = tempHome('deps-npm');
    cpSync(STALE_LOCK, root, { recursive: true });
    const byFolder = JSON.parse((await deps(root, 'check', '--json')).stdout);
    const byLock = JSON.parse((await deps(root, 'check', 'package-lock.json', '--json')).stdout);
    expect(byFolder.files).toEqual(['package.json', 'package-lock.json']);
    expect(byLock).toEqual(byFolder);
    expect(
      byFolder.findings.map(
        (f: { ruleId: string; file: string; line: number; package: string }) =>
          `${f.file}:${f.line} ${f.ruleId} ${f.package}`,
      ),
    ).toEqual([
      'package-lock.json:13 lock-out-of-sync left-pad',
      'package-lock.json:92 deprecated-name left-pad',
      'package.json:11 lock-out-of-sync chalk',
      'package.json:13 lock-out-of-sync dotenv',
      'package.json:14 lock-out-of-sync ms',
    ]);
  });
});

describe('deps check --online', () => {
  it('adds what PyPI and OSV say, applies the ignore rules to it, and says what it could not ask', async () => {
    const { startRegistries, WORLD } = await import('../unit/deps/online/fixtures');
    const world = await startRegistries(WORLD);
    try {
      const root = project({
        'requirements.txt': 'requests==2.32.0\nreqeusts==2.31.0\nurllib3==2.2.1\n',
        'flywheel.config.yaml':
          'deps:\n  ignore:\n    - { rule: vulnerability, package: urllib3, reason: "not reachable from our code" }\n',
      });
      const env = { ...world.env, FLYWHEEL_HOME: join(root, '.flywheel') };
      const online = await runFlywheel(['deps', 'check', '--online', '--json'], { cwd: root, env });
      const offline = await runFlywheel(['deps', 'check', '--json'], { cwd: root, env });
      const rules = (text: string) =>
        JSON.parse(text).findings.map((f: { ruleId: string; package: string }) => `${f.ruleId} ${f.package}`);
      expect(online.code).toBe(1);
      expect(rules(online.stdout)).toEqual(['yanked requests', 'unknown-package reqeusts']);
      expect(rules(offline.stdout)).toEqual([]);
      const down = await runFlywheel(['deps', 'check', '--online'], {
        cwd: root,
        env: {
          ...env,
          FLYWHEEL_HOME: join(root, '.other-home'),
          FLYWHEEL_PYPI_URL: 'http://127.0.0.1:9',
          FLYWHEEL_OSV_URL: 'http://127.0.0.1:9',
        },
      });
      expect(down.stdout).toMatch(
        /online-unavailable {2}PyPI could not be asked .*: 3 packages are unknown, not clean/,
      );
      expect(down.code).toBe(0);
    } finally {
      await world.close();
    }
  });

  it('exits 2 naming a registry URL that is not a URL', async () => {
    const root = project({ 'requirements.txt': 'six==1.16.0\n' });
    const { code, stderr } = await runFlywheel(['deps', 'check', '--online'], {
      cwd: root,
      env: { FLYWHEEL_HOME: join(root, '.flywheel'), FLYWHEEL_OSV_URL: 'api.osv.dev' },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/FLYWHEEL_OSV_URL is not a URL: "api\.osv\.dev"/);
  });
});
