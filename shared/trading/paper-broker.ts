import {
  affordableUnits,
  entryFillPrice,
  exitFillPrice,
  lotDecimals,
  NO_EXIT,
  protectiveExit,
  protectiveExitBasePrice,
  protectiveExitReason,
  type SizingRule,
  stopLossLevel,
  takeProfitLevel,
} from '../backtest/fill-model';
import {
  type Balances,
  type Broker,
  BrokerError,
  type BrokerOrder,
  type BrokerPosition,
  type MarketConstraints,
  type MarketOrderRequest,
  OrderNotFoundError,
  OrderRejectedError,
} from '../ports/broker';
import type { Clock } from '../ports/clock';
import type { Fill, FillReason } from './ledger';

/** How the PaperBroker fills: the backtest's engine options that concern execution. */
export interface PaperBrokerSettings {
  /** The one market this paper account trades. */
  readonly market: MarketConstraints;
  /** Starting quote balance. */
  readonly cash: number;
  /** Commission as a fraction of traded value, on every fill. */
  readonly commission: number;
  /** Spread as a fraction of the price, paid on entries. */
  readonly spread: number;
  /** Slippage in basis points against the trader on every fill. */
  readonly slippageBps: number;
  /** Fractional units; otherwise whole units (or multiples of the market's lot step). */
  readonly fractional: boolean;
  /** Who the fills are booked to, in the Fill records. */
  readonly strategyId: string;
}

/** One OHLC bar as the PaperBroker needs it. */
export interface PaperBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

type MutableOrder = { -readonly [K in keyof BrokerOrder]: BrokerOrder[K] };

/**
 * A paper account as plain JSON data (see PaperBroker.snapshot): cash, position, resting exits and orders, so a
 * broker restored from it in another invocation fills exactly as this one would have. Fills already reported
 * are not part of it.
 */
export interface PaperAccountSnapshot {
  readonly cash: number;
  readonly size: number;
  /** Resting stop-loss and take-profit levels; null when none rests. */
  readonly stopLevel: number | null;
  readonly takeLevel: number | null;
  /** The client id of the entry the resting exits belong to (their fills' ids derive from it). */
  readonly entryOrderId: string;
  /** Orders placed so far (the basis of exchange order ids). */
  readonly placed: number;
  /** Orders the broker still knows, oldest first, for idempotent placing and lookups. */
  readonly orders: readonly BrokerOrder[];
  /** Orders waiting for the next bar's open, in placing order, with their requests. */
  readonly queue: readonly { readonly clientOrderId: string; readonly request: MarketOrderRequest }[];
}

/** How many finished orders a snapshot keeps for idempotent placing; older ones belong to bars long processed. */
const SNAPSHOT_FINISHED_ORDERS = 50;

/**
 * A broker that fills like the backtest: market orders placed after a bar closes fill at the next bar's open
 * (in the order they were placed) with spread, slippage and commission; entries are sized from cash as the
 * engine sizes them; attached stop-loss and take-profit rest until a bar touches them; a position whose equity
 * falls to zero at a close is liquidated there. Pure and in memory: feed it bars with onBar.
 */
export class PaperBroker implements Broker {
  readonly name = 'paper';
  private readonly orders = new Map<string, MutableOrder>();
  private readonly queue: { order: MutableOrder; request: MarketOrderRequest }[] = [];
  private readonly fillLog: Fill[] = [];
  private readonly sizing: SizingRule;
  private readonly slippage: number;
  private cash: number;
  private size = 0;
  private stopLevel = Number.NaN;
  private takeLevel = Number.NaN;
  private entryOrderId = '';
  private placed = 0;

  constructor(
    private readonly settings: PaperBrokerSettings,
    private readonly clock: Clock,
  ) {
    const lotStep = settings.market.lotStep;
    if (lotStep !== undefined && !settings.fractional && !Number.isInteger(lotStep)) {
      throw new BrokerError(`lot step ${lotStep} needs fractional sizes (--fractional)`);
    }
    this.sizing = {
      fractional: settings.fractional,
      lotStep,
      decimals: lotStep === undefined ? 0 : lotDecimals(lotStep),
    };
    this.slippage = settings.slippageBps / 10_000;
    this.cash = settings.cash;
  }

  async market(symbol: string): Promise<MarketConstraints> {
    this.assertSymbol(symbol);
    return this.settings.market;
  }

  async placeMarketOrder(request: MarketOrderRequest): Promise<BrokerOrder> {
    const existing = this.orders.get(request.clientOrderId);
    if (existing) return { ...existing };
    this.assertSymbol(request.symbol);
    const { size } = request;
    if (size.kind !== 'all-funds' && !(size.amount > 0 && Number.isFinite(size.amount))) {
      throw new OrderRejectedError(
        `order ${request.clientOrderId}: amount must be a positive number, got ${size.amount}`,
      );
    }
    if (request.side === 'sell' && !request.reduceOnly && !this.settings.market.shortable && this.size <= 0) {
      throw new OrderRejectedError(
        `${request.symbol} cannot be shorted (a spot market): sell only what is held`,
      );
    }
    const order: MutableOrder = {
      clientOrderId: request.clientOrderId,
      exchangeOrderId: `paper-${++this.placed}`,
      symbol: request.symbol,
      side: request.side,
      size,
      status: 'open',
      filled: 0,
      averagePrice: null,
      fee: 0,
      placedAt: this.clock.now(),
      filledAt: null,
    };
    this.orders.set(order.clientOrderId, order);
    this.queue.push({ order, request });
    return { ...order };
  }

  async fetchOrder(symbol: string, clientOrderId: string): Promise<BrokerOrder | undefined> {
    const order = this.orders.get(clientOrderId);
    return order && order.symbol === symbol ? { ...order } : undefined;
  }

  async openOrders(symbol?: string): Promise<BrokerOrder[]> {
    return this.queue
      .filter(({ order }) => symbol === undefined || order.symbol === symbol)
      .map(({ order }) => ({ ...order }));
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<BrokerOrder> {
    const order = this.orders.get(clientOrderId);
    if (!order || order.symbol !== symbol) {
      throw new OrderNotFoundError(`no paper order ${clientOrderId} on ${symbol}`);
    }
    const queued = this.queue.findIndex((entry) => entry.order === order);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      order.status = 'canceled';
    }
    return { ...order };
  }

  async balances(): Promise<Balances> {
    const { base, quote } = this.settings.market;
    return { [quote]: { free: this.cash, total: this.cash }, [base]: { free: this.size, total: this.size } };
  }

  async position(symbol: string): Promise<BrokerPosition> {
    this.assertSymbol(symbol);
    return { symbol, amount: this.size };
  }

  /** Cash plus the position marked at `price`: the backtest's equity. */
  equity(price: number): number {
    return this.cash + this.size * price;
  }

  /** The account as plain data, to store between invocations and give to restore(). */
  snapshot(): PaperAccountSnapshot {
    const queued = new Set(this.queue.map(({ order }) => order.clientOrderId));
    const finished = [...this.orders.values()].filter((order) => !queued.has(order.clientOrderId));
    const kept = new Set(finished.slice(-SNAPSHOT_FINISHED_ORDERS).map((order) => order.clientOrderId));
    return {
      cash: this.cash,
      size: this.size,
      stopLevel: Number.isNaN(this.stopLevel) ? null : this.stopLevel,
      takeLevel: Number.isNaN(this.takeLevel) ? null : this.takeLevel,
      entryOrderId: this.entryOrderId,
      placed: this.placed,
      orders: [...this.orders.values()]
        .filter((order) => queued.has(order.clientOrderId) || kept.has(order.clientOrderId))
        .map((order) => structuredClone(order)),
      queue: this.queue.map(({ order, request }) => ({
        clientOrderId: order.clientOrderId,
        request: structuredClone(request),
      })),
    };
  }

  /**
   * Replaces the account with a snapshot taken by a broker with the same settings; the fill log restarts empty.
   * Throws BrokerError when the snapshot's queue names an order it does not hold.
   */
  restore(snapshot: PaperAccountSnapshot): void {
    this.orders.clear();
    this.queue.splice(0);
    this.fillLog.splice(0);
    for (const order of snapshot.orders) this.orders.set(order.clientOrderId, structuredClone(order));
    for (const { clientOrderId, request } of snapshot.queue) {
      const order = this.orders.get(clientOrderId);
      if (!order) throw new BrokerError(`paper snapshot queues order ${clientOrderId} but does not hold it`);
      this.queue.push({ order, request: structuredClone(request) });
    }
    this.cash = snapshot.cash;
    this.size = snapshot.size;
    this.stopLevel = snapshot.stopLevel ?? Number.NaN;
    this.takeLevel = snapshot.takeLevel ?? Number.NaN;
    this.entryOrderId = snapshot.entryOrderId;
    this.placed = snapshot.placed;
  }

  /** Every fill so far (since construction or the last restore), in order. */
  fills(): readonly Fill[] {
    return this.fillLog;
  }

  /**
   * Plays one bar: fills the open orders at its open, then lets a resting stop-loss or take-profit trigger,
   * then liquidates at its close when equity is gone. Returns the fills of this bar.
   */
  onBar(bar: PaperBar): Fill[] {
    const first = this.fillLog.length;
    const pending = this.queue.splice(0);
    for (const { order, request } of pending) this.fillOrder(order, request, bar);
    if (this.size !== 0) {
      const exit = protectiveExit(this.size, bar.open, bar.high, bar.low, this.stopLevel, this.takeLevel);
      if (exit !== NO_EXIT) {
        const reason = protectiveExitReason(exit);
        const id = `${this.entryOrderId}${reason === 'stop-loss' ? 'sl' : 'tp'}`;
        this.close(
          Math.abs(this.size),
          protectiveExitBasePrice(exit, bar.open, this.stopLevel, this.takeLevel),
          bar,
          id,
          reason,
        );
      }
    }
    if (this.cash + this.size * bar.close <= 0) {
      // Out of money, as the backtest: close at this close; nothing is left to trade with.
      if (this.size !== 0)
        this.close(Math.abs(this.size), bar.close, bar, `${this.entryOrderId}lq`, 'liquidated');
      this.cash = 0;
    }
    return this.fillLog.slice(first);
  }

  private fillOrder(order: MutableOrder, request: MarketOrderRequest, bar: PaperBar): void {
    const direction = request.side === 'buy' ? 1 : -1;
    let filled = 0;
    let value = 0;
    let fee = 0;
    let remaining = request.size.kind === 'base' ? request.size.amount : Number.POSITIVE_INFINITY;
    if (this.size !== 0 && Math.sign(this.size) !== direction) {
      const units = Math.min(Math.abs(this.size), remaining);
      const fill = this.close(units, bar.open, bar, order.clientOrderId, 'order');
      filled += fill.amount;
      value += fill.amount * fill.price;
      fee += fill.fee;
      remaining -= units;
    }
    if (
      !request.reduceOnly &&
      remaining > 0 &&
      (request.size.kind !== 'base' || Number.isFinite(remaining))
    ) {
      const fill = this.open(direction, request, remaining, bar, order.clientOrderId);
      if (fill) {
        filled += fill.amount;
        value += fill.amount * fill.price;
        fee += fill.fee;
      }
    }
    order.filled = filled;
    order.fee = fee;
    if (filled > 0) {
      order.status = 'filled';
      order.averagePrice = value / filled;
      order.filledAt = bar.time;
    } else {
      // Nothing affordable or nothing to reduce: the venue would refuse it.
      order.status = 'rejected';
    }
  }

  private open(
    direction: number,
    request: MarketOrderRequest,
    baseAmount: number,
    bar: PaperBar,
    clientOrderId: string,
  ): Fill | undefined {
    if (direction < 0 && !this.settings.market.shortable) return undefined;
    const price = entryFillPrice(bar.open, direction, this.settings.spread, this.slippage);
    const rate = this.settings.commission;
    const { size } = request;
    const budget = size.kind === 'quote' ? Math.min(size.amount, this.cash) : this.cash;
    const units =
      size.kind === 'base'
        ? baseAmount * price * (1 + rate) <= this.cash
          ? baseAmount
          : 0
        : affordableUnits(budget, price, rate, this.sizing);
    if (!(units > 0)) return undefined;
    const signed = direction * units;
    const entryFee = units * price * rate;
    this.cash -= signed * price + entryFee;
    this.size += signed;
    this.entryOrderId = clientOrderId;
    const stopDistance =
      request.protection?.stopLossPct === undefined ? Number.NaN : request.protection.stopLossPct / 100;
    const takeDistance =
      request.protection?.takeProfitPct === undefined ? Number.NaN : request.protection.takeProfitPct / 100;
    this.stopLevel = stopLossLevel(price, direction, stopDistance);
    this.takeLevel = takeProfitLevel(price, direction, takeDistance);
    return this.record(clientOrderId, direction > 0 ? 'buy' : 'sell', units, price, entryFee, bar, 'order');
  }

  private close(
    units: number,
    basePrice: number,
    bar: PaperBar,
    clientOrderId: string,
    reason: FillReason,
  ): Fill {
    const direction = this.size > 0 ? 1 : -1;
    const price = exitFillPrice(basePrice, direction, this.slippage);
    const signed = direction * units;
    const exitFee = signed * direction * price * this.settings.commission;
    this.cash += signed * price - exitFee;
    this.size = units === Math.abs(this.size) ? 0 : this.size - signed;
    return this.record(clientOrderId, direction > 0 ? 'sell' : 'buy', units, price, exitFee, bar, reason);
  }

  private record(
    clientOrderId: string,
    side: Fill['side'],
    amount: number,
    price: number,
    fee: number,
    bar: PaperBar,
    reason: FillReason,
  ): Fill {
    const fill: Fill = {
      strategyId: this.settings.strategyId,
      symbol: this.settings.market.symbol,
      clientOrderId,
      side,
      amount,
      price,
      fee,
      time: bar.time,
      reason,
    };
    this.fillLog.push(fill);
    return fill;
  }

  private assertSymbol(symbol: string): void {
    if (symbol !== this.settings.market.symbol) {
      throw new BrokerError(`this paper account trades ${this.settings.market.symbol}, not ${symbol}`);
    }
  }
}
