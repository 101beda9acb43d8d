/**
 * The offline generator: no key, no network. It picks the source's own sentences (TextRank), wraps them in the
 * tone's template for each platform and fits each version to its limit by choosing fewer or shorter sentences.
 */
import { byteCount, countIn, wordCount } from '../count';
import type { CandidateVersion, GenerationRequest, VersionGenerator } from '../generator';
import type { PlatformLimit } from '../limits';
import type { BrandVoice, ContentSource, GeneratorReport, PlatformId } from '../model';
import { applyVoice, bannedWordIn, emojiAllowance, emojiIn, limitEmoji, signed } from '../voice';
import { type Analysis, analyze } from './analysis';
import { hookCandidates, planVersion, type Recipe, takeawayCandidates } from './compose';
import { topicOf } from './keywords';
import { type Layout, TEMPLATES } from './platforms';
import { buildThread } from './thread';
import { fillTopic, TONE_STYLES, type ToneStyle } from './tones';

/** Does a text fit a platform's limits: its count, and its bytes or words where it has them? */
export function fitsLimit(text: string, limit: PlatformLimit): boolean {
  if (countIn(text, limit.unit, limit) > limit.limit) return false;
  if (limit.maxBytes !== undefined && byteCount(text) > limit.maxBytes) return false;
  if (limit.words !== undefined && wordCount(text) > limit.words.maximum) return false;
  return true;
}

/** Everything a platform's build shares. */
interface Shared {
  readonly source: ContentSource;
  readonly analysis: Analysis;
  readonly style: ToneStyle;
  readonly voice: BrandVoice;
  readonly hooks: ReturnType<typeof hookCandidates>;
  readonly takeaways: ReturnType<typeof takeawayCandidates>;
  readonly hashtags: readonly string[];
  readonly topic: string | null;
  /** Template lines that use a banned word, already phrased as warnings. */
  readonly templateWarnings: readonly string[];
}

/** The voice's emoji for a role: `minimal` puts its one emoji on the hook, `expressive` on hook and link. */
function emojiFor(style: ToneStyle, voice: BrandVoice, platform: PlatformId) {
  const spoken = platform === 'video-script' || platform === 'newsletter';
  return (role: 'hook' | 'point' | 'link'): string => {
    if (spoken || voice.emoji === 'none') return '';
    if (voice.emoji === 'minimal') return role === 'hook' ? `${style.emoji.hook} ` : '';
    return `${style.emoji[role]} `;
  };
}

/** The offline extractive generator. */
export class OfflineGenerator implements VersionGenerator {
  /** Candidate versions for the request's platforms, in its order. */
  async generate(source: ContentSource, request: GenerationRequest): Promise<readonly CandidateVersion[]> {
    return generateOffline(source, request);
  }

  /** The offline generator costs nothing and has no model. */
  report(): GeneratorReport {
    return { name: 'offline' };
  }
}

/** The offline generator's work, synchronously (for benches and callers that need no promise). */
export function generateOffline(source: ContentSource, request: GenerationRequest): CandidateVersion[] {
  const { voice } = request;
  const style = TONE_STYLES[request.tone];
  const analysis = analyze(source, voice);
  const banned = (text: string) => bannedWordIn(text, voice.bannedWords);

  const templateWarnings: string[] = [];
  const templateLines = [
    style.pointsLabel,
    style.takeawayLabel,
    style.readMore,
    style.linkInBio,
    style.videoCallToAction,
    style.videoCallToActionWithoutLink,
  ];
  for (const line of templateLines) {
    const word = banned(line);
    if (word)
      templateWarnings.push(`the ${request.tone} template line "${line}" uses the banned word "${word}"`);
  }
  const titleWord = banned(source.title);
  if (titleWord) templateWarnings.push(`the title uses the banned word "${titleWord}"`);

  const topic = topicOf(analysis.vocabulary.keywords, (text) => banned(text) === null);
  const hashtags = [...analysis.vocabulary.cashtags.slice(0, 2), ...analysis.vocabulary.hashtags].filter(
    // "#FundingRate" uses "funding": split the CamelCase back into words before checking.
    (tag) => banned(tag.slice(1).replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')) === null,
  );
  const shared: Shared = {
    source,
    analysis,
    style,
    voice,
    hooks: hookCandidates(analysis.usable, style, analysis.sentences.length),
    takeaways: takeawayCandidates(analysis.usable, analysis.sentences.length),
    hashtags,
    topic,
    templateWarnings,
  };

  return request.platforms.map((platform) => {
    const limit = request.limits[platform];
    const candidate =
      platform === 'x-thread' ? threadVersion(shared, limit) : templatedVersion(shared, platform, limit);
    const warnings = [...candidate.warnings, ...relevantTemplateWarnings(shared, platform)];
    if (analysis.bannedSentences > 0) {
      warnings.push(`left out ${analysis.bannedSentences} source sentence(s) using a banned word`);
    }
    return { ...candidate, warnings };
  });
}

function relevantTemplateWarnings(shared: Shared, platform: PlatformId): string[] {
  return shared.templateWarnings.filter((warning) => {
    if (warning.includes('"title"') || warning.startsWith('the title')) {
      return platform === 'newsletter' || platform === 'discord';
    }
    return true;
  });
}

/** A line with its banned-word check: optional lines using a banned word are left out. */
function optionalLine(line: string | null, voice: BrandVoice): string | null {
  return line !== null && bannedWordIn(line, voice.bannedWords) === null ? line : null;
}

function templatedVersion(
  shared: Shared,
  platform: Exclude<PlatformId, 'x-thread'>,
  limit: PlatformLimit,
): CandidateVersion {
  const { style, voice, source, analysis } = shared;
  const template = TEMPLATES[platform];
  const layout: Layout = {
    style,
    title: source.title,
    link: source.canonicalUrl,
    emoji: emojiFor(style, voice, platform),
  };
  const render = (plan: Parameters<typeof template.render>[0]) => template.render(plan, layout);
  let recipe: Recipe = template.recipe(style);
  if (platform === 'video-script' && limit.words) {
    const minimum = limit.words.minimum;
    recipe = { ...recipe, minimumReached: (plan) => wordCount(render(plan)) >= minimum };
  }
  const tags =
    platform === 'instagram' ? shared.hashtags.slice(0, limit.maxHashtags ?? recipe.tags) : shared.hashtags;
  const base = (text: string) => fitsLimit(text, limit);
  const inputs = {
    usable: analysis.usable,
    hooks: shared.hooks,
    takeaways: shared.takeaways,
    tags,
    opener: optionalLine(fillTopic(style.opener, shared.topic), voice),
    recipe,
    render,
  };

  const warnings: string[] = [];
  // Room for the signature first; a version that cannot carry it is built again without.
  let result = planVersion({
    ...inputs,
    fits: voice.signature ? (text) => base(signed(text, voice.signature!)) : base,
  });
  if (!result.fitted && voice.signature) result = planVersion({ ...inputs, fits: base });
  if (!result.fitted) warnings.push(`no sentence of the source fits the ${platform} limit on its own`);
  if (result.plan.hook === null) warnings.push('the source has no whole sentence to build a version from');

  const voiced = applyVoice(render(result.plan), { ...voice, bannedWords: [] }, base);
  return { platform, text: voiced.text, warnings: [...warnings, ...voiced.warnings] };
}

function threadVersion(shared: Shared, limit: PlatformLimit): CandidateVersion {
  const { style, voice, source, analysis } = shared;
  const base = (post: string) => fitsLimit(post, limit);
  const inputs = {
    style,
    hooks: shared.hooks,
    usable: analysis.usable,
    takeaways: shared.takeaways,
    link: source.canonicalUrl,
    threadStart: optionalLine(fillTopic(style.threadStart, shared.topic), voice),
    emoji: emojiFor(style, voice, 'x-thread'),
    fits: base,
    maxPosts: limit.maxPosts ?? 25,
  };
  const warnings: string[] = [];
  let posts = buildThread({
    ...inputs,
    lastFits: voice.signature ? (post) => base(signed(post, voice.signature!)) : base,
  });
  if (posts.length === 0) {
    warnings.push('no sentence of the source fits an X post on its own');
    const shortest = [...shared.hooks].sort((a, b) => a.text.length - b.text.length)[0];
    posts = shortest ? [`1/1 ${shortest.text}`] : [];
  }
  const last = posts.length - 1;
  // The emoji policy holds for the whole thread: the first posts keep theirs, later ones lose what is over.
  let emojiLeft = emojiAllowance(voice);
  const voiced = posts.map((post, i) => {
    const limited = limitEmoji(post, emojiLeft);
    emojiLeft -= emojiIn(limited).length;
    const signature = i === last ? voice.signature : null;
    const result = applyVoice(limited, { bannedWords: [], signature, emoji: 'expressive' }, base);
    warnings.push(...result.warnings);
    return result.text;
  });
  return { platform: 'x-thread', posts: voiced, warnings };
}
