import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');
const STALE_LOCK = join(ROOT, 'test/fixtures/deps/npm/stale-lock');

/** A project folder: the given files, and optionally a copy of a fixture folder. */
function project(files: Record<string, string>, copyFrom?: string): string {
  const root = tempHome('gate');
  if (copyFrom) cpSync(copyFrom, root, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Runs `flywheel start` in `cwd`; stops it with SIGINT once it is running. Resolves with its exit code and output. */
function start(cwd: string, ...flags: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/flywheel.cjs'), 'start', '--port', '0', '--workers', '1', '--no-demo', ...flags],
    { cwd, env: { ...process.env, FLYWHEEL_HOME: tempHome('gate-home') } },
  );
  let output = '';
  let stopping = false;
  const collect = (chunk: Buffer) => {
    output += chunk;
    if (stopping || !output.includes('Press Ctrl-C to stop.')) return;
    stopping = true;
    // The signal handler is installed just after that line is printed.
    setTimeout(() => child.kill('SIGINT'), 300);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('the dependency gate before flywheel start', () => {
  it('stops start-up with the report when package.json and its lockfile disagree', async () => {
    const { code, output } = await start(project({}, STALE_LOCK));
    expect(code).toBe(1);
    expect(output).toContain('lock-out-of-sync');
    expect(output).toMatch(
      /start-up stopped: the dependency check found 4 errors in package\.json\..*--skip-deps-check/,
    );
    expect(output).not.toContain('Flywheel is running');
  });

  it('starts anyway with --skip-deps-check', async () => {
    const { code, output } = await start(project({}, STALE_LOCK), '--skip-deps-check');
    expect(output).toContain('Flywheel is running');
    expect(output).not.toContain('Dependency check');
    expect(code).toBe(0);
  });

  it('checks the manifests deps.beforeStart lists, and passes with a one-line summary when they are clean', async () => {
    const config = 'deps:\n  beforeStart: [strategies/requirements.txt]\n';
    const broken = await start(
      project({ 'flywheel.config.yaml': config, 'strategies/requirements.txt': 'sklearn==0.0\n' }),
    );
    const clean = await start(
      project({ 'flywheel.config.yaml': config, 'strategies/requirements.txt': 'ccxt==4.3.98\n' }),
    );
    expect(broken.code).toBe(1);
    expect(broken.output).toMatch(/deprecated-name {2}`sklearn==0\.0`/);
    expect(clean.output).toContain('Dependency check: 1 manifest (strategies/requirements.txt), no errors.');
    expect(clean.code).toBe(0);
  });
});
