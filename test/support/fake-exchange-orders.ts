import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake exchange received, with its parameters from the query or the form body. */
export interface ExchangeRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** The query (GET, DELETE) or form body (POST) as sent: what Binance signs. */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  /** The URL ccxt meant to reach, when it came through `redirectingFetch` (else the loopback URL). */
  readonly originalUrl: string;
}

/** What a route answers: a status and JSON body, or `drop` to close the connection without a response. */
export type ExchangeAnswer =
  | { readonly status: number; readonly body: unknown; readonly headers?: Record<string, string> }
  | { readonly drop: true };

/** One endpoint of the fake: `METHOD /path` → handler. */
export type ExchangeRoute = (request: ExchangeRequest) => ExchangeAnswer;

/** A spot market the fake lists, with Binance's filters. */
export interface FakeMarket {
  readonly base: string;
  readonly quote: string;
  /** Every market order fills at this price. */
  price: number;
  readonly stepSize: string;
  readonly minQty: string;
  readonly tickSize: string;
  readonly minNotional: string;
}

/** An order as the fake keeps it (Binance's field names). */
export interface FakeOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: 'BUY' | 'SELL';
  type: 'MARKET' | 'LIMIT';
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';
  time: number;
  updateTime: number;
  fills: { price: string; qty: string; commission: string; commissionAsset: string; tradeId: number }[];
}

/** Binance's taker commission on the fake, taken from the asset received. */
export const FAKE_COMMISSION = 0.001;

const ORDER_PATH = '/api/v3/order';

function fixed(value: number, digits = 8): string {
  return value.toFixed(digits);
}

function error(status: number, code: number, msg: string): ExchangeAnswer {
  return { status, body: { code, msg } };
}

/**
 * Binance's spot REST API as far as CcxtBroker uses it, on 127.0.0.1: exchangeInfo, ticker/24hr, and the
 * signed order endpoints (POST/GET/DELETE /api/v3/order, GET /api/v3/openOrders, GET /api/v3/account). Signed
 * requests are checked like Binance does: X-MBX-APIKEY must be the key and `signature` the HMAC-SHA256 of the
 * rest of the query with the secret. Responses have the shapes of Binance's documentation. Each endpoint is an
 * entry of `routes`, so a test can replace one.
 */
export class FakeBinanceOrders {
  readonly requests: ExchangeRequest[] = [];
  readonly orders: FakeOrder[] = [];
  readonly balances = new Map<string, { free: number; locked: number }>();
  readonly markets = new Map<string, FakeMarket>([
    [
      'BTCUSDT',
      {
        base: 'BTC',
        quote: 'USDT',
        price: 50_000,
        stepSize: '0.00001000',
        minQty: '0.00001000',
        tickSize: '0.01000000',
        minNotional: '5.00000000',
      },
    ],
  ]);
  readonly routes = new Map<string, ExchangeRoute>();
  /** Market orders rest as NEW instead of filling, so there are open orders to reconcile. */
  restMarketOrders = false;
  /** The next N placements are recorded and executed, and then the connection is closed unanswered. */
  dropOrderResponses = 0;
  /** The next N requests of any kind answer 429, as Binance does past the request-weight limit. */
  rateLimitNext = 0;
  url = '';
  private nextOrderId = 1000;
  private nextTradeId = 1;
  private readonly server: Server;

  constructor(
    readonly apiKey = 'test-api-key-0123456789',
    readonly secret = 'test-secret-abcdefghijklmnopqrstuvwxyz',
    private readonly now: () => number = () => Date.now(),
  ) {
    this.routes.set('GET /api/v3/exchangeInfo', () => this.exchangeInfo());
    this.routes.set('GET /api/v3/ticker/24hr', (request) => this.ticker(request));
    this.routes.set(`POST ${ORDER_PATH}`, (request) => this.signed(request, () => this.placeOrder(request)));
    this.routes.set(`GET ${ORDER_PATH}`, (request) => this.signed(request, () => this.queryOrder(request)));
    this.routes.set(`DELETE ${ORDER_PATH}`, (request) => this.signed(request, () => this.cancel(request)));
    this.routes.set('GET /api/v3/openOrders', (request) =>
      this.signed(request, () => this.openOrders(request)),
    );
    this.routes.set('GET /api/v3/account', (request) => this.signed(request, () => this.account()));
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const body = Buffer.concat(chunks).toString('utf8');
        const rawQuery = request.method === 'POST' ? body : url.search.slice(1);
        const exchangeRequest: ExchangeRequest = {
          method: request.method ?? 'GET',
          path: url.pathname,
          params: Object.fromEntries(new URLSearchParams(rawQuery)),
          rawQuery,
          headers: request.headers,
          originalUrl: String(request.headers['x-original-url'] ?? `${this.url}${request.url ?? ''}`),
        };
        this.requests.push(exchangeRequest);
        const answer = this.answer(exchangeRequest);
        if ('drop' in answer) {
          request.socket.destroy();
          return;
        }
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(JSON.stringify(answer.body));
      });
    });
  }

  /** Starts listening on a free loopback port. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * A fetch for ccxt's `fetchImplementation` seam: sends every request to this server whatever host ccxt
   * aimed at (live or testnet), and passes the intended URL along so tests can assert it.
   */
  readonly redirectingFetch = (input: string, init?: RequestInit): Promise<Response> => {
    const target = new URL(input);
    const headers = new Headers(init?.headers);
    headers.set('x-original-url', input);
    return fetch(`${this.url}${target.pathname}${target.search}`, { ...init, headers }).catch(
      (error: Error) => {
        // Node's fetch throws its own realm's TypeError; ccxt (loaded in Jest's realm) recognises this one.
        throw new TypeError(error.message, { cause: error.cause });
      },
    );
  };

  /** Requests to one endpoint, e.g. `POST /api/v3/order`. */
  requestsTo(route: string): ExchangeRequest[] {
    return this.requests.filter((request) => `${request.method} ${request.path}` === route);
  }

  /** Sets the free balance of an asset. */
  fund(asset: string, free: number): this {
    this.balances.set(asset, { free, locked: 0 });
    return this;
  }

  /** Adds an order placed elsewhere (another process, the exchange's web page). */
  addOrder(order: Partial<FakeOrder> & Pick<FakeOrder, 'clientOrderId' | 'side' | 'origQty'>): FakeOrder {
    const time = this.now();
    const full: FakeOrder = {
      symbol: 'BTCUSDT',
      orderId: this.nextOrderId++,
      type: 'LIMIT',
      price: '40000.00000000',
      executedQty: '0.00000000',
      cummulativeQuoteQty: '0.00000000',
      status: 'NEW',
      time,
      updateTime: time,
      fills: [],
      ...order,
    };
    this.orders.push(full);
    return full;
  }

  /** Fills a resting order completely at the market price (the venue did it while we were away). */
  fill(clientOrderId: string): void {
    const order = this.orders.find((candidate) => candidate.clientOrderId === clientOrderId);
    const market = order && this.markets.get(order.symbol);
    if (!order || !market) throw new Error(`the fake has no order ${clientOrderId}`);
    order.executedQty = order.origQty;
    order.cummulativeQuoteQty = fixed(Number(order.origQty) * market.price);
    order.status = 'FILLED';
    order.updateTime = this.now();
  }

  private answer(request: ExchangeRequest): ExchangeAnswer {
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      return {
        status: 429,
        headers: { 'retry-after': '1' },
        body: {
          code: -1003,
          msg: 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use WebSocket Streams for live updates to avoid polling the API.',
        },
      };
    }
    const route = this.routes.get(`${request.method} ${request.path}`);
    if (!route) return error(404, -1000, `the fake exchange has no route ${request.method} ${request.path}`);
    return route(request);
  }

  /** Checks the key header and the HMAC signature before running a private endpoint. */
  private signed(request: ExchangeRequest, run: () => ExchangeAnswer): ExchangeAnswer {
    if (request.headers['x-mbx-apikey'] !== this.apiKey) {
      return error(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    }
    const match = /^(.*)&signature=([0-9a-f]{64})$/.exec(request.rawQuery);
    const expected = match ? createHmac('sha256', this.secret).update(match[1]!).digest() : undefined;
    if (!match || !expected || !timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'))) {
      return error(400, -1022, 'Signature for this request is not valid.');
    }
    if (!request.params.timestamp) return error(400, -1102, "Mandatory parameter 'timestamp' was not sent.");
    return run();
  }

  private exchangeInfo(): ExchangeAnswer {
    return {
      status: 200,
      body: {
        timezone: 'UTC',
        serverTime: this.now(),
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
          { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
        ],
        exchangeFilters: [],
        symbols: [...this.markets].map(([symbol, market]) => ({
          symbol,
          status: 'TRADING',
          baseAsset: market.base,
          baseAssetPrecision: 8,
          quoteAsset: market.quote,
          quotePrecision: 8,
          quoteAssetPrecision: 8,
          baseCommissionPrecision: 8,
          quoteCommissionPrecision: 8,
          orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
          icebergAllowed: true,
          ocoAllowed: true,
          otoAllowed: true,
          quoteOrderQtyMarketAllowed: true,
          allowTrailingStop: true,
          cancelReplaceAllowed: true,
          isSpotTradingAllowed: true,
          isMarginTradingAllowed: false,
          filters: [
            {
              filterType: 'PRICE_FILTER',
              minPrice: market.tickSize,
              maxPrice: '1000000.00000000',
              tickSize: market.tickSize,
            },
            {
              filterType: 'LOT_SIZE',
              minQty: market.minQty,
              maxQty: '9000.00000000',
              stepSize: market.stepSize,
            },
            {
              filterType: 'MARKET_LOT_SIZE',
              minQty: '0.00000000',
              maxQty: '100.00000000',
              stepSize: '0.00000000',
            },
            {
              filterType: 'NOTIONAL',
              minNotional: market.minNotional,
              applyMinToMarket: true,
              maxNotional: '9000000.00000000',
              applyMaxToMarket: false,
              avgPriceMins: 5,
            },
            { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
          ],
          permissions: [],
          permissionSets: [['SPOT']],
          defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
          allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
        })),
      },
    };
  }

  private ticker(request: ExchangeRequest): ExchangeAnswer {
    const symbol = request.params.symbol ?? '';
    const market = this.markets.get(symbol);
    if (!market) return error(400, -1121, 'Invalid symbol.');
    const price = fixed(market.price, 2);
    const time = this.now();
    return {
      status: 200,
      body: {
        symbol,
        priceChange: '0.00',
        priceChangePercent: '0.000',
        weightedAvgPrice: price,
        prevClosePrice: price,
        lastPrice: price,
        lastQty: '0.01000000',
        bidPrice: price,
        bidQty: '1.00000000',
        askPrice: price,
        askQty: '1.00000000',
        openPrice: price,
        highPrice: price,
        lowPrice: price,
        volume: '100.00000000',
        quoteVolume: fixed(100 * market.price),
        openTime: time - 86_400_000,
        closeTime: time,
        firstId: 1,
        lastId: 100,
        count: 100,
      },
    };
  }

  private placeOrder(request: ExchangeRequest): ExchangeAnswer {
    const { symbol = '', side, type, quantity, quoteOrderQty, newClientOrderId } = request.params;
    const market = this.markets.get(symbol);
    if (!market) return error(400, -1121, 'Invalid symbol.');
    if (side !== 'BUY' && side !== 'SELL')
      return error(400, -1102, "Mandatory parameter 'side' was not sent.");
    if (type !== 'MARKET') return error(400, -1116, 'Invalid orderType.');
    const clientOrderId = newClientOrderId ?? `fake${this.nextOrderId}`;
    if (this.orders.some((order) => order.clientOrderId === clientOrderId && isOpen(order))) {
      return error(400, -2010, 'Duplicate order sent.');
    }
    const step = Number(market.stepSize);
    const qty =
      quantity !== undefined
        ? Number(quantity)
        : quoteOrderQty !== undefined
          ? Math.floor(Number(quoteOrderQty) / market.price / step + 1e-9) * step
          : Number.NaN;
    if (!Number.isFinite(qty)) {
      return error(400, -1102, "Mandatory parameter 'quantity' or 'quoteOrderQty' was not sent.");
    }
    if (Math.abs(qty / step - Math.round(qty / step)) > 1e-6 || qty < Number(market.minQty)) {
      return error(400, -1013, 'Filter failure: LOT_SIZE');
    }
    const notional = qty * market.price;
    if (notional < Number(market.minNotional)) return error(400, -1013, 'Filter failure: NOTIONAL');
    const [payAsset, payAmount] = side === 'BUY' ? [market.quote, notional] : [market.base, qty];
    const pay = this.balances.get(payAsset) ?? { free: 0, locked: 0 };
    if (pay.free + 1e-9 < payAmount) {
      return error(400, -2010, 'Account has insufficient balance for requested action.');
    }
    const time = this.now();
    const order: FakeOrder = {
      symbol,
      orderId: this.nextOrderId++,
      clientOrderId,
      side,
      type: 'MARKET',
      price: '0.00000000',
      origQty: fixed(qty),
      executedQty: '0.00000000',
      cummulativeQuoteQty: '0.00000000',
      status: 'NEW',
      time,
      updateTime: time,
      fills: [],
    };
    if (!this.restMarketOrders) {
      const [getAsset, getAmount] = side === 'BUY' ? [market.base, qty] : [market.quote, notional];
      const commission = getAmount * FAKE_COMMISSION;
      pay.free -= payAmount;
      this.balances.set(payAsset, pay);
      const get = this.balances.get(getAsset) ?? { free: 0, locked: 0 };
      get.free += getAmount - commission;
      this.balances.set(getAsset, get);
      order.executedQty = fixed(qty);
      order.cummulativeQuoteQty = fixed(notional);
      order.status = 'FILLED';
      order.fills.push({
        price: fixed(market.price),
        qty: fixed(qty),
        commission: fixed(commission),
        commissionAsset: getAsset,
        tradeId: this.nextTradeId++,
      });
    }
    this.orders.push(order);
    if (this.dropOrderResponses > 0) {
      this.dropOrderResponses--;
      return { drop: true };
    }
    // newOrderRespType FULL, as ccxt asks for market orders.
    return {
      status: 200,
      body: {
        symbol,
        orderId: order.orderId,
        orderListId: -1,
        clientOrderId,
        transactTime: time,
        price: order.price,
        origQty: order.origQty,
        executedQty: order.executedQty,
        origQuoteOrderQty: quoteOrderQty !== undefined ? fixed(Number(quoteOrderQty)) : '0.00000000',
        cummulativeQuoteQty: order.cummulativeQuoteQty,
        status: order.status,
        timeInForce: 'GTC',
        type: 'MARKET',
        side,
        workingTime: time,
        selfTradePreventionMode: 'EXPIRE_MAKER',
        fills: order.fills,
      },
    };
  }

  private find(request: ExchangeRequest): FakeOrder | undefined {
    const { symbol, orderId, origClientOrderId } = request.params;
    return this.orders.find(
      (order) =>
        order.symbol === symbol &&
        (origClientOrderId !== undefined
          ? order.clientOrderId === origClientOrderId
          : String(order.orderId) === orderId),
    );
  }

  private queryOrder(request: ExchangeRequest): ExchangeAnswer {
    const order = this.find(request);
    if (!order) return error(400, -2013, 'Order does not exist.');
    return { status: 200, body: orderView(order) };
  }

  private cancel(request: ExchangeRequest): ExchangeAnswer {
    const order = this.find(request);
    if (!order || !isOpen(order)) return error(400, -2011, 'Unknown order sent.');
    order.status = 'CANCELED';
    order.updateTime = this.now();
    return {
      status: 200,
      body: {
        symbol: order.symbol,
        origClientOrderId: order.clientOrderId,
        orderId: order.orderId,
        orderListId: -1,
        clientOrderId: `cancel${order.orderId}`,
        transactTime: order.updateTime,
        price: order.price,
        origQty: order.origQty,
        executedQty: order.executedQty,
        origQuoteOrderQty: '0.00000000',
        cummulativeQuoteQty: order.cummulativeQuoteQty,
        status: order.status,
        timeInForce: 'GTC',
        type: order.type,
        side: order.side,
        selfTradePreventionMode: 'EXPIRE_MAKER',
      },
    };
  }

  private openOrders(request: ExchangeRequest): ExchangeAnswer {
    const symbol = request.params.symbol;
    return {
      status: 200,
      body: this.orders
        .filter((order) => isOpen(order) && (symbol === undefined || order.symbol === symbol))
        .map(orderView),
    };
  }

  private account(): ExchangeAnswer {
    return {
      status: 200,
      body: {
        makerCommission: 10,
        takerCommission: 10,
        buyerCommission: 0,
        sellerCommission: 0,
        commissionRates: {
          maker: '0.00100000',
          taker: '0.00100000',
          buyer: '0.00000000',
          seller: '0.00000000',
        },
        canTrade: true,
        canWithdraw: true,
        canDeposit: true,
        brokered: false,
        requireSelfTradePrevention: false,
        preventSor: false,
        updateTime: this.now(),
        accountType: 'SPOT',
        balances: [...this.balances].map(([asset, balance]) => ({
          asset,
          free: fixed(balance.free),
          locked: fixed(balance.locked),
        })),
        permissions: ['SPOT'],
        uid: 354937868,
      },
    };
  }
}

function isOpen(order: FakeOrder): boolean {
  return order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
}

/** GET /api/v3/order and /api/v3/openOrders answer orders in this shape. */
function orderView(order: FakeOrder): Record<string, unknown> {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: order.price,
    origQty: order.origQty,
    executedQty: order.executedQty,
    cummulativeQuoteQty: order.cummulativeQuoteQty,
    status: order.status,
    timeInForce: 'GTC',
    type: order.type,
    side: order.side,
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: order.time,
    updateTime: order.updateTime,
    isWorking: true,
    workingTime: order.time,
    origQuoteOrderQty: '0.00000000',
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}
