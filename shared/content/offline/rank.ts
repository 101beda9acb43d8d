/**
 * TextRank over sentences: a graph whose edges weigh how many content words two sentences share (normalised by
 * their lengths, as in Mihalcea & Tarau 2004), scored by PageRank whose teleport favours early sentences a little.
 * Pure arithmetic in a fixed order, so the same sentences always get the same scores.
 */

const DAMPING = 0.85;
const ITERATIONS = 60;
const TOLERANCE = 1e-9;

/** Options for `rankSentences`. */
export interface RankOptions {
  /** Extra prior weight per sentence (e.g. words shared with the title); added to the position prior. */
  readonly boosts?: readonly number[];
}

/** The position prior: the lead of a piece states its point, so early sentences get a small head start. */
function positionPrior(index: number): number {
  return 1 + 0.6 * Math.exp(-index / 6);
}

/** TextRank similarity: shared words over the log of both lengths (0 when either has under two words). */
function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size < 2 || b.size < 2) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  return shared === 0 ? 0 : shared / (Math.log(a.size) + Math.log(b.size));
}

/** A score per sentence (they sum to 1), from each sentence's bag of content words. */
export function rankSentences(bags: readonly ReadonlySet<string>[], options: RankOptions = {}): number[] {
  const n = bags.length;
  if (n === 0) return [];
  const prior = bags.map((_, i) => positionPrior(i) + (options.boosts?.[i] ?? 0));
  const priorSum = prior.reduce((sum, p) => sum + p, 0);
  for (let i = 0; i < n; i++) prior[i] = prior[i]! / priorSum;

  const weights: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const outWeight = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = similarity(bags[i]!, bags[j]!);
      if (w === 0) continue;
      weights[i]![j] = w;
      weights[j]![i] = w;
      outWeight[i]! += w;
      outWeight[j]! += w;
    }
  }

  let scores = prior.slice();
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    // A sentence sharing no words with any other hands its score back through the prior.
    let dangling = 0;
    for (let j = 0; j < n; j++) if (outWeight[j] === 0) dangling += scores[j]!;
    const next = new Array<number>(n);
    let change = 0;
    for (let i = 0; i < n; i++) {
      let incoming = 0;
      const row = weights[i]!;
      for (let j = 0; j < n; j++) {
        const w = row[j]!;
        if (w !== 0) incoming += (w / outWeight[j]!) * scores[j]!;
      }
      next[i] = (1 - DAMPING) * prior[i]! + DAMPING * (incoming + dangling * prior[i]!);
      change += Math.abs(next[i]! - scores[i]!);
    }
    scores = next;
    if (change < TOLERANCE) break;
  }
  return scores;
}

/** Indices sorted best first; equal scores keep source order. */
export function byRank(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}
