// biome-ignore-all lint/suspicious/noTemplateCurlyInString: requirements files write ${VAR} literally, and these tests do too.
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parseFixture, summary } from './fixtures';

/** The fixtures' made-up hashes: sha256 of a label, as the fixture generator wrote them. */
function fakeHash(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

describe('fixture: pip-compile --generate-hashes output', () => {
  const file = parseFixture('pip-compile-hashes/requirements.txt');

  it('reads every pin with its hashes and via, and nothing else', () => {
    expect(file.entries.map(summary)).toEqual([
      '7:1 requirement aiohttp==3.9.1 hashes=3',
      '12:1 requirement aiosignal==1.3.1 hashes=2',
      '16:1 requirement attrs==23.1.0 hashes=2',
      '20:1 requirement certifi==2023.11.17 hashes=2',
      '24:1 requirement charset-normalizer==3.3.2 hashes=4',
      '30:1 requirement frozenlist==1.4.1 hashes=3',
      '37:1 requirement idna==3.6 hashes=2',
      '43:1 requirement multidict==6.0.4 hashes=3',
      '50:1 requirement requests==2.31.0 hashes=2',
      '54:1 requirement urllib3==2.1.0 hashes=2',
      '58:1 requirement yarl==1.9.4 hashes=3',
      '65:1 requirement setuptools==69.0.2 hashes=2',
    ]);
    expect(file.entries.map((entry) => entry.via)).toEqual([
      ['-r requirements.in'],
      ['aiohttp'],
      ['aiohttp'],
      ['requests'],
      ['requests'],
      ['aiohttp', 'aiosignal'],
      ['requests', 'yarl'],
      ['aiohttp', 'yarl'],
      ['-r requirements.in'],
      ['requests'],
      ['aiohttp'],
      ['-r requirements.in'],
    ]);
    expect(file.options).toEqual([]);
    expect(file.includes).toEqual([]);
    expect(file.problems).toEqual([]);
    expect(file.lineCount).toBe(68);
  });

  it('reads the exact hashes, in order', () => {
    // Act
    const aiohttp = file.entries[0]!;
    const charset = file.entries[4]!;

    // Assess
    expect(aiohttp.hashes).toEqual([0, 1, 2].map((i) => fakeHash(`aiohttp-3.9.1-${i}`)));
    expect(charset.hashes).toEqual([0, 1, 2, 3].map((i) => fakeHash(`charset-normalizer-3.3.2-${i}`)));
  });

  it('ends each entry after its last hash', () => {
    expect(file.entries[0]!.end).toEqual({ line: 10, column: 83 });
  });
});

describe('fixture: uv export output', () => {
  const file = parseFixture('uv-export/requirements.txt');

  it('reads the project itself, the pins with markers, hashes and via', () => {
    expect(file.entries.map(summary)).toEqual([
      '3:4 requirement <.> name=? editable',
      '4:1 requirement anyio==4.4.0 hashes=2',
      '10:1 requirement certifi==2024.7.4 hashes=2',
      '16:1 requirement click==8.1.7 hashes=2',
      '20:1 requirement colorama==0.4.6 ; sys_platform == "win32" hashes=2',
      '24:1 requirement exceptiongroup==1.2.2 ; python_full_version < "3.11" hashes=2',
      '28:1 requirement fastapi==0.112.0 hashes=2',
      '32:1 requirement h11==0.14.0 hashes=2',
      '38:1 requirement httpcore==1.0.5 hashes=2',
      '42:1 requirement httpx==0.27.0 hashes=2',
      '46:1 requirement idna==3.7 hashes=2',
      '52:1 requirement pydantic==2.8.2 hashes=2',
      '56:1 requirement sniffio==1.3.1 hashes=2',
      '62:1 requirement starlette==0.37.2 hashes=2',
      '66:1 requirement typing-extensions==4.12.2 hashes=2',
      '73:1 requirement uvicorn==0.30.5 hashes=2',
    ]);
    expect(file.entries.map((entry) => entry.via)).toEqual([
      [],
      ['httpx', 'starlette'],
      ['httpcore', 'httpx'],
      ['uvicorn'],
      ['click'],
      ['anyio'],
      ['inventory-service'],
      ['httpcore', 'uvicorn'],
      ['httpx'],
      ['inventory-service'],
      ['anyio', 'httpx'],
      ['fastapi'],
      ['anyio', 'httpx'],
      ['fastapi'],
      ['anyio', 'fastapi', 'pydantic'],
      ['inventory-service'],
    ]);
    expect(file.problems).toEqual([]);
  });

  it('keeps the marker text before the hashes as written in raw, and points at it', () => {
    // Act
    const colorama = file.entries[4]!;

    // Assess
    expect(colorama.raw).toBe("colorama==0.4.6 ; sys_platform == 'win32'");
    expect(colorama.spans.marker).toEqual({ line: 20, column: 19 });
    expect(colorama.hashes).toEqual([0, 1].map((i) => fakeHash(`uv-colorama-0.4.6-${i}`)));
  });
});

describe('fixture: pip freeze output', () => {
  const file = parseFixture('pip-freeze/requirements.txt');

  it('reads local versions, pkg-resources==0.0.0, editables and a file URL', () => {
    expect(file.entries.map(summary)).toEqual([
      '1:1 requirement certifi==2023.7.22',
      '2:1 requirement charset-normalizer==3.2.0',
      '3:1 requirement filelock==3.12.4',
      '4:1 requirement fsspec==2023.9.2',
      '5:1 requirement idna==3.4',
      '6:1 requirement jinja2==3.1.2',
      '7:1 requirement markupsafe==2.1.3',
      '8:1 requirement mpmath==1.3.0',
      '10:4 requirement </home/dev/src/mylab> name=? editable',
      '11:1 requirement networkx==3.1',
      '12:1 requirement numpy==1.26.0',
      '13:1 requirement pillow==10.0.1',
      '14:1 requirement pkg-resources==0.0.0',
      '15:1 requirement requests==2.31.0',
      '16:4 requirement <git+https://github.com/acme/research-utils.git@3f2a9c1d4e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c#egg=research_utils> name=research-utils editable',
      '17:1 requirement sympy==1.12',
      '18:1 requirement torch==2.1.0+cu118',
      '19:1 requirement torchaudio==2.1.0+cu118',
      '20:1 requirement torchvision==0.16.0+cu118',
      '21:1 requirement triton==2.1.0',
      '22:1 requirement typing-extensions==4.8.0',
      '23:1 requirement urllib3==2.0.5',
      '24:1 requirement wheelhouse-tool @ file:///home/dev/wheels/wheelhouse_tool-0.3.1-py3-none-any.whl',
    ]);
    expect(file.problems).toEqual([]);
    expect(file.entries.every((entry) => entry.via.length === 0)).toBe(true);
  });

  it('keeps the local version label of a pin', () => {
    expect(file.entries[16]!.requirement?.clauses).toEqual([{ operator: '==', version: '2.1.0+cu118' }]);
  });
});

describe('fixture: marker-split pins', () => {
  it('reads each pin with its marker', () => {
    // Act
    const file = parseFixture('markers/requirements.txt');

    // Assess
    expect(file.entries.map(summary)).toEqual([
      '2:1 requirement numpy==1.24.4 ; python_version < "3.9"',
      '3:1 requirement numpy==2.1.0 ; python_version >= "3.9"',
      '4:1 requirement pandas==2.0.3 ; python_version < "3.9"',
      '5:1 requirement pandas==2.2.2 ; python_version >= "3.9"',
      '6:1 requirement pywin32==306 ; sys_platform == "win32"',
      '7:1 requirement uvloop==0.19.0 ; sys_platform != "win32" and platform_python_implementation == "CPython"',
      '8:1 requirement tomli>=1.1.0 ; python_version < "3.11"',
    ]);
    expect(file.entries.map((entry) => entry.spans.marker)).toEqual([
      { line: 2, column: 16 },
      { line: 3, column: 15 },
      { line: 4, column: 16 },
      { line: 5, column: 16 },
      { line: 6, column: 15 },
      { line: 7, column: 17 },
      { line: 8, column: 15 },
    ]);
  });
});

describe('fixture: requirements.in and its compiled requirements.txt', () => {
  it('reads the .in file: an include and loose specifiers', () => {
    // Act
    const file = parseFixture('compiled/requirements.in');

    // Assess
    expect(file.entries.map(summary)).toEqual([
      '4:1 requirement ccxt>=4.1',
      '5:1 requirement pandas>=2.1,<3',
      '6:1 requirement python-dotenv',
    ]);
    expect(file.includes).toEqual([
      {
        kind: 'constraint',
        target: '../constraints/constraints.txt',
        position: { line: 3, column: 1 },
        end: { line: 3, column: 34 },
      },
    ]);
  });

  it('reads the compiled file: exact pins, via lists with -r and -c', () => {
    // Act
    const file = parseFixture('compiled/requirements.txt');

    // Assess
    expect(file.entries.map((entry) => [summary(entry), entry.via])).toEqual([
      ['7:1 requirement aiodns==3.1.1', ['ccxt']],
      ['9:1 requirement aiohttp==3.9.1', ['ccxt']],
      ['11:1 requirement aiosignal==1.3.1', ['aiohttp']],
      ['13:1 requirement attrs==23.1.0', ['aiohttp']],
      ['15:1 requirement ccxt==4.1.87', ['-r requirements.in']],
      ['17:1 requirement certifi==2023.11.17', ['ccxt', 'requests']],
      ['21:1 requirement numpy==1.26.2', ['pandas']],
      ['23:1 requirement pandas==2.1.4', ['-r requirements.in']],
      ['25:1 requirement python-dateutil==2.8.2', ['pandas']],
      ['27:1 requirement python-dotenv==1.0.0', ['-r requirements.in']],
      ['29:1 requirement pytz==2023.3.post1', ['pandas']],
      ['31:1 requirement requests==2.31.0', ['-c ../constraints/constraints.txt', 'ccxt']],
      ['35:1 requirement six==1.16.0', ['python-dateutil']],
      ['37:1 requirement tzdata==2023.3', ['pandas']],
      ['39:1 requirement urllib3==2.1.0', ['-c ../constraints/constraints.txt', 'requests']],
    ]);
    expect(file.problems).toEqual([]);
  });
});

describe('fixture: every option kind', () => {
  const file = parseFixture('options/requirements.txt');

  it('records the option lines', () => {
    expect(file.options.map((option) => [option.position.line, option.name, option.value])).toEqual([
      [2, '--index-url', 'https://pypi.internal.example.com/simple'],
      [3, '--extra-index-url', 'https://download.pytorch.org/whl/cu118'],
      [4, '--index-url', 'https://mirror.example.org/simple'],
      [5, '--no-index', null],
      [6, '--find-links', './wheelhouse'],
      [7, '--find-links', 'https://example.com/links/'],
      [8, '--pre', null],
      [9, '--prefer-binary', null],
      [10, '--require-hashes', null],
      [11, '--only-binary', ':all:'],
      [12, '--no-binary', 'psycopg2,lxml'],
      [13, '--trusted-host', 'pypi.internal.example.com'],
      [14, '--use-feature', 'truststore'],
      [15, '--always-unzip', null],
    ]);
    expect(file.problems.map((problem) => [problem.position, problem.message])).toEqual([
      [{ line: 15, column: 1 }, 'pip no longer accepts -Z and stops on this line'],
    ]);
  });

  it('records the includes', () => {
    expect(file.includes.map((include) => [include.kind, include.target, include.position.line])).toEqual([
      ['requirement', 'base.txt', 16],
      ['constraint', 'constraints.txt', 17],
    ]);
  });

  it('reads editables, URLs, paths, a wheel, name @ url and per-requirement options', () => {
    expect(file.entries.map(summary)).toEqual([
      '18:4 requirement <git+https://github.com/acme/toolkit.git@v1.2.0#egg=acme-toolkit[cli]>[cli] name=acme-toolkit editable',
      '19:12 requirement <./libs/core>[test,docs] name=? editable',
      '20:4 requirement <.> name=? editable',
      '21:1 requirement <./dist/acme_widgets-2.0.1-py3-none-any.whl> name=acme-widgets',
      '22:1 requirement <https://files.example.com/packages/legacy-lib-0.9.tar.gz#egg=legacy_lib> name=legacy-lib',
      '23:1 requirement <file:///opt/vendor/vendored-pkg> name=?',
      '24:4 requirement <file:///opt/src/shared-models#egg=shared_models> name=shared-models editable',
      '25:1 requirement name-at-url @ https://example.com/pkgs/name_at_url-1.0-py3-none-any.whl',
      '26:1 requirement psycopg2==2.9.9',
      '27:1 requirement lxml==4.9.3 hashes=1',
    ]);
    expect(file.entries[8]!.options.map((option) => [option.name, option.value])).toEqual([
      ['--config-settings', '--build-option=--static-libpq'],
      ['--global-option', '--quiet'],
    ]);
  });
});

describe('fixture: CRLF, BOM, env vars, continuations, no final newline', () => {
  const env = { PIP_USER: 'ci', PRIVATE_LIB_VERSION: '1.4.2' };
  const file = parseFixture('tricky/requirements.txt', env);

  it('reads the entries where pip does', () => {
    expect(file.entries.map(summary)).toEqual([
      '3:1 requirement private-lib==1.4.2',
      '4:1 requirement requests[socks]>=2.31 ; python_version >= "3.8"',
      '7:1 requirement django>=4.2,<5.0',
      '9:1 requirement invalid',
      '10:1 requirement see-url @ https://example.com/x.tar.gz#egg=see-url',
      '12:1 requirement flask==3.0.0',
    ]);
    expect(file.lineCount).toBe(12);
  });

  it('expands known variables in options and keeps the others', () => {
    expect(file.options).toEqual([
      {
        name: '--extra-index-url',
        value: 'https://ci:${PIP_TOKEN}@pypi.example.com/simple',
        position: { line: 2, column: 1 },
      },
    ]);
  });

  it('maps positions across the continued lines', () => {
    // Act
    const [, requests, django] = file.entries;

    // Assess
    expect(requests!.spans).toEqual({
      name: { line: 4, column: 1 },
      specifier: { line: 6, column: 1 },
      marker: { line: 6, column: 10 },
    });
    expect(requests!.end).toEqual({ line: 6, column: 33 });
    expect(django!.spans).toEqual({ name: { line: 7, column: 1 }, specifier: { line: 7, column: 8 } });
    expect(django!.end).toEqual({ line: 8, column: 9 });
  });

  it('reports pkg=1.0 with the edit to ==', () => {
    expect(file.entries[3]!.problem).toEqual({
      message: 'invalid requirement: `=` is not a version operator',
      hint: 'write `pkg==1.0`',
      position: { line: 9, column: 4 },
      edits: [
        {
          file: 'tricky/requirements.txt',
          start: { line: 9, column: 4 },
          end: { line: 9, column: 5 },
          text: '==',
        },
      ],
    });
  });

  it('ends the last entry at the end of the file, without a newline', () => {
    expect(file.entries[5]!.end).toEqual({ line: 12, column: 13 });
  });
});
