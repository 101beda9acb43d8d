import { z } from 'zod';
import { DEFAULT_BRAND_VOICE, PLATFORM_IDS, TONES } from './model';

const PlatformIdSchema = z.enum(PLATFORM_IDS);

const LimitOverrideSchema = z
  .object({
    limit: z.number().int().positive().optional(),
    maxBytes: z.number().int().positive().optional(),
    maxHashtags: z.number().int().min(0).optional(),
    urlLength: z.number().int().positive().optional(),
    maxPosts: z.number().int().positive().optional(),
    words: z
      .object({ minimum: z.number().int().min(1), maximum: z.number().int().min(1) })
      .strict()
      .optional(),
  })
  .strict();

/** The brand voice as configured. */
export const BrandVoiceSchema = z
  .object({
    bannedWords: z.array(z.string().min(1)).default([]),
    signature: z.string().min(1).nullable().default(null),
    emoji: z.enum(['none', 'minimal', 'expressive']).default(DEFAULT_BRAND_VOICE.emoji),
  })
  .strict();

/** `required`: a person approves each draft; `auto`: drafts are approved (and published) as soon as generated. */
const ApprovalSchema = z.enum(['required', 'auto']);

/** Content settings: `content:` in flywheel.config.yaml locally, CDK context `content` on AWS. */
export const ContentSettingsSchema = z
  .object({
    /** The tone when neither the source nor the request names one. */
    tone: z.enum(TONES).optional(),
    /** The platforms a draft has versions for; default every platform. */
    platforms: z.array(PlatformIdSchema).min(1).optional(),
    voice: BrandVoiceSchema.default({ bannedWords: [], signature: null, emoji: DEFAULT_BRAND_VOICE.emoji }),
    /** Per-account limits (X Premium: `x: { limit: 25000 }`, a Mastodon server with 1,000 characters). */
    limits: z.partialRecord(PlatformIdSchema, LimitOverrideSchema).default({}),
    /** Insights the system writes need approval by default; auto-publishing is opt-in per origin. */
    approval: z
      .object({ user: ApprovalSchema.default('required'), system: ApprovalSchema.default('required') })
      .strict()
      .default({ user: 'required', system: 'required' }),
    /** Which channel publishes each platform's version (default: discord, telegram, mastodon, bluesky to their own channel when configured; the rest to the outbox). */
    routes: z.partialRecord(PlatformIdSchema, z.string().min(1)).default({}),
  })
  .strict();

/** Validated content settings. */
export type ContentSettings = z.infer<typeof ContentSettingsSchema>;

/** The settings with nothing configured. */
export const DEFAULT_CONTENT_SETTINGS: ContentSettings = ContentSettingsSchema.parse({});
