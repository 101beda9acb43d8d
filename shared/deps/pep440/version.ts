/**
 * PEP 440 versions: parsing with the specification's normalisation, the canonical text, and the total order,
 * all exactly as Python's `packaging` 26 implements them.
 * https://packaging.python.org/en/latest/specifications/version-specifiers/
 */
import { isPythonSpace } from '../python-space';

/** The pre-release phases, in the order they sort. */
export type PreTag = 'a' | 'b' | 'rc';

/** A parsed version. Values returned by `parseVersion` are cached and shared: never mutate them. */
export interface Version {
  readonly epoch: number;
  readonly release: readonly number[];
  readonly pre: readonly [PreTag, number] | null;
  readonly post: number | null;
  readonly dev: number | null;
  /** The local label's parts: digit-only parts as numbers, the rest lower-cased. */
  readonly local: readonly (string | number)[] | null;
}

const CACHE_LIMIT = 8192;
const cache = new Map<string, Version | null>();

/**
 * Parses a version as `packaging.version.Version` does, or returns null when it is not a valid PEP 440 version.
 * Accepts the spellings the specification normalises: any case, `-`/`_`/`.` separators (or none), a leading
 * `v`, surrounding whitespace, implicit numbers (`1.0a` = `1.0a0`), implicit post-releases (`1.0-1`), and the
 * alternate words alpha, beta, c, pre, preview, rev and r.
 */
export function parseVersion(text: string): Version | null {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const parsed = parseUncached(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, parsed);
  return parsed;
}

const CH_0 = 48;
const CH_9 = 57;
const CH_DOT = 46;
const CH_DASH = 45;
const CH_UNDERSCORE = 95;
const CH_PLUS = 43;
const CH_BANG = 33;

function isDigit(code: number): boolean {
  return code >= CH_0 && code <= CH_9;
}

function isSeparator(code: number): boolean {
  return code === CH_DOT || code === CH_DASH || code === CH_UNDERSCORE;
}

/** ASCII letter or digit, case-insensitively (a local label's characters). */
function isAlnum(code: number): boolean {
  return isDigit(code) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** Python's `str.strip()` with no argument. */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPythonSpace(text.charCodeAt(start))) start++;
  while (end > start && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Does `text` hold `word` (lower-case ASCII) at `at`, in any case? */
function matchesWord(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** The regular expression's alternatives, in its order (the groups are atomic, so the first match wins). */
const PRE_WORDS: readonly (readonly [string, PreTag])[] = [
  ['alpha', 'a'],
  ['a', 'a'],
  ['beta', 'b'],
  ['b', 'b'],
  ['preview', 'rc'],
  ['pre', 'rc'],
  ['c', 'rc'],
  ['rc', 'rc'],
];
const POST_WORDS: readonly string[] = ['post', 'rev', 'r'];

function digitsEnd(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i;
}

function toInt(text: string, from: number, to: number): number {
  if (to - from > 15) return Number(text.slice(from, to));
  let n = 0;
  for (let k = from; k < to; k++) n = n * 10 + (text.charCodeAt(k) - CH_0);
  return n;
}

function parseSimple(text: string): Version | null {
  const release: number[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === CH_DOT) {
      if (i === start) return null;
      release.push(toInt(text, start, i));
      start = i + 1;
    }
  }
  return newVersion(0, release, null, null, null, null);
}

function isSimple(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code) && code !== CH_DOT) return false;
  }
  return true;
}

function parseUncached(text: string): Version | null {
  if (isSimple(text)) return parseSimple(text);
  let i = 0;
  let end = text.length;
  while (i < end && isPythonSpace(text.charCodeAt(i))) i++;
  while (end > i && isPythonSpace(text.charCodeAt(end - 1))) end--;
  if (i < end && (text.charCodeAt(i) | 0x20) === 118) i++; // v
  // Epoch and release.
  let runEnd = digitsEnd(text, i, end);
  if (runEnd === i) return null;
  let epoch = 0;
  if (runEnd < end && text.charCodeAt(runEnd) === CH_BANG) {
    epoch = toInt(text, i, runEnd);
    i = runEnd + 1;
    runEnd = digitsEnd(text, i, end);
    if (runEnd === i) return null;
  }
  const release: number[] = [toInt(text, i, runEnd)];
  i = runEnd;
  while (i + 1 < end && text.charCodeAt(i) === CH_DOT && isDigit(text.charCodeAt(i + 1))) {
    runEnd = digitsEnd(text, i + 1, end);
    release.push(toInt(text, i + 1, runEnd));
    i = runEnd;
  }
  // Pre-release.
  let pre: [PreTag, number] | null = null;
  {
    let j = i;
    if (j < end && isSeparator(text.charCodeAt(j))) j++;
    for (const [word, tag] of PRE_WORDS) {
      if (matchesWord(text, j, word)) {
        j += word.length;
        if (j < end && isSeparator(text.charCodeAt(j))) j++;
        const numberEnd = digitsEnd(text, j, end);
        pre = [tag, numberEnd > j ? toInt(text, j, numberEnd) : 0];
        i = numberEnd;
        break;
      }
    }
  }
  // Post-release.
  let post: number | null = null;
  if (i + 1 < end && text.charCodeAt(i) === CH_DASH && isDigit(text.charCodeAt(i + 1))) {
    const numberEnd = digitsEnd(text, i + 1, end);
    post = toInt(text, i + 1, numberEnd);
    i = numberEnd;
  } else {
    let j = i;
    if (j < end && isSeparator(text.charCodeAt(j))) j++;
    for (const word of POST_WORDS) {
      if (matchesWord(text, j, word)) {
        j += word.length;
        if (j < end && isSeparator(text.charCodeAt(j))) j++;
        const numberEnd = digitsEnd(text, j, end);
        post = numberEnd > j ? toInt(text, j, numberEnd) : 0;
        i = numberEnd;
        break;
      }
    }
  }
  // Development release.
  let dev: number | null = null;
  {
    let j = i;
    if (j < end && isSeparator(text.charCodeAt(j))) j++;
    if (matchesWord(text, j, 'dev')) {
      j += 3;
      if (j < end && isSeparator(text.charCodeAt(j))) j++;
      const numberEnd = digitsEnd(text, j, end);
      dev = numberEnd > j ? toInt(text, j, numberEnd) : 0;
      i = numberEnd;
    }
  }
  // Local label.
  let local: (string | number)[] | null = null;
  if (i < end && text.charCodeAt(i) === CH_PLUS) {
    local = [];
    let partStart = i + 1;
    for (let j = partStart; ; j++) {
      const atEnd = j === end;
      const code = atEnd ? 0 : text.charCodeAt(j);
      if (atEnd || isSeparator(code)) {
        if (j === partStart) return null;
        local.push(localPart(text.slice(partStart, j)));
        if (atEnd) break;
        partStart = j + 1;
      } else if (!isAlnum(code)) {
        return null;
      }
    }
    i = end;
  }
  if (i !== end) return null;
  return newVersion(epoch, release, pre, post, dev, local);
}

function localPart(part: string): string | number {
  return isSimple(part) ? toInt(part, 0, part.length) : part.toLowerCase();
}

/** Versions are shared through the cache; their types are read-only (freezing them costs too much here). */
function newVersion(
  epoch: number,
  release: number[],
  pre: [PreTag, number] | null,
  post: number | null,
  dev: number | null,
  local: (string | number)[] | null,
): Version {
  return { epoch, release, pre, post, dev, local };
}

/** Builds a version from parts (numbers are used as given; the local label as parts). */
export function makeVersion(parts: {
  epoch?: number;
  release: readonly number[];
  pre?: readonly [PreTag, number] | null;
  post?: number | null;
  dev?: number | null;
  local?: readonly (string | number)[] | null;
}): Version {
  return newVersion(
    parts.epoch ?? 0,
    [...parts.release],
    parts.pre ? [parts.pre[0], parts.pre[1]] : null,
    parts.post ?? null,
    parts.dev ?? null,
    parts.local ? [...parts.local] : null,
  );
}

/** An integer as Python prints it (no exponent, even past 1e21, though such numbers are not exact here). */
function formatInt(n: number): string {
  return n < 1e21 ? String(n) : BigInt(n).toString();
}

/** The public part (no local label) in canonical form: `1!2.0rc1.post3.dev4`. */
export function normalizePublic(v: Version): string {
  let text = '';
  for (let k = 0; k < v.release.length; k++) text += (k === 0 ? '' : '.') + formatInt(v.release[k]!);
  if (v.epoch !== 0) text = formatInt(v.epoch) + '!' + text;
  if (v.pre !== null) text += v.pre[0] + formatInt(v.pre[1]);
  if (v.post !== null) text += '.post' + formatInt(v.post);
  if (v.dev !== null) text += '.dev' + formatInt(v.dev);
  return text;
}

/** The canonical text, as `str(Version(...))` gives it: `1!2.0rc1.post3.dev4+ubuntu.1`. */
export function normalizeVersion(v: Version): string {
  const text = normalizePublic(v);
  if (v.local === null) return text;
  return text + '+' + v.local.map((part) => (typeof part === 'number' ? formatInt(part) : part)).join('.');
}

/** Is it a pre-release in `packaging`'s sense (a pre-release or a development release)? */
export function isPrerelease(v: Version): boolean {
  return v.pre !== null || v.dev !== null;
}

const PRE_RANK: Readonly<Record<PreTag, number>> = { a: 0, b: 1, rc: 2 };

function preRank(v: Version): number {
  if (v.pre !== null) return PRE_RANK[v.pre[0]];
  return v.post === null && v.dev !== null ? -1 : 3;
}

/** Compares release segments as if the shorter were padded with zeros (`1.0` equals `1`). */
export function compareReleases(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let k = 0; k < length; k++) {
    const x = a[k] ?? 0;
    const y = b[k] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares the public parts (everything but the local label). */
export function comparePublic(a: Version, b: Version): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  const release = compareReleases(a.release, b.release);
  if (release !== 0) return release;
  const rankA = preRank(a);
  const rankB = preRank(b);
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  const preA = a.pre === null ? 0 : a.pre[1];
  const preB = b.pre === null ? 0 : b.pre[1];
  if (preA !== preB) return sign(preA - preB);
  if ((a.post === null) !== (b.post === null)) return a.post === null ? -1 : 1;
  if (a.post !== null && b.post !== null && a.post !== b.post) return sign(a.post - b.post);
  if ((a.dev === null) !== (b.dev === null)) return a.dev === null ? 1 : -1;
  if (a.dev !== null && b.dev !== null && a.dev !== b.dev) return sign(a.dev - b.dev);
  return 0;
}

/** Compares local labels: none first; strings before numbers; then element by element; shorter first. */
export function compareLocals(
  a: readonly (string | number)[] | null,
  b: readonly (string | number)[] | null,
): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const length = Math.min(a.length, b.length);
  for (let k = 0; k < length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (typeof x === 'number') {
      if (typeof y !== 'number') return 1;
      if (x !== y) return x < y ? -1 : 1;
    } else {
      if (typeof y === 'number') return -1;
      if (x !== y) return x < y ? -1 : 1;
    }
  }
  return sign(a.length - b.length);
}

/** PEP 440 order, as `packaging` 26 sorts: negative, zero or positive. `1.0 == 1.0.0`; `1.0+abc > 1.0`. */
export function compareVersions(a: Version, b: Version): number {
  return comparePublic(a, b) || compareLocals(a.local, b.local);
}
