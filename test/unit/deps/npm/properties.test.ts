import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { type Position, RULE_IDS, SEVERITIES } from '@shared/deps/model';
import { checkNodeProject } from '@shared/deps/npm';
import fc from 'fast-check';
import { FIXTURES } from './harness';

const PROJECTS = [
  'clean-v3',
  'stale-lock',
  'deprecated',
  'lockfile-v2',
  'workspaces',
  'aliases',
  'git-and-file',
];
const read = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const MANIFESTS = PROJECTS.map((project) => read(`${project}/package.json`));
const LOCKS = PROJECTS.map((project) => read(`${project}/package-lock.json`));

/** Whether position names a place in text: an existing line, a column up to one past its end. */
function inside(text: string, position: Position): boolean {
  const line = text.split('\n')[position.line - 1];
  return (
    Number.isInteger(position.line) &&
    Number.isInteger(position.column) &&
    line !== undefined &&
    position.column >= 1 &&
    position.column <= line.length + 1
  );
}

/** Text that often is a package.json or a lock: pieces of their syntax in any order. */
const jsonish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '"dependencies": {',
        '"devDependencies": {',
        '"peerDependencies": {',
        '"optionalDependencies": {',
        '"packages": {',
        '"lockfileVersion": 3,',
        '"lockfileVersion": 1,',
        '"": {',
        '"node_modules/zod": {',
        '"node_modules/a/node_modules/zod": {',
        '"version": "4.6.7"',
        '"zod": "^4.1.0"',
        '"zod": "npm:zod@^3"',
        '"zod": "github:colinhacks/zod"',
        '"zod": 4',
        '"link": true',
        '"resolved": "packages/core"',
        '"deprecated": "use something else"',
        '"name": "glob"',
        '"version": "7.2.3"',
        '<<<<<<< HEAD\n',
        '\n',
        '\r\n',
        '"',
        '\\',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 30 },
  )
  .map((pieces) => pieces.join(''));

/** A fixture with a stretch cut out and something else put in. */
const mutate = (texts: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...texts), fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 6 }))
    .map(([text, at, cut, insert]) => {
      const start = at % (text.length + 1);
      return text.slice(0, start) + insert + text.slice(start + cut);
    });

const texts = fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }), jsonish);

describe('checkNodeProject never throws and keeps every position inside its file', () => {
  it.each([
    ['arbitrary text in both files', texts, texts],
    ['a mutated package.json with its lock', mutate(MANIFESTS), fc.constantFrom(...LOCKS)],
    ['a package.json with a mutated lock', fc.constantFrom(...MANIFESTS), mutate(LOCKS)],
    ['arbitrary text beside a real lock', texts, fc.constantFrom(...LOCKS)],
  ])('holds for %s', async (_label, manifests, locks) => {
    await fc.assert(
      fc.asyncProperty(manifests, fc.option(locks, { nil: undefined }), async (manifest, lock) => {
        // Prepare
        const files: Record<string, string | undefined> = {
          'package.json': manifest,
          'package-lock.json': lock,
        };

        // Act
        const result = await checkNodeProject('package.json', { read: async (path) => files[path] });

        // Assess
        for (const finding of result.findings) {
          const text = files[finding.file];
          expect(text).toBeDefined();
          expect(inside(text!, finding)).toBe(true);
          expect(RULE_IDS).toContain(finding.ruleId);
          expect(SEVERITIES).toContain(finding.severity);
          expect(finding.message.length).toBeGreaterThan(0);
        }
        for (const ref of result.packages) {
          expect(inside(files[ref.file]!, ref.position)).toBe(true);
          expect(ref.ecosystem).toBe('npm');
        }
        expect(result.files[0]).toBe('package.json');
      }),
      { numRuns: 300 },
    );
  });
});
