import { describe, expect, it } from '@jest/globals';
import { brief, checkFiles, locked, lockText, packageText } from './harness';

/** Checks package.json alone (a yarn.lock beside it, so no lock finding). */
async function manifestOnly(text: string) {
  const { findings } = await checkFiles({ 'package.json': text, 'yarn.lock': '' });
  return findings;
}

describe('conflict and duplicate within package.json', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'ranges no version satisfies both',
      { dependencies: { zod: '^3.23.8' }, devDependencies: { zod: '^4.1.0' } },
      [
        'package.json:8:5 conflict error zod: zod is "^4.1.0" in devDependencies and "^3.23.8" in dependencies (package.json:5): no version satisfies both',
      ],
    ],
    [
      'the same range twice',
      { dependencies: { zod: '^4.1.0' }, devDependencies: { zod: '^4.1.0' } },
      [
        'package.json:8:5 duplicate warning zod: zod is listed in both dependencies (package.json:5) and devDependencies, with the same "^4.1.0"',
      ],
    ],
    [
      'different ranges that overlap',
      { dependencies: { zod: '^4.1.0' }, devDependencies: { zod: '>=4.5 <5' } },
      [
        'package.json:8:5 duplicate warning zod: zod is ">=4.5 <5" in devDependencies and "^4.1.0" in dependencies (package.json:5): npm installs one version for both',
      ],
    ],
    [
      'dependencies and optionalDependencies',
      { dependencies: { fsevents: '^2.3.2' }, optionalDependencies: { fsevents: '^2.3.3' } },
      [
        'package.json:8:5 duplicate warning fsevents: fsevents is "^2.3.3" in optionalDependencies and "^2.3.2" in dependencies (package.json:5): npm keeps only the optionalDependencies entry',
      ],
    ],
    [
      'a git spec and a range',
      { dependencies: { 'ta-lib': 'github:acme/ta-lib' }, devDependencies: { 'ta-lib': '^1.0.0' } },
      [
        'package.json:8:5 duplicate warning ta-lib: ta-lib is "^1.0.0" in devDependencies and "github:acme/ta-lib" in dependencies (package.json:5): npm installs one version for both',
      ],
    ],
    [
      'a peer and a dev dependency that agree (the usual way to develop a plugin)',
      { peerDependencies: { react: '^17.0.0 || ^18.0.0' }, devDependencies: { react: '^18.3.1' } },
      [],
    ],
    [
      'a peer range the dev dependency falls outside, with no lock to tell',
      { peerDependencies: { react: '^17.0.0' }, devDependencies: { react: '^18.3.1' } },
      [
        'package.json:5:5 conflict error react: peerDependencies asks for react "^17.0.0", but devDependencies installs "^18.3.1" (package.json:8): no version satisfies both',
      ],
    ],
    [
      'ranges that only meet in a prerelease',
      { dependencies: { next: '>=15.0.0-0 <15.0.0' }, devDependencies: { next: '^15.0.0-rc.1' } },
      [
        'package.json:8:5 duplicate warning next: next is "^15.0.0-rc.1" in devDependencies and ">=15.0.0-0 <15.0.0" in dependencies (package.json:5): npm installs one version for both',
      ],
    ],
  ])('%s', async (_, sections, expected) => {
    const findings = await manifestOnly(packageText(sections));
    expect(
      findings.map(
        (f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.severity} ${f.package}: ${f.message}`,
      ),
    ).toEqual(expected);
  });

  it('judges a peer range against the version the lock installs', async () => {
    const pkg = packageText({
      peerDependencies: { react: '^17.0.0' },
      devDependencies: { react: '^18.3.1' },
    });
    const lock = lockText(
      { peerDependencies: { react: '^17.0.0' }, devDependencies: { react: '^18.3.1' } },
      { 'node_modules/react': locked('react', '18.3.1', { dev: true }) },
    );
    const { findings } = await checkFiles({ 'package.json': pkg, 'package-lock.json': lock });
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'conflict',
        severity: 'error',
        line: 5,
        column: 5,
        package: 'react',
        message: 'peerDependencies asks for react "^17.0.0", but package-lock.json installs 18.3.1',
        fix: 'widen the peer range to include 18.3.1, or install a version it allows: npm install react@"^17.0.0"',
      }),
    ]);
    const satisfied = lockText(
      { peerDependencies: { react: '^17.0.0 || ^18.0.0' }, devDependencies: { react: '^18.3.1' } },
      { 'node_modules/react': locked('react', '18.3.1', { dev: true }) },
    );
    const ok = await checkFiles({
      'package.json': packageText({
        peerDependencies: { react: '^17.0.0 || ^18.0.0' },
        devDependencies: { react: '^18.3.1' },
      }),
      'package-lock.json': satisfied,
    });
    expect(ok.findings).toEqual([]);
  });

  it('reports a key written twice in one object at the second key: JSON keeps the last', async () => {
    const text = [
      '{',
      '  "name": "signal-bot",',
      '  "scripts": { "start": "node ." },',
      '  "dependencies": {',
      '    "zod": "^3.23.8",',
      '    "ms": "^2.1.3",',
      '    "zod": "^4.1.0"',
      '  },',
      '  "scripts": { "test": "node --test", "test": "jest" }',
      '}',
      '',
    ].join('\n');
    const lock = lockText(
      { dependencies: { ms: '^2.1.3', zod: '^4.1.0' } },
      { 'node_modules/ms': locked('ms', '2.1.3'), 'node_modules/zod': locked('zod', '4.6.7') },
    );
    const { findings } = await checkFiles({ 'package.json': text, 'package-lock.json': lock });
    expect(brief(findings)).toEqual([
      'package.json:7:5 duplicate warning zod',
      'package.json:9:3 duplicate warning -',
      'package.json:9:39 duplicate warning -',
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      '"zod" appears twice in "dependencies" (first on line 5): npm reads only this last one, the first is ignored',
      '"scripts" appears twice in package.json (first on line 3): npm reads only this last one, the first is ignored',
      '"test" appears twice in "scripts" (first on line 9): npm reads only this last one, the first is ignored',
    ]);
  });
});
