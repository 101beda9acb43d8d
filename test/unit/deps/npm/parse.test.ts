import { describe, expect, it } from '@jest/globals';
import { isPackageName, parseSpec } from '@shared/deps/npm/spec';
import { brief, checkFiles, locked, lockText, packageText } from './harness';

describe('parseSpec reads a dependency value as npm does', () => {
  it.each([
    ['^1.2.3', 'range'],
    ['~1.2', 'range'],
    ['>=1.0.0 <2', 'range'],
    ['1.x || >=2.5.0 || 5.0.0 - 7.2.3', 'range'],
    ['', 'range'],
    ['*', 'range'],
    ['=v1.2.3', 'range'],
    ['latest', 'tag'],
    ['next', 'tag'],
    ['beta-2', 'tag'],
    ['npm:lodash@^4.17.21', 'alias'],
    ['npm:@babel/core@7.26.0', 'alias'],
    ['npm:string-width', 'alias'],
    ['github:acme/ta-lib#v0.4.1', 'git'],
    ['acme/ta-lib', 'git'],
    ['acme/ta-lib#semver:^1.0.0', 'git'],
    ['git+https://github.com/acme/ta-lib.git', 'git'],
    ['git+ssh://git@github.com/acme/ta-lib.git#main', 'git'],
    ['git@github.com:acme/ta-lib.git', 'git'],
    ['gitlab:acme/ta-lib', 'git'],
    ['https://downloads.example.com/pkg-1.0.0.tgz', 'url'],
    ['file:../indicators', 'file'],
    ['../indicators', 'file'],
    ['./vendor/sdk-2.1.0.tgz', 'file'],
    ['~/src/indicators', 'file'],
    ['vendor/sdk/dist/pkg', 'file'],
    ['sdk-2.1.0.tgz', 'file'],
    ['workspace:*', 'foreign'],
    ['link:../indicators', 'foreign'],
    ['catalog:', 'foreign'],
  ])('%j is a %s spec', (value, kind) => {
    expect(parseSpec(value).kind).toBe(kind);
  });

  it.each([
    ['^1.2.3 beta!', 'npm reads it loosely as ">=1.2.3 <2.0.0'],
    ['1.2.3 (stable)', 'npm reads it loosely as "1.2.3", silently dropping the rest'],
    ['>=4 <<5', 'npm reads it loosely as ">=4.0.0'],
    ['1.2.3 stable!', 'not a valid semver range'],
    ['v1.2 &&', 'not a valid semver range'],
    ['"^1.2.3"', 'neither a semver range'],
    ['svn:repo/trunk', 'protocol `svn:`'],
    ['npm:@scope', 'does not name a package'],
    ['npm:lodash@>=4 <<5', 'npm reads it loosely'],
  ])('%j is not a spec npm accepts (%s)', (value, reason) => {
    const spec = parseSpec(value);
    expect(spec.kind).toBe('invalid');
    expect(spec.kind === 'invalid' && spec.reason).toContain(reason);
  });

  it('reads an alias as the package it installs and the range on it', () => {
    expect(parseSpec('npm:@isaacs/cliui@^8.0.2')).toEqual({
      kind: 'alias',
      name: '@isaacs/cliui',
      target: { kind: 'range', range: '^8.0.2' },
    });
  });

  it.each([
    ['lodash', true],
    ['@aws-sdk/client-s3', true],
    ['JSONStream', true],
    ['lodash.isequal', true],
    ['left pad', false],
    ['.hidden', false],
    ['@scope/', false],
    ['a/b', false],
    ['', false],
  ])('isPackageName(%j) is %s', (name, valid) => {
    expect(isPackageName(name)).toBe(valid);
  });
});

describe('parse-error: what npm would refuse to read', () => {
  it('points at a trailing comma in package.json and says what to do', async () => {
    const result = await checkFiles({
      'package.json': '{\n  "dependencies": {\n    "zod": "^4.0.0",\n  }\n}\n',
    });
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'parse-error',
        severity: 'error',
        line: 3,
        column: 20,
        message: 'package.json is not valid JSON: a trailing comma (JSON allows none)',
        fix: 'remove the comma',
      }),
    ]);
    expect(result.packages).toEqual([]);
  });

  it.each([
    ['// tools\n{}', 1, 1, 'a comment (JSON has none)'],
    ['{ "name": "app" "version": "1.0.0" }', 1, 17, 'a missing `,` between entries'],
    ['{ "name": "app", }', 1, 16, 'a trailing comma (JSON allows none)'],
    ['{ "name": "app"', 1, 16, 'a missing `}`'],
    ['{} {}', 1, 4, 'text after the end of the JSON value'],
    ['{ "name": \'app\' }', 1, 11, 'an unexpected character'],
  ])('%j is not JSON: %s', async (text, line, column, what) => {
    const { findings } = await checkFiles({ 'package.json': text });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'parse-error', line, column });
    expect(findings[0]!.message).toBe(`package.json is not valid JSON: ${what}`);
  });

  it('says so when package.json is empty, or holds something other than an object', async () => {
    const empty = await checkFiles({ 'package.json': '\n' });
    expect(empty.findings.map((f) => f.message)).toEqual(['package.json is empty, which is not valid JSON']);
    const array = await checkFiles({ 'package.json': '\n  ["zod"]\n' });
    expect(brief(array.findings)).toEqual(['package.json:2:3 parse-error error -']);
    expect(array.findings[0]!.message).toBe('package.json holds an array, not a JSON object');
  });

  it('reports a section that is not an object, a value that is not a string, an invalid range and an invalid name, and checks the rest', async () => {
    const text = packageText({
      dependencies: { zod: 4, 'left pad': '^1.3.0', ms: '^2.1.3 beta!', commander: '^14.0.3' },
      devDependencies: ['typescript'],
    });
    const lock = lockText(
      { dependencies: { commander: '^14.0.3' } },
      { 'node_modules/commander': locked('commander', '14.0.3') },
    );
    const { findings } = await checkFiles({ 'package.json': text, 'package-lock.json': lock });
    expect(brief(findings)).toEqual([
      'package.json:5:12 parse-error error zod',
      'package.json:6:5 parse-error error -',
      'package.json:7:11 parse-error error ms',
      'package.json:10:22 parse-error error -',
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'the version of zod in dependencies is a number; npm expects a string',
      '"left pad" in dependencies is not a valid npm package name',
      // semver 6 and 7 spell the upper bound differently (<3.0.0, <3.0.0-0).
      expect.stringMatching(
        /^the version of ms in dependencies, "\^2\.1\.3 beta!", is not one npm accepts: it is not a valid semver range: npm reads it loosely as ">=2\.1\.3 <3\.0\.0(-0)?", silently dropping the rest$/,
      ),
      '"devDependencies" is an array; npm expects an object of package names to versions',
    ]);
  });

  it('reads a package.json with a BOM removed by the reader and CRLF line ends, positions counted per line', async () => {
    const text = '{\r\n  "dependencies": {\r\n    "zod": 4\r\n  }\r\n}\r\n';
    const { findings } = await checkFiles({ 'package.json': text });
    expect(brief(findings)).toEqual(['package.json:3:12 parse-error error zod']);
    expect(findings[0]!.message).toBe('the version of zod in dependencies is a number; npm expects a string');
  });

  it('says when package.json itself is missing', async () => {
    const result = await checkFiles({}, 'app/package.json');
    expect(result.files).toEqual([]);
    expect(result.findings).toEqual([
      expect.objectContaining({ ruleId: 'include-error', file: 'app/package.json', line: 1, column: 1 }),
    ]);
  });
});

describe('lockfiles the guard cannot read', () => {
  const pkg = packageText({ dependencies: { zod: '^4.0.0' } });

  it('reports lockfileVersion 1 as not supported, at its key, and skips the lock checks', async () => {
    const lock =
      '{\n  "name": "app",\n  "version": "1.0.0",\n  "lockfileVersion": 1,\n  "requires": true,\n  "dependencies": {}\n}\n';
    const result = await checkFiles({ 'package.json': pkg, 'package-lock.json': lock });
    expect(brief(result.findings)).toEqual(['package-lock.json:4:3 lock-out-of-sync warning -']);
    expect(result.findings[0]!.message).toBe(
      'package-lock.json has lockfileVersion 1 (written by npm 6 or older), which the guard does not read: its lock checks are skipped',
    );
    expect(result.findings[0]!.fix).toBe(
      'run `npm install --lockfile-version 3` with npm 7 or newer (npm 9+ writes version 3 by default), and commit it',
    );
    expect(result.packages.map((ref) => ref.name)).toEqual(['zod']);
  });

  it.each([
    ['{\n  "name": "app",\n  "packages": {}\n}\n', 1, 1, 'has no numeric lockfileVersion'],
    [
      '{\n  "lockfileVersion": 4,\n  "packages": {}\n}\n',
      2,
      3,
      'has lockfileVersion 4, which the guard does not know',
    ],
  ])('reports an unknown lockfileVersion: %j', async (lock, line, column, what) => {
    const { findings } = await checkFiles({ 'package.json': pkg, 'package-lock.json': lock });
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'lock-out-of-sync', severity: 'warning', line, column }),
    ]);
    expect(findings[0]!.message).toContain(what);
  });

  it.each([
    ['{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {\n', 5, 1, 'is not valid JSON: a missing `}`'],
    ['[]\n', 1, 1, 'holds an array, not the JSON object npm writes'],
    ['{\n  "lockfileVersion": 3\n}\n', 2, 3, 'has lockfileVersion 3 but no "packages" map'],
    ['{\n  "lockfileVersion": 2,\n  "packages": []\n}\n', 3, 3, 'its "packages" is an array'],
  ])('reports a lock that is not one npm wrote as a parse error: %j', async (lock, line, column, what) => {
    const { findings } = await checkFiles({ 'package.json': pkg, 'package-lock.json': lock });
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'parse-error', severity: 'error', line, column }),
    ]);
    expect(findings[0]!.message).toMatch(/^package-lock\.json /);
    expect(findings[0]!.message).toContain(what);
  });
});
