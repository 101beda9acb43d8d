import { describe, expect, it } from '@jest/globals';
import type { FillRecord } from '@shared/ports/trade-store';
import { positionsFromFills } from '@shared/trade-ledger/positions';

const T0 = Date.UTC(2026, 2, 2);

function fill(
  id: string,
  side: 'buy' | 'sell',
  quantity: number,
  price: number,
  time: number,
  fee = 0,
): FillRecord {
  return {
    kind: 'fill',
    id,
    strategy: 's',
    market: 'BTC/USDT',
    side,
    quantity,
    price,
    fee,
    time,
    source: 'paper',
  };
}

describe('positions from fills', () => {
  it('averages the entry price over fills that add to a position', () => {
    // Act
    const [position] = positionsFromFills([fill('a', 'buy', 1, 100, T0), fill('b', 'buy', 3, 200, T0 + 1)]);

    // Assess
    expect(position).toMatchObject({ size: 4, averageEntryPrice: 175, realizedPnl: 0 });
  });

  it('realises PnL on a reversal and opens the rest at the reversing price', () => {
    // Act
    const [position] = positionsFromFills([
      fill('a', 'buy', 2, 100, T0, 0.2),
      fill('b', 'sell', 5, 90, T0 + 1, 0.45),
    ]);

    // Assess
    expect(position).toMatchObject({ size: -3, averageEntryPrice: 90, realizedPnl: -20, fees: 0.65 });
    expect(position!.netRealizedPnl).toBeCloseTo(-20.65, 9);
  });

  it('realises a short’s profit when it is bought back lower, and is flat with no entry price', () => {
    // Act
    const [position] = positionsFromFills([
      fill('a', 'sell', 0.3, 100, T0),
      fill('b', 'buy', 0.3, 80, T0 + 1),
    ]);

    // Assess
    expect(position).toMatchObject({ size: 0, averageEntryPrice: null, fills: 2, lastFillAt: T0 + 1 });
    expect(position!.realizedPnl).toBeCloseTo(6, 9);
  });

  it('applies fills oldest first whatever order they come in, so newest-first listings give the same result', () => {
    // Prepare
    const fills = [
      fill('a', 'buy', 1, 100, T0),
      fill('b', 'sell', 1, 120, T0 + 1),
      fill('c', 'buy', 1, 90, T0 + 2),
    ];

    // Act
    const forward = positionsFromFills(fills);
    const backward = positionsFromFills([...fills].reverse());

    // Assess
    expect(backward).toEqual(forward);
    expect(forward[0]).toMatchObject({ size: 1, averageEntryPrice: 90, realizedPnl: 20 });
  });

  it('is flat after selling what was bought in parts, not left with float dust', () => {
    // Act: 0.1 + 0.2 is 0.30000000000000004 in floating point.
    const [position] = positionsFromFills([
      fill('a', 'buy', 0.1, 100, T0),
      fill('b', 'buy', 0.2, 100, T0 + 1),
      fill('c', 'sell', 0.3, 110, T0 + 2),
    ]);

    // Assess
    expect(position).toMatchObject({ size: 0, averageEntryPrice: null, fills: 3 });
    expect(position!.realizedPnl).toBeCloseTo(3, 9);
  });

  it('keeps strategies and markets apart, sorted', () => {
    // Act
    const positions = positionsFromFills([
      { ...fill('a', 'buy', 1, 100, T0), strategy: 'z' },
      { ...fill('b', 'buy', 1, 10, T0), market: 'ETH/USDT' },
      fill('c', 'sell', 1, 100, T0),
    ]);

    // Assess
    expect(positions.map((p) => [p.strategy, p.market, p.size])).toEqual([
      ['s', 'BTC/USDT', -1],
      ['s', 'ETH/USDT', 1],
      ['z', 'BTC/USDT', 1],
    ]);
  });
});
