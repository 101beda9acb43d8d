import type { Json } from '../ports/json';
import {
  TradingStateConflictError,
  type TradingStateDocument,
  type TradingStateKey,
  type TradingStateStore,
} from '../ports/trading-state-store';

const keyOf = (key: TradingStateKey) => `${key.market}\u0000${key.strategyId}`;

/** A trading state store in memory: for tests and one-off replays. */
export class MemoryTradingStateStore implements TradingStateStore {
  private readonly documents = new Map<string, TradingStateDocument>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: TradingStateKey): Promise<TradingStateDocument | undefined> {
    const document = this.documents.get(keyOf(key));
    return document && structuredClone(document);
  }

  async put(key: TradingStateKey, state: Json, expectedRevision: number): Promise<number> {
    const current = this.documents.get(keyOf(key))?.revision ?? 0;
    if (current !== expectedRevision) throw new TradingStateConflictError(key, expectedRevision);
    const revision = current + 1;
    this.documents.set(keyOf(key), {
      strategyId: key.strategyId,
      market: key.market,
      revision,
      state: structuredClone(state),
      updatedAt: this.now(),
    });
    return revision;
  }

  async list(market?: string): Promise<TradingStateDocument[]> {
    return [...this.documents.values()]
      .filter((document) => market === undefined || document.market === market)
      .sort((a, b) =>
        a.market === b.market ? compare(a.strategyId, b.strategyId) : compare(a.market, b.market),
      )
      .map((document) => structuredClone(document));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
