import type { Objective } from './spec';

/** When a champion may be promoted. */
export interface PromotionSettings {
  /** The walk-forward objective must reach this; default 0, or the starting cash for equityFinal. */
  readonly threshold?: number | undefined;
  /** It must beat the promoted strategy's merit by this fraction of that merit's absolute value. */
  readonly margin: number;
  /** Fewest closed out-of-sample trades. */
  readonly minTrades: number;
}

/** The champion as the promotion rule sees it. */
export interface PromotionCandidate {
  readonly objective: Objective;
  readonly walkForwardObjective: number | null;
  readonly outOfSampleTrades: number;
  /** Identifies strategy, parameters and engine settings: equal keys mean the same configuration. */
  readonly configurationKey: string;
}

/** The strategy currently promoted for the market, measured on the candidate's out-of-sample slices. */
export interface Incumbent {
  readonly label: string;
  readonly configurationKey: string;
  /** Its objective over the same joined out-of-sample slices, or null when it could not be measured. */
  readonly merit: number | null;
}

/** A promotion decision and why. */
export interface PromotionOutcome {
  readonly promoted: boolean;
  readonly reason: string;
  readonly threshold: number;
  readonly incumbentMerit: number | null;
}

// 0.07 × 100 is 7.000000000000001 in binary floating point: round for people.
const percent = (fraction: number) => `${Number((fraction * 100).toFixed(6))}%`;
const format = (value: number) => (Math.abs(value) >= 1000 ? value.toFixed(2) : value.toPrecision(4));

/**
 * Promotes a champion when its walk-forward objective meets the threshold, it has enough out-of-sample trades,
 * and it beats the promoted strategy (measured on the same slices) by the margin.
 */
export function decidePromotion(
  candidate: PromotionCandidate,
  settings: PromotionSettings,
  cash: number,
  incumbent: Incumbent | undefined,
): PromotionOutcome {
  const threshold = settings.threshold ?? (candidate.objective === 'equityFinal' ? cash : 0);
  const name = candidate.objective;
  const value = candidate.walkForwardObjective;
  const outcome = (promoted: boolean, reason: string): PromotionOutcome => ({
    promoted,
    reason,
    threshold,
    incumbentMerit: incumbent?.merit ?? null,
  });
  if (value === null)
    return outcome(
      false,
      `the walk-forward ${name} has no value (too few out-of-sample trades or flat equity)`,
    );
  if (candidate.outOfSampleTrades < settings.minTrades) {
    return outcome(
      false,
      `only ${candidate.outOfSampleTrades} closed out-of-sample trades; at least ${settings.minTrades} are required`,
    );
  }
  if (value < threshold)
    return outcome(
      false,
      `walk-forward ${name} ${format(value)} is below the threshold ${format(threshold)}`,
    );
  if (!incumbent) {
    return outcome(
      true,
      `walk-forward ${name} ${format(value)} meets the threshold ${format(threshold)} with ${candidate.outOfSampleTrades} trades; nothing was promoted for this market yet`,
    );
  }
  if (incumbent.configurationKey === candidate.configurationKey) {
    return outcome(false, `the champion is the configuration already promoted (${incumbent.label})`);
  }
  if (incumbent.merit === null) {
    return outcome(
      true,
      `walk-forward ${name} ${format(value)} meets the threshold; the promoted ${incumbent.label} has no ${name} on the same slices`,
    );
  }
  const needed = incumbent.merit + Math.abs(incumbent.merit) * settings.margin;
  if (value < needed || value === incumbent.merit) {
    return outcome(
      false,
      `walk-forward ${name} ${format(value)} does not beat the promoted ${incumbent.label} (${format(incumbent.merit)} on the same slices) by ${percent(settings.margin)}`,
    );
  }
  return outcome(
    true,
    `walk-forward ${name} ${format(value)} beats the promoted ${incumbent.label} (${format(incumbent.merit)} on the same slices) by more than ${percent(settings.margin)} with ${candidate.outOfSampleTrades} trades`,
  );
}
