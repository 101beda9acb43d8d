import { describe, expect, it } from '@jest/globals';
import { parsePyproject } from '@shared/deps/pyproject';
import { parseFixture, problemLine, summary } from './fixtures';

describe('parsePyproject reads a PEP 621 [project] table', () => {
  it('reads dependencies and optional-dependencies in order, with groups PEP 685-normalised', () => {
    // Prepare
    const name = 'pep621-project.toml';

    // Act
    const result = parseFixture(name);

    // Assess
    expect(result.entries.map(summary)).toEqual([
      '13:6 dependencies numpy>=1.26,<3',
      '14:6 dependencies pandas[performance]>=2.1',
      '15:6 dependencies pyarrow>=14 ; python_version >= "3.11"',
      '16:6 dependencies tzdata ; sys_platform == "win32"',
      '17:6 dependencies httpx @ https://files.pythonhosted.org/packages/py3/h/httpx/httpx-0.27.0-py3-none-any.whl',
      '22:6 optional-dependencies:test pytest>=8',
      '23:6 optional-dependencies:test hypothesis~=6.100',
      '25:10 optional-dependencies:plot matplotlib>=3.8',
      '25:29 optional-dependencies:plot seaborn',
      '28:5 optional-dependencies:docs mkdocs-material>=9.5 ; python_version >= "3.10"',
      '33:6 optional-dependencies:dev trade-signals[test,plot] self',
      '34:6 optional-dependencies:dev ruff==0.6.9',
    ]);
    expect(result.projectName).toBe('Trade_Signals');
    expect(result.problems).toEqual([]);
    expect(result.toolFlywheel).toBeNull();
  });

  it('keeps each entry as written, with the file, and no hashes, via or editable flag', () => {
    // Prepare
    const name = 'pep621-project.toml';

    // Act
    const entry = parseFixture(name).entries[2];

    // Assess
    expect(entry).toMatchObject({
      file: name,
      raw: 'pyarrow>=14; python_version >= "3.11"',
      source: { kind: 'project', section: 'dependencies' },
      editable: false,
      hashes: [],
      via: [],
    });
    expect(entry?.problem).toBeUndefined();
    expect(entry?.reference).toBeUndefined();
  });

  it('points spans inside the quotes, past escapes, and ends the entry before the closing quote', () => {
    // Prepare: line 15 is `    "pyarrow>=14; python_version >= \"3.11\"",` (two escaped quotes in the marker).

    // Act
    const entries = parseFixture('pep621-project.toml').entries;

    // Assess
    expect(entries[2]?.spans).toEqual({
      name: { line: 15, column: 6 },
      specifier: { line: 15, column: 13 },
      marker: { line: 15, column: 19 },
    });
    expect(entries[2]?.end).toEqual({ line: 15, column: 45 });
    expect(entries[4]?.spans).toEqual({ name: { line: 17, column: 6 }, url: { line: 17, column: 14 } });
    expect(entries[1]?.spans.specifier).toEqual({ line: 14, column: 25 });
  });

  it('maps a multi-line string with a line-ending backslash back to both of its lines', () => {
    // Prepare: the docs extra spans lines 27-30; the requirement starts on 28, its marker continues on 29.

    // Act
    const docs = parseFixture('pep621-project.toml').entries[9];

    // Assess
    expect(docs?.raw).toBe('mkdocs-material>=9.5 ; python_version >= "3.10"');
    expect(docs?.position).toEqual({ line: 28, column: 5 });
    expect(docs?.spans).toEqual({
      name: { line: 28, column: 5 },
      specifier: { line: 28, column: 20 },
      marker: { line: 29, column: 5 },
    });
    expect(docs?.end).toEqual({ line: 29, column: 29 });
  });

  it('marks a self-reference (normalised name compare) and nothing else', () => {
    // Prepare
    const name = 'pep621-project.toml';

    // Act
    const selfReferences = parseFixture(name).entries.filter((entry) => entry.selfReference === true);

    // Assess
    expect(selfReferences.map((entry) => entry.raw)).toEqual(['trade-signals[test,plot]']);
  });

  it('reads requires-python with its clauses, text and position', () => {
    // Prepare
    const name = 'tool-flywheel.toml';

    // Act
    const result = parseFixture(name);

    // Assess
    expect(result.requiresPython).toEqual({
      clauses: [
        { operator: '>=', version: '3.11' },
        { operator: '<', version: '3.14' },
      ],
      text: '>=3.11,<3.14',
      position: { line: 4, column: 20 },
      source: 'project',
    });
  });

  it('reads nothing and reports nothing for dynamic dependencies', () => {
    // Prepare
    const text = ['[project]', 'name = "dyn"', 'dynamic = ["version", "dependencies"]', ''].join('\n');

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.entries).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.projectName).toBe('dyn');
  });

  it('reports dependencies both dynamic and given, at the key, and still reads them', () => {
    // Prepare
    const text = [
      '[project]',
      'name = "dyn"',
      'dynamic = ["dependencies"]',
      'dependencies = ["rich"]',
      '',
    ].join('\n');

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.problems.map(problemLine)).toEqual([
      '4:1 `dependencies` is listed in `[project].dynamic` and also given here; a build back-end rejects that',
    ]);
    expect(result.entries.map(summary)).toEqual(['4:18 dependencies rich']);
  });
});

describe('parsePyproject reports what a [project] table gets wrong, and reads on', () => {
  it('turns an invalid requirement into an entry without requirement, its problem, and an `=` → `==` edit', () => {
    // Prepare
    const text = [
      '[project]',
      'name = "p"',
      'dependencies = [',
      '  "pandas=2.2.1",',
      '  "numpy>=2",',
      ']',
      '',
    ].join('\n');

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    const [invalid, valid] = result.entries;
    expect(invalid?.requirement).toBeNull();
    expect(invalid?.raw).toBe('pandas=2.2.1');
    expect(invalid?.position).toEqual({ line: 4, column: 4 });
    expect(invalid?.problem).toBe(result.problems[0]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems.map(problemLine)).toEqual([
      expect.stringMatching(/^4:10 Invalid requirement "pandas=2\.2\.1": /),
    ]);
    expect(result.problems[0]?.hint).toContain('`pandas==2.2.1`');
    expect(result.problems[0]?.edits).toEqual([
      { file: 'pyproject.toml', start: { line: 4, column: 10 }, end: { line: 4, column: 11 }, text: '==' },
    ]);
    expect(valid && summary(valid)).toBe('5:4 dependencies numpy>=2');
  });

  it('offers no edit when the `=` is not the only thing wrong', () => {
    // Prepare
    const text = '[project]\ndependencies = ["pandas=2.2.1; python_version >"]\n';

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.edits).toBeUndefined();
  });

  it('maps positions past an escape that writes leading whitespace', () => {
    // Prepare: `\u0020` is six characters in the file and one space in the value.
    const text = '[project]\ndependencies = ["\\u0020 requests[socks] >=2", "rich[,]"]\n';

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.entries[0]).toMatchObject({
      raw: 'requests[socks] >=2',
      position: { line: 2, column: 25 },
      spans: { name: { line: 2, column: 25 }, specifier: { line: 2, column: 41 } },
      end: { line: 2, column: 44 },
    });
    expect(result.problems.map(problemLine)).toEqual([
      expect.stringMatching(/^2:53 Invalid requirement "rich\[,\]": /),
    ]);
  });

  it('reports an empty requirement string at its quotes', () => {
    // Prepare
    const text = '[project]\ndependencies = ["", "rich"]\n';

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.problems.map(problemLine)).toEqual(['2:18 Empty requirement string']);
    expect(result.entries.map((entry) => entry.requirement?.name ?? null)).toEqual([null, 'rich']);
  });

  it.each([
    [
      'dependencies = "numpy"',
      '2:16 `project.dependencies` must be an array of requirement strings, not a string',
    ],
    [
      'dependencies = ["numpy", 3]',
      '2:26 Each entry of `project.dependencies` must be a requirement string, not a number',
    ],
    [
      'optional-dependencies = ["numpy"]',
      '2:25 `project.optional-dependencies` must be a table of arrays, not an array',
    ],
    ['requires-python = 3.11', '2:19 `project.requires-python` must be a string, not a number'],
    ['name = ["a"]', '2:8 `project.name` must be a string, not an array'],
  ])('reports %s as a value of the wrong type, at the value', (line, expected) => {
    // Prepare
    const text = `[project]\n${line}\n`;

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.problems.map(problemLine)).toEqual([expected]);
  });

  it('reports `project` itself when it is not a table', () => {
    // Prepare
    const text = 'project = "x"\n';

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.problems.map(problemLine)).toEqual(['1:11 `project` must be a table, not a string']);
  });

  it('reports extras that are the same once normalised, at the second key', () => {
    // Prepare
    const text = ['[project.optional-dependencies]', 'Test = ["pytest"]', 'test = ["hypothesis"]', ''].join(
      '\n',
    );

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.problems.map(problemLine)).toEqual([
      '3:1 Extra "test" is the same as "Test" once normalised (PEP 685: "test")',
    ]);
    expect(result.entries.map(summary)).toEqual([
      '2:10 optional-dependencies:test pytest',
      '3:10 optional-dependencies:test hypothesis',
    ]);
  });

  it('reports an invalid requires-python at the offending clause, with the hint', () => {
    // Prepare
    const text = '[project]\nrequires-python = ">=3.9, =3.10"\n';

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.requiresPython).toBeNull();
    expect(result.problems.map(problemLine)).toEqual([
      expect.stringMatching(/^2:27 Invalid requires-python ">=3.9, =3.10": /),
    ]);
    expect(result.problems[0]?.hint).toContain('==3.10');
  });
});
