/**
 * What the LLM generator tells the model: one system prompt per piece (rules, tone, brand voice), the source as
 * text, one task per platform with its limits in its own unit, and the request to shorten a version that did
 * not fit. Pure text building, so tests can read exactly what the model is asked.
 */
import type { PlatformLimit } from '../limits';
import type { BrandVoice, ContentSource, CountUnit, PlatformId, Tone } from '../model';
import { voiceInstructions } from '../voice';

/** How each platform is named to the model, and what a good version on it looks like. */
export const PLATFORM_GUIDES: Readonly<
  Record<PlatformId, { readonly name: string; readonly notes: string }>
> = {
  x: {
    name: 'X (Twitter) post',
    notes:
      'One post. Lead with the single most striking finding. End with the canonical URL if there is one. At most two hashtags.',
  },
  'x-thread': {
    name: 'X (Twitter) thread',
    notes:
      'A thread: the first post hooks the reader, each post makes one point and reads on its own, the last post ' +
      'gives the takeaway and the canonical URL if there is one. Start each post with its place as "1/5 " (post/total).',
  },
  linkedin: {
    name: 'LinkedIn post',
    notes:
      'A hook in the first line (LinkedIn folds the post after about 200 characters), short paragraphs separated ' +
      'by blank lines, a takeaway, the canonical URL, then at most three hashtags on the last line. Plain text, no Markdown.',
  },
  instagram: {
    name: 'Instagram caption',
    notes:
      'A caption: a hook line, the key points in short lines, then hashtags on the last line. Links in captions ' +
      'cannot be clicked: write "link in bio" instead of a URL.',
  },
  threads: {
    name: 'Threads post',
    notes: 'One conversational post with the main finding; end with the canonical URL if there is one.',
  },
  bluesky: {
    name: 'Bluesky post',
    notes:
      'One post with the main finding; end with the canonical URL if there is one. At most two hashtags.',
  },
  mastodon: {
    name: 'Mastodon post',
    notes:
      'One post with the main finding and the canonical URL if there is one; hashtags in CamelCase (#AlgoTrading) for screen readers.',
  },
  telegram: {
    name: 'Telegram channel post',
    notes: 'A short title line, the key points as short paragraphs or "•" bullets, then the canonical URL.',
  },
  discord: {
    name: 'Discord announcement',
    notes:
      'A short title line, the key points as "-" bullets, then the canonical URL. No @everyone or @here.',
  },
  newsletter: {
    name: 'newsletter section',
    notes:
      'A section of an email newsletter: a heading line, two to four paragraphs that carry the argument and its ' +
      'numbers, then "Read more:" and the canonical URL if there is one.',
  },
  'video-script': {
    name: 'short video script (45–60 seconds, read aloud)',
    notes:
      'Only the words the presenter says: a hook in the first sentence, the points, a call to action. No URLs, ' +
      'hashtags, emoji, headings or stage directions; say numbers as the source writes them.',
  },
};

const TONE_GUIDES: Readonly<Record<Tone, string>> = {
  educational: 'educational: explain plainly so a newcomer learns one thing; define terms; no hype.',
  bold: 'bold: confident and direct, short sentences, strong claims only where the source makes them.',
  analytical: 'analytical: measured and data-first; state the numbers, the method and the caveats.',
  casual: 'casual: conversational and warm, plain words, as if telling a colleague.',
};

/** A unit as the model should count it. */
export function unitDescription(unit: CountUnit, limit?: Pick<PlatformLimit, 'urlLength'>): string {
  switch (unit) {
    case 'weighted-characters':
      return 'weighted characters as X counts them (every URL counts 23, every emoji and CJK character 2, any other character 1)';
    case 'graphemes':
      return limit?.urlLength === undefined
        ? 'characters as a reader sees them (an emoji counts 1)'
        : `characters as a reader sees them (an emoji counts 1; every URL counts ${limit.urlLength}, whatever its length)`;
    case 'utf16-code-units':
      return 'UTF-16 code units (most characters count 1, an emoji 2)';
    case 'code-points':
      return 'characters (Unicode code points; most emoji count 1)';
  }
}

/** Short unit names for messages ("3,412 code points"). */
export const UNIT_NAMES: Readonly<Record<CountUnit, string>> = {
  'weighted-characters': 'weighted characters',
  graphemes: 'characters',
  'utf16-code-units': 'UTF-16 code units',
  'code-points': 'code points',
};

/** A number as people read it: 3,412. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** The rules, tone and voice: the same for every platform of a piece, so it leads every request. */
export function systemPrompt(tone: Tone, voice: BrandVoice): string {
  return [
    'You repurpose one piece of writing by an algorithmic-trading team into a version for one platform at a time.',
    '',
    'Rules:',
    '- Copy every number, percentage, price, date, ticker ($BTC, BTC/USDT) and link exactly as the source writes it. ' +
      'Never round, convert or reformat them, and never introduce a number, ticker or link the source does not contain.',
    '- Stay within the platform’s limit, counted in the unit given; leave a margin, as your count is approximate.',
    '- Say only what the source supports. No investment advice, no promised returns.',
    '- Write in the language of the source. Plain text unless the platform notes say otherwise.',
    '',
    `Tone — ${TONE_GUIDES[tone]}`,
    '',
    'Brand voice:',
    voiceInstructions(voice),
  ].join('\n');
}

/** The source as the model reads it: title, canonical URL, tags, facts, links, then the body's blocks. */
export function sourcePrompt(source: ContentSource): string {
  const lines = [
    `Title: ${source.title}`,
    `Canonical URL: ${source.canonicalUrl ?? 'none'}`,
    `Tags: ${source.tags.length > 0 ? source.tags.join(', ') : 'none'}`,
  ];
  const facts = Object.entries(source.facts ?? {});
  if (facts.length > 0) lines.push(`Facts: ${facts.map(([key, value]) => `${key}: ${value}`).join('; ')}`);
  if (source.links.length > 0) lines.push(`Links in the source: ${source.links.join(' ')}`);
  lines.push('', 'Body:');
  for (const block of source.blocks) {
    switch (block.type) {
      case 'heading':
        lines.push('', `${'#'.repeat(block.level ?? 2)} ${block.text}`);
        break;
      case 'list-item':
        lines.push(`- ${block.text}`);
        break;
      case 'quote':
        lines.push(`> ${block.text}`);
        break;
      case 'paragraph':
        lines.push('', block.text);
        break;
    }
  }
  return `<source>\n${lines.join('\n').trim()}\n</source>`;
}

/** The limits of a platform as sentences. */
export function limitLines(platform: PlatformId, limit: PlatformLimit): string[] {
  const unit = unitDescription(limit.unit, limit);
  const margin = formatCount(Math.floor(limit.limit * 0.9));
  const lines =
    platform === 'x-thread'
      ? [
          `Each post: at most ${formatCount(limit.limit)} ${unit}; aim for ${margin} or fewer.`,
          `Posts: from 2 to ${limit.maxPosts ?? 25}.`,
        ]
      : [`Length: at most ${formatCount(limit.limit)} ${unit}; aim for ${margin} or fewer.`];
  if (limit.maxBytes !== undefined) lines.push(`Also at most ${formatCount(limit.maxBytes)} bytes in UTF-8.`);
  if (limit.maxHashtags !== undefined) lines.push(`Hashtags: at most ${limit.maxHashtags}.`);
  if (limit.words)
    lines.push(`Words: between ${limit.words.minimum} and ${limit.words.maximum} spoken words.`);
  return lines;
}

/** What the model is asked for one platform, after the source. */
export function platformTask(platform: PlatformId, limit: PlatformLimit): string {
  const guide = PLATFORM_GUIDES[platform];
  return [
    `Write the ${guide.name} version of the source.`,
    ...limitLines(platform, limit),
    guide.notes,
    platform === 'x-thread'
      ? 'Answer with "posts": the posts in order, one string each.'
      : 'Answer with "text": the whole version.',
  ].join('\n');
}

/** One reason a version must shrink, in the platform's own terms. */
export interface ShrinkReason {
  /** `length`: the text (or one post) is too long; `count`: it has too many of something (hashtags, posts). */
  readonly kind: 'length' | 'count';
  /** Which part is over, for a thread's post ("post 2"); the whole version when absent. */
  readonly part?: string;
  readonly value: number;
  readonly limit: number;
  /** The unit the value counts, as a reader would name it. */
  readonly unit: string;
}

/** A reason as a reader (or the model) reads it: "post 2: 300 of 280 weighted characters". */
export function describeReason(reason: ShrinkReason): string {
  const amount = `${formatCount(reason.value)} of ${formatCount(reason.limit)} ${reason.unit}`;
  return reason.part ? `${reason.part}: ${amount}` : amount;
}

/**
 * Asks the model to shorten its last answer: by how much, in which unit, keeping the facts ("Your LinkedIn post
 * is 3,412 code points long; the limit is 3,000. Shorten it by at least 412 code points …").
 */
export function shrinkPrompt(platform: PlatformId, reasons: readonly ShrinkReason[]): string {
  const name = PLATFORM_GUIDES[platform].name;
  const lines = reasons.map(({ kind, part, value, limit, unit }) => {
    const subject = part ? `Your ${name}'s ${part}` : `Your ${name}`;
    const over = formatCount(value - limit);
    return kind === 'count'
      ? `${subject} has ${formatCount(value)} ${unit}; the limit is ${formatCount(limit)}. Remove at least ${over}.`
      : `${subject} is ${formatCount(value)} ${unit} long; the limit is ${formatCount(limit)}. ` +
          `Shorten it by at least ${over} ${unit} (aim for ${formatCount(Math.floor(limit * 0.9))} or fewer).`;
  });
  return [
    ...lines,
    'Cut the least important sentences and words first; keep the hook, the takeaway, and every number, ticker and ' +
      'link exactly as written. Add nothing new. Answer with the whole shortened version.',
  ].join('\n');
}
