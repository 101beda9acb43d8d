import { describe, expect, it } from '@jest/globals';
import { parsePyproject } from '@shared/deps/pyproject';
import { LineIndex, parseTomlDocument, StringMap, type TomlNode } from '@shared/deps/pyproject/toml';
import { fixtureText, parseFixture, problemLine } from './fixtures';

/** The string value at root[key] of a one-line document, with its map. */
function stringMap(text: string, key = 'a'): StringMap {
  const parsed = parseTomlDocument(text);
  if (!parsed.ok) throw new Error(parsed.message);
  const node = parsed.root.members.get(key)?.node;
  if (node === undefined || node.kind !== 'value' || node.ast.kind !== 'string')
    throw new Error('not a string');
  return StringMap.of(text, node.ast);
}

/** The source text of each decoded unit of a string, joined by `|`. */
function unitSources(text: string, map: StringMap): string {
  return Array.from({ length: map.value.length }, (_unit, index) =>
    text.slice(map.start(index), map.end(index, index + 1)),
  ).join('|');
}

describe('LineIndex gives 1-based lines and columns', () => {
  it('maps offsets at line starts, inside lines and at the end', () => {
    // Prepare
    const lines = new LineIndex('ab\ncd\r\n\nx');

    // Act
    const positions = [0, 1, 2, 3, 5, 7, 8, 9, 99, -4].map((offset) => lines.position(offset));

    // Assess
    expect(positions).toEqual([
      { line: 1, column: 1 },
      { line: 1, column: 2 },
      { line: 1, column: 3 },
      { line: 2, column: 1 },
      { line: 2, column: 3 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
      { line: 4, column: 2 },
      { line: 4, column: 2 },
      { line: 1, column: 1 },
    ]);
  });
});

describe('StringMap maps offsets in a decoded string back to the source', () => {
  it('maps a basic string with escapes, each decoded unit to its escape', () => {
    // Prepare
    const text = 'a = "x\\"y\\u00e9\\tz\\U0001F600!"';

    // Act
    const map = stringMap(text);

    // Assess
    expect(map.value).toBe('x"yé\tz😀!');
    expect(unitSources(text, map)).toBe('x|\\"|y|\\u00e9|\\t|z|\\U0001F600|\\U0001F600|!');
    expect(map.start(0)).toBe(5);
    expect(map.start(map.value.length)).toBe(text.length - 1);
    expect(map.end(0, map.value.length)).toBe(text.length - 1);
  });

  it('maps a literal string one to one', () => {
    // Prepare
    const text = "a = 'C:\\path\\x'";

    // Act
    const map = stringMap(text);

    // Assess
    expect(map.value).toBe('C:\\path\\x');
    expect(map.start(2)).toBe(7);
    expect(map.end(2, 3)).toBe(8);
  });

  it('skips the first newline of a multi-line string and the whitespace after a line-ending backslash', () => {
    // Prepare
    const text = 'a = """\nab \\\n\n   cd"""';

    // Act
    const map = stringMap(text);

    // Assess
    expect(map.value).toBe('ab cd');
    expect(map.contentStart).toBe(8);
    expect(unitSources(text, map)).toBe('a|b| |c|d');
    expect(map.start(3)).toBe(text.indexOf('cd'));
  });

  it('handles CRLF newlines and multi-line literal strings', () => {
    // Prepare
    const text = "a = '''\r\nfirst\r\nsecond'''";

    // Act
    const map = stringMap(text);

    // Assess
    expect(map.value).toBe('first\nsecond');
    expect(map.start(0)).toBe(9);
    expect(map.start(6)).toBe(text.indexOf('second'));
    expect(map.end(5, 6)).toBe(text.indexOf('second'));
  });

  it('maps a bare or quoted stretch of text as it is written', () => {
    // Prepare
    const map = StringMap.plain(10, 'numpy');

    // Act
    const offsets = [map.start(0), map.start(4), map.end(0, 5), map.start(5)];

    // Assess
    expect(offsets).toEqual([10, 14, 15, 15]);
  });
});

describe('parseTomlDocument merges a document into one tree of tables', () => {
  it('joins headers, dotted keys, inline tables and arrays of tables', () => {
    // Prepare
    const text = [
      'tool.x.a = 1',
      '[tool.poetry.dependencies]',
      'rich = { version = "^13" }',
      '[tool.poetry.dependencies.httpx]',
      'version = "*"',
      '[[tool.y]]',
      'n = 1',
      '[[tool.y]]',
      'n = 2',
      '[tool.y.z]',
      'm = 3',
      '',
    ].join('\n');

    // Act
    const parsed = parseTomlDocument(text);

    // Assess
    if (!parsed.ok) throw new Error(parsed.message);
    const tool = parsed.root.members.get('tool')?.node;
    const keys = (node: TomlNode | undefined): string[] =>
      node?.kind === 'table' ? [...node.members.keys()] : [];
    expect(keys(tool)).toEqual(['x', 'poetry', 'y']);
    const tables = tool?.kind === 'table' ? tool.members : new Map();
    const dependencies = tables.get('poetry')?.node;
    const deps = dependencies?.kind === 'table' ? dependencies.members.get('dependencies')?.node : undefined;
    expect(keys(deps)).toEqual(['rich', 'httpx']);
    const y = tables.get('y')?.node;
    expect(y?.kind).toBe('array');
    expect(y?.kind === 'array' ? y.elements.map(keys) : []).toEqual([['n'], ['n', 'z']]);
  });

  it('reads TOML 1.0, so a newline inside an inline table is an error', () => {
    // Prepare
    const text = 'a = { b = 1,\n c = 2 }\n';

    // Act
    const parsed = parseTomlDocument(text);

    // Assess
    expect(parsed.ok).toBe(false);
  });
});

describe('parsePyproject turns a TOML syntax error into one problem and no entries', () => {
  it('reports the missing comma where the parser stopped', () => {
    // Prepare
    const name = 'syntax-error.toml';

    // Act
    const result = parseFixture(name);

    // Assess
    expect(result).toEqual({
      file: name,
      projectName: null,
      entries: [],
      requiresPython: null,
      problems: [{ message: 'Invalid TOML: Expected comma (,) token', position: { line: 7, column: 5 } }],
      toolFlywheel: null,
    });
  });

  it.each([
    ['[project]\nname = "x', '2:10 Invalid TOML: Unterminated string constant'],
    ['[project]\n[project]\n', '2:2 Invalid TOML: Defining a key multiple times is invalid'],
    ['dependencies = ["a",\n', '2:1 Invalid TOML: Unspecified values are invalid'],
  ])('reports %j', (text, expected) => {
    // Prepare
    const source = text;

    // Act
    const result = parsePyproject(source, 'pyproject.toml');

    // Assess
    expect(result.problems.map(problemLine)).toEqual([expected]);
    expect(result.entries).toEqual([]);
  });
});

describe('parsePyproject returns [tool.flywheel] as plain values', () => {
  it('gathers the table and its sub-tables', () => {
    // Prepare
    const name = 'tool-flywheel.toml';

    // Act
    const result = parseFixture(name);

    // Assess
    expect(result.toolFlywheel).toEqual({
      deps: {
        'fail-on': 'warning',
        'ignore-rules': ['unpinned'],
        'lock-file': 'uv.lock',
        'deprecated-names': {
          'talib-binary': { replacement: 'ta-lib', category: 'RENAMED', reason: 'renamed upstream' },
        },
      },
    });
    expect(result.entries.map((entry) => entry.raw)).toEqual(['sklearn', 'pandas>=2.2', 'ta==0.11.0']);
    expect(result.problems).toEqual([]);
  });

  it('is null without [tool.flywheel], and an empty table is an empty object', () => {
    // Prepare
    const without = fixtureText('poetry-app.toml');
    const empty = '[tool.flywheel]\n';

    // Act
    const results = [parsePyproject(without, 'a'), parsePyproject(empty, 'b')];

    // Assess
    expect(results.map((result) => result.toolFlywheel)).toEqual([null, {}]);
  });
});
