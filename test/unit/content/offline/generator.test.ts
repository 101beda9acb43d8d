import { describe, expect, it } from '@jest/globals';
import { countIn, wordCount } from '@shared/content/count';
import type { GenerationRequest } from '@shared/content/generator';
import { limitsWith } from '@shared/content/limits';
import {
  type BrandVoice,
  DEFAULT_BRAND_VOICE,
  PLATFORM_IDS,
  type PlatformId,
  TONES,
  type Tone,
} from '@shared/content/model';
import { generateOffline, OfflineGenerator } from '@shared/content/offline';
import { emojiIn } from '@shared/content/voice';
import { sampleSource } from './fixture';

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    platforms: PLATFORM_IDS,
    tone: 'educational',
    voice: DEFAULT_BRAND_VOICE,
    limits: limitsWith(),
    ...overrides,
  };
}

function version(platform: PlatformId, overrides: Partial<GenerationRequest> = {}, source = sampleSource()) {
  return generateOffline(source, request({ platforms: [platform], ...overrides }))[0]!;
}

const sourceText = () => {
  const source = sampleSource();
  return [source.title, ...source.blocks.map((block) => block.text)].join('\n');
};

describe('OfflineGenerator', () => {
  it('reports itself as the offline generator and answers every platform in the order asked', async () => {
    const generator = new OfflineGenerator();
    const platforms: PlatformId[] = ['newsletter', 'x'];
    const candidates = await generator.generate(sampleSource(), request({ platforms }));
    expect(candidates.map((candidate) => candidate.platform)).toEqual(platforms);
    expect(generator.report()).toEqual({ name: 'offline' });
  });

  it('writes the same versions for the same source every time', () => {
    expect(generateOffline(sampleSource(), request())).toEqual(generateOffline(sampleSource(), request()));
  });

  it('makes hashtags only from words and phrases of the text, phrases in CamelCase, the cashtag as written', () => {
    const text = version('linkedin').text!;
    const tags = text.match(/[#$][\p{L}\p{N}_]+/gu) ?? [];
    expect(tags).toContain('#TimeSeries');
    expect(tags).toContain('$BTC');
    const words = sourceText()
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)!;
    const phrases = new Set(
      words.flatMap((word, i) => [
        word,
        word + (words[i + 1] ?? ''),
        word + (words[i + 1] ?? '') + (words[i + 2] ?? ''),
      ]),
    );
    for (const tag of tags.filter((tag) => tag.startsWith('#')))
      expect(phrases.has(tag.slice(1).toLowerCase())).toBe(true);
    // The pair stays a pair: never turned into a hashtag.
    expect(text).not.toMatch(/#BTCUSD|#BtcUsd/i);
  });

  it('writes each tone with its own words and its own choice of sentences', () => {
    const linkedin = TONES.map((tone: Tone) => version('linkedin', { tone }).text!);
    expect(new Set(linkedin).size).toBe(TONES.length);
    const openings = linkedin.map((text) => text.split('\n')[0]);
    expect(new Set(openings).size).toBe(TONES.length);
  });

  it('writes a video script of 130–160 words with a hook, beats and a call to action', () => {
    for (const tone of TONES) {
      const script = version('video-script', { tone }).text!;
      expect(wordCount(script)).toBeGreaterThanOrEqual(130);
      expect(wordCount(script)).toBeLessThanOrEqual(160);
      expect(script).toMatch(/^Hook: /);
      expect(script).toMatch(/\nBeats:\n- /);
      expect(script).toMatch(/\n\nCall to action: .+\.$/);
      expect(script).not.toMatch(/https?:/);
    }
  });

  it('numbers thread posts "i/n" within 280 weighted characters, with the link in the last post only', () => {
    const posts = version('x-thread').posts!;
    expect(posts.length).toBeGreaterThanOrEqual(3);
    posts.forEach((post, i) => {
      expect(post.startsWith(`${i + 1}/${posts.length} `)).toBe(true);
      expect(countIn(post, 'weighted-characters')).toBeLessThanOrEqual(280);
      expect(post.includes('https://blog.example.com/funding-rates')).toBe(i === posts.length - 1);
    });
  });

  it('fits a smaller limit with fewer whole sentences instead of cutting one', () => {
    const roomy = version('threads').text!;
    const tight = version('threads', { limits: limitsWith({ threads: { limit: 200 } }) }).text!;
    expect(countIn(tight, 'code-points')).toBeLessThanOrEqual(200);
    expect(tight.length).toBeLessThan(roomy.length);
    expect(tight).not.toContain('…');
  });

  it('points Instagram to the link in bio, with at most the allowed hashtags', () => {
    const caption = version('instagram', { limits: limitsWith({ instagram: { maxHashtags: 2 } }) }).text!;
    expect(caption).toMatch(/link(ed)? in bio/i);
    expect(caption).not.toMatch(/https?:/);
    expect(caption.match(/#\p{L}/gu)?.length).toBeLessThanOrEqual(2);
  });

  it('writes the newsletter section as Markdown with a title, summary, key points and a read-more link', () => {
    const section = version('newsletter').text!;
    expect(section).toMatch(/^## Funding rates as time series data\n\n\S/);
    expect(section).toMatch(/\n### Key points\n\n- /);
    expect(section).toMatch(/\[Read more\]\(https:\/\/blog\.example\.com\/funding-rates\)$/);
  });
});

describe('the brand voice in offline versions', () => {
  const voice = (overrides: Partial<BrandVoice>): BrandVoice => ({ ...DEFAULT_BRAND_VOICE, ...overrides });

  it('drops every sentence with a banned word, in any case, whole words only', () => {
    const versions = generateOffline(sampleSource(), request({ voice: voice({ bannedWords: ['FUNDING'] }) }));
    for (const candidate of versions) {
      const text = candidate.text ?? candidate.posts!.join('\n');
      // The title heads the newsletter and Discord versions as written; a warning flags it.
      const body = text.replace(/^## .*\n/, '').replace(/https?:\/\/\S+/g, '');
      expect(body).not.toMatch(/\bfunding|Funding(?=[A-Z])/i);
      if (text.startsWith('## ')) expect(candidate.warnings.join('\n')).toMatch(/title uses the banned word/);
    }
    expect(versions[0]!.warnings.some((warning) => /banned word/.test(warning))).toBe(true);
  });

  it('flags a template line that uses a banned word', () => {
    const [candidate] = generateOffline(
      sampleSource(),
      request({ platforms: ['linkedin'], voice: voice({ bannedWords: ['takeaway'] }) }),
    );
    expect(candidate!.warnings.join('\n')).toMatch(
      /template line "The takeaway:" uses the banned word "takeaway"/,
    );
  });

  it('strips every emoji with `none`, even from the source, and keeps at most one with `minimal`', () => {
    const source = sampleSource({
      blocks: [
        ...sampleSource().blocks,
        { type: 'paragraph', text: 'Time series data 🚀 deserves a place in every backtest 📈.' },
      ],
    });
    for (const candidate of generateOffline(source, request({ voice: voice({ emoji: 'none' }) }))) {
      expect(emojiIn(candidate.text ?? candidate.posts!.join('\n'))).toEqual([]);
    }
    for (const candidate of generateOffline(source, request({ voice: voice({ emoji: 'minimal' }) }))) {
      expect(emojiIn(candidate.text ?? candidate.posts!.join('\n')).length).toBeLessThanOrEqual(1);
    }
    const expressive = version('linkedin', { voice: voice({ emoji: 'expressive' }) }).text!;
    expect(emojiIn(expressive).length).toBeGreaterThan(1);
  });

  it('appends the signature where it fits within the limit', () => {
    const signature = '— The Flywheel desk';
    const versions = generateOffline(sampleSource(), request({ voice: voice({ signature }) }));
    for (const candidate of versions) {
      const last = candidate.text ?? candidate.posts!.at(-1)!;
      expect(last.endsWith(signature)).toBe(true);
      const limit = limitsWith()[candidate.platform];
      expect(countIn(last, limit.unit, limit)).toBeLessThanOrEqual(limit.limit);
    }
  });
});
