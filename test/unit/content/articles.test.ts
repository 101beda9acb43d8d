/**
 * The offline generator on the four real articles in data/articles/, for every platform and every tone: what a
 * person would check before posting (within the limits, whole sentences, nothing said twice, hashtags from the
 * text, no figure, ticker or link the article does not state).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { byteCount, countIn, wordCount } from '@shared/content/count';
import { factProblems, withoutThreadNumbering } from '@shared/content/facts';
import { PLATFORM_LIMITS } from '@shared/content/limits';
import { type ContentSource, type PlatformVersion, type Repurposed, TONES } from '@shared/content/model';
import { repurposeOffline } from '@shared/content/repurpose';
import { parseSource } from '@shared/content/source';

const ARTICLES = join(__dirname, '..', '..', '..', 'data', 'articles');
const FILES = [
  'questdb-why-timeseries.md',
  'coinbase-arbitrage-ticker.md',
  'bitcoin-zkcp.md',
  'strata-overview.md',
];

function load(file: string): ContentSource {
  const source = parseSource(readFileSync(join(ARTICLES, file), 'utf8'), 'markdown', { fileName: file });
  // With a canonical URL, every link line is exercised too.
  return {
    ...source,
    canonicalUrl: source.canonicalUrl ?? `https://blog.example.com/${file.replace(/\.md$/, '')}`,
  };
}

function sourceText(source: ContentSource): string {
  return [
    source.title,
    ...source.blocks.map((block) => block.text),
    source.canonicalUrl ?? '',
    ...source.links,
  ].join('\n');
}

/** The parts of a version a reader sees as separate pieces: the text, or each post without its numbering. */
function partsOf(version: PlatformVersion): string[] {
  return version.posts ? version.posts.map((post) => post.replace(/^\d+\/\d+\s+/, '')) : [version.text ?? ''];
}

/** Lines that are not prose: headings, list items, labels ending in ":", hashtag lines, link-only lines. */
function isProse(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '' || /^#{1,6}\s/.test(trimmed) || /^[-•→–*]\s/.test(trimmed)) return false;
  if (/^\*\*.*\*\*$/.test(trimmed) || /:$/.test(trimmed)) return false;
  if (/^(?:[#$][\p{L}\p{N}_]+\s*)+$/u.test(trimmed)) return false;
  if (/^\[[^\]]+\]\(https?:\/\/[^)]+\)$/.test(trimmed)) return false;
  return true;
}

/** An independent check of the figures, tickers and links: each one written in the version appears in the source. */
function simpleFactsMissing(version: string, source: string): string[] {
  const links = version.match(/https?:\/\/[^\s)]+/g) ?? [];
  const withoutLinks = version.replace(/https?:\/\/[^\s)]+/g, ' ');
  const numbers = withoutLinks.match(/(?<![\p{L}\p{N}_])\d+(?:[.,]\d+)*(?![\p{L}\p{N}_])/gu) ?? [];
  const tickers = withoutLinks.match(/\$[A-Z]{2,10}\b|\b[A-Z]{2,10}[/-][A-Z]{2,10}\b/g) ?? [];
  return [...links, ...numbers, ...tickers].filter((fact) => !source.includes(fact));
}

/** Every 1-, 2- and 3-word sequence of the text, joined without spaces, in lower case. */
function phrasesOf(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const phrases = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    phrases.add(words[i]!);
    if (i + 1 < words.length) phrases.add(words[i]! + words[i + 1]!);
    if (i + 2 < words.length) phrases.add(words[i]! + words[i + 1]! + words[i + 2]!);
  }
  return phrases;
}

const results = new Map<string, { source: ContentSource; result: Repurposed }>();

beforeAll(async () => {
  for (const file of FILES) {
    const source = load(file);
    for (const tone of TONES)
      results.set(`${file} ${tone}`, { source, result: await repurposeOffline(source, { tone }) });
  }
});

const cases = FILES.flatMap((file) => TONES.map((tone) => [file, tone] as const));

describe.each(cases)('%s in the %s tone', (file, tone) => {
  const get = () => results.get(`${file} ${tone}`)!;

  it('has a version for every platform, each within its limit and second limits', () => {
    // Prepare / Act: beforeAll repurposed the article.
    const { result } = get();

    // Assess
    expect(result.versions.map((version) => version.platform)).toEqual(Object.keys(PLATFORM_LIMITS));
    for (const version of result.versions) {
      const limit = PLATFORM_LIMITS[version.platform];
      for (const part of version.posts ?? [version.text ?? '']) {
        expect(part.trim()).not.toBe('');
        expect(countIn(part, limit.unit, limit)).toBeLessThanOrEqual(limit.limit);
        if (limit.maxBytes) expect(byteCount(part)).toBeLessThanOrEqual(limit.maxBytes);
      }
      if (limit.maxHashtags !== undefined) {
        expect((version.text ?? '').match(/#\p{L}/gu)?.length ?? 0).toBeLessThanOrEqual(limit.maxHashtags);
      }
      if (limit.words) {
        const words = wordCount(version.text ?? '');
        expect(words).toBeGreaterThanOrEqual(limit.words.minimum);
        expect(words).toBeLessThanOrEqual(limit.words.maximum);
      }
      if (limit.maxPosts) expect(version.posts!.length).toBeLessThanOrEqual(limit.maxPosts);
      expect(version.checks.filter((check) => !check.ok)).toEqual([]);
      // Nothing was cut as a last resort: the generator fitted every version itself.
      expect(version.warnings.filter((warning) => /\bcut\b/.test(warning))).toEqual([]);
    }
  });

  it('writes whole sentences of the article, ending in terminal punctuation, none twice in a version', () => {
    const { result, source } = get();
    const body = source.blocks.map((block) => block.text).join('\n');
    for (const version of result.versions) {
      const seen = new Set<string>();
      for (const part of partsOf(version)) {
        for (const line of part.split('\n')) {
          const item = line
            .replace(/^\s*(?:[-•→–*]|#{1,6})\s+/, '')
            .replace(/\p{Extended_Pictographic}\uFE0F?\s*/gu, '')
            // A template label before a sentence ("The takeaway: …").
            .replace(/^(?:[\p{L};']+\s){0,3}[\p{L};']+:\s(?=\p{Lu})/u, '');
          if (isProse(line)) expect(item).toMatch(/[.!?…]["'”’)\]]*$|https?:\/\/\S+$/u);
          // A sentence from the article appears whole: the line holds it from its first word to its last.
          for (const sentence of item.split(/(?<=[.!?])\s+(?=[\p{Lu}"“(])/u)) {
            if (!body.includes(sentence) || sentence.length < 20) continue;
            expect(seen.has(sentence)).toBe(false);
            seen.add(sentence);
          }
        }
      }
      expect(seen.size).toBeGreaterThan(0);
    }
  });

  it('takes every hashtag from the words of the article', () => {
    const { result, source } = get();
    const phrases = phrasesOf(sourceText(source));
    for (const version of result.versions) {
      const tags =
        partsOf(version)
          .join('\n')
          .match(/(?<![\p{L}\p{N}_&/])#[\p{L}\p{N}_]+/gu) ?? [];
      for (const tag of tags) expect(phrases.has(tag.slice(1).toLowerCase())).toBe(true);
    }
  });

  it('states no figure, ticker or link the article does not', () => {
    const { result, source } = get();
    const known = sourceText(source);
    for (const version of result.versions) {
      const text = version.posts
        ? version.posts.map(withoutThreadNumbering).join('\n')
        : (version.text ?? '');
      expect(factProblems(text, source)).toEqual([]);
      expect(simpleFactsMissing(text, known)).toEqual([]);
    }
  });
});

it('writes the tones differently for the same article', () => {
  const texts = TONES.map(
    (tone) =>
      results
        .get(`questdb-why-timeseries.md ${tone}`)!
        .result.versions.find((version) => version.platform === 'linkedin')!.text,
  );
  expect(new Set(texts).size).toBe(TONES.length);
});
