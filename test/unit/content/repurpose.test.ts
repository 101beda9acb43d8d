import { describe, expect, it } from '@jest/globals';
import type { CandidateVersion, GenerationRequest, VersionGenerator } from '@shared/content/generator';
import { type ContentSource, PLATFORM_IDS } from '@shared/content/model';
import { MissingVersionError, repurpose, repurposeOffline } from '@shared/content/repurpose';
import { sampleSource } from './offline/fixture';

/** A generator that records its request and answers each platform with one fixed sentence. */
class RecordingGenerator implements VersionGenerator {
  requests: GenerationRequest[] = [];
  constructor(private readonly text = 'Time series data is a sequence of measurements ordered by time.') {}
  async generate(_source: ContentSource, request: GenerationRequest): Promise<CandidateVersion[]> {
    this.requests.push(request);
    return request.platforms.map((platform) =>
      platform === 'x-thread'
        ? { platform, posts: [`1/1 ${this.text}`], warnings: [] }
        : { platform, text: this.text, warnings: [] },
    );
  }
  report() {
    return { name: 'openai' as const, model: 'test-model' };
  }
}

describe('repurpose', () => {
  it('asks for every platform in order, the source tone, the default voice and the limits table', async () => {
    // Prepare
    const generator = new RecordingGenerator();

    // Act
    const result = await repurpose(sampleSource({ tone: 'casual' }), {}, generator);

    // Assess
    const [request] = generator.requests;
    expect(request!.platforms).toEqual(PLATFORM_IDS);
    expect(request!.tone).toBe('casual');
    expect(request!.voice).toEqual({ bannedWords: [], signature: null, emoji: 'minimal' });
    expect(request!.limits.x.limit).toBe(280);
    expect(result.versions.map((version) => version.platform)).toEqual(PLATFORM_IDS);
    expect(result.generator).toEqual({ name: 'openai', model: 'test-model' });
  });

  it('lets the options override tone, platforms and limits, and summarises the source', async () => {
    const generator = new RecordingGenerator();
    const result = await repurpose(
      sampleSource({ tone: 'casual' }),
      { tone: 'bold', platforms: ['x', 'mastodon'], limits: { mastodon: { limit: 1000 } } },
      generator,
    );
    expect(generator.requests[0]!.tone).toBe('bold');
    expect(generator.requests[0]!.limits.mastodon.limit).toBe(1000);
    expect(result.versions.map((version) => [version.platform, version.limit])).toEqual([
      ['x', 280],
      ['mastodon', 1000],
    ]);
    expect(result.source).toEqual({
      kind: 'markdown',
      title: 'Funding rates as time series data',
      canonicalUrl: 'https://blog.example.com/funding-rates',
      tags: ['funding'],
      tone: 'bold',
      words: sampleSource().blocks.reduce((sum, block) => sum + block.text.split(' ').length, 0),
    });
  });

  it('checks every candidate: one over its limit is cut and says so', async () => {
    const long = 'Time series data is a sequence of measurements ordered by time. '.repeat(8).trim();
    const result = await repurpose(sampleSource(), { platforms: ['x'] }, new RecordingGenerator(long));
    const [x] = result.versions;
    expect(x!.count).toBeLessThanOrEqual(280);
    expect(x!.warnings.join('\n')).toMatch(/cut at a sentence boundary/);
  });

  it('fails with a clear error when a generator leaves a platform out', async () => {
    const generator: VersionGenerator = {
      generate: async () => [],
      report: () => ({ name: 'openai' }),
    };
    await expect(repurpose(sampleSource(), { platforms: ['linkedin'] }, generator)).rejects.toThrow(
      MissingVersionError,
    );
    await expect(repurpose(sampleSource(), { platforms: ['linkedin'] }, generator)).rejects.toThrow(
      /no version for linkedin/,
    );
  });

  it('repurposes offline with every version checked and within its limit', async () => {
    const result = await repurposeOffline(sampleSource());
    expect(result.generator).toEqual({ name: 'offline' });
    for (const version of result.versions) {
      expect(version.count).toBeLessThanOrEqual(version.limit);
      expect(version.checks.filter((check) => !check.ok)).toEqual([]);
    }
  });
});
