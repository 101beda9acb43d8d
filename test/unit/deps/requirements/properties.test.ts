// biome-ignore-all lint/suspicious/noTemplateCurlyInString: requirements files write ${VAR} literally, and these tests do too.
import { describe, expect, it } from '@jest/globals';
import type { Position } from '@shared/deps/model';
import { parseRequirementsFile } from '@shared/deps/requirements';
import fc from 'fast-check';

/** The lengths of a text's physical lines, split as the parser splits them (\n, \r\n, \r; a BOM skipped). */
function lineLengths(text: string): number[] {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (body === '') return [];
  const lines = body.split(/\r\n|\r|\n/);
  if (/(\r\n|\r|\n)$/.test(body)) lines.pop();
  return lines.map((line) => line.length);
}

/** A position is inside the text: an existing line, a column up to one past its last character. */
function inside(position: Position | undefined, lengths: readonly number[]): boolean {
  if (position === undefined) return true;
  const length = lengths[position.line - 1];
  return length !== undefined && position.column >= 1 && position.column <= length + 1;
}

/** Fragments that make texts look like requirements files, so that the generator reaches the interesting paths. */
const fragment = fc.constantFrom(
  'requests',
  'Django',
  '[socks, Extra]',
  '==',
  '=',
  '>=1.2',
  '<3',
  '~=1.4.2',
  '==1.0.*',
  ',',
  ';',
  '; ',
  ' python_version < "3.9"',
  " sys_platform == 'win32'",
  ' and ',
  ' or ',
  '(',
  ')',
  ' @ ',
  'https://example.com/x-1.0.tar.gz',
  '#egg=x',
  'git+https://github.com/a/b.git',
  './dist/pkg-1.0-py3-none-any.whl',
  '.',
  '-e ',
  '-r ',
  '-c ',
  '--requirement=',
  'base.txt',
  '--hash=sha256:ab',
  '--hash=md5:ab',
  '--index-url ',
  '--pre',
  '-Z',
  '--frob',
  '-x',
  '"',
  "'",
  '\\',
  ' \\\n',
  '\\\r\n',
  '\n',
  '\r\n',
  '\r',
  ' # via ',
  '#',
  '    #   ',
  '${VERSION}',
  '${UNSET}',
  '${',
  '}',
  ' ',
  '\t',
  '\ufeff',
  '☕',
  '\u2028',
);

const requirementsLike = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));
const anyText = fc.oneof(
  requirementsLike,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
);

describe('parseRequirementsFile properties', () => {
  it('never throws, on arbitrary text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        parseRequirementsFile(text, 'requirements.txt', { VERSION: '1.0' });
      }),
      { numRuns: 3000 },
    );
  });

  it('puts every entry, span, option, include and problem position inside the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        // Act
        const file = parseRequirementsFile(text, 'requirements.txt', { VERSION: '1.0.0-long-value' });

        // Assess
        const lengths = lineLengths(text);
        expect(file.lineCount).toBe(lengths.length);
        const positions: (Position | undefined)[] = [
          ...file.entries.flatMap((entry) => [
            entry.position,
            entry.end,
            entry.spans.name,
            entry.spans.specifier,
            entry.spans.marker,
            entry.spans.url,
            entry.problem?.position,
            ...(entry.problem?.edits ?? []).flatMap((edit) => [edit.start, edit.end]),
            ...entry.options.map((option) => option.position),
          ]),
          ...file.options.map((option) => option.position),
          ...file.includes.flatMap((include) => [include.position, include.end]),
          ...file.problems.map((problem) => problem.position),
        ];
        for (const position of positions) {
          if (!inside(position, lengths))
            throw new Error(`${JSON.stringify(position)} is outside ${JSON.stringify(lengths)}`);
        }
        for (const entry of file.entries) {
          const { position, end } = entry;
          expect(
            end.line > position.line || (end.line === position.line && end.column > position.column),
          ).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('finds each requirement of a generated file on its own line, at column 1', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,10}[A-Za-z0-9]$/),
            fc.constantFrom('', '==1.0', '>=2,<3', '~=1.4'),
            fc.constantFrom('', ' # note', '  # via x'),
          ),
          { maxLength: 30 },
        ),
        fc.constantFrom('\n', '\r\n'),
        (rows, newline) => {
          // Act
          const text = rows.map(([name, spec, comment]) => `${name}${spec}${comment}`).join(newline);
          const file = parseRequirementsFile(text, 'requirements.txt');

          // Assess
          expect(file.entries.map((entry) => [entry.position, entry.raw])).toEqual(
            rows.map(([name, spec], index) => [{ line: index + 1, column: 1 }, `${name}${spec}`]),
          );
        },
      ),
    );
  });
});
