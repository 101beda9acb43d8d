import { isoTime } from '../market-data/parse-time';
import type { Dataset } from './dataset';
import type { SimulationResult } from './engine';

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

/** Computes every statistic of one simulation over its dataset's tested range. */
export function computeStats(dataset: Dataset, result: SimulationResult, cash: number): BacktestStats {
  const { bars, start, end, periodicity } = dataset;
  const { equity } = result;
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
  const tradeSummary = result.tradeStats;

  return {
    start: isoTime(bars.time[start]!),
    end: isoTime(bars.time[end]!),
    durationDays: (bars.time[end]! - bars.time[start]!) / DAY_MS,
    bars: barCount,
    trades: tradeSummary.count,
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
