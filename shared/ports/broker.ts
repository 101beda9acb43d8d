/**
 * The broker port: where orders go. PaperBroker (shared/trading) fills them like the backtest does;
 * CcxtBroker (shared/adapters/ccxt) sends them to an exchange. Amounts are in base units, prices and fees in
 * the quote currency, times in epoch milliseconds.
 */

/** Which way an order trades. */
export type OrderSide = 'buy' | 'sell';

/**
 * Where an order stands. `open`: accepted, not (fully) filled yet; `filled`: done; `canceled`: withdrawn,
 * possibly after a partial fill; `rejected`: refused by the venue after acceptance (expired, no liquidity).
 */
export type OrderStatus = 'open' | 'filled' | 'canceled' | 'rejected';

/**
 * How much an order trades.
 * - `base`: exactly this many base units (closing a position).
 * - `quote`: as many base units as this much quote buys at the fill price, fees included, rounded down to
 *   the market's lot step.
 * - `all-funds`: like `quote` with the whole free quote balance at fill time, after earlier orders of the
 *   same decision have filled: this is how the backtest sizes an entry, so paper and backtest stay equal.
 */
export type OrderSize =
  | { readonly kind: 'base'; readonly amount: number }
  | { readonly kind: 'quote'; readonly amount: number }
  | { readonly kind: 'all-funds' };

/** A market order to place. */
export interface MarketOrderRequest {
  /**
   * Deterministic id chosen by the caller (see shared/trading/orders.ts): placing the same id twice never
   * orders twice, so a retried invocation is safe.
   */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly size: OrderSize;
  /** Only reduce an open position (a closing leg); a venue that supports it must not flip the position. */
  readonly reduceOnly?: boolean;
  /** Exits attached to an entry, set from its fill price (ccxt's unified `stopLoss`/`takeProfit` params). */
  readonly protection?: Protection;
}

/**
 * Protective exits attached to an entry, as distances from its fill price in percent, as `--stop-loss` and
 * `--take-profit` set them in the backtest. Once the entry fills they rest at the venue and close the whole
 * position when touched; the first to trigger cancels the other.
 */
export interface Protection {
  readonly stopLossPct?: number;
  readonly takeProfitPct?: number;
}

/** An order as the broker knows it. */
export interface BrokerOrder {
  readonly clientOrderId: string;
  /** The venue's own id, when it gave one. */
  readonly exchangeOrderId: string | null;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly size: OrderSize;
  readonly status: OrderStatus;
  /** Base units filled so far (0 while open). */
  readonly filled: number;
  /** Volume-weighted fill price, or null before any fill. */
  readonly averagePrice: number | null;
  /** Fees paid, in the quote currency. */
  readonly fee: number;
  /** When the order was placed. */
  readonly placedAt: number;
  /** When it last filled, or null before any fill. */
  readonly filledAt: number | null;
}

/** What a market allows: whether it can be shorted and how amounts are rounded. */
export interface MarketConstraints {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  /** False for spot markets: a short decision closes a long instead, as `--long-only` does in the backtest. */
  readonly shortable: boolean;
  /** Amounts are multiples of this step (undefined: any amount). */
  readonly lotStep?: number;
  /** Smallest amount the venue accepts, in base units. */
  readonly minAmount?: number;
  /** Smallest order value the venue accepts, in quote. */
  readonly minNotional?: number;
}

/** Funds in one currency. */
export interface CurrencyBalance {
  /** Available for new orders. */
  readonly free: number;
  /** Free plus reserved by open orders. */
  readonly total: number;
}

/** Balances by currency code (`USDT`, `BTC`, …). */
export type Balances = Readonly<Record<string, CurrencyBalance>>;

/** The position held in one market. */
export interface BrokerPosition {
  readonly symbol: string;
  /** Signed base units: positive long, negative short, 0 flat. */
  readonly amount: number;
}

/** Places and tracks orders on one account. Every method may throw a BrokerError. */
export interface Broker {
  /** `paper`, or `ccxt:<exchange>` (with `:sandbox` when on a testnet), for logs and records. */
  readonly name: string;
  /** The market's constraints; throws BrokerError when the symbol is unknown. */
  market(symbol: string): Promise<MarketConstraints>;
  /**
   * Places a market order. Idempotent on `clientOrderId`: when an order with that id exists, it is returned
   * unchanged and nothing new is placed.
   */
  placeMarketOrder(request: MarketOrderRequest): Promise<BrokerOrder>;
  /** The order with this client id, or undefined when the broker never accepted one. */
  fetchOrder(symbol: string, clientOrderId: string): Promise<BrokerOrder | undefined>;
  /** Orders not yet filled or canceled, optionally for one symbol (reconciliation on start-up reads these). */
  openOrders(symbol?: string): Promise<BrokerOrder[]>;
  /** Cancels an open order and returns it as it now stands; an order already done is returned unchanged. */
  cancelOrder(symbol: string, clientOrderId: string): Promise<BrokerOrder>;
  /** Balances of every currency the account holds. */
  balances(): Promise<Balances>;
  /** The position held in one market (for spot, the base currency's total balance). */
  position(symbol: string): Promise<BrokerPosition>;
}

/** Why a broker call failed, as a class a caller can act on. */
export class BrokerError extends Error {
  override readonly name: string = 'BrokerError';
  constructor(
    message: string,
    /** True when trying again later may succeed (rate limit, network, venue busy). */
    readonly retryable = false,
  ) {
    super(message);
  }
}

/** The venue refused the order (invalid amount, market closed, below the minimum); retrying will not help. */
export class OrderRejectedError extends BrokerError {
  override readonly name: string = 'OrderRejectedError';
}

/** The account cannot pay for the order; fund it or trade smaller. */
export class InsufficientFundsError extends BrokerError {
  override readonly name: string = 'InsufficientFundsError';
}

/** No order with this client id exists, so it cannot be canceled. */
export class OrderNotFoundError extends BrokerError {
  override readonly name: string = 'OrderNotFoundError';
}

/**
 * The request may or may not have reached the venue (timeout, dropped connection): look the order up by its
 * client id with fetchOrder before placing it again.
 */
export class OrderOutcomeUnknownError extends BrokerError {
  override readonly name: string = 'OrderOutcomeUnknownError';
  constructor(
    message: string,
    readonly clientOrderId: string,
  ) {
    super(message, true);
  }
}
