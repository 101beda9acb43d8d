/**
 * How each tone writes, as data: the template words it wraps the source's sentences in, which sentence it
 * leads with, how many points it makes and which emoji it may use. Template words state no figure and no fact.
 */
import type { Tone } from '../model';

/** A cue that makes a sentence a better hook for a tone. */
export interface HookCue {
  readonly pattern: RegExp;
  readonly weight: number;
}

/** One tone's templates. `{topic}` is replaced by the piece's main keyword, as the text writes it. */
export interface ToneStyle {
  /** A line before the hook on the roomier platforms; needs a topic. */
  readonly opener: string;
  /** What makes a sentence a good hook in this tone, added to its rank. */
  readonly hookCues: readonly HookCue[];
  /** Hook length the tone prefers, in words. */
  readonly hookWords: { readonly min: number; readonly max: number };
  /** How many key points a list carries (LinkedIn, Telegram, Discord, newsletter). */
  readonly points: number;
  /** How many sentences a thread may say, besides its hook and takeaway. */
  readonly threadSentences: number;
  readonly pointsLabel: string;
  readonly bullet: string;
  readonly takeawayLabel: string;
  /** Before the link. */
  readonly readMore: string;
  /** Instagram cannot link in a caption. */
  readonly linkInBio: string;
  readonly threadStart: string;
  readonly videoCallToAction: string;
  /** The video's call to action when the source has no link. */
  readonly videoCallToActionWithoutLink: string;
  /** `minimal`: the one emoji, on the hook. `expressive`: hook, points, link. */
  readonly emoji: { readonly hook: string; readonly point: string; readonly link: string };
}

const DEFINITION = /\b(?:is|are|means|refers to|describes|lets|allows)\b/i;

/** Every tone's templates. */
export const TONE_STYLES: Readonly<Record<Tone, ToneStyle>> = {
  educational: {
    opener: 'A quick primer on {topic}.',
    hookCues: [
      { pattern: DEFINITION, weight: 0.35 },
      { pattern: /\b(?:why|how|what)\b/i, weight: 0.15 },
    ],
    hookWords: { min: 8, max: 24 },
    points: 4,
    threadSentences: 7,
    pointsLabel: 'What you will learn:',
    bullet: '•',
    takeawayLabel: 'The takeaway:',
    readMore: 'Read the full explainer:',
    linkInBio: 'The full article is linked in bio.',
    threadStart: 'A thread on {topic}.',
    videoCallToAction: 'Want the full explanation? The link to the article is in the description.',
    videoCallToActionWithoutLink: 'Follow for more explainers like this one.',
    emoji: { hook: '💡', point: '📌', link: '📚' },
  },
  bold: {
    opener: '{topic} deserves your attention.',
    hookCues: [
      { pattern: /!|\b(?:first|only|never|every|fastest|biggest|best|without|must)\b/i, weight: 0.35 },
      { pattern: /^[^,;:]{0,90}$/, weight: 0.15 },
    ],
    hookWords: { min: 6, max: 20 },
    points: 3,
    threadSentences: 5,
    pointsLabel: 'What matters:',
    bullet: '→',
    takeawayLabel: 'Bottom line:',
    readMore: 'Read it now:',
    linkInBio: 'Read the whole piece: link in bio.',
    threadStart: 'Everything you need to know about {topic}.',
    videoCallToAction: 'Read the whole piece. The link is in the description.',
    videoCallToActionWithoutLink: 'Follow so you do not miss the next one.',
    emoji: { hook: '🔥', point: '⚡', link: '👉' },
  },
  analytical: {
    opener: 'A closer look at {topic}.',
    hookCues: [
      { pattern: /\d/, weight: 0.35 },
      { pattern: /\b(?:than|faster|slower|more|less|because|compared|whereas|unlike)\b/i, weight: 0.2 },
    ],
    hookWords: { min: 10, max: 30 },
    points: 5,
    threadSentences: 8,
    pointsLabel: 'Key findings:',
    bullet: '–',
    takeawayLabel: 'What it means:',
    readMore: 'Full analysis:',
    linkInBio: 'The full analysis is linked in bio.',
    threadStart: 'Breaking down {topic}.',
    videoCallToAction: 'The full analysis is linked in the description.',
    videoCallToActionWithoutLink: 'Follow for more analysis like this.',
    emoji: { hook: '📊', point: '🔍', link: '📈' },
  },
  casual: {
    opener: "Let's talk about {topic}.",
    hookCues: [
      { pattern: /\?["'”’)\]]*$/, weight: 0.4 },
      { pattern: /\b(?:you|your|imagine|like)\b/i, weight: 0.2 },
    ],
    hookWords: { min: 6, max: 22 },
    points: 3,
    threadSentences: 5,
    pointsLabel: 'The gist:',
    bullet: '•',
    takeawayLabel: 'TL;DR:',
    readMore: 'Worth a read:',
    linkInBio: 'Link in bio if you want the whole thing.',
    threadStart: "Here's the short version on {topic}.",
    videoCallToAction: 'Curious? The full article is linked in the description.',
    videoCallToActionWithoutLink: 'Follow along for more like this.',
    emoji: { hook: '👋', point: '✨', link: '👀' },
  },
};

/** A template line with the topic filled in, or null when it needs a topic and there is none. */
export function fillTopic(template: string, topic: string | null): string | null {
  if (!template.includes('{topic}')) return template;
  if (topic === null) return null;
  const line = template.replace('{topic}', topic);
  // A line starting with the topic ("time series deserves…") starts with a capital.
  return line.charAt(0).toUpperCase() + line.slice(1);
}
