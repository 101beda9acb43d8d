import { urlsIn } from './count';
import type { ContentSource } from './model';

/** The checkable facts of a text, each as written: figures, market symbols and web addresses. */
export interface TextFacts {
  /** Figures as written: `0.10`, `16x16`, `1,339`, `1.6 billion`, `350GB`, `5%`, `$42,000`, `2016-02-26`. */
  readonly numbers: readonly string[];
  /** Cashtags (`$BTC`) and pairs (`BTC/USDT`, `BTC-USD`, `LTC-BTC`). */
  readonly tickers: readonly string[];
  /** Absolute http(s) URLs. */
  readonly links: readonly string[];
}

/** A fact a version states that its source does not. */
export interface IntroducedFact {
  readonly kind: 'number' | 'ticker' | 'link';
  /** As the version writes it. */
  readonly value: string;
}

const SCALE_WORDS = 'thousand|million|billion|trillion';
const MULTIPLIERS = 'bn|k|K|M|B';
const UNITS = 'bps|GB|MB|KB|TB|PB|Gbps|ms|µs|ns';
const ATTACHED_UNITS = 'x|%';
const CURRENCY = '[$€£¥]';

/**
 * A figure: a date, a dimension (16x16), a grouped or plain number, with an optional currency sign before it and
 * a scale word, multiplier or unit after it. Digits glued to letters (SHA256, c5, a txid) are identifiers, not
 * figures, so both ends must border on something other than a letter, digit or underscore.
 */
const NUMBER = new RegExp(
  `(?<![\\p{L}\\p{N}_])(${CURRENCY})?` +
    '(\\d{4}-\\d{2}-\\d{2}|\\d+(?:x\\d+)+|\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)' +
    `(?:\\s(${SCALE_WORDS})|(${MULTIPLIERS})|\\s?(?:${UNITS})|${ATTACHED_UNITS})?` +
    '(?![\\p{L}\\p{N}_]|[.,]\\d)',
  'gu',
);

/** `$BTC`: a cashtag, not `$42`. */
const CASHTAG = /(?<![\p{L}\p{N}_$])\$([A-Z][A-Z0-9]{1,9})(?![\p{L}\p{N}_])/gu;

/** `BTC/USDT`, `BTC-USD`: two upper-case symbols joined by a slash or hyphen. */
const PAIR = /(?<![\p{L}\p{N}_/-])([A-Z][A-Z0-9]{1,9})[/-]([A-Z][A-Z0-9]{1,9})(?![\p{L}\p{N}_]|[/-][A-Z])/gu;

interface FoundNumber {
  readonly written: string;
  /** What two figures must share to be the same: the digits as written and the scale, not the unit or sign. */
  readonly key: string;
}

/** The text with every URL replaced by spaces, so the digits of an address are not read as figures. */
function withoutUrls(text: string): string {
  let blanked = text;
  for (const { start, end } of urlsIn(text)) {
    blanked = blanked.slice(0, start) + ' '.repeat(end - start) + blanked.slice(end);
  }
  return blanked.replace(/https?:\/\/\S+/g, (address) => ' '.repeat(address.length));
}

function numbersIn(text: string): FoundNumber[] {
  return Array.from(withoutUrls(text).matchAll(NUMBER), (match) => {
    const [written, , digits, scale, multiplier] = match;
    const magnitude = scale ?? multiplier;
    return { written: written.trim(), key: magnitude ? `${digits} ${magnitude.toLowerCase()}` : digits! };
  });
}

function tickersIn(text: string): string[] {
  const blanked = withoutUrls(text);
  const found: { at: number; ticker: string }[] = [];
  for (const match of blanked.matchAll(CASHTAG)) found.push({ at: match.index, ticker: match[0] });
  for (const match of blanked.matchAll(PAIR)) found.push({ at: match.index, ticker: match[0] });
  return found.sort((a, b) => a.at - b.at).map(({ ticker }) => ticker);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The figures, tickers and links a text states, as written, in order of first appearance, without repeats. */
export function extractFacts(text: string): TextFacts {
  return {
    numbers: unique(numbersIn(text).map(({ written }) => written)),
    tickers: unique(tickersIn(text)),
    links: unique(urlsIn(text).map(({ url }) => url)),
  };
}

/** A URL as two mentions of the same page share it: no trailing slash, scheme and host in lower case. */
function linkKey(url: string): string {
  return url.replace(/^(https?:\/\/[^/?#]+)/i, (origin) => origin.toLowerCase()).replace(/\/+$/, '');
}

/** Everything a version may restate: the title, the body, the links, the canonical URL, tags and insight facts. */
export function sourceText(source: ContentSource): string {
  return [
    source.title,
    ...source.blocks.map((block) => block.text),
    ...source.links,
    source.canonicalUrl ?? '',
    ...source.tags,
    ...Object.values(source.facts ?? {}).map(String),
  ].join('\n');
}

/** The facts a source states, as lookups. */
interface KnownFacts {
  readonly knownNumbers: ReadonlySet<string>;
  readonly knownLinks: ReadonlySet<string>;
  readonly knownPairs: ReadonlySet<string>;
  readonly knownWords: ReadonlySet<string>;
}

// Every version of a piece is checked against the same source: read it once (a third of finalizing a piece).
const knownFactsCache = new WeakMap<ContentSource, KnownFacts>();

function knownFacts(source: ContentSource): KnownFacts {
  const cached = knownFactsCache.get(source);
  if (cached) return cached;
  const known = sourceText(source);
  const knownLinks = new Set([...urlsIn(known).map(({ url }) => linkKey(url)), ...source.links.map(linkKey)]);
  if (source.canonicalUrl) knownLinks.add(linkKey(source.canonicalUrl));
  const facts: KnownFacts = {
    knownNumbers: new Set(numbersIn(known).map(({ key }) => key)),
    knownLinks,
    knownPairs: new Set(tickersIn(known).map((ticker) => ticker.replace('-', '/'))),
    knownWords: new Set(known.match(/[\p{L}\p{N}]+/gu) ?? []),
  };
  knownFactsCache.set(source, facts);
  return facts;
}

/**
 * What a version states that its source does not: a figure (written differently counts: `42000` is not
 * `42,000`), a ticker (a cashtag passes when the source names the symbol; a pair when it has the same pair with
 * either separator) or a link. Thread numbering such as "1/5" is the caller's to strip first.
 */
export function factProblems(versionText: string, source: ContentSource): IntroducedFact[] {
  const { knownNumbers, knownLinks, knownPairs, knownWords } = knownFacts(source);

  const problems: IntroducedFact[] = [];
  const seen = new Set<string>();
  const add = (kind: IntroducedFact['kind'], value: string) => {
    if (seen.has(`${kind}:${value}`)) return;
    seen.add(`${kind}:${value}`);
    problems.push({ kind, value });
  };
  for (const { written, key } of numbersIn(versionText)) {
    if (!knownNumbers.has(key)) add('number', written);
  }
  for (const ticker of tickersIn(versionText)) {
    const known = ticker.startsWith('$')
      ? knownWords.has(ticker.slice(1))
      : knownPairs.has(ticker.replace('-', '/'));
    if (!known) add('ticker', ticker);
  }
  for (const { url } of urlsIn(versionText)) {
    if (!knownLinks.has(linkKey(url))) add('link', url);
  }
  return problems;
}

/** "1/5 " at the start or " 1/5" at the end of a thread post, which no source states. */
const THREAD_NUMBERING = /^\s*\d+\s*\/\s*\d+\s*|\s*\(?\d+\s*\/\s*\d+\)?\s*$/g;

/** A thread post without its "1/5" numbering, for fact checks. */
export function withoutThreadNumbering(post: string): string {
  return post.replace(THREAD_NUMBERING, '');
}
