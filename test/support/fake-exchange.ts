import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Candle } from '@shared/ports/market-data-source';

/** A request the fake exchange received. */
export interface ExchangeRequest {
  readonly method: string;
  /** The path without the query, e.g. `/api/v3/klines`. */
  readonly path: string;
  /** Query parameters (a repeated one keeps its last value). */
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What a route answers: a status, a JSON body (or raw text) and extra headers. */
export interface ExchangeResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Answers one method and path; may read and change the fake's state (markets, candles, orders). */
export type ExchangeRoute = (
  request: ExchangeRequest,
  exchange: FakeExchange,
) => ExchangeResponse | Promise<ExchangeResponse>;

/** A spot market the fake lists in exchangeInfo. */
export interface FakeMarket {
  /** Binance's id, e.g. `BTCUSDT`. */
  readonly id: string;
  readonly base: string;
  readonly quote: string;
}

/** Binance's intervals and their length in ms (the ones the fake serves). */
export const BINANCE_INTERVALS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
};

/** A 429 as Binance sends it when the request weight is over the limit, with Retry-After in seconds. */
export function rateLimitedResponse(retryAfterSeconds: number): ExchangeResponse {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: {
      code: -1003,
      msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
    },
  };
}

/** A 503 as the gateway in front of Binance answers when the service is unavailable (an HTML page, no JSON). */
export function unavailableResponse(): ExchangeResponse {
  return {
    status: 503,
    headers: { 'content-type': 'text/html' },
    body: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>',
  };
}

/** A 500 with Binance's JSON error for an internal failure (-1001), which ccxt reports as OperationFailed. */
export function internalErrorResponse(): ExchangeResponse {
  return {
    status: 500,
    body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
  };
}

/** A 400 as Binance answers for a symbol it does not list. */
export function invalidSymbolResponse(): ExchangeResponse {
  return { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } };
}

/** A kline row exactly as Binance's GET /api/v3/klines returns it: twelve fields, prices and volumes as strings. */
export function binanceKline(candle: Candle, intervalMs: number): (string | number)[] {
  return [
    candle.openTime,
    candle.open.toFixed(8),
    candle.high.toFixed(8),
    candle.low.toFixed(8),
    candle.close.toFixed(8),
    candle.volume.toFixed(8),
    candle.openTime + intervalMs - 1,
    (candle.volume * candle.close).toFixed(8),
    42,
    (candle.volume / 2).toFixed(8),
    ((candle.volume / 2) * candle.close).toFixed(8),
    '0',
  ];
}

/** `count` consecutive candles from `start`, each `intervalMs` apart, with prices that drift (deterministic). */
export function makeCandles(start: number, intervalMs: number, count: number): Candle[] {
  return Array.from({ length: count }, (_, index) => {
    const open = 40_000 + index * 10;
    return {
      openTime: start + index * intervalMs,
      open,
      high: open + 25,
      low: open - 15,
      close: open + 5,
      volume: 1.5 + index / 100,
    };
  });
}

function spotSymbol(market: FakeMarket) {
  return {
    symbol: market.id,
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
        minPrice: '0.01000000',
        maxPrice: '1000000.00000000',
        tickSize: '0.01000000',
      },
      { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
      {
        filterType: 'NOTIONAL',
        minNotional: '5.00000000',
        applyMinToMarketOrder: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarketOrder: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

function futuresInfo(type: 'U_MARGINED' | 'COIN_MARGINED', now: number) {
  return {
    timezone: 'UTC',
    serverTime: now,
    futuresType: type,
    rateLimits: [],
    exchangeFilters: [],
    assets: [],
    symbols: [],
  };
}

/**
 * Binance's public REST API on 127.0.0.1, as far as ccxt's `binance` calls it for fetchOHLCV: the exchangeInfo of
 * spot, USDⓈ-M and COIN-M futures (market loading), GET /api/v3/klines (symbol, interval, startTime, endTime and
 * limit: default 500, at most 1000), /api/v3/time and /api/v3/ping. Every request is recorded; failures can be
 * scripted per path (a 429 with Retry-After, a 503, a 400). Routes live in a table keyed by method and path, so
 * order endpoints are added with `route()` (or by a module that extends this class).
 */
export class FakeExchange {
  readonly requests: ExchangeRequest[] = [];
  /** The time the fake reports as its server time; default the real clock. */
  now: () => number = () => Date.now();
  url = '';
  private readonly routes = new Map<string, ExchangeRoute>();
  private readonly scripted = new Map<string, ExchangeResponse[]>();
  private readonly markets = new Map<string, FakeMarket>();
  private readonly candles = new Map<string, Candle[]>();
  private readonly server: Server;

  constructor(markets: readonly FakeMarket[] = [{ id: 'BTCUSDT', base: 'BTC', quote: 'USDT' }]) {
    for (const market of markets) this.markets.set(market.id, market);
    this.route('GET', '/api/v3/exchangeInfo', () => ({
      status: 200,
      body: {
        timezone: 'UTC',
        serverTime: this.now(),
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
          { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
          { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
          { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
        ],
        exchangeFilters: [],
        symbols: [...this.markets.values()].map(spotSymbol),
      },
    }));
    this.route('GET', '/fapi/v1/exchangeInfo', () => ({
      status: 200,
      body: futuresInfo('U_MARGINED', this.now()),
    }));
    this.route('GET', '/dapi/v1/exchangeInfo', () => ({
      status: 200,
      body: futuresInfo('COIN_MARGINED', this.now()),
    }));
    this.route('GET', '/api/v3/time', () => ({ status: 200, body: { serverTime: this.now() } }));
    this.route('GET', '/api/v3/ping', () => ({ status: 200, body: {} }));
    this.route('GET', '/api/v3/klines', (request) => this.klines(request));
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const recorded: ExchangeRequest = {
          method: request.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(recorded);
        this.answer(recorded).then(
          (answer) => {
            response.writeHead(answer.status, {
              'content-type': 'application/json;charset=UTF-8',
              ...answer.headers,
            });
            response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
          },
          (error: unknown) => {
            response.writeHead(500, { 'content-type': 'text/plain' });
            response.end(`fake exchange route failed: ${(error as Error).stack ?? String(error)}`);
          },
        );
      });
    });
  }

  /** Starts listening on a free loopback port. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops listening and drops idle keep-alive connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds (or replaces) the route for a method and path. */
  route(method: string, path: string, handler: ExchangeRoute): void {
    this.routes.set(`${method.toUpperCase()} ${path}`, handler);
  }

  /** Lists a spot market in exchangeInfo. */
  addMarket(market: FakeMarket): void {
    this.markets.set(market.id, market);
  }

  /** The markets listed, by Binance id. */
  listedMarkets(): ReadonlyMap<string, FakeMarket> {
    return this.markets;
  }

  /** Sets the candles klines serves for a Binance symbol id and interval (any order; served oldest first). */
  setCandles(symbolId: string, interval: string, candles: readonly Candle[]): void {
    this.candles.set(
      `${symbolId} ${interval}`,
      [...candles].sort((a, b) => a.openTime - b.openTime),
    );
  }

  /** The next `times` requests to this path get `response` instead of the route's answer, in the order scripted. */
  failNext(path: string, response: ExchangeResponse, times = 1): void {
    const queue = this.scripted.get(path) ?? [];
    for (let i = 0; i < times; i++) queue.push(response);
    this.scripted.set(path, queue);
  }

  /** The requests received for a path, in order. */
  requestsTo(path: string): ExchangeRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  private async answer(request: ExchangeRequest): Promise<ExchangeResponse> {
    const scripted = this.scripted.get(request.path)?.shift();
    if (scripted) return scripted;
    const route = this.routes.get(`${request.method} ${request.path}`);
    if (!route) return { status: 404, body: '<html><body><h1>404 Not found</h1></body></html>' };
    return route(request, this);
  }

  private klines(request: ExchangeRequest): ExchangeResponse {
    const { symbol, interval, startTime, endTime, limit } = request.query;
    if (!symbol)
      return {
        status: 400,
        body: {
          code: -1102,
          msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
        },
      };
    if (!this.markets.has(symbol)) return invalidSymbolResponse();
    const intervalMs = interval ? BINANCE_INTERVALS[interval] : undefined;
    if (!interval || intervalMs === undefined)
      return { status: 400, body: { code: -1120, msg: 'Invalid interval.' } };
    const count = Math.min(Number(limit ?? 500), 1000);
    const from = startTime === undefined ? Number.NEGATIVE_INFINITY : Number(startTime);
    const to = endTime === undefined ? Number.POSITIVE_INFINITY : Number(endTime);
    const matching = (this.candles.get(`${symbol} ${interval}`) ?? []).filter(
      (candle) => candle.openTime >= from && candle.openTime <= to,
    );
    // Without startTime Binance answers the most recent candles; with it, the oldest from there.
    const page = startTime === undefined ? matching.slice(-count) : matching.slice(0, count);
    const rows = page.map((candle) => binanceKline(candle, intervalMs));
    return { status: 200, body: rows };
  }
}
