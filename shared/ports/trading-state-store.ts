import type { Json } from './json';

/** Whose trading state a document is: one strategy (name with parameters) on one market. */
export interface TradingStateKey {
  readonly strategyId: string;
  readonly market: string;
}

/** A stored trading state with the revision a conditional write must name. */
export interface TradingStateDocument extends TradingStateKey {
  /** 1 for the first write, then one more per write. */
  readonly revision: number;
  readonly state: Json;
  /** When it was last written (epoch ms). */
  readonly updatedAt: number;
}

/**
 * What a strategy's trading must remember between invocations (risk state with its halt, the last bar
 * processed, the paper account): one JSON document per strategy and market, written only over the revision
 * the writer read, so two invocations can never both advance it.
 */
export interface TradingStateStore {
  /** The document, or undefined before the first write. */
  get(key: TradingStateKey): Promise<TradingStateDocument | undefined>;
  /**
   * Writes the state if the stored revision is `expectedRevision` (0: nothing stored yet) and returns the new
   * revision; throws TradingStateConflictError when another writer got there first.
   */
  put(key: TradingStateKey, state: Json, expectedRevision: number): Promise<number>;
  /** Every document, optionally of one market, ordered by market then strategy. */
  list(market?: string): Promise<TradingStateDocument[]>;
}

/** Another invocation wrote the trading state since it was read: read it again and redo the work. */
export class TradingStateConflictError extends Error {
  override readonly name = 'TradingStateConflictError';
  constructor(key: TradingStateKey, expectedRevision: number) {
    super(
      `the trading state of ${key.strategyId} on ${key.market} is no longer at revision ${expectedRevision}: another invocation wrote it; retry from a fresh read`,
    );
  }
}
