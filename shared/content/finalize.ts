import twitterText from 'twitter-text';
import { byteCount, countIn, wordCount } from './count';
import { factProblems, type IntroducedFact, withoutThreadNumbering } from './facts';
import type { CandidateVersion, GenerationRequest } from './generator';
import { PLATFORM_LIMITS, type PlatformLimit } from './limits';
import type { ContentSource, CountUnit, PlatformId, PlatformVersion, VersionCheck } from './model';
import { sentenceSpans } from './sentences';

/** A version's numbers without changing it: what the LLM shrink loop reads to decide on another try. */
export interface VersionMeasure {
  readonly platform: PlatformId;
  /** Length in the platform's unit (for a thread: its longest post, numbering included). */
  readonly count: number;
  readonly limit: number;
  readonly unit: CountUnit;
  /** Units over the limit; 0 when within. */
  readonly overBy: number;
  readonly checks: readonly VersionCheck[];
  /** What fails: `length` when over the limit, then the name of each failed check. */
  readonly failing: readonly string[];
  /** Figures, tickers and links the version states that the source does not. */
  readonly introduced: readonly IntroducedFact[];
  /** Banned words of the brand voice the version uses, as written in the voice. */
  readonly bannedWords: readonly string[];
}

const UNIT_NAMES: Record<CountUnit, string> = {
  'weighted-characters': 'weighted characters',
  graphemes: 'characters',
  'utf16-code-units': 'UTF-16 code units',
  'code-points': 'characters',
};

const PLATFORM_NAMES: Record<PlatformId, string> = {
  x: 'X',
  'x-thread': 'X',
  linkedin: 'LinkedIn',
  instagram: 'Instagram',
  threads: 'Threads',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  telegram: 'Telegram',
  discord: 'Discord',
  newsletter: 'the newsletter',
  'video-script': 'the video script',
};

function limitOf(platform: PlatformId, request: GenerationRequest): PlatformLimit {
  return request.limits[platform] ?? PLATFORM_LIMITS[platform];
}

function textOf(candidate: CandidateVersion): string {
  return (candidate.text ?? (candidate.posts ?? []).join('\n\n')).trim();
}

function postsOf(candidate: CandidateVersion): string[] {
  const posts = candidate.posts ?? (candidate.text === undefined ? [] : [candidate.text]);
  return posts.map((post) => post.trim()).filter((post) => post !== '');
}

function hashtagCount(text: string): number {
  return twitterText.extractHashtags(text).length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Banned words the text uses: whole words (or phrases), case-insensitive. */
function bannedWordsIn(text: string, banned: readonly string[]): string[] {
  return banned.filter((word) => {
    const trimmed = word.trim();
    if (trimmed === '') return false;
    return new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(trimmed)}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
  });
}

function describeFact(fact: IntroducedFact): string {
  return `introduces the ${fact.kind} "${fact.value}", which the source does not state`;
}

/** A post's length, bytes and words as the hard limits see them. */
function fitsLimits(text: string, limit: PlatformLimit): boolean {
  if (countIn(text, limit.unit, limit) > limit.limit) return false;
  if (limit.maxBytes !== undefined && byteCount(text) > limit.maxBytes) return false;
  if (limit.words !== undefined && wordCount(text) > limit.words.maximum) return false;
  return true;
}

/** The measure of a text (or a thread's posts) against one platform's limits and the source. */
function measureParts(
  platform: PlatformId,
  text: string,
  posts: readonly string[] | null,
  source: ContentSource,
  request: GenerationRequest,
): VersionMeasure {
  const limit = limitOf(platform, request);
  const parts = posts ?? [text];
  const counts = parts.map((part) => countIn(part, limit.unit, limit));
  const count = Math.max(0, ...counts);
  const checks: VersionCheck[] = [];

  if (limit.maxBytes !== undefined) {
    const bytes = Math.max(0, ...parts.map(byteCount));
    checks.push({
      name: 'bytes',
      value: bytes,
      limit: limit.maxBytes,
      ok: bytes <= limit.maxBytes,
      ...(bytes > limit.maxBytes
        ? { detail: `${bytes} UTF-8 bytes, over the ${limit.maxBytes} allowed` }
        : {}),
    });
  }
  if (limit.maxHashtags !== undefined) {
    const hashtags = hashtagCount(parts.join('\n'));
    checks.push({
      name: 'hashtags',
      value: hashtags,
      limit: limit.maxHashtags,
      ok: hashtags <= limit.maxHashtags,
      ...(hashtags > limit.maxHashtags
        ? { detail: `${hashtags} hashtags, over the ${limit.maxHashtags} allowed` }
        : {}),
    });
  }
  if (limit.words !== undefined) {
    const words = wordCount(parts.join('\n'));
    const { minimum, maximum } = limit.words;
    const ok = words >= minimum && words <= maximum;
    checks.push({
      name: 'words',
      value: words,
      minimum,
      limit: maximum,
      ok,
      ...(ok ? {} : { detail: `${words} words, outside the ${minimum}–${maximum} the script needs` }),
    });
  }
  if (limit.maxPosts !== undefined) {
    const overLong = counts.flatMap((value, index) =>
      value > limit.limit ? [`post ${index + 1} is ${value}`] : [],
    );
    const problems = [
      ...(parts.length === 0 ? ['no posts'] : []),
      ...(parts.length > limit.maxPosts ? [`${parts.length} posts, over the ${limit.maxPosts} allowed`] : []),
      ...(overLong.length > 0
        ? [`${overLong.join(', ')} ${UNIT_NAMES[limit.unit]} (limit ${limit.limit})`]
        : []),
    ];
    checks.push({
      name: 'posts',
      value: parts.length,
      limit: limit.maxPosts,
      ok: problems.length === 0,
      ...(problems.length > 0 ? { detail: problems.join('; ') } : {}),
    });
  }

  const factText = posts ? posts.map(withoutThreadNumbering).join('\n') : text;
  const introduced = factProblems(factText, source);
  checks.push({
    name: 'facts',
    value: introduced.length,
    limit: 0,
    ok: introduced.length === 0,
    ...(introduced.length > 0 ? { detail: introduced.map(describeFact).join('; ') } : {}),
  });
  const bannedWords = bannedWordsIn(parts.join('\n'), request.voice.bannedWords);
  checks.push({
    name: 'banned-words',
    value: bannedWords.length,
    limit: 0,
    ok: bannedWords.length === 0,
    ...(bannedWords.length > 0
      ? { detail: `uses ${bannedWords.map((word) => `"${word}"`).join(', ')}` }
      : {}),
  });

  const overBy = Math.max(0, count - limit.limit);
  const failing = [
    ...(overBy > 0 ? ['length'] : []),
    ...checks.filter((check) => !check.ok).map(({ name }) => name),
  ];
  return {
    platform,
    count,
    limit: limit.limit,
    unit: limit.unit,
    overBy,
    checks,
    failing,
    introduced,
    bannedWords,
  };
}

/** A candidate's count, limit and checks, without changing its text (for the LLM's shrink-and-retry loop). */
export function measureVersion(
  candidate: CandidateVersion,
  source: ContentSource,
  request: GenerationRequest,
): VersionMeasure {
  const platform = candidate.platform;
  return platform === 'x-thread'
    ? measureParts(platform, '', postsOf(candidate), source, request)
    : measureParts(platform, textOf(candidate), null, source, request);
}

/** Removes the hashtags after the first `max`: a hashtag on a hashtags-only line goes, one in a sentence loses its #. */
function withinHashtags(text: string, max: number): { text: string; removed: string[] } {
  const hashtags = twitterText.extractHashtagsWithIndices(text);
  const excess = hashtags.slice(max).reverse();
  let result = text;
  for (const { indices } of excess) {
    const [start, end] = indices;
    const lineStart = result.lastIndexOf('\n', start - 1) + 1;
    const lineEndIndex = result.indexOf('\n', end);
    const lineEnd = lineEndIndex < 0 ? result.length : lineEndIndex;
    const line = result.slice(lineStart, lineEnd);
    if (/^(?:\s*#[\p{L}\p{M}\p{N}_]+)+\s*$/u.test(line)) {
      let from = start;
      while (from > lineStart && /[ \t]/.test(result[from - 1]!)) from--;
      result = result.slice(0, from) + result.slice(end);
    } else {
      result = result.slice(0, start) + result.slice(start + 1);
    }
  }
  const cleaned = result
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text: cleaned, removed: excess.map(({ hashtag }) => `#${hashtag}`).reverse() };
}

/** A closing line a cut should keep when it can: a link, hashtags, the brand signature. */
function isClosingLine(line: string, signature: string | null): boolean {
  const trimmed = line.trim();
  if (trimmed === '') return true;
  if (signature !== null && signature.trim() !== '' && trimmed.endsWith(signature.trim())) return true;
  const hasMarker = /https?:\/\/|(^|\s)#[\p{L}\p{N}_]/u.test(trimmed);
  const rest = trimmed.replace(/https?:\/\/\S+/g, '').replace(/(^|\s)[#@][\p{L}\p{M}\p{N}_]+/gu, ' ');
  return hasMarker && wordCount(rest) <= 4;
}

/** The text split into its body and its closing lines (link, hashtags, signature), which a cut keeps if it can. */
function splitClosing(text: string, signature: string | null): { body: string; closing: string } {
  const lines = text.split('\n');
  let first = lines.length;
  while (first > 0 && isClosingLine(lines[first - 1]!, signature)) first--;
  const body = lines.slice(0, first).join('\n').trimEnd();
  // A text that is nothing but closing lines has no body to cut from.
  if (body === '') return { body: text, closing: '' };
  return { body, closing: lines.slice(first).join('\n').trim() };
}

/** Offsets in the text where a sentence (or a line) ends. */
function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    for (const { end } of sentenceSpans(line)) ends.push(offset + end);
    offset += line.length + 1;
  }
  return ends;
}

function joinClosing(body: string, closing: string, separator: string): string {
  return closing === '' ? body : `${body}${separator}${closing}`;
}

/** Largest index in [0, size) for which `fits` holds, for a test that holds up to some index and fails after it. */
function largestFitting(size: number, fits: (index: number) => boolean): number {
  let low = 0;
  let high = size - 1;
  let best = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (fits(middle)) {
      best = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best;
}

interface Cut {
  readonly text: string;
  readonly how: 'sentence' | 'word' | 'character';
  readonly closingDropped: boolean;
}

/** The longest start of the text that fits, whole sentences first, keeping its closing lines when they fit. */
function cutToFit(text: string, fits: (text: string) => boolean, signature: string | null): Cut {
  const { body, closing } = splitClosing(text, signature);
  const between = text.slice(body.length, text.lastIndexOf(closing));
  const separator = between.includes('\n\n') ? '\n\n' : '\n';
  const ends = sentenceEnds(body);
  for (const withClosing of closing === '' ? [false] : [true, false]) {
    const assemble = (start: string) => (withClosing ? joinClosing(start, closing, separator) : start);
    const atSentence = (index: number) => assemble(body.slice(0, ends[index]).trimEnd());
    // Counts grow with the prefix, so a binary search finds the longest fitting start in a few counts.
    const best = largestFitting(ends.length, (index) => fits(atSentence(index)));
    if (best >= 0)
      return { text: atSentence(best), how: 'sentence', closingDropped: closing !== '' && !withClosing };
  }
  // Not one whole sentence fits: end at a word and say so with an ellipsis.
  const wordEnds = Array.from(body.matchAll(/\S+/g), (match) => match.index + match[0].length);
  const atWord = (index: number) => `${body.slice(0, wordEnds[index]).replace(/[\s,;:.!?—–-]+$/u, '')}…`;
  for (const withClosing of closing === '' ? [false] : [true, false]) {
    const assemble = (start: string) => (withClosing ? joinClosing(start, closing, separator) : start);
    const best = largestFitting(wordEnds.length, (index) => fits(assemble(atWord(index))));
    if (best >= 0)
      return { text: assemble(atWord(best)), how: 'word', closingDropped: closing !== '' && !withClosing };
  }
  // One word longer than the limit (a very long address): cut inside it.
  const graphemes = Array.from(
    new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(body),
    (s) => s.segment,
  );
  const atCharacter = (index: number) => `${graphemes.slice(0, index + 1).join('')}…`;
  const best = largestFitting(graphemes.length, (index) => fits(atCharacter(index)));
  return { text: best >= 0 ? atCharacter(best) : '', how: 'character', closingDropped: closing !== '' };
}

/** Cuts a text that breaks a hard limit, with the warning that says what was cut. */
function enforceLimits(
  text: string,
  limit: PlatformLimit,
  signature: string | null,
  label: string,
): { text: string; warning: string | null } {
  if (fitsLimits(text, limit)) return { text, warning: null };
  const cut = cutToFit(text, (candidate) => fitsLimits(candidate, limit), signature);
  const before = countIn(text, limit.unit, limit);
  const after = countIn(cut.text, limit.unit, limit);
  const how =
    cut.how === 'sentence'
      ? 'cut at a sentence boundary'
      : cut.how === 'word'
        ? 'cut at a word boundary with "…" (not even one whole sentence fit)'
        : 'cut inside a word with "…" (not even one word fit)';
  const extras: string[] = [];
  if (limit.maxBytes !== undefined && byteCount(text) > limit.maxBytes) {
    extras.push(`${byteCount(text)} → ${byteCount(cut.text)} bytes`);
  }
  if (limit.words !== undefined && wordCount(text) > limit.words.maximum) {
    extras.push(`${wordCount(text)} → ${wordCount(cut.text)} words`);
  }
  const dropped = cut.closingDropped ? '; the closing link/hashtag line no longer fit and was dropped' : '';
  const figures = `${before} → ${after} ${UNIT_NAMES[limit.unit]}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
  return { text: cut.text, warning: `${label}${how}: ${figures}${dropped}` };
}

const LEADING_NUMBER = /^(\s*)(\d+)\s*\/\s*(\d+)(\s*)/;
const TRAILING_NUMBER = /(\s*)(\(?)(\d+)\s*\/\s*(\d+)(\)?)(\s*)$/;

/** A thread post's "1/5" numbering, set to the post's place in the thread as it is now. */
function renumber(post: string, index: number, total: number): string {
  if (LEADING_NUMBER.test(post)) return post.replace(LEADING_NUMBER, `$1${index + 1}/${total}$4`);
  if (TRAILING_NUMBER.test(post)) return post.replace(TRAILING_NUMBER, `$1$2${index + 1}/${total}$5$6`);
  return post;
}

/** A thread post's body and the numbering to put back around it. */
function numberingOf(post: string): { body: string; wrap: (body: string) => string } {
  const leading = LEADING_NUMBER.exec(post);
  if (leading) return { body: post.slice(leading[0].length), wrap: (body) => `${leading[0]}${body}` };
  const trailing = TRAILING_NUMBER.exec(post);
  if (trailing) return { body: post.slice(0, trailing.index), wrap: (body) => `${body}${trailing[0]}` };
  return { body: post, wrap: (body) => body };
}

function finalizeThread(
  candidate: CandidateVersion,
  limit: PlatformLimit,
  request: GenerationRequest,
): { posts: string[]; warnings: string[] } {
  const warnings: string[] = [];
  let posts = postsOf(candidate);
  const maxPosts = limit.maxPosts ?? posts.length;
  if (posts.length > maxPosts) {
    warnings.push(`dropped the last ${posts.length - maxPosts} posts: a thread on X has at most ${maxPosts}`);
    posts = posts.slice(0, maxPosts);
  }
  const numbered =
    posts.length > 1 && posts.every((post) => LEADING_NUMBER.test(post) || TRAILING_NUMBER.test(post));
  if (numbered) posts = posts.map((post, index) => renumber(post, index, posts.length));

  const shortened = posts.map((post, index) => {
    const { body, wrap } = numberingOf(post);
    if (fitsLimits(post, limit)) return post;
    const fits = (candidateBody: string) => fitsLimits(wrap(candidateBody), limit);
    const cut = cutToFit(body, fits, request.voice.signature);
    const result = wrap(cut.text);
    const before = countIn(post, limit.unit, limit);
    const after = countIn(result, limit.unit, limit);
    const how = cut.how === 'sentence' ? 'cut at a sentence boundary' : 'cut at a word boundary with "…"';
    warnings.push(`post ${index + 1}: ${how}: ${before} → ${after} ${UNIT_NAMES[limit.unit]}`);
    return cut.text.trim() === '' ? '' : result;
  });
  let kept = shortened.filter((post) => post.trim() !== '');
  if (kept.length < shortened.length) {
    warnings.push(
      `dropped ${shortened.length - kept.length} posts that had nothing left once cut to the limit`,
    );
    if (numbered) kept = kept.map((post, index) => renumber(post, index, kept.length));
  }
  return { posts: kept, warnings };
}

/**
 * A candidate made into a version: never over its platform's limit (length, bytes, the words of a script,
 * hashtags, posts). As a last resort it is cut at a sentence boundary, or at a word with "…" when not even one
 * sentence fits, and the warnings say what was cut, which facts the source does not state and which banned words
 * it uses, after the candidate's own warnings.
 */
export function finalizeVersion(
  candidate: CandidateVersion,
  source: ContentSource,
  request: GenerationRequest,
): PlatformVersion {
  const platform = candidate.platform;
  const limit = limitOf(platform, request);
  const warnings: string[] = [...candidate.warnings];
  let measure: VersionMeasure;
  let body: { text: string } | { posts: string[] };

  if (platform === 'x-thread') {
    const thread = finalizeThread(candidate, limit, request);
    warnings.push(...thread.warnings);
    measure = measureParts(platform, '', thread.posts, source, request);
    body = { posts: thread.posts };
  } else {
    let text = textOf(candidate);
    if (limit.maxHashtags !== undefined && hashtagCount(text) > limit.maxHashtags) {
      const trimmed = withinHashtags(text, limit.maxHashtags);
      text = trimmed.text;
      warnings.push(
        `removed ${trimmed.removed.length} hashtags over ${PLATFORM_NAMES[platform]}'s ${limit.maxHashtags}: ${trimmed.removed.join(' ')}`,
      );
    }
    const enforced = enforceLimits(text, limit, request.voice.signature, '');
    if (enforced.warning) warnings.push(enforced.warning);
    text = enforced.text;
    measure = measureParts(platform, text, null, source, request);
    body = { text };
  }

  warnings.push(...measure.introduced.map(describeFact));
  warnings.push(...measure.bannedWords.map((word) => `uses the banned word "${word}"`));
  const words = measure.checks.find((check) => check.name === 'words');
  if (words && !words.ok && words.detail) warnings.push(words.detail);

  return {
    platform,
    ...body,
    count: measure.count,
    limit: measure.limit,
    unit: measure.unit,
    checks: measure.checks,
    warnings,
  };
}
