import type { FillRecord, TradeStore } from '../ports/trade-store';

/** A strategy's net position in one market, derived from its fills. */
export interface Position {
  readonly strategy: string;
  readonly market: string;
  /** Signed base units: positive long, negative short, 0 flat. */
  readonly size: number;
  /** Volume-weighted entry price of the open size; null when flat. */
  readonly averageEntryPrice: number | null;
  /** Profit realised by closing (parts of) positions, before fees, in the quote currency. */
  readonly realizedPnl: number;
  /** Every fee paid, in the quote currency. */
  readonly fees: number;
  /** `realizedPnl - fees`. */
  readonly netRealizedPnl: number;
  readonly fills: number;
  /** Time of the latest fill (epoch ms). */
  readonly lastFillAt: number;
}

// Below this, a size is float dust left by closing a position, not a position.
const DUST = 1e-12;

interface Running {
  size: number;
  average: number;
  realized: number;
  fees: number;
  fills: number;
  last: number;
}

/** Applies one fill to a running position: adds to it at a new average, or closes part of it and realises PnL. */
function apply(position: Running, fill: FillRecord): void {
  const direction = fill.side === 'buy' ? 1 : -1;
  let remaining = fill.quantity;
  if (position.size !== 0 && Math.sign(position.size) !== direction) {
    const closing = Math.min(remaining, Math.abs(position.size));
    // A long closes at a profit when the price rose; a short when it fell.
    position.realized += closing * (fill.price - position.average) * Math.sign(position.size);
    position.size += closing * direction;
    remaining -= closing;
    if (Math.abs(position.size) < DUST) position.size = 0;
  }
  if (remaining > DUST) {
    const open = Math.abs(position.size);
    position.average = (position.average * open + fill.price * remaining) / (open + remaining);
    position.size += remaining * direction;
  }
  if (position.size === 0) position.average = 0;
  position.fees += fill.fee;
  position.fills += 1;
  position.last = Math.max(position.last, fill.time);
}

/**
 * Positions per strategy and market from fills in any order: they are applied oldest first (ties by id, so the
 * result never depends on how a store returned them). Sorted by strategy, then market.
 */
export function positionsFromFills(fills: readonly FillRecord[]): Position[] {
  const chronological = [...fills].sort(
    (a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const running = new Map<string, { strategy: string; market: string; state: Running }>();
  for (const fill of chronological) {
    const key = JSON.stringify([fill.strategy, fill.market]);
    let entry = running.get(key);
    if (!entry) {
      entry = {
        strategy: fill.strategy,
        market: fill.market,
        state: { size: 0, average: 0, realized: 0, fees: 0, fills: 0, last: fill.time },
      };
      running.set(key, entry);
    }
    apply(entry.state, fill);
  }
  return [...running.values()]
    .map(({ strategy, market, state }) => ({
      strategy,
      market,
      size: state.size,
      averageEntryPrice: state.size === 0 ? null : state.average,
      realizedPnl: state.realized,
      fees: state.fees,
      netRealizedPnl: state.realized - state.fees,
      fills: state.fills,
      lastFillAt: state.last,
    }))
    .sort((a, b) => a.strategy.localeCompare(b.strategy) || a.market.localeCompare(b.market));
}

/** The positions of every strategy (or one strategy, or one market) from the fills in the trade store. */
export async function positionsIn(
  store: TradeStore,
  filter: { readonly strategy?: string; readonly market?: string } = {},
): Promise<Position[]> {
  const entries = await store.list({ kind: 'fill', ...filter });
  return positionsFromFills(entries.filter((entry): entry is FillRecord => entry.kind === 'fill'));
}
