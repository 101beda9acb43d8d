import { describe, expect, it } from '@jest/globals';
import { ConstraintError, compileConstraint } from '@shared/sweep/constraint';

const PARAMS = ['fast', 'slow', 'period', 'a', 'b', 'c', 'x', 'y', 'longOnly'];

/** Runs act and returns what it threw, so a test can assert the error's class and message together. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('compileConstraint accepts conditions over parameters', () => {
  it.each([
    ['fast<slow', { fast: 5, slow: 10 }, true],
    ['fast<slow', { fast: 10, slow: 10 }, false],
    ['fast < slow && slow - fast >= 10', { fast: 5, slow: 15 }, true],
    ['fast < slow && slow - fast >= 10', { fast: 5, slow: 14 }, false],
    ['fast*2 <= slow', { fast: 5, slow: 10 }, true],
    ['fast*2 <= slow', { fast: 6, slow: 10 }, false],
    ['!(period == 14)', { period: 14 }, false],
    ['!(period == 14)', { period: 21 }, true],
    ['a < b and b < c', { a: 1, b: 2, c: 3 }, true],
    ['a < b and b < c', { a: 1, b: 3, c: 3 }, false],
    ['x != 3 || y > 2', { x: 3, y: 3 }, true],
    ['x != 3 || y > 2', { x: 3, y: 2 }, false],
    ['period == 14', { period: 14 }, true],
    ['a < b < c', { a: 1, b: 2, c: 2 }, false],
    ['fast in (5, 10, 20)', { fast: 10 }, true],
    ['fast not in (5, 10, 20)', { fast: 10 }, false],
    ['abs(fast - slow) >= 10 or max(fast, slow) > 100', { fast: 95, slow: 101 }, true],
    ['fast mod 5 == 0', { fast: 15 }, true],
    ['longOnly', { longOnly: true }, true],
    ['longOnly == false and period > 10', { longOnly: false, period: 14 }, true],
    ["'fast' < 'slow'", { fast: 5, slow: 10 }, true],
  ])('%s for %j is %s', (text, values, expected) => {
    // Prepare
    const accepts = compileConstraint(text, PARAMS);

    // Act
    const result = accepts(values);

    // Assess
    expect(result).toBe(expected);
  });

  it('reads not( and and( without a space, which filtrex alone misparses', () => {
    // Prepare
    const notEqual = compileConstraint('not(period==14)', PARAMS);
    const bothBelow = compileConstraint('a<b and(b<c)', PARAMS);

    // Act
    const results = [notEqual({ period: 14 }), notEqual({ period: 7 }), bothBelow({ a: 1, b: 2, c: 3 })];

    // Assess
    expect(results).toEqual([false, true, true]);
  });

  it('ignores values of parameters the condition does not mention', () => {
    // Prepare
    const accepts = compileConstraint('fast < slow', PARAMS);

    // Act
    const result = accepts({ fast: 5, slow: 10, period: 14, longOnly: true });

    // Assess
    expect(result).toBe(true);
  });
});

describe('compileConstraint rejects bad text before any evaluation', () => {
  it.each([
    ['', 'The constraint is empty; write a condition such as "fast < slow", or leave it out.'],
    ['   ', 'The constraint is empty; write a condition such as "fast < slow", or leave it out.'],
    [
      'fast <> slow',
      'Constraint "fast <> slow" is not a valid expression: ">" (character 7) cannot come after "<"; ' +
        'write comparisons joined with and/or (&&, ||), e.g. "fast < slow".',
    ],
    [
      '< slow',
      'Constraint "< slow" is not a valid expression: "<" (character 1) cannot come first; ' +
        'write comparisons joined with and/or (&&, ||), e.g. "fast < slow".',
    ],
    [
      'fast < slow)',
      'Constraint "fast < slow)" is not a valid expression: ")" (character 12) cannot come after "slow"; ' +
        'write comparisons joined with and/or (&&, ||), e.g. "fast < slow".',
    ],
    [
      'fast <',
      'Constraint "fast <" is not a valid expression: it ends too early, after "<"; complete the condition.',
    ],
    [
      'fast < slow &&',
      'Constraint "fast < slow &&" is not a valid expression: it ends too early, after "&&"; complete the condition.',
    ],
    [
      '(fast < slow',
      'Constraint "(fast < slow" is not a valid expression: it ends before every "(" is closed; add the missing ")".',
    ],
    [
      'fast = 3',
      'Constraint "fast = 3" cannot use "=" (character 6): compare with == (or !=, <, <=, >, >=).',
    ],
    [
      'fast < 3 & slow > 4',
      'Constraint "fast < 3 & slow > 4" cannot use "&" (character 10): join conditions with && or and.',
    ],
    [
      'fast % 5 == 0',
      'Constraint "fast % 5 == 0" cannot use "%" (character 6): write the remainder as mod, e.g. "fast mod 5 == 0".',
    ],
    [
      'fast == "ten"',
      'Constraint "fast == "ten"" cannot use """ (character 9): ' +
        'text in double quotes cannot equal a parameter, which is a number or a boolean.',
    ],
    [
      'fast # 2',
      'Constraint "fast # 2" cannot use "#" (character 6); write a condition such as "fast < slow".',
    ],
    [
      '1e3 > fast',
      'Constraint "1e3 > fast" writes the number "1e3" (character 1) in a form filtrex does not read: ' +
        'use digits with an optional decimal part, e.g. 0.5 or 1000.',
    ],
    [
      'fast > .5',
      'Constraint "fast > .5" writes the number ".5" (character 8) in a form filtrex does not read: ' +
        'use digits with an optional decimal part, e.g. 0.5 or 1000.',
    ],
    ["'fast < slow", 'Constraint "\'fast < slow" opens a quote at character 1 that is never closed.'],
    [
      'size of fast > 1',
      'Constraint "size of fast > 1" uses "of", which reads a property of an object; parameters are numbers or booleans.',
    ],
  ])('rejects the syntax of %j', (text, message) => {
    // Act
    const error = thrownBy(() => compileConstraint(text, ['fast', 'slow']));

    // Assess
    expect(error).toBeInstanceOf(ConstraintError);
    expect((error as Error).message).toBe(message);
  });

  it.each([
    [
      'fsat < slow',
      'Constraint "fsat < slow" uses fsat, which is not a parameter; the parameters are fast, slow.',
    ],
    [
      'fsat < slw or fsat > 3',
      'Constraint "fsat < slw or fsat > 3" uses fsat and slw, which are not parameters; the parameters are fast, slow.',
    ],
    [
      'fast < slow AND slow < 100',
      'Constraint "fast < slow AND slow < 100" uses AND, which is not a parameter; the parameters are fast, slow ' +
        '(and, or, not are written in lower case).',
    ],
    [
      'constructor < 1',
      'Constraint "constructor < 1" uses constructor, which is not a parameter; the parameters are fast, slow.',
    ],
    [
      "'period' > 3",
      'Constraint "\'period\' > 3" uses period, which is not a parameter; the parameters are fast, slow.',
    ],
  ])('names the unknown identifiers in %j and lists the parameters', (text, message) => {
    // Act
    const error = thrownBy(() => compileConstraint(text, ['fast', 'slow']));

    // Assess
    expect(error).toBeInstanceOf(ConstraintError);
    expect((error as Error).message).toBe(message);
  });

  it.each([
    [
      'fast(2) < slow',
      'Constraint "fast(2) < slow" puts a bracket right after the parameter fast, as if it were a function; ' +
        'put an operator between them, e.g. "fast * (…)".',
    ],
    [
      'size(fast) < slow',
      'Constraint "size(fast) < slow" calls size(), which is not a function; ' +
        'the functions are abs, ceil, floor, log, log2, log10, max, min, round, sqrt.',
    ],
  ])('rejects the call in %j', (text, message) => {
    // Act
    const error = thrownBy(() => compileConstraint(text, ['fast', 'slow']));

    // Assess
    expect(error).toBeInstanceOf(ConstraintError);
    expect((error as Error).message).toBe(message);
  });

  it.each(['fast*2', 'fast + slow', '-fast', '(fast - slow)', '3', 'max(fast, slow)'])(
    'rejects %j, which gives a number rather than a condition',
    (text) => {
      // Act
      const error = thrownBy(() => compileConstraint(text, ['fast', 'slow']));

      // Assess
      expect(error).toBeInstanceOf(ConstraintError);
      expect((error as Error).message).toBe(
        `Constraint "${text}" gives a number, not true or false; compare it with something, e.g. "fast < slow".`,
      );
    },
  );
});

describe('a compiled constraint checks every evaluation', () => {
  it('rejects a result that is not true or false, naming the values', () => {
    // Prepare
    const accepts = compileConstraint('fast', ['fast', 'slow']);

    // Act
    const error = thrownBy(() => accepts({ fast: 5, slow: 10 }));

    // Assess
    expect(error).toBeInstanceOf(ConstraintError);
    expect((error as Error).message).toBe(
      'Constraint "fast" gives 5 for fast=5, slow=10, not true or false; write a condition such as "fast < slow".',
    );
  });

  it('rejects a number chosen by if … then … else', () => {
    // Prepare
    const accepts = compileConstraint('if fast < slow then 1 else 0', ['fast', 'slow']);

    // Act
    const error = thrownBy(() => accepts({ fast: 5, slow: 10 }));

    // Assess
    expect(error).toBeInstanceOf(ConstraintError);
    expect((error as Error).message).toBe(
      'Constraint "if fast < slow then 1 else 0" gives 1 for fast=5, slow=10, not true or false; ' +
        'write a condition such as "fast < slow".',
    );
  });

  it('turns a type error into a ConstraintError naming the values', () => {
    // Prepare
    const accepts = compileConstraint('longOnly + 1 > period', ['period', 'longOnly']);

    // Act
    const error = thrownBy(() => accepts({ period: 14, longOnly: true }));

    // Assess
    expect(error).toBeInstanceOf(ConstraintError);
    expect((error as Error).message).toBe(
      'Constraint "longOnly + 1 > period" cannot be evaluated for period=14, longOnly=true: ' +
        'Expected a text or number, but got a true instead.',
    );
  });

  it('explains that not binds tighter than a comparison', () => {
    // Prepare
    const accepts = compileConstraint('not period == 14', ['period']);

    // Act
    const error = thrownBy(() => accepts({ period: 14 }));

    // Assess
    expect(error).toBeInstanceOf(ConstraintError);
    expect((error as Error).message).toBe(
      'Constraint "not period == 14" cannot be evaluated for period=14: ' +
        'Expected a logical value (“true” or “false”), but got a number instead. ' +
        '("not" applies before comparisons: write "not (a == b)" or "a != b")',
    );
  });

  it('reports a parameter missing from the values', () => {
    // Prepare
    const accepts = compileConstraint('fast < slow', ['fast', 'slow']);

    // Act
    const error = thrownBy(() => accepts({ fast: 5 }));

    // Assess
    expect(error).toBeInstanceOf(ConstraintError);
    expect((error as Error).message).toBe(
      'Constraint "fast < slow" cannot be evaluated for fast=5: Property “slow” does not exist.',
    );
  });
});
