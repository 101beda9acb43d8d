import type { FillRecord, TradeStore } from '../ports/trade-store';
import { type Fill, grossPnl, PositionLedger } from '../trading/ledger';

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

/** A stored fill in the ledger's terms; stored fills come from orders (protective exits are refused live). */
function ledgerFill(fill: FillRecord): Fill {
  return {
    strategyId: fill.strategy,
    symbol: fill.market,
    clientOrderId: fill.clientOrderId ?? fill.id,
    side: fill.side,
    amount: fill.quantity,
    price: fill.price,
    fee: fill.fee,
    time: fill.time,
    reason: 'order',
  };
}

/** What the ledger does not keep per position but a listing shows. */
interface Tally {
  readonly strategy: string;
  readonly market: string;
  realized: number;
  fees: number;
  fills: number;
  last: number;
}

/**
 * Positions per strategy and market from fills in any order, computed by the PositionLedger (the same arithmetic
 * as the executor and the PaperBroker): fills are applied oldest first (ties by id, so the result never depends
 * on how a store returned them). Sorted by strategy, then market.
 */
export function positionsFromFills(fills: readonly FillRecord[]): Position[] {
  const chronological = [...fills].sort(
    (a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const ledger = new PositionLedger();
  const tallies = new Map<string, Tally>();
  for (const fill of chronological) {
    const key = JSON.stringify([fill.strategy, fill.market]);
    let tally = tallies.get(key);
    if (!tally) {
      tally = {
        strategy: fill.strategy,
        market: fill.market,
        realized: 0,
        fees: 0,
        fills: 0,
        last: fill.time,
      };
      tallies.set(key, tally);
    }
    const trip = ledger.apply(ledgerFill(fill));
    if (trip) tally.realized += grossPnl(trip);
    tally.fees += fill.fee;
    tally.fills += 1;
    tally.last = Math.max(tally.last, fill.time);
  }
  return [...tallies.values()]
    .map(({ strategy, market, realized, fees, fills: count, last }) => {
      const size = ledger.position(strategy, market)?.amount ?? 0;
      return {
        strategy,
        market,
        size,
        averageEntryPrice: size === 0 ? null : (ledger.position(strategy, market)?.entryPrice ?? null),
        realizedPnl: realized,
        fees,
        netRealizedPnl: realized - fees,
        fills: count,
        lastFillAt: last,
      };
    })
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
