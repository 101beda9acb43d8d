import type { CountUnit, PlatformId } from './model';

/** One platform's limits: its main count, and the second limits it has. */
export interface PlatformLimit {
  readonly unit: CountUnit;
  /** Most units a text (for `x-thread`: each post) may have. */
  readonly limit: number;
  /** Bluesky: most UTF-8 bytes as well. */
  readonly maxBytes?: number;
  /** Instagram: most hashtags. */
  readonly maxHashtags?: number;
  /** Mastodon: every URL counts as this many characters, whatever its length. */
  readonly urlLength?: number;
  /** X thread: most posts. */
  readonly maxPosts?: number;
  /** Video script: spoken words for 45–60 seconds. */
  readonly words?: { readonly minimum: number; readonly maximum: number };
}

/** Every platform's real limits, as each platform documents them (late 2026). Overridable per account. */
export const PLATFORM_LIMITS: Readonly<Record<PlatformId, PlatformLimit>> = {
  x: { unit: 'weighted-characters', limit: 280 },
  'x-thread': { unit: 'weighted-characters', limit: 280, maxPosts: 25 },
  linkedin: { unit: 'code-points', limit: 3000 },
  instagram: { unit: 'code-points', limit: 2200, maxHashtags: 5 },
  threads: { unit: 'code-points', limit: 500 },
  bluesky: { unit: 'graphemes', limit: 300, maxBytes: 3000 },
  mastodon: { unit: 'graphemes', limit: 500, urlLength: 23 },
  telegram: { unit: 'utf16-code-units', limit: 4096 },
  discord: { unit: 'code-points', limit: 2000 },
  // A newsletter section has no platform limit; this keeps it a section rather than the whole article.
  newsletter: { unit: 'code-points', limit: 4000 },
  // 160 spoken words are about 1,000 characters; the word range is the real constraint.
  'video-script': { unit: 'code-points', limit: 1500, words: { minimum: 130, maximum: 160 } },
};

/** Per-account changes to the table: X Premium's 25,000, a Mastodon server with 1,000, … */
export type LimitOverrides = Partial<Record<PlatformId, Partial<Omit<PlatformLimit, 'unit'>>>>;

/** The limits table with an account's overrides applied (the unit of a platform never changes). */
export function limitsWith(overrides: LimitOverrides = {}): Readonly<Record<PlatformId, PlatformLimit>> {
  const merged = { ...PLATFORM_LIMITS } as Record<PlatformId, PlatformLimit>;
  for (const [platform, override] of Object.entries(overrides) as [
    PlatformId,
    LimitOverrides[PlatformId],
  ][]) {
    if (override) merged[platform] = { ...PLATFORM_LIMITS[platform], ...override };
  }
  return merged;
}
