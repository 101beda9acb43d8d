import { isoTime } from '../market-data/parse-time';
import type { Dataset } from './dataset';
import type { SimulationResult } from './engine';
import type { Trade } from './trade';

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

/** Backtest statistics; the README defines each. A value that would be NaN or infinite is null. */
export interface BacktestStats {
  start: string;
  end: string;
  durationDays: number;
  bars: number;
  trades: number;
  exposurePct: number;
  equityFinal: number;
  equityPeak: number;
  commissions: number;
  returnPct: number;
  buyHoldReturnPct: number | null;
  returnAnnPct: number | null;
  volatilityAnnPct: number | null;
  cagrPct: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  maxDrawdownPct: number;
  avgDrawdownPct: number | null;
  maxDrawdownDurationDays: number | null;
  avgDrawdownDurationDays: number | null;
  winRatePct: number | null;
  bestTradePct: number | null;
  worstTradePct: number | null;
  avgTradePct: number | null;
  expectancyPct: number | null;
  profitFactor: number | null;
  sqn: number | null;
  kelly: number | null;
  maxTradeDurationDays: number | null;
  avgTradeDurationDays: number | null;
}

/** A finite number, or null in its place. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

interface DrawdownSummary {
  maxDrawdown: number;
  averageDepth: number;
  maxDurationDays: number;
  averageDurationDays: number;
}

/** Drawdown episodes: runs of bars below the running peak, from the peak bar to recovery (or the end). */
function summariseDrawdowns(equity: Float64Array, time: Float64Array, start: number): DrawdownSummary {
  let peak = Number.NEGATIVE_INFINITY;
  let peakBar = 0;
  let maxDrawdown = 0;
  let episodeDepth = 0;
  let episodes = 0;
  let depthSum = 0;
  let durationSum = 0;
  let maxDuration = Number.NaN;
  const last = equity.length - 1;
  for (let i = 0; i <= last; i++) {
    const value = equity[i]!;
    const recovered = value >= peak;
    if (!recovered) {
      const drawdown = 1 - value / peak;
      if (drawdown > episodeDepth) episodeDepth = drawdown;
    }
    // An episode ends when equity is back at its peak, or with the data.
    if (episodeDepth > 0 && (recovered || i === last)) {
      const days = (time[start + i]! - time[start + peakBar]!) / DAY_MS;
      episodes++;
      depthSum += episodeDepth;
      durationSum += days;
      if (!(days <= maxDuration)) maxDuration = days;
      if (episodeDepth > maxDrawdown) maxDrawdown = episodeDepth;
      episodeDepth = 0;
    }
    if (recovered) {
      peak = value;
      peakBar = i;
    }
  }
  return {
    maxDrawdown,
    averageDepth: depthSum / episodes,
    maxDurationDays: maxDuration,
    averageDurationDays: durationSum / episodes,
  };
}

interface TradeSummary {
  winRate: number;
  best: number;
  worst: number;
  geometricAverage: number;
  expectancy: number;
  profitFactor: number;
  sqn: number;
  kelly: number;
  maxDurationDays: number;
  averageDurationDays: number;
}

// Reads the trades directly, without scratch arrays: typed-array allocation contends across worker threads.
function summariseTrades(trades: readonly Trade[]): TradeSummary {
  const n = trades.length;
  let wins = 0;
  let winPnl = 0;
  let losses = 0;
  let lossPnl = 0;
  let positiveReturns = 0;
  let negativeReturns = 0;
  let returnSum = 0;
  let logGrowthSum = 0;
  let pnlSum = 0;
  let best = Number.NaN;
  let worst = Number.NaN;
  let durationSum = 0;
  let maxDuration = Number.NaN;
  for (let i = 0; i < n; i++) {
    const trade = trades[i]!;
    const r = trade.returnPct / 100;
    returnSum += r;
    // A return of −100% or worse has no geometric mean: NaN carries through.
    logGrowthSum += 1 + r > 0 ? Math.log(1 + r) : Number.NaN;
    pnlSum += trade.pnl;
    if (trade.pnl > 0) {
      wins++;
      winPnl += trade.pnl;
    } else if (trade.pnl < 0) {
      losses++;
      lossPnl -= trade.pnl;
    }
    if (r > 0) positiveReturns += r;
    else if (r < 0) negativeReturns -= r;
    if (!(r <= best)) best = r;
    if (!(r >= worst)) worst = r;
    const days = (trade.exitTime - trade.entryTime) / DAY_MS;
    durationSum += days;
    if (!(days <= maxDuration)) maxDuration = days;
  }
  const meanPnl = pnlSum / n;
  let pnlSquares = 0;
  for (let i = 0; i < n; i++) pnlSquares += (trades[i]!.pnl - meanPnl) ** 2;
  const pnlStd = n > 1 ? Math.sqrt(pnlSquares / (n - 1)) : Number.NaN;
  const winRate = wins / n;
  return {
    winRate,
    best,
    worst,
    geometricAverage: Math.exp(logGrowthSum / n) - 1,
    expectancy: returnSum / n,
    profitFactor: positiveReturns / negativeReturns,
    sqn: (Math.sqrt(n) * meanPnl) / pnlStd,
    kelly: winRate - (1 - winRate) / (winPnl / wins / (lossPnl / losses)),
    maxDurationDays: maxDuration,
    averageDurationDays: durationSum / n,
  };
}

/** Computes every statistic of one simulation over its dataset's tested range. */
export function computeStats(dataset: Dataset, result: SimulationResult, cash: number): BacktestStats {
  const { bars, start, end, periodicity } = dataset;
  const { equity, trades } = result;
  const barCount = end - start + 1;
  const equityFinal = equity[barCount - 1]!;
  let equityPeak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < barCount; i++) if (equity[i]! > equityPeak) equityPeak = equity[i]!;

  const firstIndicatorBar = Math.max(start, result.warmupBar);
  const buyHold =
    firstIndicatorBar <= end ? (bars.close[end]! / bars.close[firstIndicatorBar]! - 1) * 100 : Number.NaN;

  // Per-period simple returns r between consecutive period-end equities, read in place (nothing allocated).
  const ends = periodicity.periodEnds;
  const count = ends.length - 1;
  const periodReturn = (k: number) => equity[ends[k + 1]! - start]! / equity[ends[k]! - start]! - 1;
  let allPositive = true;
  let returnSum = 0;
  for (let k = 0; k < count; k++) {
    if (!(equity[ends[k]! - start]! > 0)) allPositive = false;
    returnSum += periodReturn(k);
  }
  const averageReturn = returnSum / count;
  let squares = 0;
  let downsideSquares = 0;
  for (let k = 0; k < count; k++) {
    const r = periodReturn(k);
    squares += (r - averageReturn) ** 2;
    if (r < 0) downsideSquares += r * r;
  }
  const periodsPerYear = periodicity.periodsPerYear;
  // The product of (1 + r) telescopes to last / first equity, so no logarithm per period is needed.
  const growth = equity[ends[count]! - start]! / equity[ends[0]! - start]!;
  const g = allPositive && growth > 0 && count > 0 ? growth ** (1 / count) - 1 : Number.NaN;
  const annualReturn = (1 + g) ** periodsPerYear - 1;
  const variance = count > 1 ? squares / (count - 1) : Number.NaN;
  const annualVolatility = Math.sqrt(
    (variance + (1 + g) ** 2) ** periodsPerYear - (1 + g) ** (2 * periodsPerYear),
  );
  const downside = Math.sqrt(downsideSquares / count) * Math.sqrt(periodsPerYear);
  const years = (bars.time[end]! - bars.time[start]!) / YEAR_MS;
  const drawdowns = summariseDrawdowns(equity, bars.time, start);
  const tradeSummary = summariseTrades(trades);

  return {
    start: isoTime(bars.time[start]!),
    end: isoTime(bars.time[end]!),
    durationDays: (bars.time[end]! - bars.time[start]!) / DAY_MS,
    bars: barCount,
    trades: trades.length,
    exposurePct: (result.exposedBars / barCount) * 100,
    equityFinal,
    equityPeak,
    commissions: result.commissions,
    returnPct: (equityFinal / cash - 1) * 100,
    buyHoldReturnPct: finiteOrNull(buyHold),
    returnAnnPct: finiteOrNull(annualReturn * 100),
    volatilityAnnPct: finiteOrNull(annualVolatility * 100),
    cagrPct: finiteOrNull(((equityFinal / cash) ** (1 / years) - 1) * 100),
    sharpe: finiteOrNull(annualReturn / annualVolatility),
    sortino: finiteOrNull(annualReturn / downside),
    calmar: finiteOrNull(annualReturn / drawdowns.maxDrawdown),
    maxDrawdownPct: drawdowns.maxDrawdown === 0 ? 0 : -drawdowns.maxDrawdown * 100,
    avgDrawdownPct: finiteOrNull(-drawdowns.averageDepth * 100),
    maxDrawdownDurationDays: finiteOrNull(drawdowns.maxDurationDays),
    avgDrawdownDurationDays: finiteOrNull(drawdowns.averageDurationDays),
    winRatePct: finiteOrNull(tradeSummary.winRate * 100),
    bestTradePct: finiteOrNull(tradeSummary.best * 100),
    worstTradePct: finiteOrNull(tradeSummary.worst * 100),
    avgTradePct: finiteOrNull(tradeSummary.geometricAverage * 100),
    expectancyPct: finiteOrNull(tradeSummary.expectancy * 100),
    profitFactor: finiteOrNull(tradeSummary.profitFactor),
    sqn: finiteOrNull(tradeSummary.sqn),
    kelly: finiteOrNull(tradeSummary.kelly),
    maxTradeDurationDays: finiteOrNull(tradeSummary.maxDurationDays),
    avgTradeDurationDays: finiteOrNull(tradeSummary.averageDurationDays),
  };
}
