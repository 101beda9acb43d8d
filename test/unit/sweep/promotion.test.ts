import { describe, expect, it } from '@jest/globals';
import {
  decidePromotion,
  type Incumbent,
  type PromotionCandidate,
  type PromotionSettings,
} from '@shared/sweep/promotion';

const CASH = 10_000;
const DEFAULTS: PromotionSettings = { margin: 0.05, minTrades: 10 };

function candidate(overrides: Partial<PromotionCandidate> = {}): PromotionCandidate {
  return {
    objective: 'sqn',
    walkForwardObjective: 1.234,
    outOfSampleTrades: 12,
    configurationKey: 'candidate-key',
    ...overrides,
  };
}

function incumbent(merit: number | null, configurationKey = 'incumbent-key'): Incumbent {
  return { label: 'sma-cross (fast=10, slow=20)', configurationKey, merit };
}

describe('decidePromotion refuses a champion that has not earned promotion', () => {
  it('refuses a champion whose walk-forward objective has no value', () => {
    // Act
    const outcome = decidePromotion(candidate({ walkForwardObjective: null }), DEFAULTS, CASH, undefined);

    // Assess
    expect(outcome).toEqual({
      promoted: false,
      reason: 'the walk-forward sqn has no value (too few out-of-sample trades or flat equity)',
      threshold: 0,
      incumbentMerit: null,
    });
  });

  it('refuses a champion with fewer closed out-of-sample trades than required', () => {
    // Act
    const outcome = decidePromotion(candidate({ outOfSampleTrades: 9 }), DEFAULTS, CASH, undefined);

    // Assess
    expect(outcome.promoted).toBe(false);
    expect(outcome.reason).toBe('only 9 closed out-of-sample trades; at least 10 are required');
  });

  it('accepts exactly the required number of trades', () => {
    // Act
    const outcome = decidePromotion(candidate({ outOfSampleTrades: 10 }), DEFAULTS, CASH, undefined);

    // Assess
    expect(outcome.promoted).toBe(true);
  });

  it('refuses a negative walk-forward sqn against the default threshold 0', () => {
    // Act
    const outcome = decidePromotion(candidate({ walkForwardObjective: -0.5 }), DEFAULTS, CASH, undefined);

    // Assess
    expect(outcome).toEqual({
      promoted: false,
      reason: 'walk-forward sqn -0.5000 is below the threshold 0.000',
      threshold: 0,
      incumbentMerit: null,
    });
  });

  it('refuses a champion below an explicit threshold', () => {
    // Act
    const outcome = decidePromotion(
      candidate({ walkForwardObjective: 1.2 }),
      { ...DEFAULTS, threshold: 1.5 },
      CASH,
      undefined,
    );

    // Assess
    expect(outcome.promoted).toBe(false);
    expect(outcome.threshold).toBe(1.5);
    expect(outcome.reason).toBe('walk-forward sqn 1.200 is below the threshold 1.500');
  });

  it('takes the starting cash as the default threshold for equityFinal: 9,500 of 10,000 is refused', () => {
    // Act
    const outcome = decidePromotion(
      candidate({ objective: 'equityFinal', walkForwardObjective: 9500 }),
      DEFAULTS,
      CASH,
      undefined,
    );

    // Assess
    expect(outcome.threshold).toBe(10_000);
    expect(outcome.promoted).toBe(false);
    expect(outcome.reason).toBe('walk-forward equityFinal 9500.00 is below the threshold 10000.00');
  });

  it('promotes an equityFinal champion that ends exactly on the starting cash', () => {
    // Act
    const outcome = decidePromotion(
      candidate({ objective: 'equityFinal', walkForwardObjective: 10_000 }),
      DEFAULTS,
      CASH,
      undefined,
    );

    // Assess
    expect(outcome.promoted).toBe(true);
    expect(outcome.reason).toBe(
      'walk-forward equityFinal 10000.00 meets the threshold 10000.00 with 12 trades; nothing was promoted for this market yet',
    );
  });

  it('checks the value before the trade count: no value wins over too few trades', () => {
    // Act
    const outcome = decidePromotion(
      candidate({ walkForwardObjective: null, outOfSampleTrades: 0 }),
      DEFAULTS,
      CASH,
      undefined,
    );

    // Assess
    expect(outcome.reason).toBe(
      'the walk-forward sqn has no value (too few out-of-sample trades or flat equity)',
    );
  });
});

describe('decidePromotion against the promoted strategy', () => {
  it('promotes the first champion of a market that meets the threshold', () => {
    // Act
    const outcome = decidePromotion(candidate(), DEFAULTS, CASH, undefined);

    // Assess
    expect(outcome).toEqual({
      promoted: true,
      reason:
        'walk-forward sqn 1.234 meets the threshold 0.000 with 12 trades; nothing was promoted for this market yet',
      threshold: 0,
      incumbentMerit: null,
    });
  });

  it('does not promote the configuration that is already promoted, however good it is', () => {
    // Act
    const outcome = decidePromotion(
      candidate({ walkForwardObjective: 9 }),
      DEFAULTS,
      CASH,
      incumbent(1, 'candidate-key'),
    );

    // Assess
    expect(outcome).toEqual({
      promoted: false,
      reason: 'the champion is the configuration already promoted (sma-cross (fast=10, slow=20))',
      threshold: 0,
      incumbentMerit: 1,
    });
  });

  it('promotes over an incumbent that could not be measured on the same slices', () => {
    // Act
    const outcome = decidePromotion(candidate(), DEFAULTS, CASH, incumbent(null));

    // Assess
    expect(outcome.promoted).toBe(true);
    expect(outcome.incumbentMerit).toBeNull();
    expect(outcome.reason).toBe(
      'walk-forward sqn 1.234 meets the threshold; the promoted sma-cross (fast=10, slow=20) has no sqn on the same slices',
    );
  });

  it('does not promote a champion that beats the incumbent by less than the 5% margin (1.25 against 1.2 needs 1.26)', () => {
    // Act
    const outcome = decidePromotion(
      candidate({ walkForwardObjective: 1.25 }),
      DEFAULTS,
      CASH,
      incumbent(1.2),
    );

    // Assess
    expect(outcome).toEqual({
      promoted: false,
      reason:
        'walk-forward sqn 1.250 does not beat the promoted sma-cross (fast=10, slow=20) (1.200 on the same slices) by 5%',
      threshold: 0,
      incumbentMerit: 1.2,
    });
  });

  it('promotes a champion that beats the incumbent by more than the margin (1.3 against 1.2)', () => {
    // Act
    const outcome = decidePromotion(candidate({ walkForwardObjective: 1.3 }), DEFAULTS, CASH, incumbent(1.2));

    // Assess
    expect(outcome.promoted).toBe(true);
    expect(outcome.incumbentMerit).toBe(1.2);
    expect(outcome.reason).toBe(
      'walk-forward sqn 1.300 beats the promoted sma-cross (fast=10, slow=20) (1.200 on the same slices) by more than 5% with 12 trades',
    );
  });

  it('promotes a champion that reaches the margin exactly (2.5 against 2 with 25%)', () => {
    // Act
    const outcome = decidePromotion(
      candidate({ walkForwardObjective: 2.5 }),
      { ...DEFAULTS, margin: 0.25 },
      CASH,
      incumbent(2),
    );

    // Assess
    expect(outcome.promoted).toBe(true);
  });

  it('does not promote a tie with the incumbent even when the margin is 0', () => {
    // Act
    const outcome = decidePromotion(
      candidate({ walkForwardObjective: 1.2 }),
      { ...DEFAULTS, margin: 0 },
      CASH,
      incumbent(1.2),
    );

    // Assess
    expect(outcome.promoted).toBe(false);
    expect(outcome.reason).toBe(
      'walk-forward sqn 1.200 does not beat the promoted sma-cross (fast=10, slow=20) (1.200 on the same slices) by 0%',
    );
  });

  it('measures the margin on the absolute value of a negative incumbent merit: −2 with 25% needs −1.5', () => {
    // Prepare
    const settings: PromotionSettings = { threshold: -5, margin: 0.25, minTrades: 10 };

    // Act
    const short = decidePromotion(candidate({ walkForwardObjective: -1.6 }), settings, CASH, incumbent(-2));
    const enough = decidePromotion(candidate({ walkForwardObjective: -1.5 }), settings, CASH, incumbent(-2));

    // Assess
    expect(short.promoted).toBe(false);
    expect(short.reason).toBe(
      'walk-forward sqn -1.600 does not beat the promoted sma-cross (fast=10, slow=20) (-2.000 on the same slices) by 25%',
    );
    expect(enough.promoted).toBe(true);
    expect(enough.reason).toBe(
      'walk-forward sqn -1.500 beats the promoted sma-cross (fast=10, slow=20) (-2.000 on the same slices) by more than 25% with 12 trades',
    );
  });

  it('writes a 7% margin as "7%" in the reason, not with binary rounding noise', () => {
    // Act
    const outcome = decidePromotion(
      candidate({ walkForwardObjective: 1.25 }),
      { ...DEFAULTS, margin: 0.07 },
      CASH,
      incumbent(1.2),
    );

    // Assess: 1.2 · 1.07 = 1.284 > 1.25.
    expect(outcome.promoted).toBe(false);
    expect(outcome.reason).toBe(
      'walk-forward sqn 1.250 does not beat the promoted sma-cross (fast=10, slow=20) (1.200 on the same slices) by 7%',
    );
  });

  it('still applies the threshold before comparing with the incumbent', () => {
    // Act
    const outcome = decidePromotion(candidate({ walkForwardObjective: -1 }), DEFAULTS, CASH, incumbent(-3));

    // Assess
    expect(outcome.promoted).toBe(false);
    expect(outcome.reason).toBe('walk-forward sqn -1.000 is below the threshold 0.000');
    expect(outcome.incumbentMerit).toBe(-3);
  });
});
