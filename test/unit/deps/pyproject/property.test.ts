import { describe, expect, it } from '@jest/globals';
import type { Position } from '@shared/deps/model';
import { type PyprojectFile, parsePyproject } from '@shared/deps/pyproject';
import fc from 'fast-check';
import { fixtureText } from './fixtures';

const FIXTURES = [
  'pep621-project.toml',
  'pep735-groups.toml',
  'pep735-broken.toml',
  'poetry-app.toml',
  'poetry-legacy.toml',
  'syntax-error.toml',
  'tool-flywheel.toml',
].map(fixtureText);

/** Whether position names a place in text: an existing line, a column up to one past its end. */
function inside(text: string, position: Position): boolean {
  const lines = text.split('\n');
  const line = lines[position.line - 1];
  return (
    Number.isInteger(position.line) &&
    Number.isInteger(position.column) &&
    line !== undefined &&
    position.column >= 1 &&
    position.column <= line.length + 1
  );
}

/** Every position the result gives: entries (start, end, spans), problems and their edits, requires-python. */
function positions(result: PyprojectFile): Position[] {
  const all: Position[] = [];
  for (const entry of result.entries) {
    all.push(entry.position, entry.end, ...Object.values(entry.spans));
  }
  for (const problem of result.problems) {
    all.push(problem.position);
    for (const edit of problem.edits ?? []) all.push(edit.start, edit.end);
  }
  if (result.requiresPython !== null) all.push(result.requiresPython.position);
  return all;
}

/** Text that often is TOML: pieces of pyproject syntax in any order. */
const tomlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '[project]\n',
        '[dependency-groups]\n',
        '[tool.poetry.dependencies]\n',
        '[tool.poetry.group.dev.dependencies]\n',
        '[project.optional-dependencies]\n',
        '[tool.flywheel]\n',
        'dependencies = [',
        'name = "pkg"\n',
        'test = [',
        '{ include-group = "test" }',
        '{ version = "^1.2", python = "<3.9" }',
        '{ git = "https://x/y.git", rev = "abc" }',
        '"numpy>=1.0"',
        '"pkg[test]"',
        '"bad=1"',
        '"a; python_version > \\"3\\""',
        '"""\nx>=1 ; \\\n  os_name == \'nt\'"""',
        "'''\n  lit'''",
        'x = "^1 || ^2"\n',
        'python = "^3.8"\n',
        ', ',
        ']\n',
        '\n',
        '=',
        '"',
        '\\',
        '\r\n',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 25 },
  )
  .map((pieces) => pieces.join(''));

/** A fixture with a stretch cut out and something else put in. */
const mutated = fc
  .tuple(fc.constantFrom(...FIXTURES), fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 6 }))
  .map(([text, at, cut, insert]) => {
    const start = at % (text.length + 1);
    return text.slice(0, start) + insert + text.slice(start + cut);
  });

describe('parsePyproject never throws and keeps every position inside the text', () => {
  it.each([
    ['arbitrary text', fc.string({ maxLength: 200, unit: 'binary' })],
    ['pyproject-like text', tomlish],
    ['mutated fixtures', mutated],
  ])('holds for %s', (_label, texts) => {
    fc.assert(
      fc.property(texts, (text) => {
        // Prepare
        const file = 'pyproject.toml';

        // Act
        const result = parsePyproject(text, file);

        // Assess
        for (const position of positions(result)) {
          expect(inside(text, position)).toBe(true);
        }
        for (const entry of result.entries) {
          expect(entry.file).toBe(file);
          expect(entry.requirement === null).toBe(entry.problem !== undefined);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('holds for every fixture as it is', () => {
    // Prepare
    const texts = FIXTURES;

    // Act
    const results = texts.map((text) => parsePyproject(text, 'pyproject.toml'));

    // Assess
    results.forEach((result, index) => {
      for (const position of positions(result)) expect(inside(texts[index] ?? '', position)).toBe(true);
    });
  });
});
