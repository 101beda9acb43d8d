import { describe, expect, it, jest } from '@jest/globals';
import type { CandidateVersion, GenerationRequest, VersionGenerator } from '@shared/content/generator';
import { limitsWith } from '@shared/content/limits';
import { LlmGenerator } from '@shared/content/llm/llm-generator';
import { type ContentSource, DEFAULT_BRAND_VOICE, type PlatformId } from '@shared/content/model';
import { LanguageModelError } from '@shared/ports/language-model';
import { ScriptedModel, type ScriptedReply } from './scripted-model';

const source: ContentSource = {
  kind: 'markdown',
  title: 'Mean reversion on BTC/USDT, 2019–2024',
  canonicalUrl: 'https://blog.example.com/mean-reversion',
  tags: ['backtesting', 'crypto'],
  tone: null,
  blocks: [
    { type: 'heading', level: 2, text: 'What we tested' },
    {
      type: 'paragraph',
      text: 'A 20-day Bollinger reversion on BTC/USDT returned 41.3% with a 12.8% drawdown.',
    },
    { type: 'list-item', text: 'Sharpe 1.42 after 0.1% fees.' },
    { type: 'quote', text: 'Fees decide most of it.' },
  ],
  links: ['https://github.com/example/flywheel'],
};

function requestFor(platforms: PlatformId[], overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return { platforms, tone: 'analytical', voice: DEFAULT_BRAND_VOICE, limits: limitsWith(), ...overrides };
}

const FITS: Record<string, unknown> = {
  x_version: {
    text: 'BTC/USDT mean reversion: 41.3% with a 12.8% drawdown. https://blog.example.com/mean-reversion',
  },
  'x-thread_version': {
    posts: ['A 20-day reversion on BTC/USDT returned 41.3%.', 'Fees decide most of it.'],
  },
  linkedin_version: { text: 'We tested a 20-day reversion on BTC/USDT.\n\nIt returned 41.3%.' },
  bluesky_version: { text: 'Mean reversion on BTC/USDT returned 41.3%.' },
};

/** Answers every platform with a version that fits. */
function fitting(request: { schemaName: string }): ScriptedReply {
  return { value: FITS[request.schemaName] ?? { text: 'A 20-day reversion returned 41.3%.' } };
}

/** A LinkedIn text of exactly `length` code points, built from the source's own words. */
function linkedInText(length: number): string {
  const sentence = 'Fees decide most of it. ';
  return sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length - 1) + '.';
}

function userMessages(request: { messages: readonly { role: string; content: string }[] }): string[] {
  return request.messages.filter((message) => message.role === 'user').map((message) => message.content);
}

describe('LlmGenerator', () => {
  it('writes each requested platform with the model, in the order asked', async () => {
    // Prepare
    const model = new ScriptedModel(fitting);
    const generator = new LlmGenerator(model);

    // Act
    const candidates = await generator.generate(source, requestFor(['x', 'x-thread', 'linkedin']));

    // Assess
    expect(candidates).toEqual([
      { platform: 'x', text: (FITS.x_version as { text: string }).text, warnings: [] },
      { platform: 'x-thread', posts: (FITS['x-thread_version'] as { posts: string[] }).posts, warnings: [] },
      { platform: 'linkedin', text: (FITS.linkedin_version as { text: string }).text, warnings: [] },
    ]);
    expect(model.requests.map((request) => request.schemaName).sort()).toEqual([
      'linkedin_version',
      'x-thread_version',
      'x_version',
    ]);
  });

  describe('prompts', () => {
    it('carry each platform’s limit in its own unit, the second limits, and the account’s overrides', async () => {
      const model = new ScriptedModel(fitting);
      const limits = limitsWith({ x: { limit: 25_000 } });

      await new LlmGenerator(model).generate(
        source,
        requestFor(['x', 'x-thread', 'linkedin', 'bluesky', 'instagram', 'mastodon', 'video-script'], {
          limits,
        }),
      );

      const task = (platform: string) => userMessages(model.requestsFor(platform)[0]!)[0]!;
      expect(task('x')).toMatch(/at most 25,000 weighted characters as X counts them \(every URL counts 23/);
      expect(task('x-thread')).toMatch(/Each post: at most 280 weighted characters/);
      expect(task('x-thread')).toMatch(/Posts: from 2 to 25\./);
      expect(task('x-thread')).toMatch(/Start each post with its place as "1\/5 "/);
      expect(task('linkedin')).toMatch(/at most 3,000 characters \(Unicode code points/);
      expect(task('bluesky')).toMatch(/at most 300 characters as a reader sees them/);
      expect(task('bluesky')).toMatch(/at most 3,000 bytes in UTF-8/);
      expect(task('instagram')).toMatch(/Hashtags: at most 5\./);
      expect(task('instagram')).toMatch(/link in bio/);
      expect(task('mastodon')).toMatch(/every URL counts 23, whatever its length/);
      expect(task('video-script')).toMatch(/between 130 and 160 spoken words/);
    });

    it('carry the tone, the brand voice and the rule to copy numbers, tickers and links exactly', async () => {
      const model = new ScriptedModel(fitting);
      const voice = {
        bannedWords: ['moon', 'guaranteed'],
        signature: '— The Flywheel desk',
        emoji: 'none' as const,
      };

      await new LlmGenerator(model).generate(source, requestFor(['linkedin'], { tone: 'bold', voice }));

      const system = model.requests[0]!.system;
      expect(system).toMatch(/Tone — bold:/);
      expect(system).toMatch(/Never use these words.*"moon", "guaranteed"/);
      expect(system).toMatch(/Use no emoji at all\./);
      expect(system).toMatch(
        /Copy every number, percentage, price, date, ticker .* and link exactly as the source writes it/,
      );
      expect(system).toMatch(/never introduce a number, ticker or link the source does not contain/);
    });

    it('send the source as text: title, canonical URL, tags, links and blocks', async () => {
      const model = new ScriptedModel(fitting);

      await new LlmGenerator(model).generate(source, requestFor(['x']));

      const message = userMessages(model.requests[0]!)[0]!;
      expect(message).toContain('Title: Mean reversion on BTC/USDT, 2019–2024');
      expect(message).toContain('Canonical URL: https://blog.example.com/mean-reversion');
      expect(message).toContain('Tags: backtesting, crypto');
      expect(message).toContain('Links in the source: https://github.com/example/flywheel');
      expect(message).toContain('## What we tested');
      expect(message).toContain('- Sharpe 1.42 after 0.1% fees.');
      expect(message).toContain('> Fees decide most of it.');
    });

    it('are the same up to the platform task, so the server can cache the prefix', async () => {
      const model = new ScriptedModel(fitting);

      await new LlmGenerator(model).generate(source, requestFor(['x', 'linkedin']));

      const [first, second] = model.requests.map((request) => userMessages(request)[0]!);
      const prefix = first!.slice(0, first!.indexOf('</source>'));
      expect(second!.startsWith(prefix)).toBe(true);
      expect(model.requests[0]!.system).toBe(model.requests[1]!.system);
    });
  });

  describe('shrinking', () => {
    it('sends an over-limit version back with the overshoot, and keeps the answer that fits', async () => {
      // Prepare
      const long = linkedInText(3412);
      const short = linkedInText(2600);
      const model = new ScriptedModel((_request, turn) => ({ value: { text: turn === 0 ? long : short } }));

      // Act
      const [candidate] = await new LlmGenerator(model).generate(source, requestFor(['linkedin']));

      // Assess
      expect(candidate).toEqual({
        platform: 'linkedin',
        text: short,
        warnings: ['shrunk by the model: 1 retry'],
      });
      expect(model.requests).toHaveLength(2);
      expect(model.requests[0]!.messages).toHaveLength(1);
      const retry = model.requests[1]!;
      expect(retry.messages[1]).toEqual({ role: 'assistant', content: JSON.stringify({ text: long }) });
      expect(userMessages(retry)[1]).toMatch(
        /Your LinkedIn post is 3,412 code points long; the limit is 3,000\. Shorten it by at least 412 code points/,
      );
      expect(userMessages(retry)[1]).toMatch(/keep .* every number, ticker and link exactly as written/);
    });

    it('stops after the retries it is allowed and leaves the rest to finalize, saying so', async () => {
      const model = new ScriptedModel((_request, turn) => ({
        value: { text: linkedInText(3300 - turn * 100) },
      }));

      const [candidate] = await new LlmGenerator(model, { maxShrinkRetries: 2 }).generate(
        source,
        requestFor(['linkedin']),
      );

      expect(model.requests).toHaveLength(3);
      expect(candidate!.text).toBe(linkedInText(3100));
      expect(candidate!.warnings).toEqual([
        'shrunk by the model: 2 retries',
        'still over the limit after the model’s shrinking: 3,100 of 3,000 code points',
      ]);
    });

    it('does not retry when retries are off', async () => {
      const model = new ScriptedModel(() => ({ value: { text: linkedInText(3300) } }));

      const [candidate] = await new LlmGenerator(model, { maxShrinkRetries: 0 }).generate(
        source,
        requestFor(['linkedin']),
      );

      expect(model.requests).toHaveLength(1);
      expect(candidate!.warnings).toEqual([]);
    });

    it('names the thread posts that are too long', async () => {
      const tooLong = 'Fees decide most of it. '.repeat(14).trim();
      const model = new ScriptedModel((_request, turn) => ({
        value: {
          posts: turn === 0 ? ['A 20-day reversion returned 41.3%.', tooLong] : ['Fees decide most of it.'],
        },
      }));

      const [candidate] = await new LlmGenerator(model).generate(source, requestFor(['x-thread']));

      expect(userMessages(model.requests[1]!)[1]).toMatch(
        /Your X \(Twitter\) thread's post 2 is 335 weighted characters long; the limit is 280\. Shorten it by at least 55/,
      );
      expect(candidate).toEqual({
        platform: 'x-thread',
        posts: ['Fees decide most of it.'],
        warnings: ['shrunk by the model: 1 retry'],
      });
    });

    it('asks a video script over its words, and a thread over its posts, to shrink', async () => {
      const script = Array.from({ length: 190 }, () => 'fees').join(' ');
      const thread = Array.from({ length: 30 }, (_, index) => `${index + 1}/30 Fees decide most of it.`);
      const model = new ScriptedModel((request, turn) =>
        request.schemaName === 'video-script_version'
          ? { value: { text: turn === 0 ? script : 'Fees decide most of it.' } }
          : { value: { posts: turn === 0 ? thread : thread.slice(0, 5) } },
      );

      await new LlmGenerator(model).generate(source, requestFor(['video-script', 'x-thread']));

      expect(userMessages(model.requestsFor('video-script')[1]!)[1]).toMatch(
        /Your short video script .* is 190 words long; the limit is 160\. Shorten it by at least 30 words/,
      );
      expect(userMessages(model.requestsFor('x-thread')[1]!)[1]).toMatch(
        /Your X \(Twitter\) thread has 30 posts; the limit is 25\. Remove at least 5\./,
      );
    });

    it('keeps the first answer when the shrink request fails', async () => {
      const long = linkedInText(3200);
      const model = new ScriptedModel((_request, turn) =>
        turn === 0 ? { value: { text: long } } : { error: 'The server is overloaded (503).' },
      );

      const [candidate] = await new LlmGenerator(model).generate(source, requestFor(['linkedin']));

      expect(candidate!.text).toBe(long);
      expect(candidate!.warnings).toEqual(['the model could not shrink it: The server is overloaded (503).']);
    });
  });

  describe('brand voice', () => {
    it('appends the signature where it fits and drops sentences with a banned word', async () => {
      const model = new ScriptedModel(() => ({
        value: { text: 'Fees decide most of it. This one will moon. It returned 41.3%.' },
      }));
      const voice = { bannedWords: ['moon'], signature: '— The Flywheel desk', emoji: 'none' as const };

      const [candidate] = await new LlmGenerator(model).generate(source, requestFor(['threads'], { voice }));

      expect(candidate).toEqual({
        platform: 'threads',
        text: 'Fees decide most of it. It returned 41.3%.\n\n— The Flywheel desk',
        warnings: ['dropped a sentence using the banned word "moon"'],
      });
    });

    it('leaves the signature out of a version it would push over the limit, and signs a thread’s last post', async () => {
      const full = 'Fees decide most of it. '.repeat(11).trim();
      const model = new ScriptedModel((request) =>
        request.schemaName === 'x_version'
          ? { value: { text: full } }
          : {
              value: { posts: ['1/2 A 20-day reversion returned 41.3% 🚀', '2/2 Fees decide most of it 🚀'] },
            },
      );
      const voice = { bannedWords: [], signature: '— The Flywheel desk', emoji: 'minimal' as const };

      const [x, thread] = await new LlmGenerator(model).generate(
        source,
        requestFor(['x', 'x-thread'], { voice }),
      );

      expect(x).toEqual({
        platform: 'x',
        text: full,
        warnings: ['left the signature out: it does not fit within the limit'],
      });
      expect(thread!.posts).toEqual([
        '1/2 A 20-day reversion returned 41.3% 🚀',
        '2/2 Fees decide most of it\n\n— The Flywheel desk',
      ]);
    });
  });

  describe('usage and cost', () => {
    it('sums the tokens of every request, shrinks included, and prices them', async () => {
      // Prepare
      const model = new ScriptedModel((request, turn) =>
        request.schemaName === 'linkedin_version' && turn === 0
          ? { value: { text: linkedInText(3100) }, usage: { inputTokens: 2000, outputTokens: 800 } }
          : { ...(fitting(request) as { value: unknown }), usage: { inputTokens: 1000, outputTokens: 100 } },
      );
      const onUsage = jest.fn();
      const generator = new LlmGenerator(model, {
        priceOf: (name) =>
          name === 'gpt-4.1-mini' ? { inputUsdPerMillion: 0.4, outputUsdPerMillion: 1.6 } : undefined,
        onUsage,
      });

      // Act
      await generator.generate(source, requestFor(['x', 'linkedin']));

      // Assess: x (1000/100), linkedin (2000/800) and its shrink (1000/100).
      const report = generator.report();
      expect(report).toMatchObject({
        name: 'openai',
        model: 'gpt-4.1-mini',
        usage: { inputTokens: 4000, outputTokens: 1000 },
      });
      expect(report.costUsd).toBeCloseTo((4000 * 0.4 + 1000 * 1.6) / 1e6, 12);
      expect(onUsage).toHaveBeenCalledTimes(1);
      expect(onUsage).toHaveBeenCalledWith(
        { inputTokens: 4000, outputTokens: 1000 },
        'gpt-4.1-mini',
        report.costUsd,
      );
    });

    it('reports no cost for a model without a price, and the model the server named', async () => {
      const model = new ScriptedModel(() => ({
        value: { text: 'A 20-day reversion returned 41.3%.' },
        model: 'llama3.1:8b',
      }));
      const generator = new LlmGenerator(model, { priceOf: () => undefined });

      await generator.generate(source, requestFor(['threads']));

      expect(generator.report()).toEqual({
        name: 'openai',
        model: 'llama3.1:8b',
        usage: { inputTokens: 1000, outputTokens: 200 },
      });
    });

    it('reports the configured model and no usage before any request', () => {
      expect(new LlmGenerator(new ScriptedModel(fitting, 'gpt-4.1')).report()).toEqual({
        name: 'openai',
        model: 'gpt-4.1',
        usage: { inputTokens: 0, outputTokens: 0 },
      });
    });
  });

  describe('when the model fails on a platform', () => {
    const refusing = (request: { schemaName: string }): ScriptedReply =>
      request.schemaName === 'linkedin_version'
        ? { error: 'gpt-4.1-mini refused to write "linkedin_version".' }
        : fitting(request);

    it('fails the piece, naming the platform, and still counts what was used', async () => {
      const model = new ScriptedModel(refusing);
      const generator = new LlmGenerator(model);

      const outcome = generator.generate(source, requestFor(['x', 'linkedin']));

      await expect(outcome).rejects.toThrow(LanguageModelError);
      await expect(outcome).rejects.toThrow(/could not write linkedin: gpt-4\.1-mini refused/);
      expect(generator.report().usage).toEqual({ inputTokens: 1000, outputTokens: 200 });
    });

    it('has the fallback generator write that platform, with a warning', async () => {
      const model = new ScriptedModel(refusing);
      const offline: VersionGenerator = {
        generate: async (_source, request) =>
          request.platforms.map(
            (platform): CandidateVersion => ({ platform, text: 'Fees decide most of it.', warnings: [] }),
          ),
        report: () => ({ name: 'offline' }),
      };

      const candidates = await new LlmGenerator(model, { fallback: offline }).generate(
        source,
        requestFor(['x', 'linkedin']),
      );

      expect(candidates.map((candidate) => candidate.platform)).toEqual(['x', 'linkedin']);
      expect(candidates[1]).toEqual({
        platform: 'linkedin',
        text: 'Fees decide most of it.',
        warnings: ['written by the offline generator: gpt-4.1-mini refused to write "linkedin_version".'],
      });
    });
  });
});
