import { describe, expect, it } from '@jest/globals';
import { byRank, rankSentences } from '@shared/content/offline';

const bag = (text: string) => new Set(text.toLowerCase().split(/\s+/));

describe('rankSentences', () => {
  it('gives the same scores on every run, and ranks the sentence sharing most words with the others first', () => {
    // Prepare
    const bags = [
      'funding rates pay traders',
      'the weather was nice today outside',
      'funding rates spike before reversals traders',
      'traders watch funding rates closely',
    ].map(bag);

    // Act
    const first = rankSentences(bags);
    const second = rankSentences(bags);

    // Assess
    expect(second).toEqual(first);
    expect(byRank(first)[0]).not.toBe(1);
    expect(byRank(first).at(-1)).toBe(1);
    expect(first.reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 6);
  });

  it('breaks ties in reading order, with a small head start for early sentences', () => {
    const bags = ['alpha beta gamma', 'alpha beta gamma', 'alpha beta gamma'].map(bag);
    const scores = rankSentences(bags);
    expect(byRank(scores)).toEqual([0, 1, 2]);
    expect(scores[0]).toBeGreaterThan(scores[2]!);
  });

  it('returns nothing for no sentences', () => {
    expect(rankSentences([])).toEqual([]);
  });
});
