// biome-ignore-all lint/suspicious/noTemplateCurlyInString: requirements files write ${VAR} literally, and these tests do too.
import { describe, expect, it } from '@jest/globals';
import { parseRequirementsFile, type RequirementsEntry } from '@shared/deps/requirements';

const FILE = 'requirements.txt';

function parse(text: string, env: Record<string, string> = {}) {
  return parseRequirementsFile(text, FILE, env);
}

function only(text: string, env: Record<string, string> = {}): RequirementsEntry {
  const { entries } = parse(text, env);
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

/** `line:column` of a position, for compact assertions. */
function at(position: { line: number; column: number } | undefined): string | undefined {
  return position === undefined ? undefined : `${position.line}:${position.column}`;
}

describe('parseRequirementsFile: PEP 508 requirements', () => {
  it('reads a requirement with extras, specifier and marker, and where each part starts and the entry ends', () => {
    // Act
    const entry = only('  Requests[socks] >=2.31,<3 ; python_version >= "3.8"  # HTTP\n');

    // Assess
    expect(entry.requirement).toMatchObject({
      name: 'Requests',
      normalizedName: 'requests',
      extras: ['socks'],
      specifier: '>=2.31,<3',
      markerText: 'python_version >= "3.8"',
      url: null,
    });
    expect(entry.problem).toBeUndefined();
    expect(entry.raw).toBe('Requests[socks] >=2.31,<3 ; python_version >= "3.8"');
    expect(at(entry.position)).toBe('1:3');
    expect(at(entry.spans.name)).toBe('1:3');
    expect(at(entry.spans.specifier)).toBe('1:19');
    expect(at(entry.spans.marker)).toBe('1:31');
    expect(at(entry.end)).toBe('1:54');
    expect(entry).toMatchObject({
      file: FILE,
      source: { kind: 'requirements', role: 'requirement' },
      editable: false,
      hashes: [],
      via: [],
      options: [],
    });
  });

  it('reads a direct reference, name @ url', () => {
    // Act
    const entry = only('name-at-url @ https://example.com/pkgs/name_at_url-1.0-py3-none-any.whl\n');

    // Assess
    expect(entry.requirement).toMatchObject({
      normalizedName: 'name-at-url',
      url: 'https://example.com/pkgs/name_at_url-1.0-py3-none-any.whl',
    });
    expect(entry.reference).toBeUndefined();
    expect(at(entry.spans.url)).toBe('1:15');
  });

  it('maps positions through continuations', () => {
    // Act
    const entry = only('django \\\n  >=4.2, \\\n    <5.0 \\\n  ; python_version >= "3.10"\n');

    // Assess
    expect(entry.requirement?.specifier).toBe('>=4.2,<5.0');
    expect(at(entry.spans.name)).toBe('1:1');
    expect(at(entry.spans.specifier)).toBe('2:3');
    expect(at(entry.spans.marker)).toBe('4:5');
    expect(at(entry.end)).toBe('4:29');
  });

  it('expands ${VAR} from env and keeps positions on the original text', () => {
    // Act
    const entry = only('private-lib==${PRIVATE_LIB_VERSION} ; python_version >= "3.9"', {
      PRIVATE_LIB_VERSION: '1.4.2',
    });

    // Assess
    expect(entry.requirement?.specifier).toBe('==1.4.2');
    expect(entry.raw).toBe('private-lib==1.4.2 ; python_version >= "3.9"');
    expect(at(entry.spans.specifier)).toBe('1:12');
    expect(at(entry.spans.marker)).toBe('1:39');
    expect(at(entry.end)).toBe('1:62');
  });

  it('leaves an unknown ${VAR} as written, which then makes the requirement invalid', () => {
    // Act
    const entry = only('private-lib==${NOT_SET}');

    // Assess
    expect(entry.requirement).toBeNull();
    expect(entry.raw).toBe('private-lib==${NOT_SET}');
    expect(entry.problem?.position.line).toBe(1);
  });
});

describe('parseRequirementsFile: invalid requirements', () => {
  it('reports pkg=1.0 at the = with a hint and the edit to ==, and goes on with the next line', () => {
    // Act
    const file = parse('flask==3.0.0\n  pkg=1.0\nrequests\n');

    // Assess
    const [flask, bad, requests] = file.entries;
    expect(flask?.requirement?.normalizedName).toBe('flask');
    expect(requests?.requirement?.normalizedName).toBe('requests');
    expect(bad?.requirement).toBeNull();
    expect(bad?.raw).toBe('pkg=1.0');
    expect(at(bad?.problem?.position)).toBe('2:6');
    expect(bad?.problem?.hint).toContain('==');
    expect(bad?.problem?.edits).toEqual([
      { file: FILE, start: { line: 2, column: 6 }, end: { line: 2, column: 7 }, text: '==' },
    ]);
    expect(at(bad?.position)).toBe('2:3');
    expect(file.problems).toEqual([]);
  });

  it('offers the = edit with extras and spaces too, and not when == would not fix the line', () => {
    // Act
    const [withExtras, unfixable] = parse('pkg[extra] = 1.0\npkg=1.0=2\n').entries;

    // Assess
    expect(withExtras?.problem?.edits).toEqual([
      { file: FILE, start: { line: 1, column: 12 }, end: { line: 1, column: 13 }, text: '==' },
    ]);
    expect(unfixable?.problem).toBeDefined();
    expect(unfixable?.problem?.edits).toBeUndefined();
  });

  it('points into the continued line where the error is', () => {
    // Act
    const entry = only('numpy \\\n    >=1.2.* \\\n    ; python_version < "3.9"');

    // Assess
    expect(entry.requirement).toBeNull();
    expect(at(entry.problem?.position)).toBe('2:5');
  });

  it('reports an invalid marker in a wrong variable at that variable', () => {
    // Act
    const entry = only('pywin32==306; sys_platfrom == "win32"');

    // Assess
    expect(entry.requirement).toBeNull();
    expect(at(entry.problem?.position)).toBe('1:15');
  });
});

describe('parseRequirementsFile: URLs and paths without a name', () => {
  it.each([
    ['-e .', true, { url: '.', name: null, extras: [] }, '1:4'],
    ['-e .[test,Docs]', true, { url: '.', name: null, extras: ['test', 'docs'] }, '1:4'],
    ['--editable ./libs/core[test]', true, { url: './libs/core', name: null, extras: ['test'] }, '1:12'],
    ['-e./pkg', true, { url: './pkg', name: null, extras: [] }, '1:3'],
    ['-e ./odd:name', true, { url: './odd:name', name: null, extras: [] }, '1:4'],
    ['-e C:/src/pkg', true, { url: 'C:/src/pkg', name: null, extras: [] }, '1:4'],
    ['-e "./my pkg"', true, { url: './my pkg', name: null, extras: [] }, '1:4'],
    [
      '-e git+https://github.com/acme/toolkit.git@v1.2.0#egg=Acme_Toolkit[cli]',
      true,
      {
        url: 'git+https://github.com/acme/toolkit.git@v1.2.0#egg=Acme_Toolkit[cli]',
        name: 'acme-toolkit',
        extras: ['cli'],
      },
      '1:4',
    ],
    [
      '-e git://github.com/acme/old.git#egg=old-lib',
      true,
      { url: 'git://github.com/acme/old.git#egg=old-lib', name: 'old-lib', extras: [] },
      '1:4',
    ],
    [
      '-e file:///opt/src/shared-models#egg=shared_models',
      true,
      { url: 'file:///opt/src/shared-models#egg=shared_models', name: 'shared-models', extras: [] },
      '1:4',
    ],
    [
      './dist/acme_widgets-2.0.1-py3-none-any.whl',
      false,
      { url: './dist/acme_widgets-2.0.1-py3-none-any.whl', name: 'acme-widgets', extras: [] },
      '1:1',
    ],
    ['./vendor/pkg[extra]', false, { url: './vendor/pkg', name: null, extras: ['extra'] }, '1:1'],
    ['.', false, { url: '.', name: null, extras: [] }, '1:1'],
    ['legacy-0.9.tar.gz', false, { url: 'legacy-0.9.tar.gz', name: null, extras: [] }, '1:1'],
    [
      'https://files.example.com/packages/legacy-lib-0.9.tar.gz#egg=legacy_lib',
      false,
      {
        url: 'https://files.example.com/packages/legacy-lib-0.9.tar.gz#egg=legacy_lib',
        name: 'legacy-lib',
        extras: [],
      },
      '1:1',
    ],
    [
      'file:///opt/vendor/vendored-pkg',
      false,
      { url: 'file:///opt/vendor/vendored-pkg', name: null, extras: [] },
      '1:1',
    ],
    [
      'git+https://github.com/acme/tool.git@main',
      false,
      { url: 'git+https://github.com/acme/tool.git@main', name: null, extras: [] },
      '1:1',
    ],
  ])('%s is a reference', (text, editable, reference, position) => {
    // Act
    const entry = only(text);

    // Assess
    expect(entry.requirement).toBeNull();
    expect(entry.problem).toBeUndefined();
    expect(entry.editable).toBe(editable);
    expect(entry.reference).toEqual(reference);
    expect(at(entry.position)).toBe(position);
    expect(at(entry.spans.url)).toBe(position);
  });

  it('points spans.name at the #egg= name', () => {
    // Act
    const entry = only('-e git+https://github.com/acme/toolkit.git#egg=toolkit');

    // Assess
    expect(at(entry.spans.name)).toBe('1:48');
  });

  it('reads the marker of a URL after "; " and checks it', () => {
    // Act
    const [good, bad] = parse(
      'https://example.com/pywin32-306.tar.gz#egg=pywin32 ; sys_platform == "win32"\n' +
        'https://example.com/x.tar.gz ; sys_platfrom == "win32"\n',
    ).entries;

    // Assess
    expect(good?.reference?.name).toBe('pywin32');
    expect(good?.problem).toBeUndefined();
    expect(at(good?.spans.marker)).toBe('1:54');
    expect(bad?.reference?.url).toBe('https://example.com/x.tar.gz');
    expect(at(bad?.problem?.position)).toBe('2:32');
  });

  it('keeps a #egg= in a URL out of the comment', () => {
    // Act
    const entry = only('https://example.com/x.tar.gz#egg=x # the comment');

    // Assess
    expect(entry.reference).toEqual({ url: 'https://example.com/x.tar.gz#egg=x', name: 'x', extras: [] });
  });

  it('reports an editable VCS URL without #egg= and an editable archive URL, as pip stops on both', () => {
    // Act
    const [vcs, archive] = parse(
      '-e git+https://github.com/acme/toolkit.git\n-e https://example.com/x.tar.gz\n',
    ).entries;

    // Assess
    expect(vcs?.problem?.message).toContain('#egg=name');
    expect(at(vcs?.problem?.position)).toBe('1:4');
    expect(archive?.problem?.message).toContain('not a valid editable requirement');
    expect(archive?.reference?.url).toBe('https://example.com/x.tar.gz');
  });
});

describe('parseRequirementsFile: options', () => {
  it('records option lines with their long name, value and position, and makes no entry', () => {
    // Act
    const file = parse(
      [
        '--index-url https://pypi.internal/simple',
        '-i https://mirror/simple',
        '--extra-index-url=https://download.pytorch.org/whl/cu118',
        '--no-index',
        '-f ./wheelhouse',
        '--find-links https://example.com/links/',
        '--pre',
        '--prefer-binary',
        '--require-hashes',
        '--only-binary=:all:',
        '--no-binary psycopg2,lxml',
        '--trusted-host pypi.internal',
        '--use-feature=truststore',
        '  --index https://abbreviated/simple # optparse accepts a unique prefix',
      ].join('\n'),
    );

    // Assess
    expect(file.entries).toEqual([]);
    expect(file.problems).toEqual([]);
    expect(file.options.map((option) => [option.name, option.value, at(option.position)])).toEqual([
      ['--index-url', 'https://pypi.internal/simple', '1:1'],
      ['--index-url', 'https://mirror/simple', '2:1'],
      ['--extra-index-url', 'https://download.pytorch.org/whl/cu118', '3:1'],
      ['--no-index', null, '4:1'],
      ['--find-links', './wheelhouse', '5:1'],
      ['--find-links', 'https://example.com/links/', '6:1'],
      ['--pre', null, '7:1'],
      ['--prefer-binary', null, '8:1'],
      ['--require-hashes', null, '9:1'],
      ['--only-binary', ':all:', '10:1'],
      ['--no-binary', 'psycopg2,lxml', '11:1'],
      ['--trusted-host', 'pypi.internal', '12:1'],
      ['--use-feature', 'truststore', '13:1'],
      ['--index-url', 'https://abbreviated/simple', '14:3'],
    ]);
  });

  it('reads several options on one line', () => {
    // Act
    const file = parse('--index-url https://a/simple --trusted-host a --pre');

    // Assess
    expect(file.options.map((option) => [option.name, at(option.position)])).toEqual([
      ['--index-url', '1:1'],
      ['--trusted-host', '1:30'],
      ['--pre', '1:47'],
    ]);
  });

  it('records the includes with their kind, target and extent', () => {
    // Act
    const file = parse(
      '-r base.txt\n--requirement=dev.txt\n  --requirement ../common/common.txt\n-c constraints.txt\n--constraint=pins.txt  # pins\n-rtight.txt\n',
    );

    // Assess
    expect(
      file.includes.map((include) => [include.kind, include.target, at(include.position), at(include.end)]),
    ).toEqual([
      ['requirement', 'base.txt', '1:1', '1:12'],
      ['requirement', 'dev.txt', '2:1', '2:22'],
      ['requirement', '../common/common.txt', '3:3', '3:37'],
      ['constraint', 'constraints.txt', '4:1', '4:19'],
      ['constraint', 'pins.txt', '5:1', '5:22'],
      ['requirement', 'tight.txt', '6:1', '6:12'],
    ]);
    expect(file.options).toEqual([]);
    expect(file.entries).toEqual([]);
  });

  it('expands ${VAR} in option values', () => {
    // Act
    const file = parse(
      '--extra-index-url https://${PIP_USER}:${PIP_TOKEN}@pypi.example.com/simple\n-r ${REQS}/base.txt',
      {
        PIP_USER: 'ci',
        REQS: 'reqs',
      },
    );

    // Assess
    expect(file.options[0]?.value).toBe('https://ci:${PIP_TOKEN}@pypi.example.com/simple');
    expect(file.includes[0]?.target).toBe('reqs/base.txt');
    expect(at(file.includes[0]?.end)).toBe('2:20');
  });

  it('attaches --hash, --config-settings and --global-option to the requirement on their line', () => {
    // Act
    const entry = only(
      'psycopg2==2.9.9 --config-settings=--build-option=--static-libpq --global-option=--quiet \\\n' +
        '    --hash=sha256:aa --hash sha512:bb',
    );

    // Assess
    expect(entry.requirement?.specifier).toBe('==2.9.9');
    expect(entry.raw).toBe('psycopg2==2.9.9');
    expect(entry.hashes).toEqual(['sha256:aa', 'sha512:bb']);
    expect(entry.options.map((option) => [option.name, option.value, at(option.position)])).toEqual([
      ['--config-settings', '--build-option=--static-libpq', '1:17'],
      ['--global-option', '--quiet', '1:65'],
      ['--hash', 'sha256:aa', '2:5'],
      ['--hash', 'sha512:bb', '2:22'],
    ]);
    expect(at(entry.end)).toBe('2:38');
  });

  it('reads pip-compile hash continuation lines', () => {
    // Act
    const entry = only(
      'attrs==23.1.0 \\\n    --hash=sha256:1f28 \\\n    --hash=sha256:2a7d\n    # via aiohttp\n',
    );

    // Assess
    expect(entry.hashes).toEqual(['sha256:1f28', 'sha256:2a7d']);
    expect(entry.via).toEqual(['aiohttp']);
    expect(at(entry.end)).toBe('3:23');
  });

  it('reports a weak or malformed hash and a malformed --config-settings where they are written', () => {
    // Act
    const file = parse('a==1 --hash=md5:aa\nb==1 --hash=aa\nc==1 --config-settings nokey');

    // Assess
    expect(file.entries.map((entry) => entry.hashes)).toEqual([[], [], []]);
    expect(file.problems.map((problem) => [problem.message, at(problem.position)])).toEqual([
      ['Allowed hash algorithms for --hash are sha256, sha384, sha512; got md5', '1:6'],
      ['Arguments to --hash must be a hash name followed by a value, like --hash=sha256:abcde...', '2:6'],
      ['Arguments to --config-settings must be of the form KEY=VAL', '3:6'],
    ]);
  });

  it('reports a --hash without a requirement (a broken continuation)', () => {
    // Act
    const file = parse('attrs==23.1.0 \\\n    --hash=sha256:aa\n    --hash=sha256:bb\n');

    // Assess
    expect(file.entries[0]?.hashes).toEqual(['sha256:aa']);
    expect(file.problems).toHaveLength(1);
    expect(at(file.problems[0]?.position)).toBe('3:5');
    expect(file.problems[0]?.hint).toContain('backslash');
  });

  it('reports an unknown option at its position, like pip, and goes on', () => {
    // Act
    const file = parse('requests==2.31.0 --frobnicate\n--install-option=--prefix=/opt\nflask');

    // Assess
    expect(file.entries.map((entry) => entry.requirement?.normalizedName)).toEqual(['requests', 'flask']);
    expect(file.problems.map((problem) => [problem.message, at(problem.position)])).toEqual([
      ['pip does not accept the option --frobnicate: no such option: --frobnicate', '1:18'],
      ['pip no longer accepts --install-option and stops on this line', '2:1'],
    ]);
  });

  it('records the legacy -Z as an option and reports that pip rejects it', () => {
    // Act
    const file = parse('-Z\n--always-unzip\n');

    // Assess
    expect(file.options.map((option) => option.name)).toEqual(['--always-unzip', '--always-unzip']);
    expect(file.problems.map((problem) => problem.hint)).toEqual([
      'remove it: it had no effect for years and pip 10 removed it',
      'remove it: it had no effect for years and pip 10 removed it',
    ]);
  });

  it('reports options that shlex cannot split', () => {
    // Act
    const file = parse('-r "unclosed.txt');

    // Assess
    expect(file.problems.map((problem) => [problem.message, at(problem.position)])).toEqual([
      ['pip cannot split the options of this line (No closing quotation)', '1:4'],
    ]);
  });

  it('reads a requirement whose marker precedes --hash, as uv export writes it', () => {
    // Act
    const entry = only("colorama==0.4.6 ; sys_platform == 'win32' \\\n    --hash=sha256:4f1d");

    // Assess
    expect(entry.requirement?.markerText).toBe('sys_platform == "win32"');
    expect(entry.raw).toBe("colorama==0.4.6 ; sys_platform == 'win32'");
    expect(entry.hashes).toEqual(['sha256:4f1d']);
  });
});

describe('parseRequirementsFile: # via annotations', () => {
  it('reads the one-line, multi-line and same-line forms', () => {
    // Act
    const file = parse(
      [
        '#',
        '# This file is autogenerated by pip-compile with Python 3.11',
        '#    pip-compile requirements.in',
        '#',
        'aiosignal==1.3.1',
        '    # via aiohttp',
        'certifi==2023.11.17',
        '    # via',
        '    #   -c constraints.txt',
        '    #   requests',
        'idna==3.6  # via requests, yarl',
        'six==1.16.0',
        '',
        '    # via python-dateutil',
        '# The following packages are considered to be unsafe in a requirements file:',
        'setuptools==69.0.2',
        '    # via',
        '    #   -r requirements.in',
        '# a note that is not an item',
        '    #   not-an-item',
      ].join('\n'),
    );

    // Assess
    expect(file.entries.map((entry) => [entry.requirement?.normalizedName, entry.via])).toEqual([
      ['aiosignal', ['aiohttp']],
      ['certifi', ['-c constraints.txt', 'requests']],
      ['idna', ['requests', 'yarl']],
      ['six', []],
      ['setuptools', ['-r requirements.in']],
    ]);
  });

  it('gives via to an invalid entry and to an editable one', () => {
    // Act
    const file = parse('pkg=1.0\n    # via app\n-e ./lib\n    # via\n    #   app\n');

    // Assess
    expect(file.entries.map((entry) => entry.via)).toEqual([['app'], ['app']]);
  });
});

describe('parseRequirementsFile: the file', () => {
  it('counts physical lines and handles CRLF, a BOM and a last line without newline', () => {
    // Act
    const file = parse('\ufeffflask==3.0.0\r\n\r\n# c\r\nrequests \\\r\n  >=2.31');

    // Assess
    expect(file.lineCount).toBe(5);
    expect(
      file.entries.map((entry) => [entry.requirement?.specifier, at(entry.position), at(entry.end)]),
    ).toEqual([
      ['==3.0.0', '1:1', '1:13'],
      ['>=2.31', '4:1', '5:9'],
    ]);
    expect(file.file).toBe(FILE);
  });

  it('reads an empty file', () => {
    expect(parse('')).toEqual({
      file: FILE,
      entries: [],
      includes: [],
      options: [],
      problems: [],
      lineCount: 0,
    });
  });
});
