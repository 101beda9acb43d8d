import { describe, expect, it } from '@jest/globals';
import { extractFacts } from '@shared/content/facts';
import { splitSentences } from '@shared/content/sentences';
import { insightSource } from '@shared/content/source';
import {
  type StrategyPromoted,
  StrategyPromotedSchema,
  type SweepCompleted,
  SweepCompletedSchema,
} from '../../../../events/catalog';

const promoted: StrategyPromoted = StrategyPromotedSchema.parse({
  market: 'BTC/USDT',
  sweepId: 'sw-42',
  datasetHash: 'abc123',
  strategy: { name: 'sma-cross', identity: 'builtin:sma-cross@0.1.0' },
  params: { fast: 10, slow: 30, longOnly: true },
  engine: {
    cash: 10_000,
    commission: 0.001,
    spread: 0,
    slippageBps: 5,
    fractional: true,
    longOnly: true,
  },
  objective: 'sqn',
  walkForwardSettings: { mode: 'rolling', folds: 5, inSample: 0.7 },
  walkForward: { objective: 1.23456, inSampleObjective: 1.9, ratio: 0.6498, trades: 48 },
  reason:
    'walk-forward sqn 1.235 meets the threshold 0.000 with 48 trades; nothing was promoted for this market yet',
});

function text(source: ReturnType<typeof insightSource>): string {
  return source.blocks.map((block) => block.text).join(' ');
}

describe('insightSource', () => {
  it('tells a promotion in whole sentences with market, strategy, parameters, walk-forward figures and reason', () => {
    // Act
    const source = insightSource('StrategyPromoted', promoted);
    const body = text(source);

    // Assess
    expect(source).toMatchObject({
      kind: 'insight',
      title: 'sma-cross promoted on BTC/USDT',
      tone: 'analytical',
    });
    expect(body).toBe(
      'sma-cross is now the promoted strategy on BTC/USDT. ' +
        'Sweep sw-42 ranked it first by sqn, and it was validated walk-forward over 5 rolling folds with 70% of each fold in sample. ' +
        'Out of sample its sqn was 1.235, against 1.9 in sample (a walk-forward ratio of 0.6498), over 48 trades. ' +
        'Its parameters are fast = 10, slow = 30 and longOnly = true. ' +
        'Why it was promoted: walk-forward sqn 1.235 meets the threshold 0.000 with 48 trades; nothing was promoted for this market yet.',
    );
    expect(splitSentences(body)).toHaveLength(5);
    expect(extractFacts(body).tickers).toEqual(['BTC/USDT']);
  });

  it('puts its figures in facts, written as the text writes them', () => {
    // Act
    const source = insightSource('StrategyPromoted', promoted);
    const body = text(source);

    // Assess
    expect(source.facts).toMatchObject({
      market: 'BTC/USDT',
      strategy: 'sma-cross',
      sweepId: 'sw-42',
      walkForwardObjective: 1.235,
      inSampleObjective: 1.9,
      walkForwardRatio: 0.6498,
      trades: 48,
      folds: 5,
      inSamplePercent: 70,
      'param.fast': 10,
      'param.slow': 30,
      'param.longOnly': 'true',
    });
    for (const value of Object.values(source.facts ?? {})) expect(body).toContain(String(value));
  });

  it('says so when the walk-forward objective has no value', () => {
    // Act
    const source = insightSource('StrategyPromoted', {
      ...promoted,
      walkForward: { objective: null, inSampleObjective: null, ratio: null, trades: 1 },
    });

    // Assess
    expect(text(source)).toContain('Out of sample it made 1 trade, too few to measure its sqn.');
    expect(source.facts).not.toHaveProperty('walkForwardRatio');
  });

  it('tells a completed sweep with its job counts', () => {
    // Prepare
    const detail: SweepCompleted = SweepCompletedSchema.parse({
      sweepId: 'sw-7',
      total: 12,
      done: 11,
      failed: 1,
    });

    // Act
    const source = insightSource('SweepCompleted', detail);

    // Assess
    expect(source.title).toBe('Sweep sw-7 completed');
    expect(text(source)).toBe(
      'Sweep sw-7 has finished: 11 of 12 backtest jobs completed. 1 job failed and went to the dead-letter queue.',
    );
    expect(source.facts).toEqual({ sweepId: 'sw-7', total: 12, done: 11, failed: 1 });
  });
});
