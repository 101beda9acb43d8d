/**
 * The X thread: a hook post, the piece's key sentences in reading order (one or two whole sentences a post), and
 * a last post with the takeaway and the link. Posts are numbered "1/n", and the numbering counts toward each
 * post's limit, so room for the widest numbering is kept while packing.
 */
import type { Sentence } from './analysis';
import { inReadingOrder } from './compose';
import type { ToneStyle } from './tones';

/** Inputs to `buildThread`. */
export interface ThreadInputs {
  readonly style: ToneStyle;
  readonly hooks: readonly Sentence[];
  readonly usable: readonly Sentence[];
  readonly takeaways: readonly Sentence[];
  readonly link: string | null;
  readonly threadStart: string | null;
  readonly emoji: (role: 'hook' | 'point' | 'link') => string;
  /** Does one post (with its numbering) fit? */
  readonly fits: (post: string) => boolean;
  /** Does the last post fit with the signature? */
  readonly lastFits: (post: string) => boolean;
  readonly maxPosts: number;
}

const SENTENCES_PER_POST = 2;

/** The numbered posts, or an empty list when not even the hook fits a post. */
export function buildThread(inputs: ThreadInputs): string[] {
  const { style, fits, maxPosts } = inputs;
  const widest = `${maxPosts}/${maxPosts} `;
  const fitsNumbered = (text: string, check = fits) => check(widest + text);

  const hook = inputs.hooks.find((candidate) => fitsNumbered(inputs.emoji('hook') + candidate.text));
  if (!hook) return [];
  const first = [inputs.threadStart, `${inputs.emoji('hook')}${hook.text}`].filter((part) => part !== null);
  const firstPost = fitsNumbered(first.join('\n\n'))
    ? first.join('\n\n')
    : `${inputs.emoji('hook')}${hook.text}`;

  const used = new Set<Sentence>([hook]);
  const linkLine = inputs.link ? `${inputs.emoji('link')}${style.readMore} ${inputs.link}` : null;
  let lastPost: string | null = null;
  for (const takeaway of inputs.takeaways) {
    if (used.has(takeaway)) continue;
    const text = [`${style.takeawayLabel} ${takeaway.text}`, linkLine]
      .filter((part) => part !== null)
      .join('\n\n');
    if (fitsNumbered(text, inputs.lastFits)) {
      lastPost = text;
      used.add(takeaway);
      break;
    }
  }
  if (lastPost === null && linkLine !== null && fitsNumbered(linkLine, inputs.lastFits)) lastPost = linkLine;

  const middleRoom = maxPosts - 1 - (lastPost === null ? 0 : 1);
  let chosen: Sentence[] = [];
  for (const sentence of inputs.usable) {
    if (chosen.length >= style.threadSentences) break;
    if (sentence.standalone && !used.has(sentence) && fitsNumbered(sentence.text)) chosen.push(sentence);
  }
  let middle = pack(inReadingOrder(chosen), fitsNumbered);
  // Too many posts for the account's limit: drop the weakest sentence and pack again.
  while (middle.length > middleRoom && chosen.length > 0) {
    chosen = chosen.slice(0, -1);
    middle = pack(inReadingOrder(chosen), fitsNumbered);
  }

  const posts = [firstPost, ...middle, ...(lastPost === null ? [] : [lastPost])];
  return posts.map((post, i) => `${i + 1}/${posts.length} ${post}`);
}

/** Consecutive sentences joined into posts of at most two sentences that fit. */
function pack(sentences: readonly Sentence[], fits: (text: string) => boolean): string[] {
  const posts: string[] = [];
  let current: string[] = [];
  for (const sentence of sentences) {
    const joined = [...current, sentence.text].join(' ');
    if (current.length > 0 && current.length < SENTENCES_PER_POST && fits(joined)) {
      current.push(sentence.text);
    } else {
      if (current.length > 0) posts.push(current.join(' '));
      current = [sentence.text];
    }
  }
  if (current.length > 0) posts.push(current.join(' '));
  return posts;
}
