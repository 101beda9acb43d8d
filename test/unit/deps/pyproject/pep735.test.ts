import { describe, expect, it } from '@jest/globals';
import { parsePyproject } from '@shared/deps/pyproject';
import { parseFixture, problemLine, summary } from './fixtures';

describe('parsePyproject reads PEP 735 [dependency-groups]', () => {
  it('reads each group once, in its own (normalised) group, without copying included groups', () => {
    // Prepare
    const name = 'pep735-groups.toml';

    // Act
    const result = parseFixture(name);

    // Assess
    expect(result.entries.map(summary)).toEqual([
      '5:18 dependencies polars>=1.0',
      '5:33 dependencies duckdb>=1.1',
      '8:11 optional-dependencies:plots plotly>=5.22',
      '11:10 dependency-group:test pytest>=8.3',
      '11:25 dependency-group:test pytest-cov>=5',
      '11:42 dependency-group:test coverage[toml]',
      '12:12 dependency-group:typing mypy>=1.11',
      '12:26 dependency-group:typing pandas-stubs',
      '13:10 dependency-group:lint ruff>=0.6',
      '17:6 dependency-group:dev flywheel-backtests[plots] self',
      '18:6 dependency-group:dev ipython',
    ]);
    expect(result.problems).toEqual([]);
    expect(result.requiresPython?.text).toBe('>=3.11');
  });

  it('reports a cycle at the include that closes it, an undefined group, duplicates, and reads on', () => {
    // Prepare
    const name = 'pep735-broken.toml';

    // Act
    const result = parseFixture(name);

    // Assess
    expect(result.problems.map(problemLine)).toEqual([
      '4:16 `project.dependencies` must be an array of requirement strings, not a string',
      expect.stringMatching(/^8:12 Invalid requirement "pytest=8\.3\.2": /),
      '11:34 include-group makes a cycle: test → coverage → test',
      '12:9 include-group "website" names a dependency group that does not exist',
      '14:1 Dependency group "lint" is the same as "Lint" once normalised ("lint")',
      '14:19 Each entry of dependency group "lint" must be a requirement string or an include-group table, not a number',
    ]);
    expect(result.entries.map(summary)).toEqual([
      '8:6 dependency-group:test invalid',
      '11:14 dependency-group:coverage coverage[toml]>=7',
      '13:10 dependency-group:lint ruff',
      '14:10 dependency-group:lint flake8',
    ]);
    expect(result.problems[1]?.edits).toEqual([
      { file: name, start: { line: 8, column: 12 }, end: { line: 8, column: 13 }, text: '==' },
    ]);
  });

  it('reports a group that includes itself', () => {
    // Prepare
    const text = '[dependency-groups]\nall = ["rich", {include-group = "ALL"}]\n';

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.problems.map(problemLine)).toEqual(['2:16 include-group makes a cycle: all → all']);
    expect(result.entries.map(summary)).toEqual(['2:9 dependency-group:all rich']);
  });

  it('reports a longer cycle once, and a diamond not at all', () => {
    // Prepare
    const text = [
      '[dependency-groups]',
      'a = [{include-group = "b"}, {include-group = "c"}]',
      'b = [{include-group = "d"}]',
      'c = [{include-group = "d"}]',
      'd = ["rich", {include-group = "e"}]',
      'e = [{include-group = "b"}]',
      '',
    ].join('\n');

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.problems.map(problemLine)).toEqual(['6:6 include-group makes a cycle: b → d → e → b']);
  });

  it('reports include tables with other keys or a non-string name, and names that are not valid', () => {
    // Prepare
    const text = [
      '[dependency-groups]',
      'test = [{include-group = "lint", extras = ["x"]}, {include-group = 1}, {}]',
      'lint = []',
      '"not valid!" = ["rich"]',
      '',
    ].join('\n');

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.problems.map(problemLine)).toEqual([
      '2:9 Each entry of dependency group "test" must be a requirement string or { include-group = "…" }; unknown key "extras"',
      '2:68 `include-group` must be a group name string, not a number',
      '2:72 Each entry of dependency group "test" must be a requirement string or { include-group = "…" }',
      '4:1 "not valid!" is not a valid dependency group name (letters, digits, `-`, `_`, `.`)',
    ]);
  });

  it('reports a dependency-groups value or group of the wrong type', () => {
    // Prepare
    const text = 'dependency-groups = ["rich"]\n';
    const group = '[dependency-groups]\ntest = "pytest"\n';

    // Act
    const whole = parsePyproject(text, 'pyproject.toml');
    const one = parsePyproject(group, 'pyproject.toml');

    // Assess
    expect(whole.problems.map(problemLine)).toEqual([
      '1:21 `dependency-groups` must be a table of arrays, not an array',
    ]);
    expect(one.problems.map(problemLine)).toEqual([
      '2:8 Dependency group "test" must be an array of requirement strings and include-group tables, not a string',
    ]);
  });

  it('takes the project name for self-references from [tool.poetry] when [project] has none', () => {
    // Prepare
    const text = [
      '[tool.poetry]',
      'name = "Lab.Tools"',
      '[dependency-groups]',
      'dev = ["lab-tools[test]"]',
      '',
    ].join('\n');

    // Act
    const result = parsePyproject(text, 'pyproject.toml');

    // Assess
    expect(result.projectName).toBe('Lab.Tools');
    expect(result.entries.map(summary)).toEqual(['4:9 dependency-group:dev lab-tools[test] self']);
  });
});
