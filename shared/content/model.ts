/**
 * The content-repurposing vocabulary: a core piece (the source), the platforms it becomes versions for, and a
 * version with its count, limit and checks. Everything else in shared/content/ reads and writes these types.
 */

/** Platform ids as the CLI's `--platforms` and the JSON use them. */
export const PLATFORM_IDS = [
  'x',
  'x-thread',
  'linkedin',
  'instagram',
  'threads',
  'bluesky',
  'mastodon',
  'telegram',
  'discord',
  'newsletter',
  'video-script',
] as const;

/** A platform id. */
export type PlatformId = (typeof PLATFORM_IDS)[number];

/** Tones both generators write in. */
export const TONES = ['educational', 'bold', 'analytical', 'casual'] as const;

/** A tone. */
export type Tone = (typeof TONES)[number];

/** The tone used when neither the source nor the caller names one. */
export const DEFAULT_TONE: Tone = 'educational';

/**
 * What a platform counts in: X's weighted characters (twitter-text), grapheme clusters (Bluesky; Mastodon, where
 * every URL counts 23), UTF-16 code units (Telegram), Unicode code points (everything else).
 */
export type CountUnit = 'weighted-characters' | 'graphemes' | 'utf16-code-units' | 'code-points';

/** Where a core piece came from. */
export type SourceKind = 'markdown' | 'text' | 'html' | 'insight';

/** A block of the source's body, in reading order; code, markup and embeds are already gone. */
export interface SourceBlock {
  readonly type: 'heading' | 'paragraph' | 'list-item' | 'quote';
  /** Plain text: inline Markdown/HTML removed, link texts kept, whitespace collapsed. */
  readonly text: string;
  /** Heading level 1–6 for headings. */
  readonly level?: number;
}

/** A core piece, normalised from Markdown, plain text, HTML or a system insight. */
export interface ContentSource {
  readonly kind: SourceKind;
  readonly title: string;
  readonly canonicalUrl: string | null;
  /** Tags from the front matter (or the insight), without `#`. */
  readonly tags: readonly string[];
  /** The tone the source asks for (front matter `tone:`), if any. */
  readonly tone: Tone | null;
  readonly blocks: readonly SourceBlock[];
  /** Absolute http(s) URLs the source links to, in order of first appearance, without duplicates. */
  readonly links: readonly string[];
  /** For an insight: the facts it was built from (sweep id, market, figures), shown in drafts. */
  readonly facts?: Readonly<Record<string, string | number>>;
}

/** A platform's second limit, or a rule a version was checked against, with its outcome. */
export interface VersionCheck {
  /** `bytes` (Bluesky), `hashtags` (Instagram), `words` (video script), `posts` (X thread), `facts`, … */
  readonly name: string;
  readonly value: number;
  /** Upper bound, when the check has one. */
  readonly limit?: number;
  /** Lower bound, when the check has one (the video script's 130 words). */
  readonly minimum?: number;
  readonly ok: boolean;
  /** What the check found, for a failed check. */
  readonly detail?: string;
}

/** One platform's version of the source. */
export interface PlatformVersion {
  readonly platform: PlatformId;
  /** The text, for every platform but `x-thread`. */
  readonly text?: string;
  /** The numbered posts of `x-thread`. */
  readonly posts?: readonly string[];
  /** The version's length in its platform's unit (for a thread: its longest post). */
  readonly count: number;
  readonly limit: number;
  readonly unit: CountUnit;
  readonly checks: readonly VersionCheck[];
  /** What a reader should know: a number not in the source, a cut at a sentence boundary, a shrink retry. */
  readonly warnings: readonly string[];
}

/** A repurposing result: the source summary and one version per platform asked for. */
export interface Repurposed {
  readonly source: SourceSummary;
  readonly versions: readonly PlatformVersion[];
  /** Which generator wrote the versions, with its model and token usage for an LLM. */
  readonly generator: GeneratorReport;
}

/** The source as the JSON output shows it. */
export interface SourceSummary {
  readonly kind: SourceKind;
  readonly title: string;
  readonly canonicalUrl: string | null;
  readonly tags: readonly string[];
  readonly tone: Tone;
  readonly words: number;
}

/** Who wrote a set of versions and what it cost. */
export interface GeneratorReport {
  readonly name: 'offline' | 'openai';
  readonly model?: string;
  readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
  /** US dollars, when the model's price is known. */
  readonly costUsd?: number;
}

/** A brand voice, applied by both generators. */
export interface BrandVoice {
  /** Words never used (case-insensitive, whole words); a version containing one is rewritten or flagged. */
  readonly bannedWords: readonly string[];
  /** Appended to every version where it fits (e.g. "— The Flywheel desk"). */
  readonly signature: string | null;
  /** `none`: strip emoji; `minimal`: at most one per version; `expressive`: a few where the tone allows. */
  readonly emoji: 'none' | 'minimal' | 'expressive';
}

/** The voice used when no profile is configured. */
export const DEFAULT_BRAND_VOICE: BrandVoice = { bannedWords: [], signature: null, emoji: 'minimal' };
