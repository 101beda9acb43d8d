import { describe, expect, it } from '@jest/globals';
import type { SpecifierClause } from '@shared/deps/model';
import { parseSpecifierSet, satisfiable, specifierContains } from '@shared/deps/pep440';

function clauses(text: string): SpecifierClause[] {
  const parsed = parseSpecifierSet(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.clauses;
}

describe('satisfiable finds a version every clause admits', () => {
  it.each([
    ['', '0'],
    ['>=1.2,<2', '1.2'],
    ['>1.0,<2', '1.1'],
    ['<2', '0'],
    ['==1.*', '1'],
    ['~=1.4.5,!=1.4.5', '1.4.5.post0.dev0'],
    ['<=0.dev0', '0.dev0'],
    ['<1!0', '0'],
    ['==1.*,<1.dev1', '1.dev0'],
    ['>1.0a1,<=1.0a2.dev0', '1.0a2.dev0'],
    ['>1.0.dev1,<=1.0.dev2', '1.0.dev2'],
    ['==1.0,!=1.0+a', '1.0'],
    ['==1.0+a,>=1.0', '1.0+a'],
    ['===foo', 'foo'],
    ['===FOO,===foo', 'FOO'],
    ['===1.0,>=1.0', '1.0'],
  ])('%j: e.g. %s', (specifier, witness) => {
    // Prepare
    const set = clauses(specifier);

    // Act
    const result = satisfiable(set);

    // Assess
    expect(result).toEqual({ satisfiable: true, witness });
    expect(specifierContains(set, witness, { prereleases: true })).toBe(true);
  });

  it.each([
    ['>1.0,<1.0.0.1'],
    ['>2,<2.0.0.0.1'],
    ['>1!0,<1!0.0.1'],
    ['>1.0,<1.0.1.dev0'],
    ['<1.0,>0.9.9.9'],
    ['>1.0.post1,<1.0.post2.dev1'],
    ['~=1.0.c1.r1'],
    ['==1.0+a.b,!=1.0+a'],
  ])('%j: finds a witness in a narrow gap', (specifier) => {
    // Prepare
    const set = clauses(specifier);

    // Act
    const result = satisfiable(set);

    // Assess
    expect(result.satisfiable).toBe(true);
    expect(result.satisfiable && specifierContains(set, result.witness, { prereleases: true })).toBe(true);
  });
});

describe('satisfiable says when no version is admitted', () => {
  it.each([
    ['>=2,<1', 'disjoint ranges'],
    ['==1.0,!=1.0', 'a version and its exclusion'],
    ['==1.0+l,!=1.0', '!= without a local label excludes the local versions too'],
    ['>=1.0,<1.0', 'an empty half-open range'],
    ['>1.0,<1.0.post5', '>V excludes the post-releases of V'],
    ['>1.0,<=1.0.post1', '>V excludes the post-releases of V'],
    ['>1.0,==1.0', '>V excludes the local versions of V'],
    ['>1.0a1,<1.0a2.dev0', 'nothing lies between 1.0a1’s post-releases and 1.0a2.dev0'],
    ['<0.dev0', 'nothing sorts below 0.dev0'],
    ['<1.0,>=1.0.dev0', '<V excludes the pre-releases of V'],
    ['==1.*,<1.dev0', '==1.* starts at 1.dev0'],
    ['==1.*,!=1.*', 'a prefix and its exclusion'],
    ['==1.0.*,==1.1.*', 'two prefixes'],
    ['==1.*,==1!1.*', 'two epochs'],
    ['~=1.0,>=2', '~= caps the release'],
    ['~=v1.0', 'packaging 26 compares ~= prefixes as text, and `v1` matches no version'],
    ['===1.0,!=1.0', '=== admits only its own text'],
    ['===foo,>=1', 'text that is not a version only satisfies ==='],
    ['===1.0,===1.0.0', '=== compares text, not versions'],
  ])('%j (%s)', (specifier) => {
    // Prepare
    const set = clauses(specifier);

    // Act
    const result = satisfiable(set);

    // Assess
    expect(result).toEqual({ satisfiable: false });
  });

  it('admits nothing for a clause that is not valid', () => {
    // Prepare
    const broken: SpecifierClause[] = [{ operator: '>=', version: '1.0+local' }];

    // Act
    const result = satisfiable(broken);

    // Assess
    expect(result).toEqual({ satisfiable: false });
  });
});
