import type { OrderSide } from '../ports/broker';

/** Why a fill happened: an order, a protective exit resting at the venue, or a liquidation. */
export type FillReason = 'order' | 'stop-loss' | 'take-profit' | 'liquidated';

/** One execution: base units at one price, with its fee in quote. */
export interface Fill {
  readonly strategyId: string;
  readonly symbol: string;
  /** The order it belongs to (a protective exit's id derives from its entry's). */
  readonly clientOrderId: string;
  readonly side: OrderSide;
  /** Base units, positive. */
  readonly amount: number;
  readonly price: number;
  /** Fee in quote. */
  readonly fee: number;
  /** Epoch ms: the open time of the bar it filled in. */
  readonly time: number;
  readonly reason: FillReason;
}

/** A position held by one strategy in one market. */
export interface StrategyPosition {
  readonly strategyId: string;
  readonly symbol: string;
  /** Signed base units (negative for a short). */
  readonly amount: number;
  /** Average entry price of the amount held. */
  readonly entryPrice: number;
  readonly entryTime: number;
  /** Entry fees of the amount held, not yet charged to a closed trade. */
  readonly entryFee: number;
  /** Net profit of the closed trades, fees included. */
  readonly realizedPnl: number;
  /** Every fee paid. */
  readonly fees: number;
}

/** Why a round trip ended: a signal's order, a protective exit, a liquidation, or still open at the end. */
export type RoundTripExit = 'signal' | 'stop-loss' | 'take-profit' | 'liquidated' | 'end';

/** A round trip built from fills, in the backtest's Trade terms but with times instead of bar indices. */
export interface RoundTrip {
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  /** Signed base units closed. */
  readonly size: number;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net of the entry fee share and the exit fee. */
  readonly pnl: number;
  /** pnl over the entry value, in percent. */
  readonly returnPct: number;
  readonly commission: number;
  readonly exitReason: RoundTripExit;
}

// Below this share of the units held, a difference is float dust left by adding and closing, not a position.
const DUST = 1e-12;

/** A round trip's profit before fees: what the price move made on the units closed. */
export function grossPnl(trip: Pick<RoundTrip, 'size' | 'entryPrice' | 'exitPrice'>): number {
  return trip.size * (trip.exitPrice - trip.entryPrice);
}

function key(strategyId: string, symbol: string): string {
  return `${strategyId}\u0000${symbol}`;
}

/**
 * Positions and PnL per strategy and market, from fills alone: the same arithmetic as the backtest, so a
 * PaperBroker run's round trips equal the backtest's trades. The one position calculator: `flywheel positions`
 * (shared/trade-ledger/positions.ts) replays stored fills through it too.
 */
export class PositionLedger {
  private readonly positions = new Map<string, StrategyPosition>();
  private readonly closed: RoundTrip[] = [];
  private totalFees = 0;

  /** Applies one fill; returns the round trip it closed, if any. A fill larger than the position flips it. */
  apply(fill: Fill): RoundTrip | undefined {
    const id = key(fill.strategyId, fill.symbol);
    const held = this.positions.get(id) ?? {
      strategyId: fill.strategyId,
      symbol: fill.symbol,
      amount: 0,
      entryPrice: 0,
      entryTime: fill.time,
      entryFee: 0,
      realizedPnl: 0,
      fees: 0,
    };
    const direction = fill.side === 'buy' ? 1 : -1;
    this.totalFees += fill.fee;
    if (held.amount === 0 || Math.sign(held.amount) === direction) {
      const amount = held.amount + direction * fill.amount;
      const entryPrice =
        held.amount === 0
          ? fill.price
          : (Math.abs(held.amount) * held.entryPrice + fill.amount * fill.price) / Math.abs(amount);
      this.positions.set(id, {
        ...held,
        amount,
        entryPrice,
        entryTime: held.amount === 0 ? fill.time : held.entryTime,
        entryFee: held.entryFee + fill.fee,
        fees: held.fees + fill.fee,
      });
      return undefined;
    }
    const heldUnits = Math.abs(held.amount);
    const tolerance = DUST * Math.max(1, heldUnits);
    const closesAll = fill.amount >= heldUnits - tolerance;
    const closedUnits = closesAll ? heldUnits : fill.amount;
    const flipped = fill.amount - closedUnits;
    const flips = flipped > tolerance;
    const share = closesAll ? 1 : closedUnits / heldUnits;
    const exitFee = flips ? (fill.fee * closedUnits) / fill.amount : fill.fee;
    const entryFee = share === 1 ? held.entryFee : held.entryFee * share;
    const size = Math.sign(held.amount) * closedUnits;
    const pnl = grossPnl({ size, entryPrice: held.entryPrice, exitPrice: fill.price }) - entryFee - exitFee;
    const trip: RoundTrip = {
      strategyId: fill.strategyId,
      symbol: fill.symbol,
      side: size > 0 ? 'long' : 'short',
      size,
      entryTime: held.entryTime,
      exitTime: fill.time,
      entryPrice: held.entryPrice,
      exitPrice: fill.price,
      pnl,
      returnPct: (pnl / (closedUnits * held.entryPrice)) * 100,
      commission: entryFee + exitFee,
      exitReason: fill.reason === 'order' ? 'signal' : fill.reason,
    };
    this.closed.push(trip);
    const remaining = held.amount + direction * closedUnits;
    this.positions.set(id, {
      ...held,
      amount: closesAll ? 0 : remaining,
      entryFee: held.entryFee - entryFee,
      realizedPnl: held.realizedPnl + pnl,
      fees: held.fees + exitFee,
    });
    if (flips) this.apply({ ...fill, amount: flipped, fee: fill.fee - exitFee });
    return trip;
  }

  /** The position of one strategy in one market (flat when it never traded). */
  position(strategyId: string, symbol: string): StrategyPosition | undefined {
    return this.positions.get(key(strategyId, symbol));
  }

  /** Every position, flat ones included (they carry realized PnL). */
  allPositions(): StrategyPosition[] {
    return [...this.positions.values()];
  }

  /** Closed round trips in the order they closed. */
  roundTrips(): readonly RoundTrip[] {
    return this.closed;
  }

  /** Every fee paid, open positions' entry fees included. */
  fees(): number {
    return this.totalFees;
  }

  /** An open position as a round trip marked at `price` on `time`, without exit fee (the backtest's open trade). */
  markOpen(strategyId: string, symbol: string, price: number, time: number): RoundTrip | undefined {
    const held = this.position(strategyId, symbol);
    if (!held || held.amount === 0) return undefined;
    const pnl = held.amount * (price - held.entryPrice) - held.entryFee - 0;
    return {
      strategyId,
      symbol,
      side: held.amount > 0 ? 'long' : 'short',
      size: held.amount,
      entryTime: held.entryTime,
      exitTime: time,
      entryPrice: held.entryPrice,
      exitPrice: price,
      pnl,
      returnPct: (pnl / (Math.abs(held.amount) * held.entryPrice)) * 100,
      commission: held.entryFee + 0,
      exitReason: 'end',
    };
  }
}
