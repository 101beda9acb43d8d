// biome-ignore-all lint/suspicious/noTemplateCurlyInString: requirements files write ${VAR} literally, and these tests do too.
import { describe, expect, it } from '@jest/globals';
import { endPositionAt, positionAt, splitLogicalLines } from '@shared/deps/requirements/lines';

/** The logical lines of a text as [first physical line, text, comment]. */
function summary(text: string, env: Record<string, string> = {}): [number, string, string | null][] {
  return splitLogicalLines(text, env).lines.map((line) => [line.line, line.text, line.comment]);
}

/** Where each character of a logical line's text comes from, as `line:column`. */
function origins(text: string, index = 0, env: Record<string, string> = {}): string[] {
  const line = splitLogicalLines(text, env).lines[index]!;
  return Array.from(line.text, (_, offset) => {
    const position = positionAt(line, offset);
    return `${position.line}:${position.column}`;
  });
}

describe('splitLogicalLines: physical lines', () => {
  it('splits on \\n, \\r\\n and \\r, and counts a last line without a newline', () => {
    // Prepare
    const text = 'a==1\nb==2\r\nc==3\rd==4';

    // Act
    const result = splitLogicalLines(text);

    // Assess
    expect(result.lines.map((line) => [line.line, line.text])).toEqual([
      [1, 'a==1'],
      [2, 'b==2'],
      [3, 'c==3'],
      [4, 'd==4'],
    ]);
    expect(result.lineCount).toBe(4);
  });

  it.each([
    ['', 0],
    ['\n', 1],
    ['a\n', 1],
    ['a\n\n', 2],
    ['a', 1],
    ['\ufeff', 0],
    ['\ufeffa\r\n', 1],
  ])('counts the physical lines of %j as %i, like str.splitlines', (text, count) => {
    expect(splitLogicalLines(text).lineCount).toBe(count);
  });

  it('skips a leading BOM: the first character after it is column 1', () => {
    // Act
    const line = splitLogicalLines('\ufeffrequests==2.31.0\n').lines[0]!;

    // Assess
    expect(line.text).toBe('requests==2.31.0');
    expect(positionAt(line, 0)).toEqual({ line: 1, column: 1 });
    expect(endPositionAt(line, line.text.length)).toEqual({ line: 1, column: 17 });
  });

  it('does not count the \\r of a CRLF file in the text or the columns', () => {
    // Act
    const lines = splitLogicalLines('  flask==3.0.0  \r\nrequests\r\n').lines;

    // Assess
    expect(lines.map((line) => line.text)).toEqual(['flask==3.0.0', 'requests']);
    expect(positionAt(lines[0]!, 0)).toEqual({ line: 1, column: 3 });
    expect(endPositionAt(lines[0]!, 12)).toEqual({ line: 1, column: 15 });
  });
});

describe('splitLogicalLines: comments, as pip cuts (^|\\s+)#.*$', () => {
  it.each([
    ['# a comment', '', ' a comment'],
    ['   # indented', '', ' indented'],
    ['requests  # trailing', 'requests', ' trailing'],
    ['requests\t# after a tab', 'requests', ' after a tab'],
    ['https://example.com/x.tar.gz#egg=x', 'https://example.com/x.tar.gz#egg=x', null],
    ['pkg#not-a-comment # but this is', 'pkg#not-a-comment', ' but this is'],
    ['#', '', ''],
  ])('%j has text %j and comment %j', (text, content, comment) => {
    expect(summary(text)).toEqual([[1, content, comment]]);
  });

  it('gives the position of the # of a comment', () => {
    // Act
    const line = splitLogicalLines('numpy==1.26.0    # via pandas').lines[0]!;

    // Assess
    expect(line.commentPosition).toEqual({ line: 1, column: 18 });
  });

  it('keeps blank lines, with an empty text', () => {
    expect(summary('a\n\n  \t\nb')).toEqual([
      [1, 'a', null],
      [2, '', null],
      [3, '', null],
      [4, 'b', null],
    ]);
  });
});

describe('splitLogicalLines: continuations', () => {
  it('joins a line ending in a backslash with the next, under the first line number', () => {
    // Act
    const result = summary('django >=4.2, \\\n    <5.0\nflask\n');

    // Assess
    expect(result).toEqual([
      [1, 'django >=4.2,     <5.0', null],
      [3, 'flask', null],
    ]);
  });

  it('maps every character of a joined line back to its physical line and column', () => {
    // Act
    const result = origins('ab\\\ncd\\\n  ef');

    // Assess
    expect(result).toEqual(['1:1', '1:2', '2:1', '2:2', '3:1', '3:2', '3:3', '3:4']);
  });

  it('maps the exclusive end of a joined line to its last physical line', () => {
    // Act
    const line = splitLogicalLines('requests\\\n[socks]\\\n>=2.31 ; python_version >= "3.8"\n').lines[0]!;

    // Assess
    expect(line.text).toBe('requests[socks]>=2.31 ; python_version >= "3.8"');
    expect(positionAt(line, line.text.indexOf('['))).toEqual({ line: 2, column: 1 });
    expect(positionAt(line, line.text.indexOf('>='))).toEqual({ line: 3, column: 1 });
    expect(endPositionAt(line, line.text.length)).toEqual({ line: 3, column: 33 });
    expect([line.line, line.endLine]).toEqual([1, 3]);
  });

  it('strips every backslash at both ends of a continued line, as pip strip("\\\\") does', () => {
    expect(summary('\\\\foo\\\\\nbar')).toEqual([[1, 'foobar', null]]);
  });

  it('joins pip-compile hash lines into the requirement', () => {
    // Prepare
    const text = 'attrs==23.1.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via aiohttp\n';

    // Act
    const result = summary(text);

    // Assess
    expect(result).toEqual([
      [1, 'attrs==23.1.0     --hash=sha256:aa     --hash=sha256:bb', null],
      [4, '', ' via aiohttp'],
    ]);
  });

  it('does not continue a comment line that ends in a backslash', () => {
    expect(summary('# a comment \\\nrequests')).toEqual([
      [1, '', ' a comment \\'],
      [2, 'requests', null],
    ]);
  });

  it('ends a continuation at a comment line, which becomes the comment of the joined line', () => {
    // Act
    const result = splitLogicalLines('attrs==23.1.0 \\\n#via aiohttp\nidna\n').lines;

    // Assess
    expect(result.map((line) => [line.line, line.text, line.comment])).toEqual([
      [1, 'attrs==23.1.0', 'via aiohttp'],
      [3, 'idna', null],
    ]);
    expect(result[0]!.commentPosition).toEqual({ line: 2, column: 1 });
  });

  it('lets a comment swallow the continued lines after it, as pip does', () => {
    expect(summary('foo # note \\\nbar\nbaz')).toEqual([
      [1, 'foo', ' note bar'],
      [3, 'baz', null],
    ]);
  });

  it('strips a backslash on the last line of the file', () => {
    expect(summary('requests \\')).toEqual([[1, 'requests', null]]);
  });

  it('ends a continuation at a blank line', () => {
    expect(summary('requests \\\n\nflask')).toEqual([
      [1, 'requests', null],
      [3, 'flask', null],
    ]);
  });
});

describe('splitLogicalLines: ${VAR} expansion', () => {
  const env = { PRIVATE_LIB_VERSION: '1.4.2', PIP_USER: 'ci', EMPTY: '' };

  it('replaces ${NAME} with a non-empty value, and leaves unknown, empty and lower-case names as written', () => {
    // Act
    const result = summary(
      'a==${PRIVATE_LIB_VERSION}\nb==${UNKNOWN}\nc==${EMPTY}\nd==${pip_user}\ne==$PIP_USER',
      env,
    );

    // Assess
    expect(result.map(([, text]) => text)).toEqual([
      'a==1.4.2',
      'b==${UNKNOWN}',
      'c==${EMPTY}',
      'd==${pip_user}',
      'e==$PIP_USER',
    ]);
  });

  it('expands after cutting the comment, so a value cannot start one', () => {
    expect(summary('x==${V} # c', { V: '1 #2' })).toEqual([[1, 'x==1 #2', ' c']]);
  });

  it('maps the characters of a value to the start of its ${NAME}, and the rest one for one', () => {
    // Act
    const result = origins('  https://${PIP_USER}:${T}@host/simple', 0, { PIP_USER: 'ci' });

    // Assess: "https://" is 3..10, "ci" comes from ${PIP_USER} at 11, ":" at 22, "${T}" is kept as written.
    expect(result.slice(0, 8)).toEqual(['1:3', '1:4', '1:5', '1:6', '1:7', '1:8', '1:9', '1:10']);
    expect(result.slice(8, 11)).toEqual(['1:11', '1:11', '1:22']);
    expect(result.slice(11, 15)).toEqual(['1:23', '1:24', '1:25', '1:26']);
  });

  it('puts the exclusive end of a value at the end of its ${NAME}', () => {
    // Act
    const line = splitLogicalLines('pkg==${V}', { V: '2.0' }).lines[0]!;

    // Assess
    expect(line.text).toBe('pkg==2.0');
    expect(endPositionAt(line, 8)).toEqual({ line: 1, column: 10 });
    expect(endPositionAt(line, 6)).toEqual({ line: 1, column: 10 });
    expect(positionAt(line, 5)).toEqual({ line: 1, column: 6 });
  });

  it('expands in joined lines and keeps the positions after the value', () => {
    // Act
    const line = splitLogicalLines('pkg==${V} \\\n  ; python_version < "3.9"', { V: '10.0.1' }).lines[0]!;

    // Assess
    expect(line.text).toBe('pkg==10.0.1   ; python_version < "3.9"');
    expect(positionAt(line, line.text.indexOf(';'))).toEqual({ line: 2, column: 3 });
  });
});
