import twitterText from 'twitter-text';
import type { PlatformLimit } from './limits';
import type { CountUnit } from './model';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const utf8 = new TextEncoder();

/** Longest stretch handed to Intl.Segmenter at once: V8 iterates segments in time quadratic in the length. */
const GRAPHEME_CHUNK = 512;

/** Characters that never join the grapheme before them: ASCII, CJK ideographs, kana (not its voicing marks). */
function isPlainBase(code: number): boolean {
  return (
    code < 0x80 ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3041 && code <= 0x3096) ||
    (code >= 0x30a1 && code <= 0x30fa)
  );
}

/** Characters that join the grapheme after them (Prepend), or may: surrogates are treated as such to be safe. */
function mayJoinNext(code: number): boolean {
  return (
    (code >= 0x0600 && code <= 0x0605) ||
    code === 0x06dd ||
    code === 0x070f ||
    code === 0x0890 ||
    code === 0x0891 ||
    code === 0x08e2 ||
    code === 0x0d4e ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

/** Whether a grapheme boundary is certain between two UTF-16 units (Unicode UAX #29: GB3, GB9b, GB999). */
function isSafeSplit(text: string, index: number): boolean {
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return isPlainBase(after) && !mayJoinNext(before) && !(before === 0x0d && after === 0x0a);
}

/** Grapheme clusters: what a reader sees as one character (an emoji with modifiers is one). */
export function graphemeCount(text: string): number {
  let count = 0;
  let from = 0;
  while (from < text.length) {
    let to = Math.min(text.length, from + GRAPHEME_CHUNK);
    while (to < text.length && !isSafeSplit(text, to)) to++;
    for (const _ of graphemes.segment(text.slice(from, to))) count++;
    from = to;
  }
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
