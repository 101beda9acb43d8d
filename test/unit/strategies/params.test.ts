import { describe, expect, it } from '@jest/globals';
import { builtinStrategies, findBuiltinStrategy } from '@shared/strategies/builtin';
import { resolveParams } from '@shared/strategies/params';
import { assertStrategy } from '@shared/strategies/strategy-schema';

const rsiReversion = findBuiltinStrategy('rsi-reversion')!;

describe('resolveParams', () => {
  it('fills defaults and converts command-line text', () => {
    expect(resolveParams(rsiReversion, { period: '10', oversold: '25.5' })).toEqual({
      period: 10,
      oversold: 25.5,
      overbought: 70,
    });
  });

  it.each([
    [{ period: 'ten' }, 'rsi-reversion: period must be a whole number ≥ 2, got "ten".'],
    [{ period: '2.5' }, 'rsi-reversion: period must be a whole number ≥ 2, got "2.5".'],
    [{ period: '1' }, 'rsi-reversion: period must be a whole number ≥ 2, got "1".'],
    [{ oversold: '120' }, 'rsi-reversion: oversold must be a number ≥ 0 and ≤ 100, got "120".'],
    [
      { perod: '3' },
      'rsi-reversion has no parameter "perod"; its parameters are period, oversold, overbought.',
    ],
    [{ oversold: '80' }, 'rsi-reversion: oversold (80) must be below overbought (70).'],
  ])('rejects %j with a message naming the parameter', (raw, message) => {
    expect(() => resolveParams(rsiReversion, raw)).toThrow(message);
  });
});

describe('built-in strategies', () => {
  it('are the six the README documents, each valid with its defaults', () => {
    expect(builtinStrategies.map((s) => s.name)).toEqual([
      'sma-cross',
      'ema-cross',
      'rsi-reversion',
      'bollinger-breakout',
      'donchian-breakout',
      'macd-cross',
    ]);
    for (const strategy of builtinStrategies) {
      expect(assertStrategy(strategy, strategy.name)).toBe(strategy);
      expect(() => resolveParams(strategy)).not.toThrow();
    }
  });
});

describe('assertStrategy', () => {
  it('lists every problem of a malformed strategy by field', () => {
    const bad = {
      name: 'My Strategy',
      params: { fast: { type: 'int', default: 1.5 } },
      indicators: () => ({}),
    };
    expect(() => assertStrategy(bad, 'mine.ts')).toThrow(
      /mine\.ts does not export a valid strategy:\n {2}- name: name must be kebab-case[^\n]*\n {2}- params\.fast: [^\n]+\n {2}- signal: signal must be a function/,
    );
  });
});
