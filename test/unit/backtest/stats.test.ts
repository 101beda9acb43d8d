import { describe, expect, it } from '@jest/globals';
import { prepareDataset } from '@shared/backtest/dataset';
import type { SimulationResult } from '@shared/backtest/engine';
import { computeStats } from '@shared/backtest/stats';
import type { Trade } from '@shared/backtest/trade';
import { summariseTrades } from '@shared/backtest/trade-stats';
import { barsFrom } from '../../support/bars';

const DAY_MS = 86_400_000;

function tradeWith(pnl: number, returnPct: number, entryTime: number, exitTime: number): Trade {
  return {
    entryBar: 0,
    exitBar: 1,
    entryTime,
    exitTime,
    side: 'long',
    size: 1,
    entryPrice: 100,
    exitPrice: 100,
    pnl,
    returnPct,
    commission: 0,
    exitReason: 'signal',
  };
}

function simulation(
  equity: number[],
  trades: Trade[] = [],
  extra: Partial<SimulationResult> = {},
): SimulationResult {
  return {
    equity: Float64Array.from(equity),
    trades,
    tradeStats: summariseTrades(trades),
    openTrade: undefined,
    commissions: 0,
    exposedBars: 0,
    warmupBar: 0,
    ...extra,
  };
}

describe('equity statistics on a hand-computed series', () => {
  // Weekdays Mon 2024-01-01 … Mon 2024-01-08: daily data without weekend bars, so D = 252.
  const bars = barsFrom([100, 101, 102, 103, 104, 110]);
  const dataset = prepareDataset(bars);
  // Daily returns +10%, −10%, +20%, 0, −10%.
  const equity = [1000, 1100, 990, 1188, 1188, 1069.2];
  const stats = computeStats(dataset, simulation(equity, [], { exposedBars: 3, commissions: 12.5 }), 1000);
  const r = [0.1, -0.1, 0.2, 0, -0.1];
  const g = Math.exp((Math.log(1.1) + Math.log(0.9) + Math.log(1.2) + Math.log(1) + Math.log(0.9)) / 5) - 1;
  const mean = 0.1 / 5;
  const variance = r.reduce((sum, x) => sum + (x - mean) ** 2, 0) / 4;
  const annual = (1 + g) ** 252 - 1;
  const volatility = Math.sqrt((variance + (1 + g) ** 2) ** 252 - (1 + g) ** 504);

  it('reports range, equity and return figures', () => {
    expect(stats).toMatchObject({
      start: '2024-01-01T00:00:00.000Z',
      end: '2024-01-08T00:00:00.000Z',
      durationDays: 7,
      bars: 6,
      trades: 0,
      equityFinal: 1069.2,
      equityPeak: 1188,
      commissions: 12.5,
      exposurePct: 50,
    });
    expect(stats.returnPct).toBeCloseTo(6.92, 10);
    expect(stats.buyHoldReturnPct).toBeCloseTo(10, 10);
  });

  it('annualises the geometric mean daily return with D = 252', () => {
    expect(g).toBeCloseTo(0.0134721, 6);
    expect(stats.returnAnnPct).toBeCloseTo(annual * 100, 8);
    expect(stats.volatilityAnnPct).toBeCloseTo(volatility * 100, 8);
    expect(stats.sharpe).toBeCloseTo(annual / volatility, 10);
    const downside = Math.sqrt((0.01 + 0.01) / 5) * Math.sqrt(252);
    expect(stats.sortino).toBeCloseTo(annual / downside, 10);
    expect(stats.calmar).toBeCloseTo(annual / 0.1, 10);
    expect(stats.cagrPct).toBeCloseTo((1.0692 ** (1 / (7 / 365.25)) - 1) * 100, 6);
  });

  it('measures drawdown episodes from peak to recovery, or to the end', () => {
    // 1100 → 990 recovers at 1188 (Jan 2 → Jan 4, 2 days); 1188 (Jan 5) → 1069.2 never recovers (→ Jan 8, 3 days).
    expect(stats.maxDrawdownPct).toBeCloseTo(-10, 10);
    expect(stats.avgDrawdownPct).toBeCloseTo(-10, 10);
    expect(stats.maxDrawdownDurationDays).toBe(3);
    expect(stats.avgDrawdownDurationDays).toBe(2.5);
  });

  it('gives null, not NaN, for trade statistics without trades', () => {
    for (const key of [
      'winRatePct',
      'bestTradePct',
      'worstTradePct',
      'avgTradePct',
      'expectancyPct',
      'profitFactor',
      'sqn',
      'kelly',
    ] as const) {
      expect(stats[key]).toBeNull();
    }
    expect(JSON.parse(JSON.stringify(stats)).sqn).toBeNull();
  });
});

describe('annualisation follows the data period', () => {
  it('uses D = 12 on month-end data, one return per month', () => {
    const months = barsFrom([1, 1, 1, 1]);
    months.time.set(
      ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30'].map((day) => Date.parse(`${day}T00:00:00Z`)),
    );
    const stats = computeStats(prepareDataset(months), simulation([100, 110, 121, 133.1]), 100);
    expect(stats.returnAnnPct).toBeCloseTo((1.1 ** 12 - 1) * 100, 8);
    expect(stats.volatilityAnnPct).toBeCloseTo(0, 8);
  });

  it('uses D = 365 on calendar-day data with weekends', () => {
    const days = barsFrom([1, 1, 1, 1, 1, 1, 1, 1], { stepMs: DAY_MS });
    const stats = computeStats(
      prepareDataset(days),
      simulation([100, 101, 102.01, 103.0301, 104.060401, 105.10100501, 106.1520150601, 107.213535210701]),
      100,
    );
    expect(stats.returnAnnPct).toBeCloseTo((1.01 ** 365 - 1) * 100, 6);
  });
});

describe('trade statistics on hand-computed trades', () => {
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  const trades = [
    tradeWith(100, 10, t0, t0 + 2 * DAY_MS),
    tradeWith(-50, -5, t0, t0 + 4 * DAY_MS),
    tradeWith(200, 20, t0, t0 + 1 * DAY_MS),
    tradeWith(-100, -10, t0, t0 + 1 * DAY_MS),
  ];
  const dataset = prepareDataset(barsFrom([1, 1, 1]));
  const stats = computeStats(dataset, simulation([1000, 1000, 1150], trades), 1000);

  it('computes win rate, best, worst, geometric and arithmetic means', () => {
    expect(stats.trades).toBe(4);
    expect(stats.winRatePct).toBe(50);
    expect(stats.bestTradePct).toBeCloseTo(20, 12);
    expect(stats.worstTradePct).toBeCloseTo(-10, 12);
    expect(stats.avgTradePct).toBeCloseTo((1.1286 ** 0.25 - 1) * 100, 10);
    expect(stats.expectancyPct).toBeCloseTo(3.75, 12);
  });

  it('computes profit factor, SQN and Kelly', () => {
    expect(stats.profitFactor).toBeCloseTo(2, 12);
    // mean PnL 37.5, sample std sqrt(56875 / 3)
    expect(stats.sqn).toBeCloseTo((2 * 37.5) / Math.sqrt(56875 / 3), 12);
    expect(stats.kelly).toBeCloseTo(0.5 - 0.5 / (150 / 75), 12);
    expect(stats.maxTradeDurationDays).toBe(4);
    expect(stats.avgTradeDurationDays).toBe(2);
  });

  it('gives null for a profit factor without losing trades', () => {
    const winners = computeStats(dataset, simulation([1000, 1000, 1100], [trades[0]!]), 1000);
    expect(winners.profitFactor).toBeNull();
    expect(winners.sqn).toBeNull();
  });
});
