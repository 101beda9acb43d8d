import { describe, expect, it } from '@jest/globals';
import { optionsStart, parseOptionWords, shlexSplit } from '@shared/deps/requirements/options';

/** The options of a text as pip would read them: [name, value] pairs and problem messages. */
function read(text: string): { options: [string, string | null][]; problems: string[] } {
  const split = shlexSplit(text, 0);
  if (!split.ok) throw new Error(split.message);
  const result = parseOptionWords(split.words);
  return {
    options: result.options.map((option) => [option.name, option.value]),
    problems: result.problems.map((problem) => problem.message),
  };
}

describe('optionsStart, pip break_args_options', () => {
  it.each([
    ['requests==2.31.0', -1],
    ['python-dateutil==2.8.2', -1],
    ['-r base.txt', 0],
    ['attrs==23.1.0 --hash=sha256:aa', 14],
    ['x; python_version < "3.9" --hash=sha256:aa', 26],
    ['name-with-dash  --pre', 16],
  ])('%j starts its options at %i', (text, start) => {
    expect(optionsStart(text)).toBe(start);
  });
});

describe('shlexSplit, shlex.split in POSIX mode', () => {
  it('splits on whitespace and gives each word its offsets', () => {
    // Act
    const result = shlexSplit('x  --hash=sha256:aa\t-r  base.txt', 3);

    // Assess
    expect(result).toEqual({
      ok: true,
      words: [
        { value: '--hash=sha256:aa', start: 3, end: 19 },
        { value: '-r', start: 20, end: 22 },
        { value: 'base.txt', start: 24, end: 32 },
      ],
    });
  });

  it.each([
    [`-r "my file.txt"`, ['-r', 'my file.txt']],
    [`-r 'it''s'`, ['-r', 'its']],
    [`-r my\\ file.txt`, ['-r', 'my file.txt']],
    [`-r "a\\"b\\\\c\\d"`, ['-r', 'a"b\\c\\d']],
    [`--index-url=''`, ['--index-url=']],
    [`-e"./a b"`, ['-e./a b']],
  ])('reads %s as %j', (text, words) => {
    // Act
    const result = shlexSplit(text, 0);

    // Assess
    expect(result.ok && result.words.map((word) => word.value)).toEqual(words);
  });

  it.each([
    [`-r "open.txt`, 'No closing quotation', 3],
    [`-r 'open.txt`, 'No closing quotation', 3],
    [`-r x\\`, 'No escaped character', 4],
  ])('fails on %s with %s at %i', (text, message, offset) => {
    expect(shlexSplit(text, 0)).toEqual({ ok: false, message, offset });
  });
});

describe('parseOptionWords, pip optparse parser', () => {
  it.each([
    ['-i https://a/simple', [['--index-url', 'https://a/simple']]],
    ['--index-url https://a/simple', [['--index-url', 'https://a/simple']]],
    ['--index-url=https://a/simple', [['--index-url', 'https://a/simple']]],
    ['--pypi-url https://a/simple', [['--index-url', 'https://a/simple']]],
    ['--index https://a/simple', [['--index-url', 'https://a/simple']]],
    ['--extra-index-url https://b/simple', [['--extra-index-url', 'https://b/simple']]],
    ['--no-index', [['--no-index', null]]],
    ['-f ./wheels', [['--find-links', './wheels']]],
    ['-f./wheels', [['--find-links', './wheels']]],
    [
      '--pre --prefer-binary',
      [
        ['--pre', null],
        ['--prefer-binary', null],
      ],
    ],
    ['--require-hashes', [['--require-hashes', null]]],
    ['--only-binary=:all:', [['--only-binary', ':all:']]],
    ['--no-binary psycopg2', [['--no-binary', 'psycopg2']]],
    ['--trusted-host pypi.example.com', [['--trusted-host', 'pypi.example.com']]],
    ['--use-feature=truststore', [['--use-feature', 'truststore']]],
    ['-r base.txt', [['--requirement', 'base.txt']]],
    ['-rbase.txt', [['--requirement', 'base.txt']]],
    ['--requirement=base.txt', [['--requirement', 'base.txt']]],
    ['-c constraints.txt', [['--constraint', 'constraints.txt']]],
    ['-e .', [['--editable', '.']]],
    ['-e.', [['--editable', '.']]],
    [
      '--hash sha256:aa --hash=sha256:bb',
      [
        ['--hash', 'sha256:aa'],
        ['--hash', 'sha256:bb'],
      ],
    ],
    ['-C key=value', [['--config-settings', 'key=value']]],
    ['--global-option=--quiet', [['--global-option', '--quiet']]],
    ['--pre stray -- --no-index', [['--pre', null]]],
  ])('reads %s', (text, options) => {
    expect(read(text)).toEqual({ options, problems: [] });
  });

  it('rejects an unknown option, as pip does', () => {
    expect(read('--frobnicate x')).toEqual({
      options: [],
      problems: ['pip does not accept the option --frobnicate: no such option: --frobnicate'],
    });
  });

  it('rejects an ambiguous abbreviation', () => {
    expect(read('--requ x').problems).toEqual([
      'pip does not accept the option --requ: ambiguous option: --requ (--require-hashes, --requirement?)',
    ]);
  });

  it('rejects an unknown short option and a missing value', () => {
    expect(read('-x').problems).toEqual(['pip does not accept the option -x: no such option: -x']);
    expect(read('--index-url').problems).toEqual(['--index-url option requires 1 argument']);
    expect(read('-r').problems).toEqual(['-r option requires 1 argument']);
  });

  it('rejects a value given to a flag', () => {
    expect(read('--pre=yes').problems).toEqual(['--pre option does not take a value']);
  });

  it('records the legacy options pip removed, and says pip stops on them', () => {
    // Act
    const result = read('-Z --always-unzip --install-option=--prefix=/opt');

    // Assess
    expect(result.options).toEqual([
      ['--always-unzip', null],
      ['--always-unzip', null],
      ['--install-option', '--prefix=/opt'],
    ]);
    expect(result.problems).toEqual([
      'pip no longer accepts -Z and stops on this line',
      'pip no longer accepts --always-unzip and stops on this line',
      'pip no longer accepts --install-option and stops on this line',
    ]);
  });

  it('gives the offsets of an option and of its value', () => {
    // Prepare
    const split = shlexSplit('-r base.txt --index-url=https://a', 0);
    if (!split.ok) throw new Error(split.message);

    // Act
    const { options } = parseOptionWords(split.words);

    // Assess
    expect(options.map((option) => [option.start, option.valueStart, option.end])).toEqual([
      [0, 3, 11],
      [12, 24, 33],
    ]);
  });
});
