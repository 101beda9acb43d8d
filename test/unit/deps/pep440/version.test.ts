import { describe, expect, it } from '@jest/globals';
import { compareVersions, isPrerelease, normalizeVersion, parseVersion } from '@shared/deps/pep440';

function normal(text: string): string | null {
  const parsed = parseVersion(text);
  return parsed === null ? null : normalizeVersion(parsed);
}

function order(a: string, b: string): number {
  return Math.sign(compareVersions(parseVersion(a)!, parseVersion(b)!));
}

describe('parseVersion applies the specification’s normalisation examples', () => {
  it.each([
    // Case sensitivity
    ['1.1RC1', '1.1rc1'],
    // Integer normalisation
    ['00', '0'],
    ['09000', '9000'],
    ['1.0+foo0100', '1.0+foo0100'],
    // Pre-release separators and spelling, implicit number
    ['1.1.a1', '1.1a1'],
    ['1.1-a1', '1.1a1'],
    ['1.0a.1', '1.0a1'],
    ['1.1alpha1', '1.1a1'],
    ['1.1beta2', '1.1b2'],
    ['1.1c3', '1.1rc3'],
    ['1.1pre3', '1.1rc3'],
    ['1.1preview3', '1.1rc3'],
    ['1.2a', '1.2a0'],
    // Post-release separators and spelling, implicit number, implicit post-release
    ['1.2-post2', '1.2.post2'],
    ['1.2post2', '1.2.post2'],
    ['1.2.post.2', '1.2.post2'],
    ['1.2.post-2', '1.2.post2'],
    ['1.0-r4', '1.0.post4'],
    ['1.0-rev4', '1.0.post4'],
    ['1.2.post', '1.2.post0'],
    ['1.0-1', '1.0.post1'],
    // Development release separators and implicit number
    ['1.2-dev2', '1.2.dev2'],
    ['1.2dev2', '1.2.dev2'],
    ['1.2.dev', '1.2.dev0'],
    // Local version segments
    ['1.0+ubuntu-1', '1.0+ubuntu.1'],
    ['1.0+Ubuntu_1.A', '1.0+ubuntu.1.a'],
    // Preceding v, surrounding whitespace
    ['v1.0', '1.0'],
    ['  1.0\n', '1.0'],
    // Epochs
    ['1!1.0', '1!1.0'],
    ['0!1.0', '1.0'],
  ])('%j normalises to %s', (text, expected) => {
    // Prepare
    const input = text;

    // Act
    const result = normal(input);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    '',
    'v',
    '1.',
    '.1',
    '1..0',
    '1.0-',
    '1.0+',
    '1.0+a..b',
    '1.0 a1',
    'foo',
    '1.0.*',
    '1!',
    '1.0\ufeff',
  ])('rejects %j', (text) => {
    // Prepare
    const input = text;

    // Act
    const result = parseVersion(input);

    // Assess
    expect(result).toBeNull();
  });

  it('splits a version into epoch, release, pre, post, dev and local parts', () => {
    // Prepare
    const text = '2!1.02.3RC4.post5.dev6+Ubuntu-007.x';

    // Act
    const version = parseVersion(text);

    // Assess
    expect(version).toEqual({
      epoch: 2,
      release: [1, 2, 3],
      pre: ['rc', 4],
      post: 5,
      dev: 6,
      local: ['ubuntu', 7, 'x'],
    });
  });

  it('counts development releases and pre-releases as pre-releases, post-releases not', () => {
    // Prepare
    const texts = ['1.0.dev1', '1.0a1', '1.0rc1.post1', '1.0.post1', '1.0', '1.0.post1.dev1'];

    // Act
    const flags = texts.map((text) => isPrerelease(parseVersion(text)!));

    // Assess
    expect(flags).toEqual([true, true, true, false, false, true]);
  });
});

describe('compareVersions orders as the specification says', () => {
  it('sorts the specification’s example of every suffix in order', () => {
    // Prepare
    const expected = [
      '1.dev0',
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0rc1.dev456',
      '1.0rc1',
      '1.0',
      '1.0+abc.5',
      '1.0+abc.7',
      '1.0+5',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.0.15',
      '1.1.dev1',
    ];
    const shuffled = [...expected].reverse();

    // Act
    const sorted = shuffled.sort((a, b) => compareVersions(parseVersion(a)!, parseVersion(b)!));

    // Assess
    expect(sorted).toEqual(expected);
    for (let k = 1; k < expected.length; k++) expect(order(expected[k - 1]!, expected[k]!)).toBe(-1);
  });

  it.each([
    ['1.0', '1.0.0', 0],
    ['1', '1.0.0.0', 0],
    ['1.dev0', '1.0.dev0', 0],
    ['1.0+1', '1.0+01', 0],
    ['1.0+ABC', '1.0+abc', 0],
    ['2013.10', '1!1.0', -1],
    ['1!1.0', '1!2.0', -1],
    ['1.0+abc', '1.0+abc.1', -1],
    ['1.0+abc', '1.0+1', -1],
    ['1.0+2', '1.0+10', -1],
    ['1.0', '1.0+local', -1],
    ['1.0+local', '1.0.post0.dev0', -1],
    ['1.0.post1', '1.0.0.1', -1],
    ['1.10', '1.9', 1],
    ['0.dev0', '0', -1],
  ])('compares %s with %s as %d', (a, b, expected) => {
    // Prepare
    const left = a;
    const right = b;

    // Act
    const result = order(left, right);

    // Assess
    expect(result).toBe(expected);
  });
});
