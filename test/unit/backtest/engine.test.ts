import { describe, expect, it } from '@jest/globals';
import { backtest } from '@shared/backtest/backtest';
import { StrategyError } from '@shared/backtest/engine';
import { defineStrategy } from '@shared/strategies/api';
import { smaCross } from '@shared/strategies/builtin/sma-cross';
import { type BarSpec, barsFrom, barsFromCloses } from '../../support/bars';
import { scriptedStrategy } from '../../support/scripted-strategy';

// Six bars rising by one each day; opens 10, 10, 12, 13, 14, 15.
const RISING: BarSpec[] = [
  [10, 11, 9, 10],
  [10, 12, 9, 11],
  [12, 13, 11, 12],
  [13, 14, 12, 13],
  [14, 15, 13, 14],
  [15, 16, 14, 15],
];

describe('fills, sizing and commissions', () => {
  it('fills a decision at the next open, all-in in whole units, and charges commission on entry and exit', () => {
    // Prepare
    const { strategy } = scriptedStrategy({ 1: 'long', 3: 'exit' });
    // Act
    const result = backtest(barsFrom(RISING), strategy, {}, { cash: 1000, commission: 0.01 });
    // Assess: size = floor(1000 / (12 × 1.01)) = 82; entry commission 9.84, exit 82 × 14 × 0.01 = 11.48.
    expect(result.trades).toHaveLength(1);
    const trade = result.trades[0]!;
    expect(trade).toMatchObject({
      entryBar: 2,
      exitBar: 4,
      side: 'long',
      size: 82,
      entryPrice: 12,
      exitPrice: 14,
    });
    expect(trade.commission).toBeCloseTo(9.84 + 11.48, 10);
    expect(trade.pnl).toBeCloseTo(164 - 21.32, 10);
    expect(trade.returnPct).toBeCloseTo((142.68 / 984) * 100, 10);
    expect(Array.from(result.equity)).toEqual([
      1000,
      1000,
      expect.closeTo(990.16, 9),
      expect.closeTo(1072.16, 9),
      expect.closeTo(1142.68, 9),
      expect.closeTo(1142.68, 9),
    ]);
    expect(result.stats.commissions).toBeCloseTo(21.32, 10);
    expect(result.stats.exposurePct).toBeCloseTo(50, 10);
    expect(result.openTrade).toBeUndefined();
  });

  it('never fills an order placed on the last bar, and does not ask the strategy there', () => {
    const { strategy, asked } = scriptedStrategy({ 5: 'long' });
    const result = backtest(barsFrom(RISING), strategy, {}, { commission: 0 });
    expect(result.trades).toHaveLength(0);
    expect(result.openTrade).toBeUndefined();
    expect(asked).toEqual([0, 1, 2, 3, 4]);
  });

  it('does not trade until every indicator has a value', () => {
    const { strategy, asked } = scriptedStrategy({ 1: 'long', 3: 'long' }, 2);
    const result = backtest(barsFrom(RISING), strategy, {}, { commission: 0 });
    expect(asked[0]).toBe(2);
    expect(result.openTrade).toMatchObject({ entryBar: 4, entryPrice: 14 });
    expect(result.stats.buyHoldReturnPct).toBeCloseTo((15 / 12 - 1) * 100, 10);
  });
});

describe('exclusive orders', () => {
  it('reverses on an opposite signal at one fill, sizing the new side from the cash after closing', () => {
    const { strategy } = scriptedStrategy({ 1: 'long', 3: 'short' });
    const result = backtest(barsFrom(RISING), strategy, {}, { cash: 1000, commission: 0 });
    // Long 83 @ 12 (cash 4), closed @ 14 → cash 1166; short floor(1166 / 14) = 83 @ 14 → cash 2328.
    expect(result.trades).toEqual([
      expect.objectContaining({ side: 'long', size: 83, entryBar: 2, exitBar: 4, pnl: 166 }),
    ]);
    expect(result.openTrade).toMatchObject({
      side: 'short',
      size: -83,
      entryBar: 4,
      entryPrice: 14,
      exitPrice: 15,
      pnl: -83,
    });
    expect(result.equity[5]).toBeCloseTo(2328 - 83 * 15, 9);
    expect(result.stats.trades).toBe(1);
  });

  it('tells the strategy the side it holds at each close', () => {
    const { strategy, positions } = scriptedStrategy({ 1: 'long', 2: 'short' });
    backtest(barsFrom(RISING), strategy, {}, { commission: 0 });
    expect(positions).toEqual(['flat', 'flat', 'long', 'short', 'short']);
  });

  it('ignores a signal in the direction already held and an exit while flat', () => {
    const { strategy } = scriptedStrategy({ 0: 'exit', 1: 'long', 2: 'long', 3: 'exit' });
    const result = backtest(barsFrom(RISING), strategy, {}, { commission: 0 });
    expect(result.trades.map((t) => [t.entryBar, t.exitBar])).toEqual([[2, 4]]);
  });

  it('turns a short signal into a close with --long-only, and never opens a short', () => {
    const { strategy } = scriptedStrategy({ 0: 'short', 1: 'long', 3: 'short' });
    const result = backtest(barsFrom(RISING), strategy, {}, { commission: 0, longOnly: true });
    expect(result.trades.map((t) => [t.side, t.entryBar, t.exitBar])).toEqual([['long', 2, 4]]);
    expect(result.openTrade).toBeUndefined();
  });
});

describe('stop-loss and take-profit', () => {
  const setup: BarSpec[] = [
    [100, 101, 99, 100],
    [100, 101, 99, 100],
    [100, 102, 98, 101],
  ];
  const run = (third: BarSpec, side: 'long' | 'short' = 'long', entryBar?: BarSpec) => {
    const rows = [...setup];
    if (entryBar) rows[2] = entryBar;
    const { strategy } = scriptedStrategy({ 1: side });
    return backtest(
      barsFrom([...rows, third, [100, 101, 99, 100]]),
      strategy,
      {},
      {
        commission: 0,
        stopLossPct: 5,
        takeProfitPct: 10,
      },
    );
  };

  it('fills a long stop at its level when the low reaches it', () => {
    expect(run([101, 103, 94, 96]).trades[0]).toMatchObject({
      exitBar: 3,
      exitPrice: 95,
      exitReason: 'stop-loss',
    });
  });

  it('fills at the open when the bar gaps through the stop', () => {
    expect(run([93, 94, 90, 92]).trades[0]).toMatchObject({
      exitBar: 3,
      exitPrice: 93,
      exitReason: 'stop-loss',
    });
  });

  it('fills a take-profit at its level, or at the open on a gap', () => {
    expect(run([101, 111, 100, 108]).trades[0]).toMatchObject({
      exitPrice: expect.closeTo(110, 9),
      exitReason: 'take-profit',
    });
    expect(run([112, 113, 111, 112]).trades[0]).toMatchObject({ exitPrice: 112, exitReason: 'take-profit' });
  });

  it('lets the stop-loss win when both levels are inside one bar', () => {
    expect(run([101, 111, 94, 100]).trades[0]).toMatchObject({ exitPrice: 95, exitReason: 'stop-loss' });
  });

  it('checks the levels from the entry bar on', () => {
    const result = run([100, 101, 99, 100], 'long', [100, 102, 94, 96]);
    expect(result.trades[0]).toMatchObject({
      entryBar: 2,
      exitBar: 2,
      exitPrice: 95,
      exitReason: 'stop-loss',
    });
  });

  it('mirrors the levels for a short', () => {
    expect(run([101, 106, 100, 104], 'short').trades[0]).toMatchObject({
      exitPrice: 105,
      exitReason: 'stop-loss',
    });
    expect(run([95, 96, 89, 90], 'short').trades[0]).toMatchObject({
      exitPrice: 90,
      exitReason: 'take-profit',
    });
  });
});

describe('spread, slippage and sizes', () => {
  const bars = barsFrom([100, 100, 100, 110, 110, 90, 90]);

  it('applies the spread on entry and slippage against the trader on entry and exit', () => {
    const { strategy } = scriptedStrategy({ 1: 'long', 3: 'short', 5: 'exit' });
    const result = backtest(
      bars,
      strategy,
      {},
      { commission: 0, spread: 0.01, slippageBps: 10, fractional: true },
    );
    const [long, short] = result.trades;
    expect(long!.entryPrice).toBeCloseTo(100 * 1.01 * 1.001, 10);
    expect(long!.exitPrice).toBeCloseTo(110 * 0.999, 10);
    expect(short!.entryPrice).toBeCloseTo(110 * 0.99 * 0.999, 10);
    expect(short!.exitPrice).toBeCloseTo(90 * 1.001, 10);
  });

  it('sizes fractional units, rounded down to the lot step', () => {
    const prices = barsFrom([12, 12, 12, 12]);
    const { strategy } = scriptedStrategy({ 1: 'long' });
    const size = (options: object) =>
      backtest(prices, strategy, {}, { cash: 1000, commission: 0, ...options }).openTrade?.size;
    expect(size({})).toBe(83);
    expect(size({ fractional: true })).toBeCloseTo(1000 / 12, 12);
    expect(size({ fractional: true, lotStep: 0.1 })).toBe(83.3);
    expect(size({ fractional: true, lotStep: 0.001 })).toBe(83.333);
    expect(size({ lotStep: 10 })).toBe(80);
  });

  it('rejects a fractional lot step without --fractional', () => {
    const { strategy } = scriptedStrategy({});
    expect(() => backtest(bars, strategy, {}, { lotStep: 0.5 })).toThrow(/fractional/);
  });
});

describe('range and end of data', () => {
  const closes = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

  it('tests only --from..--to, warming indicators up on earlier bars and never reading later ones', () => {
    const bars = barsFromCloses(closes);
    const { strategy, asked } = scriptedStrategy({ 1: 'long', 4: 'long', 7: 'exit' }, 2);
    let seenLength = 0;
    const watching = {
      ...strategy,
      indicators: (b: typeof bars, p: never, ta: never) => {
        seenLength = b.length;
        return strategy.indicators(b, p, ta);
      },
    };
    const result = backtest(bars, watching, {}, { commission: 0, from: bars.time[3], to: bars.time[7] });
    expect(seenLength).toBe(8);
    expect(asked).toEqual([3, 4, 5, 6]);
    expect(result.equity).toHaveLength(5);
    expect(result.stats.bars).toBe(5);
    expect(result.openTrade).toMatchObject({ entryBar: 5, exitBar: 7 });
    expect(result.stats.start).toBe(new Date(bars.time[3]!).toISOString());
    expect(result.stats.buyHoldReturnPct).toBeCloseTo((17 / 13 - 1) * 100, 10);
  });

  it('marks a trade still open at the last close without exit commission and leaves it out of trade stats', () => {
    const { strategy } = scriptedStrategy({ 1: 'long' });
    const result = backtest(barsFrom(RISING), strategy, {}, { cash: 1000, commission: 0.01 });
    const open = result.openTrade!;
    expect(open).toMatchObject({ entryBar: 2, exitBar: 5, exitPrice: 15, exitReason: 'end', size: 82 });
    expect(open.commission).toBeCloseTo(9.84, 10);
    expect(open.pnl).toBeCloseTo(82 * 3 - 9.84, 10);
    expect(result.equity[5]).toBeCloseTo(1000 - 984 - 9.84 + 82 * 15, 9);
    expect(result.stats.trades).toBe(0);
    expect(result.stats.winRatePct).toBeNull();
    expect(result.stats.exposurePct).toBeCloseTo((4 / 6) * 100, 10);
  });

  it('liquidates when equity reaches zero and stays at zero', () => {
    const bars = barsFrom([100, 100, 100, [150, 260, 150, 250], 120, 110]);
    const { strategy } = scriptedStrategy({ 1: 'short', 4: 'long' });
    const result = backtest(bars, strategy, {}, { cash: 1000, commission: 0 });
    expect(result.trades).toEqual([
      expect.objectContaining({ exitBar: 3, exitPrice: 250, pnl: -1500, exitReason: 'liquidated' }),
    ]);
    expect(Array.from(result.equity.subarray(3))).toEqual([0, 0, 0]);
    expect(result.stats.returnPct).toBe(-100);
    expect(result.openTrade).toBeUndefined();
  });
});

describe('sma-cross', () => {
  it('enters on strict crosses only: equality on the previous bar is not a cross', () => {
    // fast = SMA(2), slow = SMA(3). Bar 4 (a[3] = b[3]) and bar 7 (a[6] = b[6]) are not crosses;
    // bar 9 crosses above (fills long at bar 10), bar 11 crosses below (reverses at bar 12).
    const bars = barsFromCloses([10, 10, 10, 10, 13, 15, 11, 8, 8, 12, 13, 9, 7]);
    const result = backtest(bars, smaCross, { fast: '2', slow: '3' }, { commission: 0 });
    expect(result.trades.map((t) => [t.side, t.entryBar, t.exitBar, t.entryPrice, t.exitPrice])).toEqual([
      ['long', 10, 12, 12, 9],
    ]);
    expect(result.openTrade).toMatchObject({ side: 'short', entryBar: 12, entryPrice: 9, exitPrice: 7 });
    expect(result.warmupBar).toBe(2);
  });

  it('rejects fast >= slow with a message naming both', () => {
    expect(() => backtest(barsFromCloses([1, 2, 3]), smaCross, { fast: '30', slow: '20' })).toThrow(
      'sma-cross: fast (30) must be less than slow (20).',
    );
  });
});

describe('a strategy that breaks its contract', () => {
  const base = { name: 'broken', description: '', params: {} };

  it.each([
    [
      'an indicator of the wrong length',
      defineStrategy({ ...base, indicators: () => ({ short: new Float64Array(2) }), signal: () => null }),
      'broken: indicator "short" must be a Float64Array of 6 values (one per bar), got 2 values',
    ],
    [
      'indicators() throwing',
      defineStrategy({
        ...base,
        indicators: () => {
          throw new Error('no such column');
        },
        signal: () => null,
      }),
      'broken: indicators() failed: no such column',
    ],
    [
      'signal() throwing',
      defineStrategy({
        ...base,
        indicators: () => ({}),
        signal: (i) => {
          if (i === 3) throw new TypeError('cannot read x');
          return null;
        },
      }),
      'broken: signal() failed at bar 3: cannot read x',
    ],
  ])('reports %s as a StrategyError naming the strategy', (_case, strategy, message) => {
    const run = () => backtest(barsFrom(RISING), strategy);
    expect(run).toThrow(StrategyError);
    expect(run).toThrow(message);
  });
});
