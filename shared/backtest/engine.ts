import type { IndicatorSeries, ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import type { Dataset } from './dataset';
import * as decide from './decide';
import { indicatorWarmup, type OrderIntent, StrategyError } from './decide';
import type { SizingRule } from './fill-model';
import * as fills from './fill-model';
import type { BacktestOptions } from './options';
import type { Trade } from './trade';
import { TradeStatsAccumulator, type TradeSummary } from './trade-stats';

// The decision step and the fill model live in decide.ts and fill-model.ts, shared with the live executor.
export { indicatorWarmup, StrategyError } from './decide';

// Module-scope bindings: per-file CommonJS transforms (tsx, swc) turn each use of an imported name into a getter
// call, which tripled the loop's time in `npm run bench`; a local const is read directly.
const { computeIndicators, decideBar, EXIT, HOLD } = decide;
const {
  affordableUnits,
  entryFillPrice,
  exitFillPrice,
  lotDecimals,
  NO_EXIT,
  protectiveExit,
  protectiveExitBasePrice,
  protectiveExitReason,
  stopLossLevel,
  takeProfitLevel,
} = fills;

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
  const indicators: IndicatorSeries = computeIndicators(strategy, bars, params, dataset.ta);
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
  const sizing: SizingRule = {
    fractional: options.fractional,
    lotStep: options.lotStep,
    decimals: options.lotStep === undefined ? 0 : lotDecimals(options.lotStep),
  };
  const longOnly = options.longOnly;
  const firstDecision = Math.max(start, warmupBar);

  let cash = options.cash;
  let size = 0;
  let entryPrice = 0;
  let entryBar = -1;
  let entryCommission = 0;
  let stopLevel = Number.NaN;
  let takeLevel = Number.NaN;
  let pending: OrderIntent = HOLD;
  let commissions = 0;
  let exposedBars = 0;

  const openPosition = (bar: number, basePrice: number, direction: number) => {
    const price = entryFillPrice(basePrice, direction, spread, slippage);
    const units = affordableUnits(cash, price, commissionRate, sizing);
    if (!(units > 0)) return;
    size = direction * units;
    entryPrice = price;
    entryBar = bar;
    entryCommission = units * price * commissionRate;
    cash -= size * price + entryCommission;
    commissions += entryCommission;
    stopLevel = stopLossLevel(price, direction, stopDistance);
    takeLevel = takeProfitLevel(price, direction, takeDistance);
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
    const price = exitFillPrice(basePrice, direction, slippage);
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
      if (pending !== HOLD) {
        const price = open[i]!;
        if (size !== 0 && (pending === EXIT || pending * size < 0)) {
          closePosition(i, price, 'signal');
          exposed = true;
        }
        if (pending !== EXIT) openPosition(i, price, pending);
        pending = HOLD;
      }
      if (size !== 0) {
        exposed = true;
        const barOpen = open[i]!;
        const exit = protectiveExit(size, barOpen, high[i]!, low[i]!, stopLevel, takeLevel);
        if (exit !== NO_EXIT) {
          // A gap through a level fills at the open; within the bar the stop-loss wins over the take-profit.
          closePosition(
            i,
            protectiveExitBasePrice(exit, barOpen, stopLevel, takeLevel),
            protectiveExitReason(exit),
          );
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
      decidingBar = i;
      pending = decideBar(strategy, i, indicators, bars, params, size, longOnly);
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
