import { describe, expect, it } from '@jest/globals';
import { sentenceSpans, splitSentences } from '@shared/content/sentences';

describe('splitSentences', () => {
  it.each([
    ['See https://a.b/c. Next one starts here.', ['See https://a.b/c.', 'Next one starts here.']],
    ['Visit example.com. It works.', ['Visit example.com.', 'It works.']],
    ['Promoted on BTC/USDT. Sweep ran.', ['Promoted on BTC/USDT.', 'Sweep ran.']],
    ['Use Node.js today. Yes.', ['Use Node.js today.', 'Yes.']],
    [
      'I paid 0.10 BTC to Dr. Bowe. It took 20 seconds (e.g. on a laptop). Done!',
      ['I paid 0.10 BTC to Dr. Bowe.', 'It took 20 seconds (e.g. on a laptop).', 'Done!'],
    ],
    ['“Quoted sentence.” Next sentence.', ['“Quoted sentence.”', 'Next sentence.']],
  ])('splits %j where a reader would', (text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('  \n ')).toEqual([]);
  });

  it('gives offsets that slice the original text, whitespace and all', () => {
    // Prepare
    const text = '  First one.\n\nSecond   one? Third https://example.com/x.';

    // Act
    const spans = sentenceSpans(text);

    // Assess
    expect(spans.map(({ start, end }) => text.slice(start, end))).toEqual([
      'First one.',
      'Second   one?',
      'Third https://example.com/x.',
    ]);
  });
});
