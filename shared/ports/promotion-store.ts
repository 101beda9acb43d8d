import type { Json } from './json';

/** One promotion decision, promoted or not, with its reason. */
export interface PromotionDecision {
  readonly market: string;
  readonly sweepId: string;
  readonly decidedAt: number;
  readonly promoted: boolean;
  readonly reason: string;
  /** The full configuration of the candidate (strategy, parameters, engine options, merit). */
  readonly candidate: Json;
}

/** The promoted strategy of each market and every decision taken. */
export interface PromotionStore {
  /** The latest promoted decision for a market. */
  current(market: string): Promise<PromotionDecision | undefined>;
  /** Appends a decision; a promoted one becomes the market's current strategy. Idempotent per (market, sweepId). */
  record(decision: PromotionDecision): Promise<void>;
  /** The decision a sweep already took for a market, so a repeated aggregation reuses it. */
  decisionFor(market: string, sweepId: string): Promise<PromotionDecision | undefined>;
  /** Every decision, newest first, optionally for one market. */
  history(market?: string): Promise<PromotionDecision[]>;
}
