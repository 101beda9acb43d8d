import type { Broker, BrokerOrder } from '../ports/broker';

/** An order our records hold as open: what reconciliation checks against the venue. */
export interface RecordedOpenOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
}

/** What the venue says about the orders our records believe open, and what it holds that we do not know. */
export interface Reconciliation {
  /** Filled while we were not looking: record the fill. */
  readonly filled: readonly BrokerOrder[];
  /** Canceled or rejected by the venue (possibly after a partial fill): close them in our records. */
  readonly canceled: readonly BrokerOrder[];
  /** Still open at the venue: keep tracking them. */
  readonly stillOpen: readonly BrokerOrder[];
  /** The venue has no order with this client id: it never accepted it; mark it unknown, never re-place it blindly. */
  readonly missing: readonly RecordedOpenOrder[];
  /**
   * Open at the venue with one of our client ids but absent from our records (placed, then the process
   * stopped before recording it): adopt them.
   */
  readonly unrecorded: readonly BrokerOrder[];
  /** Open at the venue and not ours (placed by hand or by another tool): leave them alone, but say so. */
  readonly foreign: readonly BrokerOrder[];
}

/** How to tell our orders from others at the venue, and which markets to list. */
export interface ReconcileOptions {
  /** Whether a client id is one we generate (see clientOrderId in ./orders); default: every order is ours. */
  readonly isOurs?: (clientOrderId: string) => boolean;
  /**
   * List open orders per symbol instead of all at once (some venues require a symbol); the symbols of the
   * recorded orders are always included.
   */
  readonly symbols?: readonly string[];
}

/**
 * Start-up reconciliation: compares the orders our records believe open with the venue's open orders, so
 * nothing is placed twice and no fill is missed. Read-only: it changes nothing at the venue or in our records.
 * Throws the broker's error when the venue cannot be read: do not trade until it succeeds.
 */
export async function reconcileOpenOrders(
  broker: Broker,
  recorded: readonly RecordedOpenOrder[],
  options: ReconcileOptions = {},
): Promise<Reconciliation> {
  const isOurs = options.isOurs ?? (() => true);
  const venueOpen = await listOpenOrders(broker, recorded, options.symbols);
  const openById = new Map(venueOpen.map((order) => [order.clientOrderId, order]));
  const recordedIds = new Set(recorded.map((order) => order.clientOrderId));

  const filled: BrokerOrder[] = [];
  const canceled: BrokerOrder[] = [];
  const stillOpen: BrokerOrder[] = [];
  const missing: RecordedOpenOrder[] = [];
  for (const order of recorded) {
    const open = openById.get(order.clientOrderId);
    if (open) {
      stillOpen.push(open);
      continue;
    }
    // Not open any more: the order itself says whether it filled or went away.
    const current = await broker.fetchOrder(order.symbol, order.clientOrderId);
    if (!current) missing.push(order);
    else if (current.status === 'filled') filled.push(current);
    else if (current.status === 'canceled' || current.status === 'rejected') canceled.push(current);
    else stillOpen.push(current);
  }
  const unknown = venueOpen.filter((order) => !recordedIds.has(order.clientOrderId));
  return {
    filled,
    canceled,
    stillOpen,
    missing,
    unrecorded: unknown.filter((order) => isOurs(order.clientOrderId)),
    foreign: unknown.filter((order) => !isOurs(order.clientOrderId)),
  };
}

async function listOpenOrders(
  broker: Broker,
  recorded: readonly RecordedOpenOrder[],
  symbols: readonly string[] | undefined,
): Promise<BrokerOrder[]> {
  if (!symbols) return broker.openOrders();
  const all = new Set([...symbols, ...recorded.map((order) => order.symbol)]);
  const lists = [];
  for (const symbol of all) lists.push(await broker.openOrders(symbol));
  return lists.flat();
}
