import {
  AuthenticationError,
  BadSymbol,
  BaseError,
  DDoSProtection,
  DuplicateOrderId,
  type Exchange,
  type Fee,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  type MarketInterface,
  NetworkError,
  type Order,
  OrderNotFound,
  RateLimitExceeded,
} from 'ccxt';
import {
  type Balances,
  type Broker,
  BrokerError,
  type BrokerOrder,
  type BrokerPosition,
  InsufficientFundsError,
  type MarketConstraints,
  type MarketOrderRequest,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  type OrderSize,
  type OrderStatus,
} from '../../ports/broker';

/** How CcxtBroker resolves an order whose placement ended without an answer. */
export interface CcxtBrokerOptions {
  /** Look-ups by client id after a placement whose outcome is unknown (default 3). */
  readonly lookupAttempts?: number;
  /** Pause before each of those look-ups, so the venue has recorded the order (default 500 ms). */
  readonly lookupDelayMs?: number;
  /** Injected so tests do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** ccxt's precision modes (its typings do not export the constants): precision is a step, or a count of decimals. */
const TICK_SIZE = 4;
const DECIMAL_PLACES = 2;

/** Keys of a ccxt balance structure that are not currency codes. */
const BALANCE_META_KEYS = new Set(['info', 'free', 'used', 'total', 'timestamp', 'datetime', 'debt']);

/**
 * The Broker port on a real ccxt exchange instance (configured with keys, sandbox or not, by the caller:
 * see liveBrokerFromEnv). Placement is idempotent on the client order id: the order is looked up by that id
 * before it is placed, and again after any failure whose outcome is unknown, so a retry never orders twice.
 */
export class CcxtBroker implements Broker {
  readonly name: string;
  private readonly sizes = new Map<string, OrderSize>();
  private readonly lookupAttempts: number;
  private readonly lookupDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  // A true private field: logging or serialising the broker must never reach the exchange's keys.
  readonly #exchange: Exchange;

  constructor(exchange: Exchange, options: CcxtBrokerOptions = {}) {
    this.#exchange = exchange;
    this.name = `ccxt:${exchange.id}${exchange.isSandboxModeEnabled ? ':sandbox' : ''}`;
    this.lookupAttempts = options.lookupAttempts ?? 3;
    this.lookupDelayMs = options.lookupDelayMs ?? 500;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** What logs and JSON show of the broker: its name only. */
  toJSON(): { name: string } {
    return { name: this.name };
  }

  async market(symbol: string): Promise<MarketConstraints> {
    const market = await this.loadMarket(symbol);
    const amountPrecision = market.precision.amount;
    const lotStep =
      amountPrecision === undefined
        ? undefined
        : this.#exchange.precisionMode === TICK_SIZE
          ? amountPrecision
          : this.#exchange.precisionMode === DECIMAL_PLACES
            ? 10 ** -amountPrecision
            : undefined;
    return {
      symbol: market.symbol,
      base: market.base,
      quote: market.quote,
      shortable: market.contract === true,
      ...(lotStep !== undefined ? { lotStep } : {}),
      ...(market.limits.amount?.min !== undefined ? { minAmount: market.limits.amount.min } : {}),
      ...(market.limits.cost?.min !== undefined ? { minNotional: market.limits.cost.min } : {}),
    };
  }

  async placeMarketOrder(request: MarketOrderRequest): Promise<BrokerOrder> {
    const context = `placing ${request.side} order ${request.clientOrderId} on ${request.symbol}`;
    const existing = await this.fetchOrder(request.symbol, request.clientOrderId);
    if (existing) return existing;
    if (request.protection?.stopLossPct !== undefined || request.protection?.takeProfitPct !== undefined) {
      // Placing the entry without its exits would trade a riskier strategy than the one backtested.
      throw new OrderRejectedError(
        `${context}: ${this.name} cannot attach stop-loss or take-profit exits yet; run this strategy on the paper broker or without --stop-loss/--take-profit`,
      );
    }
    const market = await this.loadMarket(request.symbol);
    this.sizes.set(request.clientOrderId, request.size);
    const params: Record<string, unknown> = { clientOrderId: request.clientOrderId };
    // Spot venues reject the flag; on spot a sell can only reduce what is held anyway.
    if (request.reduceOnly && market.contract) params.reduceOnly = true;
    let amount = 0;
    let cost: number | undefined;
    try {
      if (request.size.kind === 'base') {
        amount = Number(this.#exchange.amountToPrecision(request.symbol, request.size.amount));
      } else {
        const quote =
          request.size.kind === 'quote' ? request.size.amount : await this.freeBalance(market.quote);
        // Spending a quote amount is native on venues that take it (Binance's quoteOrderQty).
        if (request.side === 'buy' && market.spot && this.#exchange.has.createMarketBuyOrderWithCost) {
          cost = quote;
        } else {
          const ticker = await this.#exchange.fetchTicker(request.symbol);
          const price = ticker.last ?? ticker.close;
          if (!price) throw new BrokerError(`${context}: ${this.name} gave no last price to size the order`);
          amount = Number(this.#exchange.amountToPrecision(request.symbol, quote / price));
        }
      }
    } catch (error) {
      throw this.translate(error, context);
    }
    let placed: Order;
    try {
      placed =
        cost !== undefined
          ? await this.#exchange.createMarketBuyOrderWithCost(request.symbol, cost, params)
          : await this.#exchange.createOrder(
              request.symbol,
              'market',
              request.side,
              amount,
              undefined,
              params,
            );
    } catch (error) {
      if (!outcomeUnknown(error)) throw this.translate(error, context);
      return this.findAfterUnknownOutcome(request, context, error);
    }
    // Some venues acknowledge with an id only; the order itself says whether it filled.
    if (placed.status === undefined) {
      const fetched = await this.fetchOrder(request.symbol, request.clientOrderId);
      if (fetched) return fetched;
    }
    return this.toBrokerOrder(placed, request.clientOrderId, request.symbol);
  }

  async fetchOrder(symbol: string, clientOrderId: string): Promise<BrokerOrder | undefined> {
    await this.loadMarket(symbol);
    try {
      // ccxt's convention: the client id goes in params (binance sends it as origClientOrderId).
      const order = await this.#exchange.fetchOrder('', symbol, { clientOrderId });
      return this.toBrokerOrder(order, clientOrderId, symbol);
    } catch (error) {
      if (error instanceof OrderNotFound) return undefined;
      throw this.translate(error, `looking up order ${clientOrderId} on ${symbol}`);
    }
  }

  async openOrders(symbol?: string): Promise<BrokerOrder[]> {
    try {
      await this.#exchange.loadMarkets();
      const orders = await this.#exchange.fetchOpenOrders(symbol);
      return orders.map((order) => this.toBrokerOrder(order));
    } catch (error) {
      throw this.translate(error, `listing open orders${symbol ? ` on ${symbol}` : ''}`);
    }
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<BrokerOrder> {
    const context = `canceling order ${clientOrderId} on ${symbol}`;
    await this.loadMarket(symbol);
    try {
      const order = await this.#exchange.cancelOrder('', symbol, { clientOrderId });
      return this.toBrokerOrder(order, clientOrderId, symbol);
    } catch (error) {
      if (!(error instanceof OrderNotFound)) throw this.translate(error, context);
    }
    // Venues answer "unknown order" both for an order never placed and for one already filled.
    const existing = await this.fetchOrder(symbol, clientOrderId);
    if (existing) return existing;
    throw new OrderNotFoundError(`${context}: ${this.name} has no order with this client id`);
  }

  async balances(): Promise<Balances> {
    let balance: Record<string, unknown>;
    try {
      balance = (await this.#exchange.fetchBalance()) as unknown as Record<string, unknown>;
    } catch (error) {
      throw this.translate(error, 'reading balances');
    }
    const result: Record<string, { free: number; total: number }> = {};
    for (const [currency, entry] of Object.entries(balance)) {
      if (BALANCE_META_KEYS.has(currency) || typeof entry !== 'object' || entry === null) continue;
      const { free, total } = entry as { free?: number; total?: number };
      result[currency] = { free: free ?? 0, total: total ?? free ?? 0 };
    }
    return result;
  }

  async position(symbol: string): Promise<BrokerPosition> {
    const market = await this.loadMarket(symbol);
    if (!market.contract) {
      const balances = await this.balances();
      return { symbol: market.symbol, amount: balances[market.base]?.total ?? 0 };
    }
    try {
      const positions = await this.#exchange.fetchPositions([market.symbol]);
      const amount = positions
        .filter((position) => position.symbol === market.symbol)
        .reduce((sum, position) => {
          const size = (position.contracts ?? 0) * (position.contractSize ?? market.contractSize ?? 1);
          return sum + (position.side === 'short' ? -size : size);
        }, 0);
      return { symbol: market.symbol, amount };
    } catch (error) {
      throw this.translate(error, `reading the position on ${symbol}`);
    }
  }

  /** After a placement whose answer was lost: the order either exists under its client id or was not placed. */
  private async findAfterUnknownOutcome(
    request: MarketOrderRequest,
    context: string,
    cause: unknown,
  ): Promise<BrokerOrder> {
    let lastLookupError: unknown;
    for (let attempt = 0; attempt < this.lookupAttempts; attempt++) {
      await this.sleep(this.lookupDelayMs);
      try {
        const found = await this.fetchOrder(request.symbol, request.clientOrderId);
        if (found) return found;
        lastLookupError = undefined;
      } catch (error) {
        lastLookupError = error;
      }
    }
    const why = lastLookupError
      ? `and looking it up failed too (${this.describe(lastLookupError)})`
      : `and ${this.name} does not show it yet`;
    throw new OrderOutcomeUnknownError(
      `${context}: the request ended without an answer (${this.describe(cause)}) ${why}; retry the same decision later: the client id is looked up before anything is placed again`,
      request.clientOrderId,
    );
  }

  private async loadMarket(symbol: string): Promise<MarketInterface> {
    try {
      await this.#exchange.loadMarkets();
    } catch (error) {
      throw this.translate(error, `loading ${this.name} markets`);
    }
    if (!this.#exchange.markets?.[symbol]) {
      throw new BrokerError(
        `${this.name} has no market ${symbol}; use its unified symbol, such as BTC/USDT for a spot market`,
      );
    }
    return this.#exchange.market(symbol);
  }

  private async freeBalance(currency: string): Promise<number> {
    const balances = await this.balances();
    return balances[currency]?.free ?? 0;
  }

  private toBrokerOrder(order: Order, clientOrderId?: string, symbol?: string): BrokerOrder {
    // The id we asked about wins: Binance's cancel answer carries the cancel request's own client id.
    const id = clientOrderId ?? order.clientOrderId ?? order.id ?? '';
    const orderSymbol = order.symbol ?? symbol ?? '';
    const filled = order.filled ?? 0;
    const averagePrice =
      order.average ??
      (filled > 0 && order.cost !== undefined && order.cost > 0 ? order.cost / filled : null);
    const market = this.#exchange.markets?.[orderSymbol] as MarketInterface | undefined;
    // ccxt fills `fees` (every fee of the order) next to the single `fee` its typings declare.
    const listed = (order as Order & { fees?: Fee[] }).fees;
    const fees = listed?.length ? listed : [order.fee];
    // Fees paid in a third currency (BNB on Binance) have no price here and are left out.
    const fee = fees.reduce<number>((sum, item) => {
      const cost = item?.cost ?? 0;
      if (item?.currency === market?.quote) return sum + cost;
      if (item?.currency === market?.base && averagePrice !== null) return sum + cost * averagePrice;
      return sum;
    }, 0);
    const placedAt = order.timestamp ?? Date.now();
    return {
      clientOrderId: id,
      exchangeOrderId: order.id || null,
      symbol: orderSymbol,
      side: order.side === 'sell' ? 'sell' : 'buy',
      size: this.sizes.get(id) ?? { kind: 'base', amount: order.amount ?? filled },
      status: toStatus(order.status),
      filled,
      averagePrice,
      fee,
      placedAt,
      filledAt: filled > 0 ? (order.lastTradeTimestamp ?? placedAt) : null,
    };
  }

  /** Maps a ccxt error to the port's classes, with advice and without anything secret. */
  private translate(error: unknown, context: string): BrokerError {
    if (error instanceof BrokerError) return error;
    const detail = this.describe(error);
    if (error instanceof InsufficientFunds) {
      return new InsufficientFundsError(
        `${context}: ${this.name} says the account cannot pay for it (${detail}); fund the account or lower the position size`,
      );
    }
    if (error instanceof OrderNotFound) {
      return new OrderNotFoundError(`${context}: ${this.name} has no such order (${detail})`);
    }
    if (error instanceof InvalidOrder || error instanceof BadSymbol) {
      return new OrderRejectedError(
        `${context}: ${this.name} refused the order (${detail}); check the amount against the market's minimums and lot step`,
      );
    }
    if (error instanceof AuthenticationError) {
      return new BrokerError(
        `${context}: ${this.name} refused the API key (${detail}); check FLYWHEEL_EXCHANGE_API_KEY/FLYWHEEL_EXCHANGE_SECRET, the key's trading permission and IP allow-list, and that sandbox keys are used with FLYWHEEL_EXCHANGE_SANDBOX=1`,
      );
    }
    if (error instanceof DDoSProtection || error instanceof RateLimitExceeded) {
      return new BrokerError(
        `${context}: ${this.name} is rate limiting this account (${detail}); wait before retrying`,
        true,
      );
    }
    if (error instanceof NetworkError) {
      return new BrokerError(`${context}: ${this.name} could not be reached (${detail}); retry later`, true);
    }
    return new BrokerError(`${context}: ${this.name} failed (${detail})`);
  }

  /** The error's message with signatures and credentials removed (ccxt puts signed URLs in messages). */
  private describe(error: unknown): string {
    let message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    message = message.replace(/signature=[^&\s"]*/gi, 'signature=[redacted]');
    for (const secret of [this.#exchange.apiKey, this.#exchange.secret, this.#exchange.password]) {
      if (typeof secret === 'string' && secret.length >= 4)
        message = message.split(secret).join('[redacted]');
    }
    return message;
  }
}

/**
 * Whether a failed placement may have reached the venue: a timeout, a dropped connection or an error ccxt
 * did not classify may hide an accepted order, and a "duplicate" refusal means one exists. Rate limits,
 * clock errors and the venue's explicit refusals come before it acts, so those are plain failures.
 */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof DuplicateOrderId) return true;
  if (error instanceof InvalidOrder && /duplicate/i.test(error.message)) return true;
  if (
    error instanceof DDoSProtection ||
    error instanceof RateLimitExceeded ||
    error instanceof InvalidNonce
  ) {
    return false;
  }
  return error instanceof NetworkError || !(error instanceof BaseError);
}

function toStatus(status: string | undefined): OrderStatus {
  switch (status) {
    case 'closed':
      return 'filled';
    case 'canceled':
      return 'canceled';
    case 'rejected':
    case 'expired':
      return 'rejected';
    default:
      return 'open';
  }
}
