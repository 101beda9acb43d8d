import twitterText from 'twitter-text';
import type { PlatformLimit } from './limits';
import type { CountUnit } from './model';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const utf8 = new TextEncoder();

/** Grapheme clusters: what a reader sees as one character (an emoji with modifiers is one). */
export function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/** Unicode code points. */
export function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** UTF-8 bytes. */
export function byteCount(text: string): number {
  return utf8.encode(text).length;
}

/** X's weighted length, from the official twitter-text library (URLs 23, CJK and emoji 2). */
export function weightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

/** http(s) URLs in a text as X and Mastodon recognise them, with their offsets (UTF-16). */
export function urlsIn(text: string): { url: string; start: number; end: number }[] {
  return twitterText
    .extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })
    .map(({ url, indices }) => ({ url, start: indices[0], end: indices[1] }));
}

/** A text's length in a platform's unit, with the platform's URL rule (Mastodon counts every URL as 23). */
export function countIn(text: string, unit: CountUnit, limit?: Pick<PlatformLimit, 'urlLength'>): number {
  switch (unit) {
    case 'weighted-characters':
      return weightedLength(text);
    case 'utf16-code-units':
      return text.length;
    case 'code-points':
      return codePointCount(text);
    case 'graphemes': {
      if (limit?.urlLength === undefined) return graphemeCount(text);
      let count = 0;
      let from = 0;
      for (const { start, end } of urlsIn(text)) {
        count += graphemeCount(text.slice(from, start)) + limit.urlLength;
        from = end;
      }
      return count + graphemeCount(text.slice(from));
    }
  }
}

/** Words as a speaker reads them (whitespace-separated tokens that contain a letter or digit). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
}
