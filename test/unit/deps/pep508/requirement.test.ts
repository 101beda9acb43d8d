import { describe, expect, it } from '@jest/globals';
import type { Marker, Requirement } from '@shared/deps/model';
import { formatRequirement, parseMarker, parseRequirement } from '@shared/deps/pep508';

/** Parses a requirement the test expects to be valid. */
function parsed(text: string): Requirement {
  const result = parseRequirement(text);
  if (!result.ok) throw new Error(`${text}: ${result.message} at ${result.offset}`);
  return result.requirement;
}

const cmp = (name: string, value: string): Marker => ({
  type: 'compare',
  left: { type: 'variable', name: 'os_name' },
  operator: '==',
  right: { type: 'string', value: `${name}${value}` },
});
const A = cmp('', 'a');
const B = cmp('', 'b');
const C = cmp('', 'c');

describe('parseRequirement reads the examples of the specification', () => {
  it.each([
    ['A', { name: 'A', normalizedName: 'a', extras: [], specifier: '', url: null, markerText: null }],
    ['A.B-C_D', { name: 'A.B-C_D', normalizedName: 'a-b-c-d', extras: [], specifier: '' }],
    ['aa', { name: 'aa', normalizedName: 'aa' }],
    ['name', { name: 'name', clauses: [], marker: null }],
    ['name<=1', { clauses: [{ operator: '<=', version: '1' }], specifier: '<=1' }],
    ['name>=3', { clauses: [{ operator: '>=', version: '3' }], specifier: '>=3' }],
    [
      'name>=3,<2',
      {
        clauses: [
          { operator: '>=', version: '3' },
          { operator: '<', version: '2' },
        ],
        specifier: '>=3,<2',
      },
    ],
    ['name@http://foo.com', { name: 'name', url: 'http://foo.com', specifier: '' }],
    [
      "name [fred,bar] @ http://foo.com ; python_version=='2.7'",
      { extras: ['fred', 'bar'], url: 'http://foo.com', markerText: 'python_version == "2.7"' },
    ],
    [
      "name[quux, strange];python_version<'2.7' and platform_version=='2'",
      { extras: ['quux', 'strange'], markerText: 'python_version < "2.7" and platform_version == "2"' },
    ],
    ["name; os_name=='a' or os_name=='b'", { markerText: 'os_name == "a" or os_name == "b"' }],
    [
      'requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"',
      {
        name: 'requests',
        extras: ['security', 'tests'],
        specifier: '>=2.8.1,==2.8.*',
        markerText: 'python_version < "2.7"',
      },
    ],
    [
      'pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686',
      {
        name: 'pip',
        url: 'https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686',
      },
    ],
  ])('%s', (text, expected) => {
    // Act
    const r = parsed(text);

    // Assess
    expect(r).toMatchObject(expected);
  });
});

describe('parseRequirement gives `and` precedence over `or`, as the specification tests say', () => {
  it.each([
    [
      "name; os_name=='a' and os_name=='b' or os_name=='c'",
      { type: 'or', left: { type: 'and', left: A, right: B }, right: C },
    ],
    [
      "name; os_name=='a' and (os_name=='b' or os_name=='c')",
      { type: 'and', left: A, right: { type: 'or', left: B, right: C } },
    ],
    [
      "name; os_name=='a' or os_name=='b' and os_name=='c'",
      { type: 'or', left: A, right: { type: 'and', left: B, right: C } },
    ],
    [
      "name; (os_name=='a' or os_name=='b') and os_name=='c'",
      { type: 'and', left: { type: 'or', left: A, right: B }, right: C },
    ],
    [
      "name; os_name=='a' or os_name=='b' or os_name=='c'",
      { type: 'or', left: { type: 'or', left: A, right: B }, right: C },
    ],
    ["name; ((os_name=='a'))", A],
  ])('%s', (text, expected) => {
    // Act
    const r = parsed(text);

    // Assess
    expect(r.marker).toEqual(expected);
  });

  it('writes the tree back with parentheses only where they matter', () => {
    // Prepare
    const texts = [
      "name; os_name=='a' and (os_name=='b' or os_name=='c')",
      "name; (os_name=='a' and os_name=='b') or os_name=='c'",
      "name; os_name=='a' and (os_name=='b' and os_name=='c')",
    ];

    // Act
    const written = texts.map((t) => parsed(t).markerText);

    // Assess
    expect(written).toEqual([
      'os_name == "a" and (os_name == "b" or os_name == "c")',
      'os_name == "a" and os_name == "b" or os_name == "c"',
      'os_name == "a" and (os_name == "b" and os_name == "c")',
    ]);
  });
});

describe('parseRequirement reads every form PEP 508 allows', () => {
  it('reads specifiers in parentheses, spaces anywhere blanks are allowed, and a trailing comma', () => {
    // Act
    const forms = ['pkg (>=1.0 , <2)', 'pkg>=1.0,<2', '  pkg  >= 1.0 ,< 2  ', 'pkg>=1.0,<2,'].map(
      (t) => parsed(t).specifier,
    );

    // Assess
    expect(forms).toEqual(['>=1.0,<2', '>=1.0,<2', '>=1.0,<2', '>=1.0,<2']);
  });

  it('normalises extras (PEP 685) and drops repeats, keeping the order written', () => {
    // Act
    const r = parsed('pkg[Test_Extra, b, test-extra, A.B]');

    // Assess
    expect(r.extras).toEqual(['test-extra', 'b', 'a-b']);
  });

  it('reads reversed operands, `in` / `not in`, both quote styles and dotted variable names', () => {
    // Act
    const r = parsed(`pkg; "3.8" > python_version and 'linux' not in sys.platform and "x" in os.name`);

    // Assess
    expect(r.markerText).toBe('"3.8" > python_version and "linux" not in sys_platform and "x" in os_name');
  });

  it('normalises the value compared with `extra`, also inside parentheses', () => {
    // Act
    const r = parsed("pkg; extra == 'Foo_Bar' or (os_name == 'a' and 'Test.Extra' == extra)");

    // Assess
    expect(r.markerText).toBe('extra == "foo-bar" or os_name == "a" and "test-extra" == extra');
  });

  it('reads the newer `extras` and `dependency_groups` variables', () => {
    // Act
    const r = parsed('pkg; "docs" in dependency_groups or "test" in extras');

    // Assess
    expect(r.markerText).toBe('"docs" in dependency_groups or "test" in extras');
  });

  it('reads a marker string as a Python literal, escapes included, as packaging does', () => {
    // Act
    const r = parsed("pkg; os_name == 'a\\x41\\\\' and os_name == \"it's\"");

    // Assess
    expect(r.markerText).toBe('os_name == "aA\\\\" and os_name == "it\'s"');
  });

  it('keeps the `;` that follows a URL without a space in the URL, as PEP 508 says', () => {
    // Act
    const glued = parsed('name@http://x;os_name=="a"');
    const spaced = parsed('name@http://x ;os_name=="a"');

    // Assess
    expect([glued.url, glued.marker]).toEqual(['http://x;os_name=="a"', null]);
    expect([spaced.url, spaced.markerText]).toEqual(['http://x', 'os_name == "a"']);
  });

  it('splits an `===` clause on commas like packaging (`===a,<2` is two clauses)', () => {
    // Act
    const r = parsed('pkg===a,<2');

    // Assess
    expect(r.clauses).toEqual([
      { operator: '===', version: 'a' },
      { operator: '<', version: '2' },
    ]);
  });

  it('gives 0-based offsets of each part', () => {
    // Prepare
    const text = '  name [fred] >= 1.0 ; python_version < "3.9"';
    const url = 'name [fred,bar] @ http://foo.com ; os_name == "a"';

    // Act
    const a = parsed(text).offsets;
    const b = parsed(url).offsets;

    // Assess
    expect(a).toEqual({ name: 2, extras: 7, specifier: 14, marker: 23 });
    expect(b).toEqual({ name: 0, extras: 5, url: 18, marker: 35 });
  });
});

describe('parseRequirement says what is wrong, where, and how to fix it', () => {
  it.each([
    ['pkg=1.0', 3, /`=` is not a version operator/, 'write `pkg==1.0`'],
    ['pkg[x] = 1.0', 7, /`=` is not a version operator/, 'write `pkg[x] == 1.0`'],
    ['pkg>=1.2.*', 3, /`\.\*` cannot be used with `>=`/, 'a wildcard only goes with == or !='],
    ['pkg~=1.2.*', 3, /cannot be used with `~=`/, 'a wildcard only goes with == or !='],
    ['pkg>=1.0+local', 3, /local version label/, 'only goes with == or !='],
    ['pkg; python_version < 3.8', 22, /Unquoted value `3.8`/, 'quote the value: python_version < "3.8"'],
    ['pkg; sys_platform == win32', 21, /Unquoted value `win32`/, 'quote the value: sys_platform == "win32"'],
    [
      'pkg; python_versions < "3.8"',
      5,
      /Unknown marker variable `python_versions`/,
      'valid ones: python_version,',
    ],
    ['pkg; Python_Version < "3.8"', 5, /Unknown marker variable/, 'write `python_version`'],
    [
      'pkg; platform_name == "x"',
      5,
      /Unknown marker variable/,
      'implementation_name, implementation_version',
    ],
    ['pkg; python_version = "3.8"', 20, /`=` is not a marker operator/, 'write `==`'],
    ['pkg; os_name == "a" AND os_name == "b"', 20, /Unexpected `A`/, 'write `and` in lower case'],
    ['pkg; os_name == "a" && os_name == "b"', 20, /`&&`/, 'write `and`'],
    ['pkg[a, b', 3, /`\[` is never closed/, 'add `]`'],
    ['pkg (>=1.0', 4, /`\(` is never closed/, 'add `)`'],
    ['pkg; (os_name == "a"', 5, /`\(` is never closed/, 'add `)`'],
    ['pkg; os_name == "a")', 19, /`\)` has no `\(`/, 'remove the `)`'],
    ['pkg>=1.0)', 8, /`\)` has no `\(`/, 'remove the `)`'],
    ['pkg[a b]', 6, /Expected `,` between extra names/, 'separate extras with commas'],
    ['pkg[a,]', 6, /Expected an extra name after `,`/, 'remove the trailing comma'],
    ['pkg https://example.com/p.whl', 4, /A URL needs `@`/, 'write `pkg @ https://example.com/p.whl`'],
    [
      'https://example.com/p.whl',
      0,
      /A URL needs a package name/,
      'write `name @ https://example.com/p.whl`',
    ],
    ['pkg @', 4, /Expected a URL after `@`/, 'write `pkg @ https://…`'],
    ['pkg @ http://x; os_name == "a"', 16, /the URL swallowed it/, 'pkg @ http://x ; os_name == "a"'],
    [
      'pkg @ http://x os_name == "a"',
      15,
      /Expected `;` or the end after the URL/,
      'pkg @ http://x ; os_name',
    ],
    [
      'pkg>=1.0 python_version < "3"',
      9,
      /Expected `;` before the marker/,
      'write `pkg>=1.0; python_version < "3"`',
    ],
    ['pkg >=1.0 <2', 10, /Expected `,` between version clauses/, 'separate clauses with commas: `>=1.0,<2`'],
    ['pkg===1.0, <2', 11, /`===` version runs up to the next space/, '`===1.0,<2`'],
    ['pkg 1.0', 4, /A version needs an operator/, 'write `pkg==1.0`'],
    ['pkg~=1', 3, /`~=1`/, undefined],
    ['pkg==1.0abc', 3, /`==1.0abc`/, undefined],
    ['pkg;', 4, /Expected a marker after `;`, found the end/, 'python_version < "3.9"'],
    ['pkg; os_name == "a" and', 23, /Expected a marker after `and`/, undefined],
    ['pkg; os_name == "a', 16, /Unterminated string/, undefined],
    ['pkg; os_name == "a\\"', 18, /backslash escapes the closing quote/, undefined],
    ['pkg; os_name not"a"', 16, /Expected a space after `not`/, 'write `not in`'],
    ['pkg foo', 4, /Expected a version specifier, `@`, `;` or the end/, undefined],
    ['pkg>=1.0 @ http://x', 9, /version specifier or a URL, not both/, 'drop the version specifier'],
    ['name-', 4, /cannot end with `.` or `-`/, undefined],
    ['-e .', 0, /not an option/, undefined],
    ['./local/project', 0, /not a path/, 'name @ file:///'],
    ['', 0, /empty/, undefined],
    ['pé', 1, /only ASCII letters/, undefined],
  ])('%s', (text, offset, message, hint) => {
    // Act
    const result = parseRequirement(text);

    // Assess
    if (result.ok) throw new Error('expected an error');
    expect(result.message).toMatch(message);
    expect(result.offset).toBe(offset);
    if (hint !== undefined) expect(result.hint).toContain(hint);
  });

  it('refuses parentheses nested too deep instead of running out of stack', () => {
    // Prepare
    const text = `pkg; ${'('.repeat(5000)}os_name == "a"${')'.repeat(5000)}`;

    // Act
    const result = parseRequirement(text);

    // Assess
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('nested') });
  });

  it('reads long flat chains without recursion trouble', () => {
    // Prepare
    const text = `pkg; ${Array.from({ length: 20000 }, (_, i) => `os_name == "${i}"`).join(' or ')}`;

    // Act
    const r = parsed(text);

    // Assess
    expect(r.markerText?.length).toBeGreaterThan(300000);
  });
});

describe('formatRequirement writes canonical text that reads back the same', () => {
  it.each([
    [
      'requests [Security , tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"',
      'requests[security,tests]>=2.8.1,==2.8.*; python_version < "2.7"',
    ],
    [
      "name [fred,bar] @ http://foo.com ; python_version=='2.7'",
      'name[fred,bar] @ http://foo.com ; python_version == "2.7"',
    ],
    ['name@http://foo.com', 'name @ http://foo.com'],
    ['pkg (>=1.0 , <2)', 'pkg>=1.0,<2'],
    ['pkg', 'pkg'],
    ['pkg; os_name == \'say "hi"\'', `pkg; os_name == 'say "hi"'`],
  ])('%s → %s', (text, expected) => {
    // Prepare
    const r = parsed(text);

    // Act
    const written = formatRequirement(r);

    // Assess
    expect(written).toBe(expected);
    const { offsets: _a, ...again } = parsed(written);
    const { offsets: _b, ...original } = r;
    expect(again).toEqual(original);
  });
});

describe('parseMarker reads a marker on its own', () => {
  it('reads a marker and rejects trailing text', () => {
    // Act
    const good = parseMarker(' python_version >= "3.8" and os_name == "posix" ');
    const bad = parseMarker('python_version >= "3.8" garbage');

    // Assess
    expect(good.ok).toBe(true);
    expect(bad).toMatchObject({ ok: false, offset: 24 });
  });
});
