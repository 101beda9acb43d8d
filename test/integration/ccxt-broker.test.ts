import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CcxtBroker } from '@shared/adapters/ccxt/broker';
import { type LiveBrokerOptions, liveBrokerFromEnv } from '@shared/adapters/ccxt/broker-from-env';
import {
  BrokerError,
  InsufficientFundsError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
} from '@shared/ports/broker';
import { reconcileOpenOrders } from '@shared/trading/reconcile';
import { FakeBinanceOrders } from '../support/fake-exchange-orders';

const BUY_ID = 'fw0123456789abcdef0123456789abcd';

function liveEnv(fake: FakeBinanceOrders, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FLYWHEEL_LIVE_TRADING: '1',
    FLYWHEEL_EXCHANGE_ID: 'binance',
    FLYWHEEL_EXCHANGE_API_KEY: fake.apiKey,
    FLYWHEEL_EXCHANGE_SECRET: fake.secret,
    ...extra,
  };
}

function brokerOn(fake: FakeBinanceOrders, extra: Record<string, string> = {}): CcxtBroker {
  const options: LiveBrokerOptions = {
    fetch: fake.redirectingFetch,
    broker: { lookupDelayMs: 0, sleep: async () => undefined },
  };
  const choice = liveBrokerFromEnv(liveEnv(fake, extra), options);
  if (!choice.broker) throw new Error(`the gate refused: ${choice.reason}`);
  return choice.broker;
}

describe('CcxtBroker on a loopback Binance', () => {
  let fake: FakeBinanceOrders;
  let broker: CcxtBroker;

  beforeEach(async () => {
    fake = await new FakeBinanceOrders().start();
    fake.fund('USDT', 10_000);
    broker = brokerOn(fake);
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('reads the market constraints from exchangeInfo', async () => {
    await expect(broker.market('BTC/USDT')).resolves.toEqual({
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
      shortable: false,
      lotStep: 0.00001,
      minAmount: 0.00001,
      minNotional: 5,
    });
    await expect(broker.market('DOGE/EUR')).rejects.toThrow('binance has no market DOGE/EUR');
  });

  it('places a signed market order under the client order id and reports its fill', async () => {
    const order = await broker.placeMarketOrder({
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 0.1 },
    });

    const posts = fake.requestsTo('POST /api/v3/order');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.params).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.1',
      newClientOrderId: BUY_ID,
    });
    expect(order).toMatchObject({
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 0.1 },
      status: 'filled',
      filled: 0.1,
      averagePrice: 50_000,
    });
    expect(order.exchangeOrderId).toEqual(expect.any(String));
    // 0.1% commission taken in BTC, valued at the fill price.
    expect(order.fee).toBeCloseTo(5, 6);
    const balances = await broker.balances();
    expect(balances.USDT).toEqual({ free: 5_000, total: 5_000 });
    expect(balances.BTC?.total).toBeCloseTo(0.0999, 8);
    await expect(broker.position('BTC/USDT')).resolves.toEqual({
      symbol: 'BTC/USDT',
      amount: balances.BTC?.total,
    });
  });

  it('returns the existing order when the same client id is placed again, without a second POST', async () => {
    const request = {
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 0.1 },
    } as const;
    const first = await broker.placeMarketOrder(request);
    const again = await broker.placeMarketOrder(request);
    // A new process (a retried Lambda) has no memory of the first placement.
    const fresh = await brokerOn(fake).placeMarketOrder(request);

    expect(fake.requestsTo('POST /api/v3/order')).toHaveLength(1);
    expect(fake.orders).toHaveLength(1);
    expect(again).toMatchObject({ clientOrderId: BUY_ID, status: 'filled', filled: 0.1 });
    expect(fresh.exchangeOrderId).toBe(first.exchangeOrderId);
    const lookups = fake.requestsTo('GET /api/v3/order');
    expect(lookups.at(-1)!.params.origClientOrderId).toBe(BUY_ID);
  });

  it('finds the order by client id when the placement response is dropped, and never posts it twice', async () => {
    fake.dropOrderResponses = 1;

    const order = await broker.placeMarketOrder({
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 0.1 },
    });

    expect(order).toMatchObject({ clientOrderId: BUY_ID, status: 'filled', filled: 0.1 });
    expect(fake.requestsTo('POST /api/v3/order')).toHaveLength(1);
    expect(fake.orders).toHaveLength(1);
  });

  it('says the outcome is unknown when the response is dropped and the venue never shows the order', async () => {
    fake.dropOrderResponses = 1;
    // The venue lost the order after closing the connection: the look-ups find nothing.
    fake.routes.set('POST /api/v3/order', () => ({ drop: true }));

    const placing = broker.placeMarketOrder({
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 0.1 },
    });

    await expect(placing).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await expect(placing).rejects.toMatchObject({ retryable: true, clientOrderId: BUY_ID });
    expect(fake.requestsTo('POST /api/v3/order')).toHaveLength(1);
  });

  it('buys by quote amount with quoteOrderQty', async () => {
    const order = await broker.placeMarketOrder({
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'quote', amount: 1_000 },
    });

    expect(fake.requestsTo('POST /api/v3/order')[0]!.params.quoteOrderQty).toBe('1000');
    expect(order).toMatchObject({ status: 'filled', filled: 0.02, size: { kind: 'quote', amount: 1_000 } });
  });

  it('sells a quote amount by converting it at the last price, rounded down to the lot step', async () => {
    fake.fund('BTC', 1);
    const order = await broker.placeMarketOrder({
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'sell',
      size: { kind: 'quote', amount: 1_234.567 },
    });

    expect(fake.requestsTo('POST /api/v3/order')[0]!.params.quantity).toBe('0.02469');
    expect(order).toMatchObject({ status: 'filled', filled: 0.02469 });
  });

  it('refuses an order the account cannot pay for with InsufficientFundsError, placing nothing', async () => {
    const placing = broker.placeMarketOrder({
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 1 },
    });

    await expect(placing).rejects.toBeInstanceOf(InsufficientFundsError);
    await expect(placing).rejects.toThrow(/fund the account or lower the position size/);
    expect(fake.orders).toHaveLength(0);
  });

  it('refuses an amount below the lot size as a rejected order', async () => {
    await expect(
      broker.placeMarketOrder({
        clientOrderId: BUY_ID,
        symbol: 'BTC/USDT',
        side: 'buy',
        size: { kind: 'base', amount: 0.000001 },
      }),
    ).rejects.toBeInstanceOf(OrderRejectedError);
    expect(fake.requestsTo('POST /api/v3/order')).toHaveLength(0);
  });

  it('refuses protective exits it cannot place rather than trading without them', async () => {
    await expect(
      broker.placeMarketOrder({
        clientOrderId: BUY_ID,
        symbol: 'BTC/USDT',
        side: 'buy',
        size: { kind: 'base', amount: 0.1 },
        protection: { stopLossPct: 2 },
      }),
    ).rejects.toThrow(/cannot attach stop-loss or take-profit/);
    expect(fake.requestsTo('POST /api/v3/order')).toHaveLength(0);
  });

  it('reports a rate limit as a retryable error without placing, and places on the retry', async () => {
    await broker.market('BTC/USDT');
    fake.rateLimitNext = 1;
    const request = {
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 0.1 },
    } as const;

    const limited = broker.placeMarketOrder(request);
    await expect(limited).rejects.toBeInstanceOf(BrokerError);
    await expect(limited).rejects.toMatchObject({ retryable: true });
    await expect(limited).rejects.toThrow(/rate limiting/);
    expect(fake.requestsTo('POST /api/v3/order')).toHaveLength(0);

    await expect(broker.placeMarketOrder(request)).resolves.toMatchObject({ status: 'filled' });
    expect(fake.requestsTo('POST /api/v3/order')).toHaveLength(1);
  });

  it('explains a refused key without revealing the key, the secret or the signature', async () => {
    const wrong = brokerOn(fake, { FLYWHEEL_EXCHANGE_SECRET: 'not-the-right-secret-123' });

    const failure = await wrong.balances().catch((error: unknown) => error as Error);

    expect(failure).toBeInstanceOf(BrokerError);
    expect(failure.message).toMatch(/refused the API key.*FLYWHEEL_EXCHANGE_SECRET/);
    expect(failure.message).not.toContain('not-the-right-secret-123');
    expect(failure.message).not.toContain(fake.apiKey);
    expect(failure.message).not.toMatch(/signature=[0-9a-f]/);
  });

  it('lists, looks up and cancels resting orders by client id', async () => {
    fake.fund('BTC', 1);
    fake.addOrder({ clientOrderId: 'fwresting', side: 'SELL', origQty: '0.50000000' });

    const open = await broker.openOrders('BTC/USDT');
    expect(open).toEqual([
      expect.objectContaining({ clientOrderId: 'fwresting', side: 'sell', status: 'open', filled: 0 }),
    ]);
    await expect(broker.fetchOrder('BTC/USDT', 'fwnever')).resolves.toBeUndefined();

    const canceled = await broker.cancelOrder('BTC/USDT', 'fwresting');
    expect(canceled).toMatchObject({ clientOrderId: 'fwresting', status: 'canceled' });
    expect(fake.requestsTo('DELETE /api/v3/order')[0]!.params.origClientOrderId).toBe('fwresting');
    await expect(broker.openOrders()).resolves.toEqual([]);
    await expect(broker.cancelOrder('BTC/USDT', 'fwnever')).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('returns a filled order unchanged when asked to cancel it', async () => {
    await broker.placeMarketOrder({
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 0.1 },
    });

    await expect(broker.cancelOrder('BTC/USDT', BUY_ID)).resolves.toMatchObject({
      clientOrderId: BUY_ID,
      status: 'filled',
      filled: 0.1,
    });
  });

  it('reconciles recorded open orders with the venue on start-up', async () => {
    fake.addOrder({ clientOrderId: 'fwstillopen', side: 'BUY', origQty: '0.01000000' });
    fake.addOrder({ clientOrderId: 'fwfilledaway', side: 'BUY', origQty: '0.01000000' });
    fake.fill('fwfilledaway');
    fake.addOrder({ clientOrderId: 'fwcanceled', side: 'BUY', origQty: '0.01000000', status: 'CANCELED' });
    fake.addOrder({ clientOrderId: 'fwunrecorded', side: 'SELL', origQty: '0.01000000' });
    fake.addOrder({ clientOrderId: 'web_manual_1', side: 'SELL', origQty: '0.01000000' });
    const recorded = ['fwstillopen', 'fwfilledaway', 'fwcanceled', 'fwnever'].map((clientOrderId) => ({
      clientOrderId,
      symbol: 'BTC/USDT',
    }));

    const result = await reconcileOpenOrders(broker, recorded, { isOurs: (id) => id.startsWith('fw') });

    const ids = (orders: readonly { clientOrderId: string }[]) => orders.map((order) => order.clientOrderId);
    expect(ids(result.stillOpen)).toEqual(['fwstillopen']);
    expect(ids(result.filled)).toEqual(['fwfilledaway']);
    expect(result.filled[0]).toMatchObject({ filled: 0.01, averagePrice: 50_000 });
    expect(ids(result.canceled)).toEqual(['fwcanceled']);
    expect(ids(result.missing)).toEqual(['fwnever']);
    expect(ids(result.unrecorded)).toEqual(['fwunrecorded']);
    expect(ids(result.foreign)).toEqual(['web_manual_1']);
    expect(fake.requestsTo('GET /api/v3/openOrders')).toHaveLength(1);
    expect(fake.requestsTo('POST /api/v3/order')).toHaveLength(0);
    expect(fake.requestsTo('DELETE /api/v3/order')).toHaveLength(0);
  });
});

describe('sandbox mode', () => {
  let fake: FakeBinanceOrders;

  beforeEach(async () => {
    fake = await new FakeBinanceOrders().start();
    fake.fund('USDT', 10_000);
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('sends every request to the Binance testnet when FLYWHEEL_EXCHANGE_SANDBOX=1', async () => {
    const broker = brokerOn(fake, { FLYWHEEL_EXCHANGE_SANDBOX: '1' });

    await broker.placeMarketOrder({
      clientOrderId: BUY_ID,
      symbol: 'BTC/USDT',
      side: 'buy',
      size: { kind: 'base', amount: 0.1 },
    });

    expect(broker.name).toBe('ccxt:binance:sandbox');
    const hosts = new Set(fake.requests.map((request) => new URL(request.originalUrl).origin));
    expect([...hosts]).toEqual(['https://testnet.binance.vision']);
    expect(fake.requestsTo('POST /api/v3/order')[0]!.originalUrl).toBe(
      'https://testnet.binance.vision/api/v3/order',
    );
  });

  it('sends requests to the live API without it', async () => {
    const broker = brokerOn(fake);

    await broker.balances();

    expect(broker.name).toBe('ccxt:binance');
    const hosts = new Set(fake.requests.map((request) => new URL(request.originalUrl).origin));
    expect([...hosts]).toEqual(['https://api.binance.com']);
  });
});
