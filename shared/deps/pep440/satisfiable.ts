/**
 * Is there any version every clause admits? Each clause is turned into the set of versions it admits — a union
 * of intervals over PEP 440's total order — and the sets are intersected. Exact over the whole version space
 * (epochs, pre-, post-, dev- and local versions), with `packaging` 26's semantics for every operator.
 */
import type { SpecifierClause } from '../model';
import { type CompiledClause, compileClause, type PrefixPattern, specifierContains } from './specifier';
import type { Version } from './version';
import {
  compareLocals,
  comparePublic,
  compareReleases,
  compareVersions,
  makeVersion,
  normalizeVersion,
  pythonStrip,
} from './version';

export type SatisfiableResult =
  | { readonly satisfiable: true; readonly witness: string }
  | { readonly satisfiable: false };

/** Where an interval starts: unbounded, at a version, or just past every version of a release family. */
type Lower =
  | { readonly kind: 'min' }
  | { readonly kind: 'at'; readonly v: Version; readonly inclusive: boolean }
  /** Exclusive: above every version with v's epoch and release (any pre, post, dev or local part). */
  | { readonly kind: 'family'; readonly v: Version };

type Upper =
  | { readonly kind: 'max' }
  | { readonly kind: 'at'; readonly v: Version; readonly inclusive: boolean };

interface Interval {
  readonly lo: Lower;
  readonly hi: Upper;
}

/** The smallest version there is. */
const MIN_VERSION = makeVersion({ release: [0], dev: 0 });
const ZERO = makeVersion({ release: [0] });
const UNBOUNDED_BELOW: Lower = { kind: 'min' };
const UNBOUNDED_ABOVE: Upper = { kind: 'max' };
const EVERYTHING: readonly Interval[] = [{ lo: UNBOUNDED_BELOW, hi: UNBOUNDED_ABOVE }];

function from(v: Version, inclusive = true): Lower {
  return { kind: 'at', v, inclusive };
}

function upTo(v: Version, inclusive = false): Upper {
  return { kind: 'at', v, inclusive };
}

function compareEpochRelease(a: Version, b: Version): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return compareReleases(a.release, b.release);
}

function compareLower(a: Lower, b: Lower): number {
  if (a.kind === 'min' || b.kind === 'min') return a.kind === b.kind ? 0 : a.kind === 'min' ? -1 : 1;
  if (a.kind === 'family' && b.kind === 'family') return compareEpochRelease(a.v, b.v);
  if (a.kind === 'family') return -compareLower(b, a);
  if (b.kind === 'family') return compareEpochRelease(a.v, b.v) <= 0 ? -1 : 1;
  const order = compareVersions(a.v, b.v);
  if (order !== 0 || a.inclusive === b.inclusive) return order;
  return a.inclusive ? -1 : 1;
}

function compareUpper(a: Upper, b: Upper): number {
  if (a.kind === 'max' || b.kind === 'max') return a.kind === b.kind ? 0 : a.kind === 'max' ? 1 : -1;
  const order = compareVersions(a.v, b.v);
  if (order !== 0 || a.inclusive === b.inclusive) return order;
  return a.inclusive ? 1 : -1;
}

function isEmpty({ lo, hi }: Interval): boolean {
  if (hi.kind === 'max') return false;
  if (lo.kind === 'min') {
    const order = compareVersions(hi.v, MIN_VERSION);
    return order < 0 || (order === 0 && !hi.inclusive);
  }
  if (lo.kind === 'family') return compareEpochRelease(hi.v, lo.v) <= 0;
  const order = compareVersions(lo.v, hi.v);
  return order > 0 || (order === 0 && !(lo.inclusive && hi.inclusive));
}

function isAbove(x: Version, lo: Lower): boolean {
  if (lo.kind === 'min') return true;
  if (lo.kind === 'family') return compareEpochRelease(x, lo.v) > 0;
  const order = compareVersions(x, lo.v);
  return order > 0 || (order === 0 && lo.inclusive);
}

function isBelow(x: Version, hi: Upper): boolean {
  if (hi.kind === 'max') return true;
  const order = compareVersions(x, hi.v);
  return order < 0 || (order === 0 && hi.inclusive);
}

/** Intersects two sorted lists of disjoint intervals (a two-pointer merge). */
function intersect(left: readonly Interval[], right: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i]!;
    const b = right[j]!;
    const candidate: Interval = {
      lo: compareLower(a.lo, b.lo) >= 0 ? a.lo : b.lo,
      hi: compareUpper(a.hi, b.hi) <= 0 ? a.hi : b.hi,
    };
    if (!isEmpty(candidate)) result.push(candidate);
    if (compareUpper(a.hi, b.hi) < 0) i++;
    else j++;
  }
  return result;
}

function complement(interval: Interval): Interval[] {
  const result: Interval[] = [];
  const { lo, hi } = interval;
  if (lo.kind === 'at') result.push({ lo: UNBOUNDED_BELOW, hi: upTo(lo.v, !lo.inclusive) });
  if (hi.kind === 'at') result.push({ lo: from(hi.v, !hi.inclusive), hi: UNBOUNDED_ABOVE });
  return result;
}

/** The first version after `v` and all its local versions (`1.0` → `1.0.post0.dev0`, `1.0.dev1` → `1.0.dev2`). */
function afterLocals(v: Version): Version {
  if (v.dev !== null) return makeVersion({ ...v, dev: v.dev + 1, local: null });
  return makeVersion({ ...v, post: v.post === null ? 0 : v.post + 1, dev: 0, local: null });
}

const CANONICAL_INT = /^(?:0|[1-9][0-9]*)$/;
const PRE_PIECE = /^(a|b|rc)(0|[1-9][0-9]*)$/;
const POST_PIECE = /^post(0|[1-9][0-9]*)$/;
const DEV_PIECE = /^dev(0|[1-9][0-9]*)$/;

/**
 * The versions a prefix pattern matches, as an interval, or null when it matches none. `exotic` marks a
 * pattern with more than release numbers (only `~=` with unusual spellings such as `~=1.0.c1.r1` makes one): it
 * matches only versions whose release has at most as many numbers as the pattern, so witnesses are trimmed.
 */
function prefixInterval(pattern: PrefixPattern): { interval: Interval; exotic: boolean } | null {
  const { split, numericLength } = pattern;
  if (numericLength < 2) return null;
  for (let k = 0; k < numericLength; k++) if (!CANONICAL_INT.test(split[k]!)) return null;
  const epoch = Number(split[0]);
  const release = split.slice(1, numericLength).map(Number);
  const suffix = split.slice(numericLength);
  if (suffix.length === 0) {
    const next = [...release.slice(0, -1), release[release.length - 1]! + 1];
    return {
      interval: {
        lo: from(makeVersion({ epoch, release, dev: 0 })),
        hi: upTo(makeVersion({ epoch, release: next, dev: 0 })),
      },
      exotic: false,
    };
  }
  let index = 0;
  const preMatch = PRE_PIECE.exec(suffix[index] ?? '');
  const pre = preMatch ? ([preMatch[1] as 'a' | 'b' | 'rc', Number(preMatch[2])] as const) : null;
  if (preMatch) index++;
  const postMatch = POST_PIECE.exec(suffix[index] ?? '');
  const post = postMatch ? Number(postMatch[1]) : null;
  if (postMatch) index++;
  const devMatch = DEV_PIECE.exec(suffix[index] ?? '');
  const dev = devMatch ? Number(devMatch[1]) : null;
  if (devMatch) index++;
  if (index !== suffix.length) return null;
  let interval: Interval;
  if (dev !== null) {
    const point = makeVersion({ epoch, release, pre, post, dev });
    interval = { lo: from(point), hi: upTo(afterLocals(point)) };
  } else if (post !== null) {
    interval = {
      lo: from(makeVersion({ epoch, release, pre, post, dev: 0 })),
      hi: upTo(makeVersion({ epoch, release, pre, post: post + 1, dev: 0 })),
    };
  } else if (pre !== null) {
    interval = {
      lo: from(makeVersion({ epoch, release, pre, dev: 0 })),
      hi: upTo(makeVersion({ epoch, release, pre: [pre[0], pre[1] + 1], dev: 0 })),
    };
  } else {
    return null;
  }
  return { interval, exotic: true };
}

/** The versions one clause admits (`===` is handled apart), as sorted disjoint intervals. */
function clauseIntervals(clause: CompiledClause): { intervals: readonly Interval[]; exotic: boolean } {
  switch (clause.kind) {
    case 'never':
      return { intervals: [], exotic: false };
    case 'arbitrary':
      return { intervals: EVERYTHING, exotic: false };
    case 'prefix': {
      const range = prefixInterval(clause.pattern);
      if (range === null) return { intervals: clause.negate ? EVERYTHING : [], exotic: false };
      return {
        intervals: clause.negate ? complement(range.interval) : [range.interval],
        exotic: range.exotic,
      };
    }
    case 'compatible': {
      const range = prefixInterval(clause.pattern);
      if (range === null) return { intervals: [], exotic: false };
      const atLeast: Interval = { lo: from(clause.version), hi: UNBOUNDED_ABOVE };
      return { intervals: intersect([atLeast], [range.interval]), exotic: range.exotic };
    }
    case 'compare':
      return { intervals: compareIntervals(clause.operator, clause.version), exotic: false };
  }
}

function compareIntervals(operator: '==' | '!=' | '<=' | '>=' | '<' | '>', v: Version): Interval[] {
  switch (operator) {
    case '>=':
      return [{ lo: from(v), hi: UNBOUNDED_ABOVE }];
    case '<=':
      return [{ lo: UNBOUNDED_BELOW, hi: upTo(afterLocals(v)) }];
    case '<': {
      const bound = v.pre !== null || v.dev !== null ? v : makeVersion({ ...v, dev: 0, local: null });
      return [{ lo: UNBOUNDED_BELOW, hi: upTo(bound) }];
    }
    case '>': {
      let lo: Lower;
      if (v.dev !== null) lo = from(makeVersion({ ...v, dev: v.dev + 1, local: null }));
      else if (v.post !== null) lo = from(makeVersion({ ...v, post: v.post + 1, dev: 0, local: null }));
      else if (v.pre !== null)
        lo = from(makeVersion({ ...v, pre: [v.pre[0], v.pre[1] + 1], dev: 0, local: null }));
      else lo = { kind: 'family', v };
      return [{ lo, hi: UNBOUNDED_ABOVE }];
    }
    case '==':
    case '!=': {
      const exact: Interval =
        v.local === null ? { lo: from(v), hi: upTo(afterLocals(v)) } : { lo: from(v), hi: upTo(v, true) };
      return operator === '==' ? [exact] : complement(exact);
    }
  }
}

function trimmedRelease(release: readonly number[]): number[] {
  let end = release.length;
  while (end > 0 && release[end - 1] === 0) end--;
  return release.slice(0, end);
}

function withLocal(v: Version, local: readonly (string | number)[]): Version {
  return makeVersion({ ...v, local });
}

/** A version strictly between `v` and `hi` (both exclusive), given that `v < hi`. */
function justAfter(v: Version, hi: Upper): Version {
  const local = v.local ?? [];
  if (hi.kind === 'max' || comparePublic(hi.v, v) > 0) return withLocal(v, [...local, 0]);
  const other = hi.v.local ?? [];
  for (let k = 0; k < local.length; k++) {
    if (compareLocals([local[k]!], [other[k]!]) !== 0) return withLocal(v, [...local, 0]);
  }
  const next = other[local.length]!;
  if (typeof next === 'number') return withLocal(v, [...local, 'a']);
  if (other.length > local.length + 1) return withLocal(v, [...local, next]);
  return withLocal(v, [...local, '0' + next]);
}

/** A version above every version of `v`'s release family and below `hi`, given that one exists. */
function pastFamily(v: Version, hi: Upper): Version {
  const bumped = [...v.release.slice(0, -1), v.release[v.release.length - 1]! + 1];
  const plain = makeVersion({ epoch: v.epoch, release: bumped });
  if (isBelow(plain, hi) || hi.kind === 'max') return plain;
  const trimmed = trimmedRelease(v.release);
  const upper = hi.v.epoch > v.epoch ? [] : trimmedRelease(hi.v.release);
  let k = 0;
  while (k < trimmed.length && (trimmed[k] ?? 0) === (upper[k] ?? 0)) k++;
  if (k < trimmed.length) return makeVersion({ epoch: v.epoch, release: [...trimmed, 1] });
  while ((upper[k] ?? 0) === 0 && k < upper.length) k++;
  return makeVersion({ epoch: v.epoch, release: [...upper.slice(0, k), 0, 1] });
}

/** Candidate witnesses for a non-empty interval, the most natural first; the last always lies inside. */
function candidates({ lo, hi }: Interval): Version[] {
  const list: Version[] = [];
  if (lo.kind === 'min') {
    list.push(ZERO, MIN_VERSION);
  } else if (lo.kind === 'family') {
    list.push(pastFamily(lo.v, hi));
  } else if (lo.inclusive) {
    const v = lo.v;
    if (v.dev === 0 && v.pre === null && v.post === null && v.local === null) {
      list.push(makeVersion({ epoch: v.epoch, release: v.release }));
    }
    list.push(v);
  } else {
    if (hi.kind === 'at' && hi.inclusive) list.push(hi.v);
    list.push(justAfter(lo.v, hi));
  }
  return list;
}

function witnessOf(interval: Interval, exotic: boolean): Version | null {
  for (const candidate of candidates(interval)) {
    if (!isAbove(candidate, interval.lo) || !isBelow(candidate, interval.hi)) continue;
    if (!exotic) return candidate;
    const trimmed = trimmedRelease(candidate.release);
    return makeVersion({ ...candidate, release: trimmed.length === 0 ? [0] : trimmed });
  }
  return null;
}

/**
 * Is there any valid version (pre-, post-, dev- and local versions included) that every clause admits? When
 * there is, `witness` is one, and `specifierContains(clauses, witness, { prereleases: true })` holds.
 * A `===` clause admits only its own text; clauses that are not valid admit nothing.
 */
export function satisfiable(clauses: readonly SpecifierClause[]): SatisfiableResult {
  const compiled = clauses.map(compileClause);
  const arbitrary = clauses.filter((_, k) => compiled[k]!.kind === 'arbitrary');
  if (arbitrary.length > 0) {
    const text = pythonStrip(arbitrary[0]!.version);
    return specifierContains(clauses, text, { prereleases: true })
      ? { satisfiable: true, witness: text }
      : { satisfiable: false };
  }
  let intervals: readonly Interval[] = EVERYTHING;
  let exotic = false;
  for (const clause of compiled) {
    const own = clauseIntervals(clause);
    exotic ||= own.exotic;
    intervals = intersect(intervals, own.intervals);
    if (intervals.length === 0) return { satisfiable: false };
  }
  let fallback: string | null = null;
  for (const interval of intervals) {
    const witness = witnessOf(interval, exotic);
    if (witness === null) continue;
    const text = normalizeVersion(witness);
    if (specifierContains(clauses, text, { prereleases: true })) return { satisfiable: true, witness: text };
    fallback ??= text;
  }
  // Unreachable when the interval arithmetic is right; the property tests hold it to that.
  return fallback === null ? { satisfiable: false } : { satisfiable: true, witness: fallback };
}
