const DAY_MS = 86_400_000;

/** Statistics over closed trades (raw fractions; NaN where undefined). */
export interface TradeSummary {
  readonly count: number;
  readonly winRate: number;
  readonly best: number;
  readonly worst: number;
  /** exp(mean(ln(1 + R))) − 1 of trade returns R (fractions). */
  readonly geometricAverage: number;
  readonly expectancy: number;
  readonly profitFactor: number;
  readonly sqn: number;
  readonly kelly: number;
  readonly maxDurationDays: number;
  readonly averageDurationDays: number;
}

/**
 * Trade statistics gathered one trade at a time, so a sweep needs no list of trade objects (allocating them
 * dominated the cost and, through garbage collection, limited how well worker threads scale). PnL variance
 * uses Welford's online update, stable without a second pass.
 */
export class TradeStatsAccumulator {
  private count = 0;
  private wins = 0;
  private winPnl = 0;
  private losses = 0;
  private lossPnl = 0;
  private positiveReturns = 0;
  private negativeReturns = 0;
  private returnSum = 0;
  private logGrowthSum = 0;
  private pnlMean = 0;
  private pnlSquares = 0;
  private best = Number.NaN;
  private worst = Number.NaN;
  private durationSum = 0;
  private maxDuration = Number.NaN;

  /** Adds one closed trade: its net PnL, its return in percent, and its entry and exit times (epoch ms). */
  add(pnl: number, returnPct: number, entryTime: number, exitTime: number): void {
    const r = returnPct / 100;
    this.count++;
    this.returnSum += r;
    // A return of −100% or worse has no geometric mean: NaN carries through.
    this.logGrowthSum += 1 + r > 0 ? Math.log(1 + r) : Number.NaN;
    const delta = pnl - this.pnlMean;
    this.pnlMean += delta / this.count;
    this.pnlSquares += delta * (pnl - this.pnlMean);
    if (pnl > 0) {
      this.wins++;
      this.winPnl += pnl;
    } else if (pnl < 0) {
      this.losses++;
      this.lossPnl -= pnl;
    }
    if (r > 0) this.positiveReturns += r;
    else if (r < 0) this.negativeReturns -= r;
    if (!(r <= this.best)) this.best = r;
    if (!(r >= this.worst)) this.worst = r;
    const days = (exitTime - entryTime) / DAY_MS;
    this.durationSum += days;
    if (!(days <= this.maxDuration)) this.maxDuration = days;
  }

  /** The statistics of the trades added so far. */
  summary(): TradeSummary {
    const n = this.count;
    const winRate = this.wins / n;
    const pnlStd = n > 1 ? Math.sqrt(this.pnlSquares / (n - 1)) : Number.NaN;
    return {
      count: n,
      winRate,
      best: this.best,
      worst: this.worst,
      geometricAverage: Math.exp(this.logGrowthSum / n) - 1,
      expectancy: this.returnSum / n,
      profitFactor: this.positiveReturns / this.negativeReturns,
      sqn: n > 0 ? (Math.sqrt(n) * this.pnlMean) / pnlStd : Number.NaN,
      kelly: winRate - (1 - winRate) / (this.winPnl / this.wins / (this.lossPnl / this.losses)),
      maxDurationDays: this.maxDuration,
      averageDurationDays: this.durationSum / n,
    };
  }
}

/** The statistics of a list of trades. */
export function summariseTrades(
  trades: readonly { pnl: number; returnPct: number; entryTime: number; exitTime: number }[],
): TradeSummary {
  const accumulator = new TradeStatsAccumulator();
  for (const trade of trades) accumulator.add(trade.pnl, trade.returnPct, trade.entryTime, trade.exitTime);
  return accumulator.summary();
}
