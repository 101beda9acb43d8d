import { describe, expect, it } from '@jest/globals';
import { formatSpecifier, poetryConstraint } from '@shared/deps/pep440';

function converted(text: string): string | null {
  const result = poetryConstraint(text);
  return result.ok ? formatSpecifier(result.clauses) : null;
}

describe('poetryConstraint turns Poetry constraints into PEP 440 clauses', () => {
  it.each([
    // Caret: up to the next change of the left-most non-zero number.
    ['^1.2.3', '>=1.2.3,<2.0.0'],
    ['^1.2', '>=1.2,<2.0'],
    ['^1', '>=1,<2'],
    ['^0.2.3', '>=0.2.3,<0.3.0'],
    ['^0.0.3', '>=0.0.3,<0.0.4'],
    ['^0.0', '>=0.0,<0.1'],
    ['^0', '>=0,<1'],
    ['^1.2.3a1', '>=1.2.3a1,<2.0.0'],
    ['^ 1.2', '>=1.2,<2.0'],
    // Tilde: up to the next minor (or major, for a single number).
    ['~1.2.3', '>=1.2.3,<1.3.0'],
    ['~1.2', '>=1.2,<1.3'],
    ['~1', '>=1,<2'],
    // PEP 440's compatible release stays as it is.
    ['~=1.2', '~=1.2'],
    ['~=1.2.3', '~=1.2.3'],
    ['~=1', '>=1,<2'],
    // Wildcards.
    ['*', ''],
    ['', ''],
    ['1.2.*', '==1.2.*'],
    ['1.*', '==1.*'],
    ['!=1.2.*', '!=1.2.*'],
    // A bare version is exact.
    ['1.2.3', '==1.2.3'],
    ['=1.2.3', '==1.2.3'],
    ['==1.2.3', '==1.2.3'],
    // Comparisons, AND by comma or by space.
    ['>= 1.2.0', '>=1.2.0'],
    ['>=1.0,<2.0', '>=1.0,<2.0'],
    ['>=1.0 <2.0', '>=1.0,<2.0'],
    ['>= 1.0, < 2.0, != 1.5', '>=1.0,<2.0,!=1.5'],
    ['^1.2, !=1.4.0', '>=1.2,<2.0,!=1.4.0'],
    ['>=1.2.*', '>=1.2'],
  ])('%j → %j', (text, expected) => {
    // Prepare
    const input = text;

    // Act
    const result = converted(input);

    // Assess
    expect(result).toBe(expected);
  });

  it.each(['^1.0 || ^2.0', '1.2 | 1.4'])('refuses %j: OR has no single PEP 440 equivalent', (text) => {
    // Prepare
    const input = text;

    // Act
    const result = poetryConstraint(input);

    // Assess
    expect(result).toMatchObject({ ok: false });
    expect(result.ok ? '' : result.message).toContain('||');
  });

  it.each(['^foo', '~', '>=', 'latest', '>=1.0+local'])(
    'refuses %j, which is not a valid constraint',
    (text) => {
      // Prepare
      const input = text;

      // Act
      const result = poetryConstraint(input);

      // Assess
      expect(result.ok).toBe(false);
    },
  );
});
