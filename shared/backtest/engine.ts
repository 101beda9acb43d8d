import type { Decision, IndicatorSeries, ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import type { Dataset } from './dataset';
import type { BacktestOptions } from './options';
import type { Trade } from './trade';
import { TradeStatsAccumulator, type TradeSummary } from './trade-stats';

/** A strategy broke its contract (wrong indicator length, an unknown decision). */
export class StrategyError extends Error {
  override readonly name = 'StrategyError';
}

/** The raw outcome of one simulation, before statistics. */
export interface SimulationResult {
  /** Cash plus the open position marked at each tested bar's close. */
  readonly equity: Float64Array;
  /** Closed trades, in order (empty for a lean run, which keeps only their statistics). */
  readonly trades: Trade[];
  /** Statistics of the closed trades. */
  readonly tradeStats: TradeSummary;
  /** The trade still open at the end, marked at the last close without exit commission. */
  readonly openTrade: Trade | undefined;
  /** Every commission paid, the open trade's entry commission included. */
  readonly commissions: number;
  /** Tested bars during which a position was open at any moment. */
  readonly exposedBars: number;
  /** First bar on which every indicator has a value (may lie past the tested range). */
  readonly warmupBar: number;
}

/**
 * A lean run, for sweeps: the equity curve goes into a reused buffer (valid until it is lent again) and closed
 * trades are only counted into statistics, not listed, so a run allocates almost nothing.
 */
export interface LeanRun {
  readonly equity: Float64Array;
}

const NO_ORDER = 0;
const EXIT_ORDER = 2;

/** Index of the first bar on which every indicator series has a value. */
export function indicatorWarmup(indicators: IndicatorSeries, length: number, strategyName: string): number {
  let warmup = 0;
  for (const [name, series] of Object.entries(indicators)) {
    if (!(series instanceof Float64Array) || series.length !== length) {
      throw new StrategyError(
        `${strategyName}: indicator "${name}" must be a Float64Array of ${length} values (one per bar), got ${
          series instanceof Float64Array ? `${series.length} values` : typeof series
        }`,
      );
    }
    let first = 0;
    while (first < length && Number.isNaN(series[first]!)) first++;
    if (first > warmup) warmup = first;
  }
  return warmup;
}

function lotDecimals(step: number): number {
  const [mantissa = '', exponent = '0'] = step.toExponential().split('e');
  const fractionDigits = (mantissa.split('.')[1] ?? '').length;
  return Math.max(0, fractionDigits - Number(exponent));
}

/**
 * Simulates a strategy over a dataset's tested range. Decisions on bar i fill at bar i+1's open; stops are
 * checked on each bar's high and low from the entry bar on. When equity at a close falls to zero or below, the
 * position is liquidated there and the run stops, as a broker would. The loop allocates nothing per bar.
 */
export function simulate(
  dataset: Dataset,
  strategy: Strategy,
  params: ParamValues<ParamSpecs>,
  options: BacktestOptions,
  lean?: LeanRun,
): SimulationResult {
  const { bars, start, end } = dataset;
  let indicators: IndicatorSeries;
  try {
    indicators = strategy.indicators(bars, params, dataset.ta);
  } catch (error) {
    throw new StrategyError(`${strategy.name}: indicators() failed: ${(error as Error).message}`);
  }
  const warmupBar = indicatorWarmup(indicators, bars.length, strategy.name);
  const { time, open, high, low, close } = bars;
  const testedBars = end - start + 1;
  // A sweep lends one buffer for every run: allocating typed arrays contends across worker threads.
  const equity =
    lean && lean.equity.length >= testedBars
      ? lean.equity.subarray(0, testedBars).fill(0)
      : new Float64Array(testedBars);
  const tradeStats = new TradeStatsAccumulator();
  const trades: Trade[] = [];
  const commissionRate = options.commission;
  const spread = options.spread;
  const slippage = options.slippageBps / 10_000;
  const stopDistance = options.stopLossPct === undefined ? Number.NaN : options.stopLossPct / 100;
  const takeDistance = options.takeProfitPct === undefined ? Number.NaN : options.takeProfitPct / 100;
  const lotStep = options.lotStep;
  const decimals = lotStep === undefined ? 0 : lotDecimals(lotStep);
  const firstDecision = Math.max(start, warmupBar);

  let cash = options.cash;
  let size = 0;
  let entryPrice = 0;
  let entryBar = -1;
  let entryCommission = 0;
  let stopLevel = Number.NaN;
  let takeLevel = Number.NaN;
  let pending = NO_ORDER;
  let commissions = 0;
  let exposedBars = 0;

  const affordableUnits = (price: number): number => {
    if (!(cash > 0)) return 0;
    const perUnit = price * (1 + commissionRate);
    const raw = cash / perUnit;
    if (lotStep === undefined) return options.fractional ? raw : Math.floor(raw);
    let lots = Math.floor(raw / lotStep + 1e-9);
    let units = Number((lots * lotStep).toFixed(decimals));
    while (units > 0 && units * perUnit > cash) {
      lots--;
      units = Number((lots * lotStep).toFixed(decimals));
    }
    return units;
  };

  const openPosition = (bar: number, basePrice: number, direction: number) => {
    const price = basePrice * (1 + direction * spread) * (1 + direction * slippage);
    const units = affordableUnits(price);
    if (!(units > 0)) return;
    size = direction * units;
    entryPrice = price;
    entryBar = bar;
    entryCommission = units * price * commissionRate;
    cash -= size * price + entryCommission;
    commissions += entryCommission;
    stopLevel = price * (1 - direction * stopDistance);
    takeLevel = price * (1 + direction * takeDistance);
  };

  /** The open position as a trade ending on `bar` at `price`, after an exit commission. */
  const tradeUntil = (
    bar: number,
    price: number,
    exitCommission: number,
    reason: Trade['exitReason'],
  ): Trade => {
    const pnl = size * (price - entryPrice) - entryCommission - exitCommission;
    return {
      entryBar,
      exitBar: bar,
      entryTime: time[entryBar]!,
      exitTime: time[bar]!,
      side: size > 0 ? 'long' : 'short',
      size,
      entryPrice,
      exitPrice: price,
      pnl,
      returnPct: (pnl / (Math.abs(size) * entryPrice)) * 100,
      commission: entryCommission + exitCommission,
      exitReason: reason,
    };
  };

  const closePosition = (bar: number, basePrice: number, reason: Trade['exitReason']) => {
    const direction = size > 0 ? 1 : -1;
    const price = basePrice * (1 - direction * slippage);
    const exitCommission = size * direction * price * commissionRate;
    cash += size * price - exitCommission;
    commissions += exitCommission;
    const pnl = size * (price - entryPrice) - entryCommission - exitCommission;
    tradeStats.add(pnl, (pnl / (Math.abs(size) * entryPrice)) * 100, time[entryBar]!, time[bar]!);
    if (!lean) trades.push(tradeUntil(bar, price, exitCommission, reason));
    size = 0;
  };

  let decidingBar = -1;
  try {
    for (let i = start; i <= end; i++) {
      let exposed = false;
      if (pending !== NO_ORDER) {
        const price = open[i]!;
        if (size !== 0 && (pending === EXIT_ORDER || pending * size < 0)) {
          closePosition(i, price, 'signal');
          exposed = true;
        }
        if (pending !== EXIT_ORDER) openPosition(i, price, pending);
        pending = NO_ORDER;
      }
      if (size !== 0) {
        exposed = true;
        // A gap through a level fills at the open; within the bar the stop-loss wins over the take-profit.
        const barOpen = open[i]!;
        if (size > 0) {
          if (barOpen <= stopLevel) closePosition(i, barOpen, 'stop-loss');
          else if (barOpen >= takeLevel) closePosition(i, barOpen, 'take-profit');
          else if (low[i]! <= stopLevel) closePosition(i, stopLevel, 'stop-loss');
          else if (high[i]! >= takeLevel) closePosition(i, takeLevel, 'take-profit');
        } else {
          if (barOpen >= stopLevel) closePosition(i, barOpen, 'stop-loss');
          else if (barOpen <= takeLevel) closePosition(i, barOpen, 'take-profit');
          else if (high[i]! >= stopLevel) closePosition(i, stopLevel, 'stop-loss');
          else if (low[i]! <= takeLevel) closePosition(i, takeLevel, 'take-profit');
        }
      }
      if (exposed) exposedBars++;
      const value = cash + size * close[i]!;
      if (value <= 0) {
        // Out of money: close at this bar's close and stop; equity stays at zero from here on.
        if (size !== 0) closePosition(i, close[i]!, 'liquidated');
        cash = 0;
        break;
      }
      equity[i - start] = value;
      // An order placed on the last bar could never fill, so the strategy is not asked there.
      if (i < firstDecision || i === end) continue;
      const side = size > 0 ? 'long' : size < 0 ? 'short' : 'flat';
      decidingBar = i;
      const decision: Decision = strategy.signal(i, indicators, bars, params, side);
      if (decision === null || decision === undefined) continue;
      if (decision === 'long') {
        if (size <= 0) pending = 1;
      } else if (decision === 'short') {
        if (options.longOnly) {
          if (size > 0) pending = EXIT_ORDER;
        } else if (size >= 0) pending = -1;
      } else if (decision === 'exit') {
        if (size !== 0) pending = EXIT_ORDER;
      } else {
        throw new StrategyError(
          `${strategy.name}: signal() returned ${JSON.stringify(decision)} at bar ${i}; return 'long', 'short', 'exit' or null`,
        );
      }
    }
  } catch (error) {
    if (error instanceof StrategyError) throw error;
    throw new StrategyError(
      `${strategy.name}: signal() failed at bar ${decidingBar}: ${(error as Error).message}`,
    );
  }
  // A position still open is marked at the last close, without exit commission.
  const openTrade = size !== 0 ? tradeUntil(end, close[end]!, 0, 'end') : undefined;
  return { equity, trades, tradeStats: tradeStats.summary(), openTrade, commissions, exposedBars, warmupBar };
}
