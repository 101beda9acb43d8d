/**
 * Choosing sentences for a version: a hook for the tone, key points, a takeaway, and the greedy fit that adds
 * each optional part only while the whole version still fits its platform, so nothing is ever cut mid-sentence.
 */
import type { Sentence } from './analysis';
import type { ToneStyle } from './tones';

/** What a platform template is filled with. */
export interface Plan {
  readonly opener: string | null;
  readonly hook: Sentence | null;
  /** Sentences said in reading order after the hook (a summary paragraph, video beats). */
  readonly body: readonly Sentence[];
  /** Key points, shown as a list in reading order. */
  readonly points: readonly Sentence[];
  readonly takeaway: Sentence | null;
  readonly tags: readonly string[];
}

/** A plan with nothing in it. */
export const EMPTY_PLAN: Plan = { opener: null, hook: null, body: [], points: [], takeaway: null, tags: [] };

/** How much of each part a platform wants. */
export interface Recipe {
  readonly opener: boolean;
  readonly body: number;
  readonly points: number;
  readonly takeaway: boolean;
  readonly tags: number;
  /** Only sentences fit to be read aloud (video script). */
  readonly speakable?: boolean;
  /** The fewest body sentences: keep adding past `body` until `minimumReached` says enough (video script). */
  readonly minimumReached?: (plan: Plan) => boolean;
}

/** Sentences in reading order. */
export function inReadingOrder(sentences: readonly Sentence[]): Sentence[] {
  return [...sentences].sort((a, b) => a.index - b.index);
}

/** Hook candidates for a tone, best first: rank plus the tone's cues, standalone sentences before the rest. */
export function hookCandidates(usable: readonly Sentence[], style: ToneStyle, total: number): Sentence[] {
  const rated = usable.map((sentence) => {
    let rating = sentence.score;
    for (const cue of style.hookCues) if (cue.pattern.test(sentence.text)) rating += cue.weight;
    const { min, max } = style.hookWords;
    if (sentence.words >= min && sentence.words <= max) rating += 0.25;
    else rating -= 0.03 * (sentence.words < min ? min - sentence.words : sentence.words - max);
    // The lead of the piece usually says what it is about.
    rating += 0.2 * Math.max(0, 1 - sentence.index / Math.max(8, total * 0.2));
    return { sentence, rating: sentence.standalone ? rating : rating - 10 };
  });
  rated.sort((a, b) => b.rating - a.rating || a.sentence.index - b.sentence.index);
  return rated.map(({ sentence }) => sentence);
}

/** Takeaway candidates, best first: standalone sentences from the last part of the piece, where it concludes. */
export function takeawayCandidates(usable: readonly Sentence[], total: number): Sentence[] {
  const rated = usable
    .filter((sentence) => sentence.standalone)
    .map((sentence) => ({
      sentence,
      rating:
        sentence.score +
        (sentence.index >= total * 0.6 ? 0.6 : 0) +
        (/\b(?:in short|overall|in conclusion|in summary|ultimately|the result)\b/i.test(sentence.text)
          ? 0.3
          : 0),
    }));
  rated.sort((a, b) => b.rating - a.rating || a.sentence.index - b.sentence.index);
  return rated.map(({ sentence }) => sentence);
}

/** Inputs to `planVersion`. */
export interface PlanInputs {
  readonly usable: readonly Sentence[];
  readonly hooks: readonly Sentence[];
  readonly takeaways: readonly Sentence[];
  readonly tags: readonly string[];
  readonly opener: string | null;
  readonly recipe: Recipe;
  readonly render: (plan: Plan) => string;
  readonly fits: (text: string) => boolean;
}

/**
 * A plan that fits: the best hook that fits alone, then points, body, takeaway, tags and opener, each added
 * only while the rendered version still fits. `fitted` is false when not even the shortest hook fits.
 */
export function planVersion(inputs: PlanInputs): { plan: Plan; fitted: boolean } {
  const { recipe, render, fits } = inputs;
  const pool = inputs.usable.filter(
    (sentence) => sentence.standalone && (!recipe.speakable || sentence.speakable),
  );
  const hooks = inputs.hooks.filter((sentence) => !recipe.speakable || sentence.speakable);
  const tries = (plan: Plan) => fits(render(plan));

  let plan: Plan = EMPTY_PLAN;
  const hook = hooks.find((candidate) => tries({ ...plan, hook: candidate }));
  if (!hook) {
    const shortest = [...hooks].sort((a, b) => a.text.length - b.text.length || a.index - b.index)[0] ?? null;
    return { plan: { ...plan, hook: shortest }, fitted: false };
  }
  plan = { ...plan, hook };
  const used = new Set<Sentence>([hook]);

  const grow = (
    key: 'points' | 'body',
    most: number,
    from: readonly Sentence[],
    until?: (plan: Plan) => boolean,
  ) => {
    for (const sentence of from) {
      if (plan[key].length >= most || until?.(plan)) break;
      if (used.has(sentence)) continue;
      const next = { ...plan, [key]: inReadingOrder([...plan[key], sentence]) };
      if (tries(next)) {
        plan = next;
        used.add(sentence);
      }
    }
  };

  grow('points', recipe.points, pool);
  if (recipe.minimumReached) {
    const until = recipe.minimumReached;
    grow('body', Number.POSITIVE_INFINITY, pool, until);
    // Short pieces: sentences that lean on their neighbours still read fine in reading order.
    const rest = inputs.usable.filter((s) => !recipe.speakable || s.speakable);
    if (!until(plan)) grow('body', Number.POSITIVE_INFINITY, rest, until);
  } else {
    grow('body', recipe.body, pool);
  }
  if (recipe.takeaway) {
    const takeaway = inputs.takeaways.find(
      (sentence) => !used.has(sentence) && tries({ ...plan, takeaway: sentence }),
    );
    if (takeaway) {
      plan = { ...plan, takeaway };
      used.add(takeaway);
    }
  }
  for (const tag of inputs.tags) {
    if (plan.tags.length >= recipe.tags) break;
    const next = { ...plan, tags: [...plan.tags, tag] };
    if (tries(next)) plan = next;
  }
  if (recipe.opener && inputs.opener !== null) {
    const next = { ...plan, opener: inputs.opener };
    if (tries(next)) plan = next;
  }
  return { plan, fitted: true };
}
