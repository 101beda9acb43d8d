import { describe, expect, it } from '@jest/globals';
import {
  byteCount,
  codePointCount,
  countIn,
  graphemeCount,
  urlsIn,
  weightedLength,
  wordCount,
} from '@shared/content/count';
import { PLATFORM_LIMITS } from '@shared/content/limits';
import fc from 'fast-check';

const LONG_URL = `https://example.com/${'a'.repeat(80)}`;

describe('X weighted characters (twitter-text)', () => {
  it('counts any URL as 23, however long', () => {
    // Prepare
    const text = `Read this: ${LONG_URL}`;

    // Act
    const count = weightedLength(text);

    // Assess
    expect(count).toBe('Read this: '.length + 23);
    expect(countIn(text, 'weighted-characters')).toBe(count);
  });

  it('counts an emoji and a CJK character as 2, Latin letters as 1', () => {
    expect(weightedLength('🚀')).toBe(2);
    expect(weightedLength('日本')).toBe(4);
    expect(weightedLength('abc')).toBe(3);
  });

  it('counts 280 Latin characters as exactly the limit of a post', () => {
    expect(weightedLength('a'.repeat(280))).toBe(PLATFORM_LIMITS.x.limit);
  });
});

describe('Mastodon', () => {
  it('counts every URL as 23 characters and everything else in graphemes', () => {
    // Prepare
    const text = `New post 👍🏽 ${LONG_URL} and ${LONG_URL.replace('example', 'other')}`;

    // Act
    const count = countIn(text, PLATFORM_LIMITS.mastodon.unit, PLATFORM_LIMITS.mastodon);

    // Assess: "New post " 9, the emoji with its skin tone 1, " " 1, URL 23, " and " 5, URL 23.
    expect(count).toBe(9 + 1 + 1 + 23 + 5 + 23);
  });

  it('counts a short URL as 23 too', () => {
    expect(countIn('https://a.io', 'graphemes', { urlLength: 23 })).toBe(23);
  });
});

describe('Bluesky', () => {
  it('counts graphemes, with no URL rule, and checks bytes separately', () => {
    // Prepare: a family emoji is one grapheme of 7 code points and 25 UTF-8 bytes.
    const family = '👨‍👩‍👧‍👦';

    // Act
    const graphemes = countIn(family, PLATFORM_LIMITS.bluesky.unit, PLATFORM_LIMITS.bluesky);

    // Assess
    expect(graphemes).toBe(1);
    expect(codePointCount(family)).toBe(7);
    expect(byteCount(family)).toBe(25);
    expect(countIn(LONG_URL, 'graphemes', PLATFORM_LIMITS.bluesky)).toBe(LONG_URL.length);
  });

  it('lets multibyte text reach the byte limit well before the grapheme limit', () => {
    // Prepare: 300 Devanagari syllables of two code points each are 300 graphemes and 1,800 bytes.
    const text = 'नि'.repeat(300);

    // Assess
    expect(graphemeCount(text)).toBe(300);
    expect(byteCount(text)).toBe(1800);
    expect(byteCount('€')).toBe(3);
  });
});

describe('Telegram', () => {
  it('counts UTF-16 code units: an emoji outside the BMP is 2', () => {
    expect(countIn('🚀', 'utf16-code-units')).toBe(2);
    expect(countIn('é', 'utf16-code-units')).toBe(1);
    expect(countIn('🚀 go', PLATFORM_LIMITS.telegram.unit)).toBe(5);
  });
});

describe('code points and words', () => {
  it('counts an emoji as one code point', () => {
    expect(countIn('🚀ab', 'code-points')).toBe(3);
  });

  it('counts words a speaker reads, not dashes or bullets', () => {
    expect(wordCount('Buy low — sell high • 2 times')).toBe(6);
    expect(wordCount('   ')).toBe(0);
  });

  it('finds URLs with their offsets', () => {
    // Act
    const found = urlsIn('See https://example.com/a. Then stop.');

    // Assess
    expect(found).toEqual([{ url: 'https://example.com/a', start: 4, end: 25 }]);
  });
});

describe('graphemeCount on long texts', () => {
  const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
  const direct = (text: string) => Array.from(segmenter.segment(text)).length;

  it('counts exactly what Intl.Segmenter counts, across the chunks it splits long texts into', () => {
    // Prepare: pieces that join their neighbours (combining marks, ZWJ, skin tones, flags, Hangul jamo, CR LF,
    // an Arabic prepended mark) next to pieces that never do.
    const piece = fc.constantFrom(
      'a',
      ' ',
      '\r',
      '\n',
      'e\u0301',
      '\u0301',
      '\u200d',
      '👍🏽',
      '👨‍👩‍👧‍👦',
      '🇫🇷',
      '\u{1F1EB}',
      '\u1100',
      '\u1161',
      '한',
      '\u0600',
      '日',
      'か\u3099',
      'नि',
      '#\uFE0F\u20E3',
    );

    // Act + Assess
    fc.assert(
      fc.property(fc.array(piece, { minLength: 0, maxLength: 1500 }), (pieces) => {
        const text = pieces.join('');
        expect(graphemeCount(text)).toBe(direct(text));
      }),
      { numRuns: 60 },
    );
  });

  it('counts a 60,000-character text quickly (Intl.Segmenter alone is quadratic on one long string)', () => {
    // Prepare
    const sentence = 'Bought 0.10 BTC for a 16x16 Sudoku 🚀 日本. ';
    const text = sentence.repeat(1500);

    // Act
    const count = graphemeCount(text);

    // Assess: the count is right; the speed is what bench/ measures, not this test.
    expect(count).toBe(direct(sentence) * 1500);
  });
});
