import { describe, expect, it } from '@jest/globals';
import { checkNodeProject } from '@shared/deps/npm';
import { brief, fixtureReader, refs } from './harness';

const check = (folder: string) => checkNodeProject(`${folder}/package.json`, fixtureReader);

describe('the Node fixtures (test/fixtures/deps/npm)', () => {
  it('clean-v3: a lockfile v3 in sync gives no finding, and one package ref per locked package', async () => {
    const result = await check('clean-v3');
    expect(result.files).toEqual(['clean-v3/package.json', 'clean-v3/package-lock.json']);
    expect(result.findings).toEqual([]);
    expect(refs(result.packages)).toEqual([
      '@types/node@20.19.43 clean-v3/package.json:24:5',
      'commander@14.0.3 clean-v3/package.json:18:5',
      'picocolors@1.1.1 clean-v3/package.json:19:5',
      'typescript@5.9.3 clean-v3/package.json:25:5',
      'yaml@2.9.1 clean-v3/package.json:20:5',
      'zod@4.6.7 clean-v3/package.json:21:5',
      'undici-types@6.21.0 clean-v3/package-lock.json:67:5',
    ]);
    expect(result.packages.every((ref) => ref.ecosystem === 'npm')).toBe(true);
  });

  it('stale-lock: a bumped range, an added dependency, a changed range and a removed one, each at its key', async () => {
    const { findings } = await check('stale-lock');
    expect(brief(findings)).toEqual([
      'stale-lock/package-lock.json:13:9 lock-out-of-sync error left-pad',
      'stale-lock/package-lock.json:92:5 deprecated-name warning left-pad',
      'stale-lock/package.json:11:5 lock-out-of-sync error chalk',
      'stale-lock/package.json:13:5 lock-out-of-sync error dotenv',
      'stale-lock/package.json:14:5 lock-out-of-sync error ms',
    ]);
    const [removed, leftover, bumped, added, changed] = findings.map((finding) => finding.message);
    expect(removed).toBe(
      'package-lock.json still lists left-pad ("^1.3.0") in dependencies, but package.json no longer does',
    );
    expect(leftover).toBe(
      'npm marks left-pad@1.3.0 deprecated: "use String.prototype.padStart()"; nothing in the lock depends on it any more',
    );
    expect(bumped).toBe(
      'package.json asks for chalk "^5.3.0", but package-lock.json locks 4.1.2 (it was written for "^4.1.2")',
    );
    expect(added).toBe(
      'dotenv (dependencies: "^16.4.5") is not in package-lock.json: it was added to package.json after the lock was written',
    );
    expect(changed).toBe(
      'package.json asks for ms "^2.1.3", but package-lock.json was written for "^2.1.2" (the locked 2.1.3 fits both)',
    );
    for (const finding of findings.filter((f) => f.ruleId === 'lock-out-of-sync')) {
      expect(finding.fix).toBe('run `npm install` to bring package-lock.json up to date, and commit it');
    }
  });

  it('deprecated: the lock’s own deprecation messages, at the key of a direct dependency and at the entry of the rest', async () => {
    const { findings } = await check('deprecated');
    expect(brief(findings)).toEqual([
      'deprecated/package-lock.json:227:5 deprecated-name warning glob',
      'deprecated/package-lock.json:258:5 deprecated-name warning har-validator',
      'deprecated/package-lock.json:287:5 deprecated-name warning inflight',
      'deprecated/package-lock.json:590:5 deprecated-name warning uuid',
      'deprecated/package.json:12:5 deprecated-name warning request',
      'deprecated/package.json:15:5 deprecated-name warning rimraf',
    ]);
    const messages = findings.map((finding) => finding.message);
    expect(messages[0]).toBe(
      'npm marks glob@7.2.3 deprecated: "Glob versions prior to v9 are no longer supported"; pulled in by rimraf',
    );
    expect(messages[1]).toBe(
      'npm marks har-validator@5.1.5 deprecated: "this library is no longer supported"; pulled in by request',
    );
    expect(messages[2]).toMatch(
      /^npm marks inflight@1\.0\.6 deprecated: "This module is not supported, and leaks memory\. .*"; pulled in by rimraf$/,
    );
    expect(messages[3]).toMatch(
      /^npm marks uuid@3\.4\.0 deprecated: "Please upgrade {2}to version 7 or higher\. .*"; pulled in by request$/,
    );
    expect(messages[4]).toBe(
      'npm marks request@2.88.2 deprecated: "request has been deprecated, see https://github.com/request/request/issues/3142"',
    );
    expect(messages[5]).toBe(
      'npm marks rimraf@3.0.2 deprecated: "Rimraf versions prior to v4 are no longer supported"',
    );
    expect(findings[0]!.fix).toBe(
      'upgrade rimraf, which pulls it in, to a release that no longer needs glob@7.2.3; or force a newer glob with "overrides" in package.json',
    );
    expect(findings[4]!.fix).toContain('move request to a version that is not deprecated');
  });

  it('lockfile-v2: a lock written through a mirror that drops deprecations gets them from the built-in table', async () => {
    const result = await check('lockfile-v2');
    expect(brief(result.findings)).toEqual([
      'lockfile-v2/package-lock.json:203:5 deprecated-name warning glob',
      'lockfile-v2/package-lock.json:231:5 deprecated-name warning har-validator',
      'lockfile-v2/package-lock.json:257:5 deprecated-name warning inflight',
      'lockfile-v2/package-lock.json:529:5 deprecated-name warning uuid',
      'lockfile-v2/package.json:12:5 deprecated-name warning request',
      'lockfile-v2/package.json:15:5 deprecated-name warning rimraf',
    ]);
    for (const finding of result.findings) {
      expect(finding.message).toContain("(from the guard's list: the lockfile does not record it)");
    }
    expect(result.packages).toHaveLength(59);
  });

  it('workspaces: workspace links and folders give no finding and no package ref', async () => {
    const result = await check('workspaces');
    expect(result.findings).toEqual([]);
    const names = result.packages.map((ref) => ref.name);
    expect(names).not.toContain('@acme/core');
    expect(names).not.toContain('@acme/cli');
    expect(refs(result.packages)[0]).toBe('typescript@5.9.3 workspaces/package.json:13:5');
    expect(names.sort()).toEqual([
      'ansi-styles',
      'chalk',
      'color-convert',
      'color-name',
      'commander',
      'has-flag',
      'supports-color',
      'typescript',
      'zod',
    ]);
  });

  it('aliases: npm: aliases are checked against the package they install, and reported under its name', async () => {
    const result = await check('aliases');
    expect(result.findings).toEqual([]);
    expect(refs(result.packages).slice(0, 4)).toEqual([
      'string-width@5.1.2 aliases/package.json:9:5',
      'string-width@4.2.3 aliases/package.json:10:5',
      'strip-ansi@7.2.0 aliases/package.json:11:5',
      'strip-ansi@6.0.1 aliases/package.json:12:5',
    ]);
    expect(result.packages).toHaveLength(10);
  });

  it('git-and-file: git, folder, tarball and URL dependencies give no finding; only registry packages are refs', async () => {
    const result = await check('git-and-file');
    expect(result.findings).toEqual([]);
    expect(refs(result.packages)).toEqual(['ms@2.1.3 git-and-file/package.json:8:5']);
  });

  it('missing-lock: one warning at 1:1 that says how to make installs reproducible; refs come from package.json', async () => {
    const result = await check('missing-lock');
    expect(result.files).toEqual(['missing-lock/package.json']);
    expect(result.findings).toEqual([
      {
        ruleId: 'lock-out-of-sync',
        severity: 'warning',
        file: 'missing-lock/package.json',
        line: 1,
        column: 1,
        package: null,
        message:
          'there is no package-lock.json beside package.json, so installs are not reproducible: each `npm install` may pick newer versions, and `npm ci` refuses to run',
        fix: 'run `npm install` to write package-lock.json, and commit it',
      },
    ]);
    expect(refs(result.packages)).toEqual([
      'commander@- missing-lock/package.json:10:5',
      'picocolors@1.1.1 missing-lock/package.json:11:5',
      'yaml@- missing-lock/package.json:12:5',
      'typescript@- missing-lock/package.json:15:5',
    ]);
  });

  it('broken-lock: merge conflict markers are a parse error at the first marker; package.json is still checked', async () => {
    const result = await check('broken-lock');
    expect(brief(result.findings)).toEqual(['broken-lock/package-lock.json:16:1 parse-error error -']);
    expect(result.findings[0]!.message).toBe(
      'package-lock.json has git merge conflict markers, so it is not valid JSON',
    );
    expect(result.findings[0]!.fix).toContain('run `npm install`');
    expect(result.packages.map((ref) => ref.name)).toEqual(['commander', 'picocolors']);
  });
});
