import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { NPM_DEPRECATIONS } from '@shared/deps/npm/deprecations';
import { satisfies } from '@shared/deps/npm/semver';
import { brief, checkFiles, locked, lockText, packageText } from './harness';

const DOCUMENT = readFileSync(join(__dirname, '../../../../data/deps/deprecated-names.md'), 'utf8');

/** The rows of the "npm deprecations seen in real lockfiles" table: each package@version and its message. */
function documentedRows() {
  const section = DOCUMENT.slice(DOCUMENT.indexOf('npm deprecations seen in real lockfiles'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|---')));
  return table
    .split('\n')
    .filter((line) => /^\| @?[a-z][^|]*@\d/.test(line))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      const message = /"(.*)"/.exec(cells[2]!)![1]!.replace(/\\\|/g, '|');
      const packages = cells[1]!.split(',').map((ref) => {
        const at = ref.trim().lastIndexOf('@');
        return { name: ref.trim().slice(0, at), version: ref.trim().slice(at + 1) };
      });
      return { packages, message };
    });
}

/** Whether a full message agrees with the document's truncated one: its pieces around `...` in order. */
function agrees(full: string, truncated: string): boolean {
  // The document abbreviates the four lydell messages as one "See https://github.com/lydell/...#deprecated".
  const pieces = truncated
    .replace(/^See (?=https:\/\/github\.com\/lydell)/, '')
    .split(/\.\.\.|…/)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
  let from = 0;
  for (const piece of pieces) {
    const at = full.indexOf(piece, from);
    if (at === -1) return false;
    from = at + piece.length;
  }
  return true;
}

describe('the built-in npm deprecation table', () => {
  it('covers every row of the npm table in data/deps/deprecated-names.md, version and message', () => {
    const rows = documentedRows();
    expect(rows.length).toBe(22);
    for (const row of rows) {
      for (const { name, version } of row.packages) {
        const known = NPM_DEPRECATIONS.find((entry) => entry.name === name);
        expect([name, known !== undefined]).toEqual([name, true]);
        expect([`${name}@${version}`, satisfies(version, known!.range)]).toEqual([
          `${name}@${version}`,
          true,
        ]);
        expect([name, agrees(known!.message, row.message)]).toEqual([name, true]);
      }
    }
  });

  it('has no row the document does not back, and each name once', () => {
    const documented = new Set(documentedRows().flatMap((row) => row.packages.map((p) => p.name)));
    expect(NPM_DEPRECATIONS.map((entry) => entry.name).filter((name) => !documented.has(name))).toEqual([]);
    expect(new Set(NPM_DEPRECATIONS.map((entry) => entry.name)).size).toBe(NPM_DEPRECATIONS.length);
  });

  it.each([
    ['glob', '7.2.3', true],
    ['glob', '8.1.0', true],
    ['glob', '9.0.0', false],
    ['rimraf', '2.7.1', true],
    ['rimraf', '4.4.1', false],
    ['uuid', '3.4.0', true],
    ['uuid', '8.3.2', false],
    ['mkdirp', '0.5.1', true],
    ['mkdirp', '0.5.6', false],
    ['mkdirp', '1.0.4', false],
    ['core-js', '2.6.12', true],
    ['core-js', '3.23.3', false],
    ['debug', '3.2.6', true],
    ['debug', '3.1.0', false],
    ['debug', '4.2.0', true],
    ['debug', '4.3.1', false],
    ['babel', '6.23.0', true],
    ['babel', '5.8.38', false],
    ['@types/uuid', '10.0.0', false],
    ['@types/uuid', '11.0.0', true],
    ['request', '2.88.2', true],
    ['inflight', '1.0.6', true],
  ])('marks %s@%s deprecated: %s', async (name, version, flagged) => {
    const lock = lockText(
      { dependencies: { [name]: version } },
      { [`node_modules/${name}`]: locked(name, version) },
    );
    const { findings } = await checkFiles({
      'package.json': packageText({ dependencies: { [name]: version } }),
      'package-lock.json': lock,
    });
    expect(findings.map((f) => f.ruleId)).toEqual(flagged ? ['deprecated-name'] : []);
  });
});

describe('deprecated-name for npm packages', () => {
  it('quotes the lock’s own message before the table’s, and reports it at the package.json key', async () => {
    const lock = lockText(
      { dependencies: { request: '^2.88.0' } },
      { 'node_modules/request': locked('request', '2.88.0', { deprecated: 'request has been deprecated' }) },
    );
    const { findings } = await checkFiles({
      'package.json': packageText({ dependencies: { request: '^2.88.0' } }),
      'package-lock.json': lock,
    });
    expect(findings).toEqual([
      {
        ruleId: 'deprecated-name',
        severity: 'warning',
        file: 'package.json',
        line: 5,
        column: 5,
        package: 'request',
        message: 'npm marks request@2.88.0 deprecated: "request has been deprecated"',
        fix: 'move request to a version that is not deprecated, or to the replacement the message names, then run `npm install`',
      },
    ]);
  });

  it('names the real package of an alias, and the folder it is installed as', async () => {
    const dependencies = { 'legacy-request': 'npm:request@^2.88.2' };
    const lock = lockText(
      { dependencies },
      { 'node_modules/legacy-request': locked('request', '2.88.2', { name: 'request' }) },
    );
    const { findings } = await checkFiles({
      'package.json': packageText({ dependencies }),
      'package-lock.json': lock,
    });
    expect(brief(findings)).toEqual(['package.json:5:5 deprecated-name warning request']);
    expect(findings[0]!.message).toMatch(
      /^npm marks request@2\.88\.2 \(installed as legacy-request\) deprecated: /,
    );
  });

  it('reports a nested copy at its lock entry, naming the direct dependencies that pull it in', async () => {
    const dependencies = {
      'aws-sdk-v2-shim': '^1.0.0',
      mocha: '^6.2.3',
      nyc: '^14.1.1',
      jest: '^24.9.0',
      ava: '^2.4.0',
    };
    const entries: Record<string, Record<string, unknown>> = {
      'node_modules/aws-sdk-v2-shim': locked('aws-sdk-v2-shim', '1.0.0'),
      'node_modules/glob': locked('glob', '10.4.5'),
      'node_modules/rimraf': locked('rimraf', '2.7.1', { dependencies: { glob: '^7.1.3' } }),
      'node_modules/rimraf/node_modules/glob': locked('glob', '7.2.3'),
    };
    for (const runner of ['mocha', 'nyc', 'jest', 'ava']) {
      entries[`node_modules/${runner}`] = locked(
        runner,
        dependencies[runner as keyof typeof dependencies].slice(1),
        {
          dependencies: { rimraf: '^2.6.3' },
        },
      );
    }
    const { findings } = await checkFiles({
      'package.json': packageText({ dependencies }),
      'package-lock.json': lockText({ dependencies }, entries),
    });
    const nested = findings.find((f) => f.package === 'glob')!;
    expect(nested.file).toBe('package-lock.json');
    expect(nested.message).toBe(
      'npm marks glob@7.2.3 deprecated: "Glob versions prior to v9 are no longer supported" (from the guard\'s list: the lockfile does not record it); pulled in by ava, jest, mocha and 1 more',
    );
    expect(nested.fix).toBe(
      'upgrade ava, which pulls it in, to a release that no longer needs glob@7.2.3; or force a newer glob with "overrides" in package.json',
    );
    expect(findings.find((f) => f.package === 'rimraf')!.message).toContain(
      'pulled in by ava, jest, mocha and 1 more',
    );
  });

  it('names the workspace that pulls a package in', async () => {
    const entries = {
      'node_modules/@acme/cli': { resolved: 'packages/cli', link: true },
      'packages/cli': { name: '@acme/cli', version: '0.3.0', dependencies: { request: '^2.88.2' } },
      'packages/cli/node_modules/request': locked('request', '2.88.2'),
    };
    const { findings } = await checkFiles({
      'package.json': packageText({ workspaces: ['packages/*'] }),
      'package-lock.json': lockText({ workspaces: ['packages/*'] }, entries),
    });
    expect(brief(findings)).toEqual(['package-lock.json:25:5 deprecated-name warning request']);
    expect(findings[0]!.message).toMatch(/; pulled in by workspace @acme\/cli$/);
  });

  it('still reports deprecations from the lock when package.json cannot be read', async () => {
    const lock = lockText(
      { dependencies: { rimraf: '^3.0.2' } },
      { 'node_modules/rimraf': locked('rimraf', '3.0.2'), 'node_modules/glob': locked('glob', '7.2.3') },
    );
    const result = await checkFiles({ 'package.json': '{ "dependencies": ', 'package-lock.json': lock });
    expect(brief(result.findings)).toEqual([
      'package-lock.json:14:5 deprecated-name warning rimraf',
      'package-lock.json:20:5 deprecated-name warning glob',
      'package.json:1:19 parse-error error -',
    ]);
    expect(result.packages.map((ref) => `${ref.name} ${ref.file}`)).toEqual([
      'rimraf package-lock.json',
      'glob package-lock.json',
    ]);
  });
});
