import { describe, expect, it } from '@jest/globals';
import { checkNodeProject } from '@shared/deps/npm';
import { brief, checkFiles, locked, lockText, packageText } from './harness';

/** Checks one dependency section against a lock: root lists as given, and `node_modules/…` entries. */
async function lockSync(
  dependencies: Record<string, string>,
  rootLists: Record<string, Record<string, string>>,
  entries: Record<string, Record<string, unknown>>,
  extra: Record<string, unknown> = {},
) {
  const { findings } = await checkFiles({
    'package.json': packageText({ dependencies, ...extra }),
    'package-lock.json': lockText(rootLists, entries),
  });
  return findings.filter((finding) => finding.ruleId === 'lock-out-of-sync');
}

describe('lock-out-of-sync: package.json against package-lock.json', () => {
  it.each<
    [
      string,
      Record<string, string>,
      Record<string, string>,
      Record<string, Record<string, unknown>>,
      string | null,
    ]
  >([
    [
      'a range the locked version satisfies',
      { zod: '^4.1.0' },
      { zod: '^4.1.0' },
      { 'node_modules/zod': locked('zod', '4.6.7') },
      null,
    ],
    [
      'a prerelease the range admits only with includePrerelease',
      { next: '^15.0.0' },
      { next: '^15.0.0' },
      { 'node_modules/next': locked('next', '15.1.0-canary.3') },
      null,
    ],
    [
      'an empty range (any version)',
      { npmlog: '' },
      { npmlog: '' },
      { 'node_modules/npmlog': locked('npmlog', '7.0.1') },
      null,
    ],
    [
      'a dist-tag: any locked version',
      { typescript: 'next' },
      { typescript: 'next' },
      { 'node_modules/typescript': locked('typescript', '6.0.0-dev.20260101') },
      null,
    ],
    [
      'a git dependency: the version is not compared',
      { 'ta-lib': 'github:acme/ta-lib#v2.0.0' },
      { 'ta-lib': 'github:acme/ta-lib#v2.0.0' },
      {
        'node_modules/ta-lib': {
          version: '1.0.0',
          resolved: 'git+ssh://git@github.com/acme/ta-lib.git#0a1b2c3d4e5f',
        },
      },
      null,
    ],
    [
      'a file: folder installed as a link',
      { indicators: 'file:../indicators' },
      { indicators: 'file:../indicators' },
      {
        'node_modules/indicators': { resolved: '../indicators', link: true },
        '../indicators': { name: 'indicators', version: '3.0.0' },
      },
      null,
    ],
    [
      'a range that is not the one the lock was written for, though the locked version fits both',
      { zod: '^4.2.0' },
      { zod: '^4.1.0' },
      { 'node_modules/zod': locked('zod', '4.6.7') },
      'package.json:5:5 package.json asks for zod "^4.2.0", but package-lock.json was written for "^4.1.0" (the locked 4.6.7 fits both)',
    ],
    [
      'a locked version the range does not allow',
      { zod: '^3.23.0' },
      { zod: '^4.1.0' },
      { 'node_modules/zod': locked('zod', '4.6.7') },
      'package.json:5:5 package.json asks for zod "^3.23.0", but package-lock.json locks 4.6.7 (it was written for "^4.1.0")',
    ],
    [
      'a dependency the lock does not have at all',
      { zod: '^4.1.0' },
      {},
      {},
      'package.json:5:5 zod (dependencies: "^4.1.0") is not in package-lock.json: it was added to package.json after the lock was written',
    ],
    [
      'a dependency the root entry lists but no entry installs',
      { zod: '^4.1.0' },
      { zod: '^4.1.0' },
      {},
      'package.json:5:5 package-lock.json lists zod in its root entry but installs no node_modules/zod',
    ],
    [
      'an installed dependency the root entry does not list',
      { zod: '^4.1.0' },
      {},
      { 'node_modules/zod': locked('zod', '4.6.7') },
      'package.json:5:5 zod (dependencies: "^4.1.0") is installed by package-lock.json, but its root entry does not list it: package.json changed after the lock was written',
    ],
    [
      'a git dependency the lock does not have',
      { 'ta-lib': 'github:acme/ta-lib#v2.0.0' },
      {},
      {},
      'package.json:5:5 ta-lib (dependencies: "github:acme/ta-lib#v2.0.0") is not in package-lock.json: it was added to package.json after the lock was written',
    ],
  ])('%s', async (_, dependencies, rootList, entries, expected) => {
    const findings = await lockSync(dependencies, { dependencies: rootList }, entries);
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual(
      expected ? [expected] : [],
    );
    for (const finding of findings)
      expect(finding).toMatchObject({ severity: 'error', package: Object.keys(dependencies)[0] });
  });

  it('reports a dependency moved between sections at its new key, naming where the lock records it', async () => {
    const { findings } = await checkFiles({
      'package.json': packageText({ devDependencies: { typescript: '~5.9.3' } }),
      'package-lock.json': lockText(
        { dependencies: { typescript: '~5.9.3' } },
        { 'node_modules/typescript': locked('typescript', '5.9.3') },
      ),
    });
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([
      'package-lock.json:11:9 package-lock.json still lists typescript ("~5.9.3") in dependencies, but package.json no longer does',
      'package.json:5:5 typescript is in devDependencies of package.json, but package-lock.json records it in dependencies',
    ]);
  });

  it('checks an alias against the package it installs: its name and its range', async () => {
    const entries = {
      'node_modules/lodash-cjs': locked('lodash', '4.17.21', { name: 'lodash' }),
      'node_modules/old-lodash': locked('underscore', '1.13.7', { name: 'underscore' }),
      'node_modules/lodash-next': locked('lodash', '4.17.21', { name: 'lodash' }),
    };
    const dependencies = {
      'lodash-cjs': 'npm:lodash@^4.17.0',
      'old-lodash': 'npm:lodash@^4.17.0',
      'lodash-next': 'npm:lodash@^5.0.0',
    };
    const findings = await lockSync(dependencies, { dependencies }, entries);
    expect(findings.map((f) => `${f.line}:${f.column} ${f.package} ${f.message}`)).toEqual([
      '6:5 lodash old-lodash is "npm:lodash@^4.17.0", but package-lock.json installs underscore@1.13.7 there',
      '7:5 lodash package.json asks for lodash-next "npm:lodash@^5.0.0", but package-lock.json locks 4.17.21',
    ]);
  });

  it('checks peerDependencies only when the lock installs them', async () => {
    const pkg = { peerDependencies: { react: '^18.0.0' } };
    const notInstalled = await lockSync({}, { peerDependencies: { react: '^18.0.0' } }, {}, pkg);
    expect(notInstalled).toEqual([]);
    const unlisted = await lockSync(
      {},
      {},
      { 'node_modules/react': locked('react', '18.3.1', { peer: true }) },
      pkg,
    );
    expect(unlisted.map((f) => f.message)).toEqual([
      'react (peerDependencies: "^18.0.0") is installed by package-lock.json, but its root entry does not list it: package.json changed after the lock was written',
    ]);
  });

  it('reads a name in both dependencies and optionalDependencies as optional only, as npm does', async () => {
    const findings = await lockSync(
      { fsevents: '^2.3.3' },
      { optionalDependencies: { fsevents: '^2.3.3' } },
      { 'node_modules/fsevents': locked('fsevents', '2.3.3', { optional: true }) },
      { optionalDependencies: { fsevents: '^2.3.3' } },
    );
    expect(findings).toEqual([]);
  });

  it('compares a dependency on a workspace with the workspace’s own version', async () => {
    const entries = {
      'node_modules/@acme/core': { resolved: 'packages/core', link: true },
      'packages/core': { name: '@acme/core', version: '1.2.0' },
    };
    const ok = await lockSync(
      { '@acme/core': '^1.0.0' },
      { dependencies: { '@acme/core': '^1.0.0' } },
      entries,
    );
    expect(ok).toEqual([]);
    const stale = await lockSync(
      { '@acme/core': '^2.0.0' },
      { dependencies: { '@acme/core': '^2.0.0' } },
      entries,
    );
    expect(stale.map((f) => f.message)).toEqual([
      'package.json asks for @acme/core "^2.0.0", but package-lock.json locks 1.2.0',
    ]);
  });

  it('reports a lock with no root entry at its "packages" key, and still checks what it installs', async () => {
    const lock = `${JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/zod': locked('zod', '4.6.7') } }, null, 2)}\n`;
    const { findings } = await checkFiles({
      'package.json': packageText({ dependencies: { zod: '^3.0.0' } }),
      'package-lock.json': lock,
    });
    expect(brief(findings)).toEqual([
      'package-lock.json:3:3 lock-out-of-sync error -',
      'package.json:5:5 lock-out-of-sync error zod',
    ]);
    expect(findings[0]!.message).toBe(
      'package-lock.json has no root entry (packages[""]), so it does not record what package.json asked for',
    );
  });
});

describe('which lockfile is read', () => {
  const pkg = packageText({ dependencies: { zod: '^4.1.0' } });
  const sync = lockText({ dependencies: { zod: '^4.1.0' } }, { 'node_modules/zod': locked('zod', '4.6.7') });

  it('prefers npm-shrinkwrap.json to package-lock.json, as npm does', async () => {
    const result = await checkFiles(
      {
        'app/package.json': pkg,
        'app/npm-shrinkwrap.json': sync,
        'app/package-lock.json': '{ not json',
      },
      'app/package.json',
    );
    expect(result.files).toEqual(['app/package.json', 'app/npm-shrinkwrap.json']);
    expect(result.findings).toEqual([]);
  });

  it('reads lockfile v2 like v3', async () => {
    const v2 = lockText(
      { dependencies: { zod: '^4.1.0' } },
      { 'node_modules/zod': locked('zod', '3.25.0') },
      2,
    );
    const { findings } = await checkFiles({ 'package.json': pkg, 'package-lock.json': v2 });
    expect(findings.map((f) => f.message)).toEqual([
      'package.json asks for zod "^4.1.0", but package-lock.json locks 3.25.0',
    ]);
  });

  it.each(['yarn.lock', 'pnpm-lock.yaml', 'bun.lock'])(
    'does not ask for package-lock.json when %s locks the project',
    async (other) => {
      const result = await checkFiles({ 'package.json': pkg, [other]: '# lockfile\n' });
      expect(result.findings).toEqual([]);
      expect(result.files).toEqual(['package.json']);
    },
  );

  it('does not ask for a lock when package.json has no dependencies', async () => {
    const { findings } = await checkFiles({
      'package.json': packageText({ scripts: { test: 'node --test' } }),
    });
    expect(findings).toEqual([]);
  });

  it('says so when the lock exists but cannot be read, and checks package.json alone', async () => {
    const result = await checkNodeProject('package.json', {
      read: async (path) => {
        if (path === 'package-lock.json')
          throw new Error("EACCES: permission denied, open 'package-lock.json'");
        return path === 'package.json' ? pkg : undefined;
      },
    });
    expect(brief(result.findings)).toEqual(['package.json:1:1 lock-out-of-sync warning -']);
    expect(result.findings[0]!.message).toBe(
      "package-lock.json beside package.json cannot be read (EACCES: permission denied, open 'package-lock.json'): its lock checks are skipped",
    );
  });
});
