import { describe, expect, it } from '@jest/globals';
import {
  type Broker,
  BrokerError,
  type BrokerOrder,
  type MarketConstraints,
  type OrderStatus,
} from '@shared/ports/broker';
import { reconcileOpenOrders } from '@shared/trading/reconcile';

/** A venue held in memory: orders by client id, nothing placed through it in these tests. */
class MemoryVenue implements Broker {
  readonly name = 'memory';
  readonly calls: string[] = [];
  readonly orders = new Map<string, BrokerOrder>();
  /** When set, listing open orders requires a symbol, as some exchanges do. */
  requireSymbol = false;
  unreachable = false;

  add(clientOrderId: string, symbol: string, status: OrderStatus, filled = 0): void {
    this.orders.set(clientOrderId, {
      clientOrderId,
      exchangeOrderId: `x-${clientOrderId}`,
      symbol,
      side: 'buy',
      size: { kind: 'base', amount: 1 },
      status,
      filled,
      averagePrice: filled > 0 ? 100 : null,
      fee: 0,
      placedAt: 1_000,
      filledAt: filled > 0 ? 2_000 : null,
    });
  }

  async market(symbol: string): Promise<MarketConstraints> {
    return { symbol, base: 'BTC', quote: 'USDT', shortable: false };
  }
  async placeMarketOrder(): Promise<BrokerOrder> {
    throw new Error('reconciliation must not place orders');
  }
  async fetchOrder(symbol: string, clientOrderId: string): Promise<BrokerOrder | undefined> {
    this.calls.push(`fetchOrder ${symbol} ${clientOrderId}`);
    const order = this.orders.get(clientOrderId);
    return order?.symbol === symbol ? order : undefined;
  }
  async openOrders(symbol?: string): Promise<BrokerOrder[]> {
    this.calls.push(`openOrders ${symbol ?? '*'}`);
    if (this.unreachable) throw new BrokerError('memory could not be reached; retry later', true);
    if (this.requireSymbol && !symbol) throw new BrokerError('memory needs a symbol');
    return [...this.orders.values()].filter(
      (order) => order.status === 'open' && (symbol === undefined || order.symbol === symbol),
    );
  }
  async cancelOrder(): Promise<BrokerOrder> {
    throw new Error('reconciliation must not cancel orders');
  }
  async balances() {
    return {};
  }
  async position(symbol: string) {
    return { symbol, amount: 0 };
  }
}

const ids = (orders: readonly { clientOrderId: string }[]) => orders.map((order) => order.clientOrderId);

describe('reconcileOpenOrders', () => {
  it('sorts recorded open orders by what the venue says happened to them', async () => {
    const venue = new MemoryVenue();
    venue.add('fw-open', 'BTC/USDT', 'open');
    venue.add('fw-filled', 'BTC/USDT', 'filled', 1);
    venue.add('fw-canceled', 'BTC/USDT', 'canceled');
    venue.add('fw-rejected', 'ETH/USDT', 'rejected');
    const recorded = [
      { clientOrderId: 'fw-open', symbol: 'BTC/USDT' },
      { clientOrderId: 'fw-filled', symbol: 'BTC/USDT' },
      { clientOrderId: 'fw-canceled', symbol: 'BTC/USDT' },
      { clientOrderId: 'fw-rejected', symbol: 'ETH/USDT' },
      { clientOrderId: 'fw-lost', symbol: 'BTC/USDT' },
    ];

    const result = await reconcileOpenOrders(venue, recorded);

    expect(ids(result.stillOpen)).toEqual(['fw-open']);
    expect(result.filled).toEqual([expect.objectContaining({ clientOrderId: 'fw-filled', filled: 1 })]);
    expect(ids(result.canceled)).toEqual(['fw-canceled', 'fw-rejected']);
    expect(result.missing).toEqual([{ clientOrderId: 'fw-lost', symbol: 'BTC/USDT' }]);
    expect(result.unrecorded).toEqual([]);
    expect(result.foreign).toEqual([]);
    // An order found open is not looked up again.
    expect(venue.calls).not.toContain('fetchOrder BTC/USDT fw-open');
  });

  it('separates our unrecorded orders from orders placed by someone else', async () => {
    const venue = new MemoryVenue();
    venue.add('fw-crashed-before-recording', 'BTC/USDT', 'open');
    venue.add('manual-order', 'BTC/USDT', 'open');

    const result = await reconcileOpenOrders(venue, [], { isOurs: (id) => id.startsWith('fw-') });

    expect(ids(result.unrecorded)).toEqual(['fw-crashed-before-recording']);
    expect(ids(result.foreign)).toEqual(['manual-order']);
  });

  it('treats every unknown open order as ours when no rule tells them apart', async () => {
    const venue = new MemoryVenue();
    venue.add('anything', 'BTC/USDT', 'open');

    const result = await reconcileOpenOrders(venue, []);

    expect(ids(result.unrecorded)).toEqual(['anything']);
    expect(result.foreign).toEqual([]);
  });

  it('lists per symbol when asked, including the symbols of recorded orders', async () => {
    const venue = new MemoryVenue();
    venue.requireSymbol = true;
    venue.add('fw-eth', 'ETH/USDT', 'open');
    venue.add('fw-sol', 'SOL/USDT', 'open');

    const result = await reconcileOpenOrders(venue, [{ clientOrderId: 'fw-eth', symbol: 'ETH/USDT' }], {
      symbols: ['SOL/USDT'],
    });

    expect(venue.calls.filter((call) => call.startsWith('openOrders'))).toEqual([
      'openOrders SOL/USDT',
      'openOrders ETH/USDT',
    ]);
    expect(ids(result.stillOpen)).toEqual(['fw-eth']);
    expect(ids(result.unrecorded)).toEqual(['fw-sol']);
  });

  it('fails when the venue cannot be read, so trading does not start on a guess', async () => {
    const venue = new MemoryVenue();
    venue.unreachable = true;

    await expect(
      reconcileOpenOrders(venue, [{ clientOrderId: 'fw-open', symbol: 'BTC/USDT' }]),
    ).rejects.toThrow('memory could not be reached');
  });
});
