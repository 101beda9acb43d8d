import type { LimitOverrides, PlatformLimit } from './limits';
import type { BrandVoice, ContentSource, GeneratorReport, PlatformId, Tone } from './model';

/** What a generator is asked for. */
export interface GenerationRequest {
  readonly platforms: readonly PlatformId[];
  readonly tone: Tone;
  readonly voice: BrandVoice;
  /** The limits table with the account's overrides applied. */
  readonly limits: Readonly<Record<PlatformId, PlatformLimit>>;
}

/** A generator's candidate for one platform, before validation. */
export interface CandidateVersion {
  readonly platform: PlatformId;
  readonly text?: string;
  readonly posts?: readonly string[];
  /** What happened while writing it (shrink retries, a fallback), carried into the version's warnings. */
  readonly warnings: readonly string[];
}

/** Writes a candidate version per platform: the offline extractive generator, or an LLM. */
export interface VersionGenerator {
  generate(source: ContentSource, request: GenerationRequest): Promise<readonly CandidateVersion[]>;
  /** Which generator this is, with model and usage so far. */
  report(): GeneratorReport;
}

/** What `repurpose` is asked for; everything but the platforms has a default. */
export interface RepurposeOptions {
  readonly platforms?: readonly PlatformId[];
  readonly tone?: Tone;
  readonly voice?: BrandVoice;
  readonly limits?: LimitOverrides;
}
