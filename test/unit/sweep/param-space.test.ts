import { describe, expect, it } from '@jest/globals';
import { defineStrategy } from '@shared/strategies/api';
import { findBuiltinStrategy } from '@shared/strategies/builtin';
import { ConstraintError } from '@shared/sweep/constraint';
import {
  expandParamSpace,
  ParamSpaceError,
  type ParamSpaceInput,
  type ParamSpaceOptions,
  parseGridFlag,
} from '@shared/sweep/param-space';
import { createSeededRandom, pickDistinctIndices } from '@shared/sweep/seeded-random';

const smaCross = findBuiltinStrategy('sma-cross')!;
const rsiReversion = findBuiltinStrategy('rsi-reversion')!;

/** A strategy with a boolean parameter and no rule between parameters. */
const withSwitch = defineStrategy({
  name: 'with-switch',
  description: 'Test strategy with an on/off parameter.',
  params: {
    period: { type: 'int', default: 10, min: 2, description: 'Period in bars' },
    longOnly: { type: 'boolean', default: false, description: 'Only go long' },
  },
  indicators: () => ({}),
  signal: () => null,
});

const SMA_GRID: ParamSpaceInput = { fast: '5:50:5', slow: '10:100:10' };

/** Runs act and returns what it threw, so a test can assert the error's class and message together. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('expandParamSpace expands grids in declaration order', () => {
  it('gives the 75 sma-cross combinations with fast < slow, fast outermost and slow varying fastest', () => {
    // Act
    const space = expandParamSpace(smaCross, SMA_GRID, { constraint: 'fast<slow' });

    // Assess
    expect(space.gridSize).toBe(100);
    expect(space.rejectedByConstraint).toBe(25);
    expect(space.combinations).toHaveLength(75);
    expect(space.combinations.slice(0, 12)).toEqual([
      { fast: 5, slow: 10 },
      { fast: 5, slow: 20 },
      { fast: 5, slow: 30 },
      { fast: 5, slow: 40 },
      { fast: 5, slow: 50 },
      { fast: 5, slow: 60 },
      { fast: 5, slow: 70 },
      { fast: 5, slow: 80 },
      { fast: 5, slow: 90 },
      { fast: 5, slow: 100 },
      { fast: 10, slow: 20 },
      { fast: 10, slow: 30 },
    ]);
    expect(space.combinations.slice(-6)).toEqual([
      { fast: 45, slow: 100 },
      { fast: 50, slow: 60 },
      { fast: 50, slow: 70 },
      { fast: 50, slow: 80 },
      { fast: 50, slow: 90 },
      { fast: 50, slow: 100 },
    ]);
  });

  it("drops combinations failing the strategy's own rule and counts them with the constraint's", () => {
    // Act
    const ruleOnly = expandParamSpace(smaCross, SMA_GRID);
    const ruleAndConstraint = expandParamSpace(smaCross, SMA_GRID, { constraint: 'slow - fast >= 10' });

    // Assess
    expect(ruleOnly.combinations).toHaveLength(75);
    expect(ruleOnly.rejectedByConstraint).toBe(25);
    expect(ruleAndConstraint.gridSize).toBe(100);
    expect(ruleAndConstraint.combinations).toHaveLength(70);
    expect(ruleAndConstraint.rejectedByConstraint).toBe(30);
    expect(ruleAndConstraint.combinations.every(({ fast, slow }) => Number(slow) - Number(fast) >= 10)).toBe(
      true,
    );
  });

  it('follows the declaration order, not the order of the space, and fills defaults', () => {
    // Act
    const space = expandParamSpace(rsiReversion, { oversold: '20,30', period: [10, 14] });

    // Assess
    expect(space.combinations).toEqual([
      { period: 10, oversold: 20, overbought: 70 },
      { period: 10, oversold: 30, overbought: 70 },
      { period: 14, oversold: 20, overbought: 70 },
      { period: 14, oversold: 30, overbought: 70 },
    ]);
  });

  it('gives the defaults alone for an empty space', () => {
    // Act
    const space = expandParamSpace(rsiReversion, {});

    // Assess
    expect(space).toEqual({
      combinations: [{ period: 14, oversold: 30, overbought: 70 }],
      gridSize: 1,
      rejectedByConstraint: 0,
    });
  });
});

describe('expandParamSpace reads every value form', () => {
  it.each<[string, ParamSpaceInput, number[]]>([
    ['a decimal step without float noise', { oversold: '0.1:0.5:0.1' }, [0.1, 0.2, 0.3, 0.4, 0.5]],
    ['a start with more decimals than the step', { oversold: '0.05:0.25:0.1' }, [0.05, 0.15, 0.25]],
    ['a range object', { oversold: { start: 20, stop: 30, step: 2.5 } }, [20, 22.5, 25, 27.5, 30]],
    ['a range whose stop is off the grid', { oversold: '5:22:5' }, [5, 10, 15, 20]],
    ['a one-value range', { oversold: '25:25:1' }, [25]],
    ['a list', { oversold: [20, 25.5, 30] }, [20, 25.5, 30]],
    ['a comma string with spaces', { oversold: ' 20 , 25.5,30 ' }, [20, 25.5, 30]],
    ['a single number', { oversold: 25 }, [25]],
    ['a single numeric string', { oversold: '25.5' }, [25.5]],
  ])('%s', (_form, input, oversold) => {
    // Act
    const space = expandParamSpace(rsiReversion, input);

    // Assess
    expect(space.combinations.map((combination) => combination.oversold)).toEqual(oversold);
    expect(space.gridSize).toBe(oversold.length);
  });

  it('sweeps a boolean parameter from a comma string, a list or a single value', () => {
    // Act
    const fromText = expandParamSpace(withSwitch, { longOnly: 'true,false', period: '10:20:10' });
    const fromList = expandParamSpace(withSwitch, { longOnly: [true, false], period: [10, 20] });
    const single = expandParamSpace(withSwitch, { longOnly: true });

    // Assess
    const expected = [
      { period: 10, longOnly: true },
      { period: 10, longOnly: false },
      { period: 20, longOnly: true },
      { period: 20, longOnly: false },
    ];
    expect(fromText.combinations).toEqual(expected);
    expect(fromList.combinations).toEqual(expected);
    expect(single.combinations).toEqual([{ period: 10, longOnly: true }]);
  });

  it('applies a constraint over a boolean parameter', () => {
    // Act
    const space = expandParamSpace(
      withSwitch,
      { longOnly: 'true,false', period: '10:30:10' },
      { constraint: 'longOnly or period >= 20' },
    );

    // Assess
    expect(space.combinations).toEqual([
      { period: 10, longOnly: true },
      { period: 20, longOnly: true },
      { period: 20, longOnly: false },
      { period: 30, longOnly: true },
      { period: 30, longOnly: false },
    ]);
    expect(space.rejectedByConstraint).toBe(1);
  });
});

describe('expandParamSpace rejects bad spaces with a message naming the fix', () => {
  it.each<[string, ParamSpaceInput, string]>([
    ['an unknown name', { fats: 3 }, 'sma-cross has no parameter "fats"; its parameters are fast, slow.'],
    [
      'several unknown names',
      { fats: 3, slwo: 4 },
      'sma-cross has no parameters "fats", "slwo"; its parameters are fast, slow.',
    ],
    [
      'a range with two parts',
      { fast: '5:50' },
      'sma-cross: fast: "5:50" is not a range; write start:stop:step, e.g. 5:50:5.',
    ],
    [
      'a range with text',
      { fast: '5:fifty:5' },
      'sma-cross: fast: "fifty" in the range "5:fifty:5" is not a number.',
    ],
    [
      'a zero step',
      { fast: '5:50:0' },
      'sma-cross: fast: the step of the range "5:50:0" must be greater than 0, got 0.',
    ],
    [
      'a negative step in an object',
      { fast: { start: 5, stop: 50, step: -5 } },
      'sma-cross: fast: the step of the range 5:50:-5 must be greater than 0, got -5.',
    ],
    [
      'a reversed range',
      { fast: '50:5:5' },
      'sma-cross: fast: the range "50:5:5" starts above its stop; write the smaller value first, e.g. 5:50:5.',
    ],
    [
      'a range object missing its step',
      { fast: { start: 5, stop: 50 } as never },
      'sma-cross: fast: a range needs numbers start, stop and step, got {"start":5,"stop":50}; ' +
        'write e.g. { "start": 5, "stop": 50, "step": 5 }.',
    ],
    [
      'a fractional value for a whole-number parameter',
      { fast: '0.5:3:1' },
      'sma-cross: fast must be a whole number ≥ 1, got 0.5 in the range "0.5:3:1".',
    ],
    [
      'a value below the minimum',
      { fast: '0:10:5' },
      'sma-cross: fast must be a whole number ≥ 1, got 0 in the range "0:10:5".',
    ],
    ['text for a number', { fast: 'ten' }, 'sma-cross: fast must be a whole number ≥ 1, got "ten".'],
    [
      'a list item out of bounds',
      { fast: [5, -1] },
      'sma-cross: fast must be a whole number ≥ 1, got -1 in the list [5,-1].',
    ],
    [
      'a repeated value',
      { fast: '10,14,10' },
      'sma-cross: fast lists 10 more than once in the list "10,14,10"; give each value once.',
    ],
    [
      'an empty list item',
      { fast: '10,,20' },
      'sma-cross: fast has an empty item in the list "10,,20"; separate values with single commas.',
    ],
    [
      'an empty string',
      { fast: ' ' },
      'sma-cross: fast has no values; give a range such as 5:50:5, a list such as 10,14,20 or one value such as 7.',
    ],
    [
      'an empty list',
      { fast: [] },
      'sma-cross: fast has no values; give a range such as 5:50:5, a list such as 10,14,20 or one value such as 7.',
    ],
  ])('rejects %s', (_problem, input, message) => {
    // Act
    const error = thrownBy(() => expandParamSpace(smaCross, input));

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(message);
  });

  it.each<[string, ParamSpaceInput, string]>([
    [
      'a range for a boolean',
      { longOnly: '0:1:1' },
      'with-switch: longOnly is true or false, so it takes true, false or the list true,false, not the range "0:1:1".',
    ],
    ['a number for a boolean', { longOnly: 2 }, 'with-switch: longOnly must be true or false, got 2.'],
    [
      'a repeated boolean',
      { longOnly: 'true,yes' },
      'with-switch: longOnly lists true more than once in the list "true,yes"; give each value once.',
    ],
  ])('rejects %s', (_problem, input, message) => {
    // Act
    const error = thrownBy(() => expandParamSpace(withSwitch, input));

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(message);
  });

  it('rejects a number parameter out of its bounds', () => {
    // Act
    const error = thrownBy(() => expandParamSpace(rsiReversion, { oversold: '90:110:10' }));

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(
      'rsi-reversion: oversold must be a number ≥ 0 and ≤ 100, got 110 in the range "90:110:10".',
    );
  });

  it('rejects a value repeated in another spelling', () => {
    // Act
    const error = thrownBy(() => expandParamSpace(rsiReversion, { oversold: '20, 25, 20.0' }));

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(
      'rsi-reversion: oversold lists 20 more than once in the list "20, 25, 20.0"; give each value once.',
    );
  });

  it("says so when the strategy's own rule rejects every combination", () => {
    // Act
    const error = thrownBy(() => expandParamSpace(smaCross, { fast: 30 }));

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(
      "sma-cross: every one of the 1 combinations is rejected by sma-cross's own rule " +
        '(e.g. fast (30) must be less than slow (20)); loosen the constraint or change the ranges.',
    );
  });

  it('says so when the constraint and the rule together reject every combination', () => {
    // Act
    const error = thrownBy(() => expandParamSpace(smaCross, SMA_GRID, { constraint: 'fast > slow' }));

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(
      'sma-cross: every one of the 100 combinations is rejected by the constraint "fast > slow" or ' +
        "sma-cross's own rule (e.g. fast (10) must be less than slow (10)); loosen the constraint or change the ranges.",
    );
  });

  it('says so when the constraint alone rejects every combination', () => {
    // Act
    const error = thrownBy(() =>
      expandParamSpace(rsiReversion, { period: '10,14' }, { constraint: 'period > 20' }),
    );

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(
      'rsi-reversion: every one of the 2 combinations is rejected by the constraint "period > 20"; ' +
        'loosen the constraint or change the ranges.',
    );
  });

  it('passes a bad constraint on as a ConstraintError listing the parameters', () => {
    // Act
    const error = thrownBy(() => expandParamSpace(smaCross, SMA_GRID, { constraint: 'fast < slwo' }));

    // Assess
    expect(error).toBeInstanceOf(ConstraintError);
    expect((error as Error).message).toBe(
      'Constraint "fast < slwo" uses slwo, which is not a parameter; the parameters are fast, slow.',
    );
  });

  it.each<[ParamSpaceOptions, string]>([
    [{ random: 0 }, 'random must be a whole number ≥ 1, got 0.'],
    [{ random: 2.5 }, 'random must be a whole number ≥ 1, got 2.5.'],
    [{ random: 5, seed: 1.5 }, 'seed must be a whole number, got 1.5.'],
    [{ maxCombinations: 0 }, 'maxCombinations must be a whole number ≥ 1, got 0.'],
  ])('rejects the options %j', (options, message) => {
    // Act
    const error = thrownBy(() => expandParamSpace(smaCross, SMA_GRID, options));

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(message);
  });
});

describe('expandParamSpace limits the grid size before building it', () => {
  it('refuses a billion-combination grid at once, naming its size', () => {
    // Prepare
    const space = { fast: '1:1000:1', slow: '2:1000001:1' };

    // Act
    const error = thrownBy(() => expandParamSpace(smaCross, space));

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(
      'sma-cross: the grid has 1,000,000,000 combinations, more than the limit of 1,000,000; ' +
        'use larger steps or shorter ranges, or raise maxCombinations.',
    );
  });

  it('counts the grid before the constraint against maxCombinations', () => {
    // Act
    const error = thrownBy(() => expandParamSpace(smaCross, SMA_GRID, { maxCombinations: 99 }));
    const atTheLimit = expandParamSpace(smaCross, SMA_GRID, { maxCombinations: 100 });

    // Assess
    expect((error as Error).message).toBe(
      'sma-cross: the grid has 100 combinations, more than the limit of 99; ' +
        'use larger steps or shorter ranges, or raise maxCombinations.',
    );
    expect(atTheLimit.combinations).toHaveLength(75);
  });
});

describe('expandParamSpace picks random combinations', () => {
  const constrainedGrid = expandParamSpace(smaCross, SMA_GRID).combinations;
  const gridPosition = (combination: object) =>
    constrainedGrid.findIndex((candidate) => JSON.stringify(candidate) === JSON.stringify(combination));

  it('picks the same distinct combinations from the constrained grid for the same seed, in grid order', () => {
    // Act
    const first = expandParamSpace(smaCross, SMA_GRID, { random: 10, seed: 7 });
    const second = expandParamSpace(smaCross, SMA_GRID, { random: 10, seed: 7 });

    // Assess
    expect(first).toEqual(second);
    expect(first.gridSize).toBe(100);
    expect(first.rejectedByConstraint).toBe(25);
    const positions = first.combinations.map(gridPosition);
    expect(positions).toHaveLength(10);
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(new Set(positions).size).toBe(10);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('picks differently for a different seed, and uses seed 1 by default', () => {
    // Act
    const seedOne = expandParamSpace(smaCross, SMA_GRID, { random: 5, seed: 1 });
    const seedTwo = expandParamSpace(smaCross, SMA_GRID, { random: 5, seed: 2 });
    const unseeded = expandParamSpace(smaCross, SMA_GRID, { random: 5 });

    // Assess
    expect(seedOne.combinations).not.toEqual(seedTwo.combinations);
    expect(unseeded.combinations).toEqual(seedOne.combinations);
  });

  it('returns the whole constrained grid when asked for as many or more', () => {
    // Act
    const asMany = expandParamSpace(smaCross, SMA_GRID, { random: 75, seed: 3 });
    const more = expandParamSpace(smaCross, SMA_GRID, { random: 500, seed: 3 });

    // Assess
    expect(asMany.combinations).toEqual(constrainedGrid);
    expect(more.combinations).toEqual(constrainedGrid);
  });
});

describe('seeded random numbers', () => {
  it('repeat for a seed and stay in [0, 1)', () => {
    // Prepare
    const first = createSeededRandom(42);
    const second = createSeededRandom(42);

    // Act
    const a = Array.from({ length: 1000 }, first);
    const b = Array.from({ length: 1000 }, second);

    // Assess
    expect(a).toEqual(b);
    expect(a.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('pick every index about equally often', () => {
    // Prepare
    const random = createSeededRandom(9);
    const timesPicked = [0, 0, 0, 0, 0];

    // Act
    for (let draw = 0; draw < 5000; draw++) {
      for (const index of pickDistinctIndices(5, 2, random)) timesPicked[index]!++;
    }

    // Assess: each index is picked with probability 2/5, so about 2,000 times in 5,000 draws
    for (const count of timesPicked) expect(Math.abs(count - 2000)).toBeLessThan(150);
  });
});

describe('parseGridFlag', () => {
  it.each<[string, [string, string]]>([
    ['fast=5:50:5', ['fast', '5:50:5']],
    ['period=10,14,20', ['period', '10,14,20']],
    [' slow = 7 ', ['slow', '7']],
    ['longOnly=true,false', ['longOnly', 'true,false']],
  ])('reads %j', (flag, expected) => {
    // Act
    const parsed = parseGridFlag(flag);

    // Assess
    expect(parsed).toEqual(expected);
  });

  it('gives values that expandParamSpace reads', () => {
    // Prepare
    const space = Object.fromEntries([parseGridFlag('fast=5,10'), parseGridFlag('slow=20:30:10')]);

    // Act
    const expanded = expandParamSpace(smaCross, space);

    // Assess
    expect(expanded.combinations).toEqual([
      { fast: 5, slow: 20 },
      { fast: 5, slow: 30 },
      { fast: 10, slow: 20 },
      { fast: 10, slow: 30 },
    ]);
  });

  it.each([
    [
      'fast',
      '--grid "fast" has no "="; write --grid name=start:stop:step, name=a,b,c or name=value, e.g. --grid fast=5:50:5.',
    ],
    [
      '=5:50:5',
      '--grid "=5:50:5" has no parameter name before "="; ' +
        'write --grid name=start:stop:step, name=a,b,c or name=value, e.g. --grid fast=5:50:5.',
    ],
    [
      'fast=',
      '--grid "fast=" has no values after "="; ' +
        'write --grid name=start:stop:step, name=a,b,c or name=value, e.g. --grid fast=5:50:5.',
    ],
  ])('rejects %j', (flag, message) => {
    // Act
    const error = thrownBy(() => parseGridFlag(flag));

    // Assess
    expect(error).toBeInstanceOf(ParamSpaceError);
    expect((error as Error).message).toBe(message);
  });
});
