import { describe, expect, it } from '@jest/globals';
import type { SpecifierClause } from '@shared/deps/model';
import {
  clauseContains,
  formatClause,
  formatSpecifier,
  parseSpecifierClause,
  parseSpecifierSet,
  specifierContains,
} from '@shared/deps/pep440';

function clauses(text: string): SpecifierClause[] {
  const parsed = parseSpecifierSet(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.clauses;
}

function contains(specifier: string, version: string, prereleases?: boolean): boolean {
  return specifierContains(
    clauses(specifier),
    version,
    prereleases === undefined ? undefined : { prereleases },
  );
}

describe('parseSpecifierClause validates each operator’s version', () => {
  it.each([
    ['>=1.0', '>=', '1.0'],
    ['  ~=  2.2.post3 ', '~=', '2.2.post3'],
    ['==1.4.*', '==', '1.4.*'],
    ['!=1!2.*', '!=', '1!2.*'],
    ['==1.0+Local', '==', '1.0+Local'],
    ['===foo', '===', 'foo'],
    ['=== 1.0+anything', '===', '1.0+anything'],
    ['<v1.0RC1', '<', 'v1.0RC1'],
  ])('accepts %j as %s %s', (text, operator, version) => {
    // Prepare
    const input = text;

    // Act
    const result = parseSpecifierClause(input);

    // Assess
    expect(result).toEqual({ ok: true, clause: { operator, version } });
  });

  it.each([
    ['=1.0', 'write `==1.0`'],
    ['= 1.0', 'write `==1.0`'],
    ['=>1.0', 'write `>=1.0`'],
    ['=<1.0', 'write `<=1.0`'],
    ['<>1.0', 'write `!=1.0`'],
    ['!1.0', 'write `!=1.0`'],
    ['~1.0', 'write `~=1.0`'],
    ['1.0', 'write `==1.0`'],
    ['>=1.2.*', 'a wildcard only goes with == or !='],
    ['<1.*', 'a wildcard only goes with == or !='],
    ['~=1.*', 'a wildcard only goes with == or !='],
    ['~=1', 'write `~=1.0`'],
    ['>=1.0+local', 'write `>=1.0`'],
    ['==1.0a1.*', 'write `==1.0.*`'],
  ])('rejects %j with the hint %j', (text, hint) => {
    // Prepare
    const input = text;

    // Act
    const result = parseSpecifierClause(input);

    // Assess
    expect(result).toMatchObject({ ok: false, hint });
    expect(result.ok ? '' : result.message).toContain(input.trim());
  });

  it.each(['', '==', '>=', '===foo bar', '===a;b', '==1.0 .*', '>==1.0', '^1.0', '*'])(
    'rejects %j',
    (text) => {
      // Prepare
      const input = text;

      // Act
      const result = parseSpecifierClause(input);

      // Assess
      expect(result.ok).toBe(false);
    },
  );
});

describe('parseSpecifierSet reads comma-separated clauses', () => {
  it('keeps the clauses in order, trimmed, skipping empty pieces as packaging does', () => {
    // Prepare
    const text = ' >= 1.0 , <2,, !=1.5.* ,';

    // Act
    const result = parseSpecifierSet(text);

    // Assess
    expect(result).toEqual({
      ok: true,
      clauses: [
        { operator: '>=', version: '1.0' },
        { operator: '<', version: '2' },
        { operator: '!=', version: '1.5.*' },
      ],
    });
  });

  it('reads the empty text as the empty set', () => {
    // Prepare
    const text = '';

    // Act
    const result = parseSpecifierSet(text);

    // Assess
    expect(result).toEqual({ ok: true, clauses: [] });
  });

  it('points at the offending clause and passes its hint on', () => {
    // Prepare
    const text = '>=1.0,  =2.0';

    // Act
    const result = parseSpecifierSet(text);

    // Assess
    expect(result).toMatchObject({ ok: false, offset: 8, hint: 'write `==2.0`' });
  });
});

describe('formatClause and formatSpecifier give canonical text', () => {
  it('joins clauses with commas and no spaces, keeping versions as written but trimmed', () => {
    // Prepare
    const input: SpecifierClause[] = [
      { operator: '>=', version: ' 1.0 ' },
      { operator: '<', version: '2' },
      { operator: '==', version: 'v1.4.*' },
    ];

    // Act
    const text = formatSpecifier(input);

    // Assess
    expect(text).toBe('>=1.0,<2,==v1.4.*');
    expect(formatClause(input[0]!)).toBe('>=1.0');
    expect(formatSpecifier([])).toBe('');
  });
});

describe('specifierContains follows the specification’s matching examples', () => {
  it.each([
    // Version matching, with zero padding, prefix matching and local labels.
    ['==1.1', '1.1.post1', false],
    ['==1.1.post1', '1.1.post1', true],
    ['==1.1.*', '1.1.post1', true],
    ['==1.1', '1.1.0', true],
    ['==1.1.0', '1.1', true],
    ['==1.1', '1.1a1', false],
    ['==1.1.*', '1.1a1', true],
    ['==1.1.*', '1.10', false],
    ['==1.0.0.*', '1', true],
    ['==1.*', '1!1.0', false],
    ['==1!1.*', '1!1.0', true],
    ['==1.1', '1.1+local', true],
    ['==1.1+local', '1.1', false],
    ['==1.1+local', '1.1+LOCAL', true],
    // Version exclusion.
    ['!=1.1', '1.1.post1', true],
    ['!=1.1.post1', '1.1.post1', false],
    ['!=1.1.*', '1.1.post1', false],
    ['!=1.1', '1.1+local', false],
    // Inclusive ordered comparison ignores local labels.
    ['<=2.0', '2.0+local', true],
    ['>=2.0', '2.0+local', true],
    // Exclusive ordered comparison.
    ['>1.7', '1.7.1', true],
    ['>1.7', '1.7.0.post1', false],
    ['>1.7', '1.7+local', false],
    ['>1.7.post2', '1.7.1', true],
    ['>1.7.post2', '1.7.0.post3', true],
    ['>1.7.post2', '1.7.0', false],
    ['>1.0a1', '1.0', true],
    ['>1.0a1', '1.0a1.post1', false],
    ['<3.1', '3.1.dev0', false],
    ['<3.1', '3.1a1', false],
    ['<3.1', '3.0', true],
    ['<3.1', '3.0a1', true],
    ['<3.1rc1', '3.1a1', true],
    ['<1!0', '0.0.0', true],
    // Arbitrary equality: text, case-insensitive, no normalisation.
    ['===foobar', 'foobar', true],
    ['===foobar', 'FooBar', true],
    ['===1.0', '1.0+downstream1', false],
    ['===1.0', '1.0.0', false],
  ])('%s %s %s', (specifier, version, expected) => {
    // Prepare
    const clauseSet = clauses(specifier);

    // Act
    const result = specifierContains(clauseSet, version);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    ['~=2.2', '>=2.2,==2.*'],
    ['~=1.4.5', '>=1.4.5,==1.4.*'],
    ['~=2.2.post3', '>=2.2.post3,==2.*'],
    ['~=1.4.5a4', '>=1.4.5a4,==1.4.*'],
    ['~=2.2.0', '>=2.2.0,==2.2.*'],
    ['~=1.4.5.0', '>=1.4.5.0,==1.4.5.*'],
  ])('treats the compatible release %s as %s', (compatible, equivalent) => {
    // Prepare
    const candidates = [
      '1.4',
      '1.4.4',
      '1.4.5a3',
      '1.4.5a4',
      '1.4.5',
      '1.4.5.0.1',
      '1.4.6',
      '1.4.99',
      '1.5.dev0',
      '1.5',
      '2.1',
      '2.2.dev0',
      '2.2',
      '2.2.post2',
      '2.2.post3',
      '2.2.post4',
      '2.2.1',
      '2.3',
      '2.99',
      '3.0.dev0',
      '3.0',
    ];

    // Act
    const left = candidates.filter((v) => contains(compatible, v));
    const right = candidates.filter((v) => contains(equivalent, v));

    // Assess
    expect(left).toEqual(right);
    expect(left.length).toBeGreaterThan(0);
  });
});

describe('specifierContains treats pre-releases as packaging 26 does', () => {
  it('admits a pre-release by default and when asked, and refuses it when prereleases is false', () => {
    // Prepare
    const specifier = '>=1.0';

    // Act
    const verdicts = [undefined, true, false].map((prereleases) => contains(specifier, '1.1a1', prereleases));

    // Assess
    expect(verdicts).toEqual([true, true, false]);
  });

  it('admits anything, even text that is not a version, in the empty set', () => {
    // Prepare
    const empty: SpecifierClause[] = [];

    // Act
    const verdicts = [
      specifierContains(empty, 'not a version'),
      specifierContains(empty, '1.0a1'),
      specifierContains(empty, '1.0a1', { prereleases: false }),
    ];

    // Assess
    expect(verdicts).toEqual([true, true, false]);
  });

  it('matches text that is not a version only with ===', () => {
    // Prepare
    const arbitrary: SpecifierClause = { operator: '===', version: 'custom-build' };

    // Act
    const verdicts = [
      clauseContains(arbitrary, 'custom-build'),
      clauseContains({ operator: '>=', version: '1.0' }, 'custom-build'),
    ];

    // Assess
    expect(verdicts).toEqual([true, false]);
  });

  it('matches nothing with a clause that is not valid', () => {
    // Prepare
    const broken: SpecifierClause = { operator: '>=', version: 'not a version' };

    // Act
    const result = clauseContains(broken, '1.0');

    // Assess
    expect(result).toBe(false);
  });
});
