import { describe, expect, it } from '@jest/globals';
import { byteCount, countIn, wordCount } from '@shared/content/count';
import { finalizeVersion, measureVersion } from '@shared/content/finalize';
import type { CandidateVersion, GenerationRequest } from '@shared/content/generator';
import { limitsWith } from '@shared/content/limits';
import {
  type ContentSource,
  DEFAULT_BRAND_VOICE,
  PLATFORM_IDS,
  type PlatformId,
} from '@shared/content/model';
import { splitSentences } from '@shared/content/sentences';
import fc from 'fast-check';
import twitterText from 'twitter-text';

const SOURCE: ContentSource = {
  kind: 'markdown',
  title: 'ZKCP in practice',
  canonicalUrl: 'https://blog.example.com/zkcp',
  tags: ['bitcoin'],
  tone: null,
  blocks: [
    {
      type: 'paragraph',
      text: 'A 16x16 Sudoku solution sold for 0.10 BTC. Proving took about 20 seconds. BTC-USD was near $42,000.',
    },
  ],
  links: ['https://z.cash/zkcp3.pdf'],
};

const REQUEST: GenerationRequest = {
  platforms: PLATFORM_IDS,
  tone: 'educational',
  voice: DEFAULT_BRAND_VOICE,
  limits: limitsWith(),
};

const SENTENCE = 'The buyer learns the answer only if the payment is made.';

function candidate(platform: PlatformId, text: string, warnings: string[] = []): CandidateVersion {
  return { platform, text, warnings };
}

describe('finalizeVersion within the limits', () => {
  it('keeps a fitting version as it is, with its count, limit, unit and the candidate’s warnings', () => {
    // Prepare
    const text = `A 16x16 Sudoku sold for 0.10 BTC. ${SOURCE.canonicalUrl}`;

    // Act
    const version = finalizeVersion(candidate('x', text, ['shrunk once']), SOURCE, REQUEST);

    // Assess
    expect(version).toMatchObject({
      platform: 'x',
      text,
      count: 'A 16x16 Sudoku sold for 0.10 BTC. '.length + 23,
      limit: 280,
      unit: 'weighted-characters',
      warnings: ['shrunk once'],
    });
    expect(version.checks).toEqual([
      { name: 'facts', value: 0, limit: 0, ok: true },
      { name: 'banned-words', value: 0, limit: 0, ok: true },
    ]);
  });

  it('warns about every figure, ticker and link the source does not state', () => {
    // Act
    const version = finalizeVersion(
      candidate('linkedin', 'It sold near 42000 dollars; $ETH next, see https://pump.example.com. 0.10 BTC.'),
      SOURCE,
      REQUEST,
    );

    // Assess
    expect(version.warnings).toEqual([
      'introduces the number "42000", which the source does not state',
      'introduces the ticker "$ETH", which the source does not state',
      'introduces the link "https://pump.example.com", which the source does not state',
    ]);
    expect(version.checks.find((check) => check.name === 'facts')).toMatchObject({ value: 3, ok: false });
  });

  it('flags a banned word of the brand voice, whole words only, in any case', () => {
    // Prepare
    const request = { ...REQUEST, voice: { ...DEFAULT_BRAND_VOICE, bannedWords: ['moon', 'to the moon'] } };

    // Act
    const flagged = finalizeVersion(candidate('threads', 'BTC to the MOON.'), SOURCE, request);
    const clean = finalizeVersion(candidate('threads', 'Honeymoon is over.'), SOURCE, request);

    // Assess
    expect(flagged.warnings).toEqual(['uses the banned word "moon"', 'uses the banned word "to the moon"']);
    expect(flagged.checks.find((check) => check.name === 'banned-words')).toMatchObject({
      value: 2,
      ok: false,
    });
    expect(clean.warnings).toEqual([]);
  });
});

describe('finalizeVersion over a limit', () => {
  it('cuts X at a sentence boundary, keeps the closing link, and says what was cut', () => {
    // Prepare
    const body = Array.from({ length: 8 }, () => SENTENCE).join(' ');
    const text = `${body}\n\n${SOURCE.canonicalUrl}`;

    // Act
    const version = finalizeVersion(candidate('x', text), SOURCE, REQUEST);

    // Assess
    expect(version.count).toBeLessThanOrEqual(280);
    expect(version.text!.endsWith(`.\n\n${SOURCE.canonicalUrl}`)).toBe(true);
    const kept = version.text!.replace(`\n\n${SOURCE.canonicalUrl}`, '');
    expect(splitSentences(kept).every((sentence) => sentence === SENTENCE)).toBe(true);
    expect(version.warnings).toEqual([
      `cut at a sentence boundary: ${countIn(text, 'weighted-characters')} → ${version.count} weighted characters`,
    ]);
  });

  it('cuts at a word and adds "…" when not even one sentence fits', () => {
    // Prepare
    const text = `${'word '.repeat(80)}end.`;

    // Act
    const version = finalizeVersion(candidate('x', text), SOURCE, REQUEST);

    // Assess
    expect(version.text).toMatch(/^(word )+word…$/);
    expect(version.count).toBeLessThanOrEqual(280);
    expect(version.count).toBeGreaterThan(270);
    expect(version.warnings[0]).toMatch(
      /^cut at a word boundary with "…" \(not even one whole sentence fit\): 404 → \d+/,
    );
  });

  it('keeps Bluesky within its 3,000 bytes as well as its 300 graphemes', () => {
    // Prepare: 200 family emoji are 200 graphemes but 5,000 bytes.
    const text = Array.from({ length: 20 }, () => `${'👨‍👩‍👧‍👦'.repeat(10)}.`).join(' ');

    // Act
    const version = finalizeVersion(candidate('bluesky', text), SOURCE, REQUEST);

    // Assess
    expect(version.count).toBeLessThanOrEqual(300);
    expect(byteCount(version.text!)).toBeLessThanOrEqual(3000);
    expect(version.checks.find((check) => check.name === 'bytes')).toMatchObject({ limit: 3000, ok: true });
    expect(version.warnings[0]).toMatch(/characters \(\d+ → \d+ bytes\)$/);
  });

  it('removes Instagram hashtags over 5: a hashtags line loses them, a sentence keeps the word', () => {
    // Prepare
    const text = 'We love #bitcoin and #zkcp.\n\n#crypto #privacy #sudoku #proofs #bitcoincore #zk';

    // Act
    const version = finalizeVersion(candidate('instagram', text), SOURCE, REQUEST);

    // Assess
    expect(version.text).toBe('We love #bitcoin and #zkcp.\n\n#crypto #privacy #sudoku');
    expect(twitterText.extractHashtags(version.text!)).toHaveLength(5);
    expect(version.warnings).toEqual(["removed 3 hashtags over Instagram's 5: #proofs #bitcoincore #zk"]);
    expect(version.checks.find((check) => check.name === 'hashtags')).toMatchObject({ value: 5, ok: true });
  });

  it('cuts a video script over 160 words and flags one under 130', () => {
    // Act
    const long = finalizeVersion(
      candidate('video-script', Array(20).fill(SENTENCE).join(' ')),
      SOURCE,
      REQUEST,
    );
    const short = finalizeVersion(
      candidate('video-script', Array(5).fill(SENTENCE).join(' ')),
      SOURCE,
      REQUEST,
    );

    // Assess
    expect(wordCount(long.text!)).toBeLessThanOrEqual(160);
    expect(long.warnings[0]).toMatch(
      /^cut at a sentence boundary: \d+ → \d+ characters \(220 → 154 words\)$/,
    );
    expect(short.checks.find((check) => check.name === 'words')).toMatchObject({
      value: 55,
      minimum: 130,
      limit: 160,
      ok: false,
    });
    expect(short.warnings).toEqual(['55 words, outside the 130–160 the script needs']);
  });

  it('drops thread posts over 25, renumbers the rest and shortens a post over 280', () => {
    // Prepare
    const posts = Array.from({ length: 27 }, (_, index) => `${index + 1}/27 ${SENTENCE}`);
    posts[3] = `4/27 ${Array(8).fill(SENTENCE).join(' ')}`;

    // Act
    const version = finalizeVersion({ platform: 'x-thread', posts, warnings: [] }, SOURCE, REQUEST);

    // Assess
    expect(version.posts).toHaveLength(25);
    expect(version.posts![0]).toBe(`1/25 ${SENTENCE}`);
    expect(version.posts![24]).toBe(`25/25 ${SENTENCE}`);
    expect(version.posts![3]!.startsWith(`4/25 ${SENTENCE}`)).toBe(true);
    expect(version.count).toBeLessThanOrEqual(280);
    expect(version.warnings).toEqual([
      'dropped the last 2 posts: a thread on X has at most 25',
      expect.stringMatching(/^post 4: cut at a sentence boundary: \d+ → \d+ weighted characters$/),
    ]);
    expect(version.checks.find((check) => check.name === 'posts')).toMatchObject({
      value: 25,
      limit: 25,
      ok: true,
    });
    // Thread numbering is not a figure the source lacks.
    expect(version.checks.find((check) => check.name === 'facts')).toMatchObject({ ok: true });
  });

  it('honours an account’s overridden limit', () => {
    // Prepare
    const request = { ...REQUEST, limits: limitsWith({ mastodon: { limit: 100 } }) };

    // Act
    const version = finalizeVersion(
      candidate('mastodon', Array(5).fill(SENTENCE).join(' ')),
      SOURCE,
      request,
    );

    // Assess
    expect(version.limit).toBe(100);
    expect(version.text).toBe(SENTENCE);
  });
});

describe('measureVersion', () => {
  it('reports how far over the limit a candidate is and which checks fail, without changing it', () => {
    // Prepare
    const text = `${'a'.repeat(300)} 42000`;

    // Act
    const measure = measureVersion(candidate('x', text), SOURCE, REQUEST);

    // Assess
    expect(measure).toMatchObject({
      platform: 'x',
      count: 306,
      limit: 280,
      overBy: 26,
      unit: 'weighted-characters',
    });
    expect(measure.failing).toEqual(['length', 'facts']);
    expect(measure.introduced).toEqual([{ kind: 'number', value: '42000' }]);
  });

  it('reports a thread by its longest post and its post count', () => {
    // Act
    const measure = measureVersion(
      { platform: 'x-thread', posts: ['1/2 short', `2/2 ${'b'.repeat(290)}`], warnings: [] },
      SOURCE,
      REQUEST,
    );

    // Assess
    expect(measure.count).toBe(294);
    expect(measure.failing).toEqual(['length', 'posts']);
  });
});

describe('finalizeVersion never exceeds a limit (property)', () => {
  const word = fc.oneof(
    fc.constantFrom(
      'alpha',
      'Beta',
      'gamma',
      '日本',
      '🚀',
      '👨‍👩‍👧‍👦',
      'नि',
      'é',
      '#tag',
      '$BTC',
      '0.10',
      'a-b',
    ),
    fc.constantFrom('https://example.com/a/very/long/path/that/keeps/going', 'example.org', 'x'.repeat(120)),
    fc.string({ minLength: 1, maxLength: 12 }),
  );
  const sentence = fc
    .tuple(fc.array(word, { minLength: 1, maxLength: 40 }), fc.constantFrom('.', '!', '?', ''))
    .map(([words, end]) => `${words.join(' ')}${end}`);
  const text = fc
    .tuple(fc.array(sentence, { minLength: 1, maxLength: 60 }), fc.constantFrom(' ', '\n', '\n\n'))
    .map(([sentences, separator]) => sentences.join(separator));

  it('keeps every platform within its count, bytes, hashtags, words and posts', () => {
    fc.assert(
      fc.property(text, fc.array(text, { minLength: 1, maxLength: 30 }), (body, posts) => {
        for (const platform of PLATFORM_IDS) {
          const limits = REQUEST.limits[platform];
          const input: CandidateVersion =
            platform === 'x-thread'
              ? { platform, posts, warnings: [] }
              : { platform, text: body, warnings: [] };
          const version = finalizeVersion(input, SOURCE, REQUEST);
          const parts = version.posts ?? [version.text ?? ''];
          expect(version.count).toBeLessThanOrEqual(version.limit);
          for (const part of parts) {
            expect(countIn(part, limits.unit, limits)).toBeLessThanOrEqual(limits.limit);
            if (limits.maxBytes) expect(byteCount(part)).toBeLessThanOrEqual(limits.maxBytes);
            if (limits.maxHashtags) {
              expect(twitterText.extractHashtags(part).length).toBeLessThanOrEqual(limits.maxHashtags);
            }
            if (limits.words) expect(wordCount(part)).toBeLessThanOrEqual(limits.words.maximum);
          }
          if (limits.maxPosts) expect(parts.length).toBeLessThanOrEqual(limits.maxPosts);
        }
      }),
      { numRuns: 40 },
    );
  });
});
