import { describe, expect, it } from '@jest/globals';
import { parsePyproject, pythonMarker } from '@shared/deps/pyproject';
import { parseFixture, problemLine, summary } from './fixtures';

/** Parses one dependency line under [tool.poetry.dependencies] (line 2 of the text). */
function poetryLine(line: string) {
  return parsePyproject(`[tool.poetry.dependencies]\n${line}\n`, 'pyproject.toml');
}

describe('parsePyproject reads Poetry dependencies, translated to PEP 508', () => {
  it('reads main, dev and group dependencies of a Poetry project, with their groups', () => {
    // Prepare
    const name = 'poetry-app.toml';

    // Act
    const result = parseFixture(name);

    // Assess
    expect(result.entries.map(summary)).toEqual([
      '10:1 poetry:main requests>=2.31,<3.0',
      '11:1 poetry:main pydantic>=2.7.1,<2.8.0',
      '12:2 poetry:main ruamel-yaml>=0.18,<0.19',
      '13:1 poetry:main click',
      '14:1 poetry:main sqlalchemy[asyncio]>=2.0.30,<3.0.0',
      '15:1 poetry:main uvloop>=0.19,<0.20 ; sys_platform != "win32"',
      '16:1 poetry:main tomli>=2.0.1 ; python_version < "3.11"',
      '17:1 poetry:main pywin32>=306 ; sys_platform == "win32"',
      '18:1 poetry:main ccxt-lite',
      '19:1 poetry:main flywheel-common editable',
      '20:1 poetry:main ta-lib @ https://example.org/wheels/TA_Lib-0.4.28-cp311-cp311-linux_x86_64.whl',
      '22:5 poetry:main numpy>=1.24,<1.25 ; python_version < "3.12"',
      '23:5 poetry:main numpy>=1.26,<2.0 ; python_version >= "3.12"',
      '26:27 poetry:main httpx[http2]>=0.27,<0.28',
      '31:1 poetry:dev black>=24.4,<25.0',
      '34:1 poetry:test pytest>=8.2.0,<9.0.0',
      '35:1 poetry:test pytest-asyncio==0.23.7',
      '41:1 poetry:docs mkdocs>=1.6,<2.0',
    ]);
    expect(result.problems).toEqual([]);
    expect(result.projectName).toBe('market-data-sync');
  });

  it('takes the python key as requires-python, from the Poetry source', () => {
    // Prepare
    const name = 'poetry-app.toml';

    // Act
    const result = parseFixture(name);

    // Assess
    expect(result.requiresPython).toEqual({
      clauses: [
        { operator: '>=', version: '3.10' },
        { operator: '<', version: '4.0' },
      ],
      text: '^3.10',
      position: { line: 9, column: 11 },
      source: 'poetry',
    });
  });

  it('points the name span at the key and the specifier and marker spans at their values', () => {
    // Prepare
    const name = 'poetry-app.toml';

    // Act
    const entries = parseFixture(name).entries;

    // Assess
    const byRaw = new Map(entries.map((entry) => [entry.raw, entry]));
    expect(byRaw.get('ruamel.yaml>=0.18,<0.19')?.spans).toEqual({
      name: { line: 12, column: 2 },
      specifier: { line: 12, column: 18 },
    });
    expect(byRaw.get("uvloop>=0.19,<0.20 ; sys_platform != 'win32'")).toMatchObject({
      position: { line: 15, column: 1 },
      end: { line: 15, column: 68 },
      spans: {
        name: { line: 15, column: 1 },
        specifier: { line: 15, column: 23 },
        marker: { line: 15, column: 42 },
      },
    });
    expect(byRaw.get('tomli>=2.0.1 ; python_version < "3.11"')?.spans.marker).toEqual({
      line: 16,
      column: 42,
    });
    expect(byRaw.get('pywin32>=306 ; sys_platform == "win32"')?.spans.marker).toEqual({
      line: 17,
      column: 44,
    });
    expect(entries[11]).toMatchObject({
      position: { line: 22, column: 5 },
      end: { line: 22, column: 44 },
      spans: {
        name: { line: 21, column: 1 },
        specifier: { line: 22, column: 18 },
        marker: { line: 22, column: 36 },
      },
    });
    expect(entries[13]?.spans).toEqual({
      name: { line: 26, column: 27 },
      specifier: { line: 27, column: 12 },
    });
  });

  it('gives git, path and url dependencies a reference, a name-only or `name @ url` requirement', () => {
    // Prepare
    const name = 'poetry-app.toml';

    // Act
    const entries = parseFixture(name).entries;

    // Assess
    const [git, path, url] = [entries[8], entries[9], entries[10]];
    expect(git).toMatchObject({
      raw: 'ccxt-lite',
      editable: false,
      reference: {
        url: 'git+https://github.com/example/ccxt-lite.git@v4.2.1',
        name: 'ccxt-lite',
        extras: [],
      },
      spans: { name: { line: 18, column: 1 }, url: { line: 18, column: 22 } },
    });
    expect(git?.requirement?.url).toBeNull();
    expect(path).toMatchObject({
      raw: 'flywheel-common',
      editable: true,
      reference: { url: '../flywheel-common', name: 'flywheel-common', extras: [] },
      spans: { url: { line: 19, column: 29 } },
    });
    expect(url?.reference?.url).toBe('https://example.org/wheels/TA_Lib-0.4.28-cp311-cp311-linux_x86_64.whl');
    expect(url?.requirement?.url).toBe(url?.reference?.url);
    expect(url?.spans.url).toEqual({ line: 20, column: 19 });
  });

  it.each([
    ['requests = "^2.31.0"', 'requests>=2.31.0,<3.0.0'],
    ['requests = "^0.2.3"', 'requests>=0.2.3,<0.3.0'],
    ['requests = "~1.2"', 'requests>=1.2,<1.3'],
    ['requests = "*"', 'requests'],
    ['requests = ">=1,<2"', 'requests>=1,<2'],
    ['requests = "2.31.0"', 'requests==2.31.0'],
    [
      'requests = { version = "^2.31", extras = ["socks", "Use_Chardet_On_Py3"] }',
      'requests[socks,use-chardet-on-py3]>=2.31,<3.0',
    ],
    ['colorama = { version = "*", platform = "win32" }', 'colorama ; sys_platform == "win32"'],
    [
      'uvloop = { version = "^0.19", markers = "implementation_name == \'cpython\'", python = ">=3.9", platform = "linux" }',
      'uvloop>=0.19,<0.20 ; implementation_name == "cpython" and python_version >= "3.9" and sys_platform == "linux"',
    ],
    [
      'backports-zoneinfo = { version = "*", python = "<3.9.2" }',
      'backports-zoneinfo ; python_full_version < "3.9.2"',
    ],
    [
      'typing-extensions = { version = "*", python = "~2.7 || >=3.5" }',
      'typing-extensions ; python_version >= "2.7" and python_version < "2.8" or python_version >= "3.5"',
    ],
    ['rich = { version = "^13", python = "*" }', 'rich>=13,<14'],
    [
      'rich = { version = "^13", optional = true, allow-prereleases = true, source = "internal" }',
      'rich>=13,<14',
    ],
  ])('translates %s', (line, expected) => {
    // Prepare
    const text = line;

    // Act
    const result = poetryLine(text);

    // Assess
    expect(result.problems).toEqual([]);
    const requirement = result.entries[0]?.requirement;
    expect(requirement).not.toBeNull();
    const read = [
      requirement?.normalizedName,
      requirement && requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : '',
      requirement?.specifier,
      requirement?.markerText ? ` ; ${requirement.markerText}` : '',
    ].join('');
    expect(read).toBe(expected);
  });

  it.each([
    [
      'lib = { git = "https://github.com/org/lib.git", branch = "main", subdirectory = "python" }',
      'git+https://github.com/org/lib.git@main#subdirectory=python',
    ],
    [
      'lib = { git = "git+ssh://git@github.com/org/lib.git", tag = "v1.0" }',
      'git+ssh://git@github.com/org/lib.git@v1.0',
    ],
    ['lib = { git = "https://github.com/org/lib.git" }', 'git+https://github.com/org/lib.git'],
    ['lib = { path = "vendor/lib-1.0.tar.gz" }', 'vendor/lib-1.0.tar.gz'],
  ])('gives %s the reference %s', (line, url) => {
    // Prepare
    const text = line;

    // Act
    const entry = poetryLine(text).entries[0];

    // Assess
    expect(entry?.reference).toEqual({ url, name: 'lib', extras: [] });
    expect(entry?.requirement?.name).toBe('lib');
    expect(entry?.requirement?.specifier).toBe('');
    expect(entry?.editable).toBe(false);
  });

  it('keeps extras and markers on a git dependency', () => {
    // Prepare
    const text =
      'lib = { git = "https://github.com/org/lib.git", extras = ["Fast"], python = ">=3.10", develop = true }';

    // Act
    const entry = poetryLine(text).entries[0];

    // Assess
    expect(entry?.reference).toEqual({
      url: 'git+https://github.com/org/lib.git',
      name: 'lib',
      extras: ['fast'],
    });
    expect(entry?.requirement?.extras).toEqual(['fast']);
    expect(entry?.requirement?.markerText).toBe('python_version >= "3.10"');
    expect(entry?.editable).toBe(true);
  });

  it('reads a dependency written as its own [tool.poetry.dependencies.<name>] table', () => {
    // Prepare
    const text = '[tool.poetry.dependencies.Django]\nversion = "^5.0"\npython = ">=3.10"\n';

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.entries.map(summary)).toEqual([
      '1:27 poetry:main django>=5.0,<6.0 ; python_version >= "3.10"',
    ]);
  });

  it("prefers [project].requires-python to Poetry's python key", () => {
    // Prepare
    const text = [
      '[project]',
      'name = "both"',
      'requires-python = ">=3.11"',
      '[tool.poetry.dependencies]',
      'python = "^3.10"',
      '',
    ].join('\n');

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.requiresPython?.source).toBe('project');
    expect(result.requiresPython?.text).toBe('>=3.11');
    expect(result.entries).toEqual([]);
  });

  it('reads a python key in a group as a dependency, not as requires-python', () => {
    // Prepare
    const text = '[tool.poetry.group.Lint.dependencies]\nruff = "^0.6"\n';

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.entries.map(summary)).toEqual(['2:1 poetry:lint ruff>=0.6,<0.7']);
  });
});

describe('parsePyproject reports what Poetry dependencies get wrong', () => {
  it('reports `||` as untranslatable for requires-python and for a dependency, but turns it into `or` in a marker', () => {
    // Prepare
    const name = 'poetry-legacy.toml';

    // Act
    const result = parseFixture(name);

    // Assess
    expect(result.problems.map(problemLine)).toEqual([
      '8:11 Poetry\'s python constraint "^2.7 || ^3.6" uses `||` (either-or), which one PEP 440 specifier set cannot express, so it cannot be translated',
      '12:11 The constraint "^1.1 || ^1.2" of "enum34" uses `||` (either-or), which one PEP 440 specifier set cannot express, so it cannot be translated',
      '13:8 Poetry dependency "pytz" must be a constraint string, a table or an array of tables, not a number',
    ]);
    expect(result.requiresPython).toBeNull();
    expect(result.entries.map(summary)).toEqual([
      '9:1 poetry:main six>=1.16,<2.0',
      '10:1 poetry:main futures>=3.3,<4.0 ; python_version >= "2.7" and python_version < "2.8"',
      '11:1 poetry:main typing>=3.7,<4.0 ; python_version >= "2.7" and python_version < "2.8" or python_version >= "3.4" and python_version < "3.5"',
      '12:1 poetry:main invalid',
      '16:1 poetry:dev mock>=3.0,<4.0',
    ]);
    expect(result.entries[3]?.problem).toBe(result.problems[1]);
    expect(result.entries[3]?.spans.specifier).toEqual({ line: 12, column: 11 });
  });

  it.each([
    ['rich = { version = 13 }', '2:20 `version` of Poetry dependency "rich" must be a string, not a number'],
    [
      'rich = { extras = "x" }',
      '2:19 `extras` of Poetry dependency "rich" must be an array of strings, not a string',
    ],
    [
      'rich = { path = "../rich", develop = "yes" }',
      '2:38 `develop` of Poetry dependency "rich" must be true or false, not a string',
    ],
    [
      'rich = [1]',
      '2:9 Each constraint of Poetry dependency "rich" must be a constraint string or a table, not a number',
    ],
    ['python = 3', "2:10 Poetry's `python` dependency must be a constraint string, not a number"],
  ])('reports %s at the offending value', (line, expected) => {
    // Prepare
    const text = line;

    // Act
    const result = poetryLine(text);

    // Assess
    expect(result.problems.map(problemLine)).toEqual([expected]);
  });

  it('reports a translation that is not a valid requirement at the value it came from', () => {
    // Prepare
    const text = 'rich = { version = "^13", markers = "python_version >" }';

    // Act
    const result = poetryLine(text);

    // Assess
    expect(result.entries[0]?.requirement).toBeNull();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toContain(
      'Poetry dependency "rich" translates to "rich>=13,<14 ; python_version >"',
    );
    expect(result.problems[0]?.position.line).toBe(2);
    expect(result.problems[0]?.position.column).toBeGreaterThanOrEqual(38);
    expect(result.problems[0]?.position.column).toBeLessThanOrEqual(54);
  });

  it('keeps an entry without requirement for an invalid python constraint, with the problem at it', () => {
    // Prepare
    const text = 'rich = { version = "^13", python = "^^3" }';

    // Act
    const result = poetryLine(text);

    // Assess
    expect(result.problems.map(problemLine)).toEqual([
      '2:37 The python constraint "^^3" of Poetry dependency "rich" is not valid: `^^3` does not hold a valid version',
    ]);
    expect(result.entries).toHaveLength(1);
    expect(result.entries[0]?.requirement).toBeNull();
    expect(result.entries[0]?.problem).toBe(result.problems[0]);
  });

  it('reports a key that is not a valid name, inside its quotes', () => {
    // Prepare
    const text = '"bad name!" = "^1"';

    // Act
    const result = poetryLine(text);

    // Assess
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.position).toEqual({ line: 2, column: 6 });
    expect(result.entries[0]?.position).toEqual({ line: 2, column: 2 });
  });

  it('reports an invalid constraint string at its quotes', () => {
    // Prepare
    const text = 'rich = "^^13"';

    // Act
    const result = poetryLine(text);

    // Assess
    expect(result.problems).toHaveLength(1);
    expect(problemLine(result.problems[0]!)).toMatch(
      /^2:9 The constraint "\^\^13" of "rich" is not a valid Poetry constraint: /,
    );
  });

  it('reports sections of the wrong type', () => {
    // Prepare
    const texts = [
      '[tool]\npoetry = 1\n',
      '[tool.poetry]\ndependencies = ["rich"]\n',
      '[tool.poetry]\ngroup = 1\n',
    ];

    // Act
    const problems = texts.map((text) => parsePyproject(text, 'pyproject.toml').problems.map(problemLine));

    // Assess
    expect(problems).toEqual([
      ['2:10 `tool.poetry` must be a table, not a number'],
      ['2:16 `tool.poetry.dependencies` must be a table of dependencies, not an array'],
      ['2:9 `tool.poetry.group` must be a table of groups, not a number'],
    ]);
  });
});

describe('pythonMarker turns a Poetry python constraint into a marker', () => {
  it.each([
    ['>=3.8', 'python_version >= "3.8"'],
    ['^3.8', 'python_version >= "3.8" and python_version < "4.0"'],
    ['~3.8.1', 'python_full_version >= "3.8.1" and python_full_version < "3.9.0"'],
    ['3.9.*', 'python_version == "3.9.*"'],
    ['<3.11.0rc1', 'python_full_version < "3.11.0rc1"'],
    [
      '~2.7 || ^3.6',
      '(python_version >= "2.7" and python_version < "2.8") or (python_version >= "3.6" and python_version < "4.0")',
    ],
    ['<3 || >=3.6', 'python_version < "3" or python_version >= "3.6"'],
    ['*', null],
  ])('%s → %s', (constraint, expected) => {
    // Prepare
    const text = constraint;

    // Act
    const result = pythonMarker(text);

    // Assess
    expect(result).toMatchObject({ ok: true, marker: expected });
  });
});
