/** Which way an order or fill goes. */
export type TradeSide = 'buy' | 'sell';

/** Where an order is in its life, as exchanges report it (ccxt's statuses, with partial fills told apart). */
export type OrderStatus = 'open' | 'partially-filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

/** One execution of (part of) an order: what positions and PnL are computed from. */
export interface FillRecord {
  readonly kind: 'fill';
  /** Unique and stable across retries (the exchange's trade id, the paper broker's client order id): the idempotency key. */
  readonly id: string;
  readonly strategy: string;
  /** The market as ccxt names it: `BTC/USDT`. */
  readonly market: string;
  readonly side: TradeSide;
  /** Base units filled, always positive. */
  readonly quantity: number;
  /** Quote per base unit. */
  readonly price: number;
  /** Fee paid, in the quote currency. */
  readonly fee: number;
  /** When it filled (epoch ms). */
  readonly time: number;
  /** Who reported it: `paper`, `live`, `webhook:<source>`. */
  readonly source: string;
  readonly orderId?: string;
  readonly clientOrderId?: string;
}

/** A change of an order's status reported by an exchange (kept for the record and the stream; not used for positions). */
export interface OrderUpdateRecord {
  readonly kind: 'order-update';
  /** Unique per update: the idempotency key. */
  readonly id: string;
  readonly strategy: string;
  readonly market: string;
  readonly side: TradeSide;
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly status: OrderStatus;
  /** The order's quantity in base units. */
  readonly quantity: number;
  readonly filledQuantity: number;
  /** The limit price; absent for market orders. */
  readonly price?: number;
  readonly time: number;
  readonly source: string;
  /** Why an order was rejected or cancelled, as the exchange said. */
  readonly reason?: string;
}

/** Anything the trades table holds. */
export type TradeEntry = FillRecord | OrderUpdateRecord;

/** Which entries to list; every filter is optional. Times are epoch ms, both bounds inclusive. */
export interface TradeQuery {
  /** Default `fill`. */
  readonly kind?: TradeEntry['kind'];
  readonly strategy?: string;
  readonly market?: string;
  readonly from?: number;
  readonly to?: number;
  /** At most this many; default every matching entry. */
  readonly limit?: number;
}

/** Whether `record` stored the entry or already had one with its id (which it leaves unchanged). */
export type RecordOutcome = 'recorded' | 'duplicate';

/**
 * The trades table: SQLite locally, DynamoDB (with a stream) on AWS. Positions are not stored: they are derived
 * from the fills (shared/trade-ledger/positions.ts), so a fill recorded twice can never count twice.
 */
export interface TradeStore {
  /** Stores an entry unless one with its id is stored already (idempotent: a retried write changes nothing). */
  record(entry: TradeEntry): Promise<RecordOutcome>;
  /** Entries of one kind matching the query, newest first (ties by id, descending). */
  list(query?: TradeQuery): Promise<TradeEntry[]>;
}

/** An entry cannot be stored as given; the message says which field to fix. */
export class TradeEntryError extends Error {
  override readonly name = 'TradeEntryError';
}

/** Throws TradeEntryError unless the entry has an id and a time every store can key and order by. */
export function assertStorableEntry(entry: TradeEntry): void {
  if (!entry.id) throw new TradeEntryError('a trade entry needs a non-empty id (its idempotency key)');
  if (!Number.isSafeInteger(entry.time) || entry.time < 0) {
    throw new TradeEntryError(
      `entry ${entry.id} has time ${entry.time}: expected whole epoch milliseconds ≥ 0`,
    );
  }
}
