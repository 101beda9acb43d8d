/**
 * The `repurpose` use case: one core piece becomes a checked version for each platform asked for, written by
 * whichever generator the caller passes (offline by default, an LLM when configured).
 */
import { wordCount } from './count';
import { finalizeVersion } from './finalize';
import type { GenerationRequest, RepurposeOptions, VersionGenerator } from './generator';
import { limitsWith } from './limits';
import {
  type ContentSource,
  DEFAULT_BRAND_VOICE,
  DEFAULT_TONE,
  PLATFORM_IDS,
  type PlatformVersion,
  type Repurposed,
  type SourceSummary,
} from './model';
import { OfflineGenerator } from './offline';

/** A generator answered without a version for a platform it was asked for. */
export class MissingVersionError extends Error {
  constructor(
    readonly generator: string,
    readonly platform: string,
  ) {
    super(
      `The ${generator} generator returned no version for ${platform}; run again, or repurpose with --offline to use the offline generator.`,
    );
    this.name = 'MissingVersionError';
  }
}

/** The request a generator is given: the options with every default resolved. */
export function resolveRequest(source: ContentSource, options: RepurposeOptions = {}): GenerationRequest {
  const platforms = [...new Set(options.platforms ?? PLATFORM_IDS)];
  return {
    platforms,
    tone: options.tone ?? source.tone ?? DEFAULT_TONE,
    voice: options.voice ?? DEFAULT_BRAND_VOICE,
    limits: limitsWith(options.limits),
  };
}

/** The source as the result shows it; `words` counts the words of its body blocks. */
export function summarizeSource(source: ContentSource, request: GenerationRequest): SourceSummary {
  return {
    kind: source.kind,
    title: source.title,
    canonicalUrl: source.canonicalUrl,
    tags: source.tags,
    tone: request.tone,
    words: source.blocks.reduce((sum, block) => sum + wordCount(block.text), 0),
  };
}

/** One core piece as a checked version per platform (in the order asked for), written by `generator`. */
export async function repurpose(
  source: ContentSource,
  options: RepurposeOptions,
  generator: VersionGenerator,
): Promise<Repurposed> {
  const request = resolveRequest(source, options);
  const candidates = await generator.generate(source, request);
  const versions: PlatformVersion[] = request.platforms.map((platform) => {
    const candidate = candidates.find((version) => version.platform === platform);
    if (!candidate) throw new MissingVersionError(generator.report().name, platform);
    return finalizeVersion(candidate, source, request);
  });
  return { source: summarizeSource(source, request), versions, generator: generator.report() };
}

/** `repurpose` with the offline extractive generator: no key, no network. */
export function repurposeOffline(source: ContentSource, options: RepurposeOptions = {}): Promise<Repurposed> {
  return repurpose(source, options, new OfflineGenerator());
}
