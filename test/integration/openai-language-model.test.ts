import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  languageModelFromEnv,
  OpenAiConfigError,
  OpenAiLanguageModel,
  type OpenAiLanguageModelOptions,
} from '@shared/adapters/openai/openai-language-model';
import { costUsd, modelPrice } from '@shared/adapters/openai/prices';
import { LlmGenerator } from '@shared/content/llm/llm-generator';
import type { ContentSource } from '@shared/content/model';
import { repurpose } from '@shared/content/repurpose';
import { LanguageModelError, type StructuredRequest } from '@shared/ports/language-model';
import { z } from 'zod';
import { type ChatRequestBody, FakeOpenAi } from '../support/fake-openai';

const Headline = z.object({ headline: z.string(), tickers: z.array(z.string()) });

const request: StructuredRequest<z.infer<typeof Headline>> = {
  system: 'You write headlines.',
  messages: [{ role: 'user', content: 'BTC rose 4.2% on 2026-03-01.' }],
  schema: Headline,
  schemaName: 'headline',
};

describe('OpenAiLanguageModel against a Chat Completions server on 127.0.0.1', () => {
  const server = new FakeOpenAi();

  beforeAll(async () => {
    await server.start();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  function model(options: Partial<OpenAiLanguageModelOptions> = {}): OpenAiLanguageModel {
    return new OpenAiLanguageModel({ apiKey: server.apiKey, baseURL: server.url, ...options });
  }

  /** The rejection of a promise, which must reject. */
  async function failure(promise: Promise<unknown>): Promise<Error> {
    const outcome = await promise.then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    if (!outcome) throw new Error('expected the call to fail');
    return outcome;
  }

  it('sends a strict json_schema request and returns the parsed answer with its usage', async () => {
    // Prepare
    server.respond({
      kind: 'json',
      value: { headline: 'BTC up 4.2%', tickers: ['BTC'] },
      usage: { prompt_tokens: 321, completion_tokens: 45 },
      model: 'gpt-4.1-mini-2025-04-14',
    });

    // Act
    const answer = await model().complete(request);

    // Assess
    expect(answer).toEqual({
      value: { headline: 'BTC up 4.2%', tickers: ['BTC'] },
      usage: { inputTokens: 321, outputTokens: 45 },
      model: 'gpt-4.1-mini-2025-04-14',
    });
    const sent = server.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(sent.body.model).toBe('gpt-4.1-mini');
    expect(sent.body.messages).toEqual([
      { role: 'system', content: 'You write headlines.' },
      { role: 'user', content: 'BTC rose 4.2% on 2026-03-01.' },
    ]);
    expect(sent.body.response_format.json_schema).toMatchObject({
      name: 'headline',
      strict: true,
      schema: { type: 'object', required: ['headline', 'tickers'], additionalProperties: false },
    });
  });

  it('uses the configured model name', async () => {
    server.respond({ kind: 'json', value: { headline: 'h', tickers: [] } });

    const answer = await model({ model: 'gpt-4o-mini' }).complete(request);

    expect(server.requests[0]!.body.model).toBe('gpt-4o-mini');
    expect(answer.model).toBe('gpt-4o-mini');
  });

  it('rides out a 429 with Retry-After through the client’s own retry', async () => {
    server.respond(
      { kind: 'status', status: 429, message: 'Rate limit reached for requests', retryAfter: 0 },
      { kind: 'json', value: { headline: 'after the wait', tickers: [] } },
    );

    const answer = await model().complete(request);

    expect(answer.value.headline).toBe('after the wait');
    expect(server.requests).toHaveLength(2);
  });

  it('says it is rate limited after the retries run out', async () => {
    const limited = {
      kind: 'status',
      status: 429,
      message: 'Rate limit reached for requests',
      retryAfter: 0,
    } as const;
    server.respond(limited, limited, limited);

    const error = await failure(model({ maxRetries: 2 }).complete(request));

    expect(error).toBeInstanceOf(LanguageModelError);
    expect(error.message).toMatch(
      /rate limiting requests \(429\) after 3 attempts: Rate limit reached for requests/,
    );
    expect(server.requests).toHaveLength(3);
  });

  it('says how to add credit when the quota is used up', async () => {
    server.respond({
      kind: 'status',
      status: 429,
      code: 'insufficient_quota',
      message: 'You exceeded your quota',
    });

    const error = await failure(model({ maxRetries: 0 }).complete(request));

    expect(error.message).toMatch(/out of quota .*billing/);
  });

  it('says the key is wrong on a 401, without repeating the key, and does not retry', async () => {
    const wrongKey = 'sk-proj-WRONGwrongWRONG0123456789';

    const error = await failure(model({ apiKey: wrongKey }).complete(request));

    expect(error).toBeInstanceOf(LanguageModelError);
    expect(error.message).toMatch(/rejected the API key \(401\)\. Set OPENAI_API_KEY/);
    expect(error.message).not.toContain(wrongKey);
    expect(error.message).not.toContain('WRONG');
    expect(server.requests).toHaveLength(0);
  });

  it('names the model when the server does not know it', async () => {
    server.respond({
      kind: 'status',
      status: 404,
      code: 'model_not_found',
      message: 'The model `gpt-9` does not exist',
    });

    const error = await failure(model({ model: 'gpt-9' }).complete(request));

    expect(error.message).toMatch(/has no model "gpt-9" \(404\).*FLYWHEEL_OPENAI_MODEL/);
  });

  it('gives up after the timeout on every attempt', async () => {
    server.respond({ kind: 'hang', ms: 5_000 }, { kind: 'hang', ms: 5_000 });
    // Jest's sandbox has its own Error: fetch's AbortError comes from Node's, and the client's instanceof check
    // would miss it (outside Jest it does not). Rethrow it from this realm, as plain Node would see it.
    const sameRealmFetch: typeof fetch = (input, init) =>
      fetch(input, init).catch((cause: { name: string; message: string }) => {
        throw Object.assign(new Error(cause.message), { name: cause.name });
      });

    const started = Date.now();
    const error = await failure(
      model({ timeoutMs: 300, maxRetries: 1, fetch: sameRealmFetch }).complete(request),
    );

    expect(error).toBeInstanceOf(LanguageModelError);
    expect(error.message).toMatch(/did not answer within 0\.3 s \(2 attempts\)/);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('reports a refusal with the model’s words', async () => {
    server.respond({ kind: 'refusal', refusal: "I'm sorry, I can't help with that." });

    const error = await failure(model().complete(request));

    expect(error).toBeInstanceOf(LanguageModelError);
    expect(error.message).toMatch(/refused to write "headline": I'm sorry, I can't help with that\./);
  });

  it('reports an answer that is not JSON', async () => {
    server.respond({ kind: 'content', content: '{"headline": "cut off' });

    const error = await failure(model().complete(request));

    expect(error).toBeInstanceOf(LanguageModelError);
    expect(error.message).toMatch(/answer is not valid "headline" JSON/);
  });

  it('reports JSON of the wrong shape, naming the field', async () => {
    server.respond({ kind: 'content', content: JSON.stringify({ headline: 42, tickers: [] }) });

    const error = await failure(model().complete(request));

    expect(error.message).toMatch(/not valid "headline" JSON \(headline: .*expected string/i);
  });

  it('reports an answer cut off at the token limit', async () => {
    server.respond({ kind: 'content', content: '{"headline": "', finishReason: 'length' });

    const error = await failure(model().complete(request));

    expect(error.message).toMatch(/ran out of output tokens/);
  });

  it('reports a server error after its retries', async () => {
    const broken = {
      kind: 'status',
      status: 500,
      message: 'The server had an error',
      retryAfter: 0,
    } as const;
    server.respond(broken, broken);

    const error = await failure(model({ maxRetries: 1 }).complete(request));

    expect(error.message).toMatch(/failed \(500\) after 2 attempts: The server had an error/);
  });

  it('says where it could not connect', async () => {
    const error = await failure(model({ baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 }).complete(request));

    expect(error.message).toMatch(
      /Could not reach the server at http:\/\/127\.0\.0\.1:9\/v1.*OPENAI_BASE_URL/,
    );
  });

  it('sends through an injected fetch', async () => {
    server.respond({ kind: 'json', value: { headline: 'h', tickers: [] } });
    const seen: string[] = [];
    const counting: typeof fetch = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };

    await model({ fetch: counting }).complete(request);

    expect(seen).toEqual([`${server.url}/chat/completions`]);
  });

  describe('languageModelFromEnv', () => {
    it('is undefined without OPENAI_API_KEY, so the offline generator applies', () => {
      expect(languageModelFromEnv({})).toBeUndefined();
      expect(
        languageModelFromEnv({ OPENAI_API_KEY: '  ', FLYWHEEL_OPENAI_MODEL: 'gpt-4.1' }),
      ).toBeUndefined();
    });

    it('builds a model from the key, base URL and model name', async () => {
      server.respond({ kind: 'json', value: { headline: 'from env', tickers: [] } });

      const fromEnv = languageModelFromEnv({
        OPENAI_API_KEY: server.apiKey,
        OPENAI_BASE_URL: `${server.url}/`,
        FLYWHEEL_OPENAI_MODEL: 'gpt-4.1-nano',
      });
      const answer = await fromEnv!.complete(request);

      expect(fromEnv!.model).toBe('gpt-4.1-nano');
      expect(answer.value.headline).toBe('from env');
      expect(server.requests[0]!.body.model).toBe('gpt-4.1-nano');
    });

    it('defaults to gpt-4.1-mini', () => {
      expect(languageModelFromEnv({ OPENAI_API_KEY: 'sk-x' })!.model).toBe('gpt-4.1-mini');
    });

    it('names the variable that is invalid', () => {
      expect(() =>
        languageModelFromEnv({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'localhost:8080' }),
      ).toThrow(OpenAiConfigError);
      expect(() =>
        languageModelFromEnv({ OPENAI_API_KEY: 'sk-x', FLYWHEEL_OPENAI_TIMEOUT_MS: 'soon' }),
      ).toThrow(/FLYWHEEL_OPENAI_TIMEOUT_MS/);
    });
  });
});

describe('LlmGenerator through the OpenAI adapter', () => {
  const server = new FakeOpenAi();

  beforeAll(async () => {
    await server.start();
  });
  afterAll(() => server.close());

  it('repurposes a piece into checked versions, one strict request per platform, with usage and cost', async () => {
    // Prepare
    const source: ContentSource = {
      kind: 'markdown',
      title: 'Fees decide mean reversion',
      canonicalUrl: 'https://blog.example.com/fees',
      tags: ['backtesting'],
      tone: null,
      blocks: [
        { type: 'paragraph', text: 'A 20-day reversion on BTC/USDT returned 41.3% before 0.1% fees.' },
      ],
      links: [],
    };
    const answers: Record<string, unknown> = {
      x_version: {
        text: 'BTC/USDT reversion returned 41.3% before 0.1% fees. https://blog.example.com/fees',
      },
      'x-thread_version': { posts: ['1/2 A 20-day reversion returned 41.3%.', '2/2 Fees decide it.'] },
      linkedin_version: { text: 'Fees decide mean reversion.\n\nhttps://blog.example.com/fees' },
    };
    server.respond(
      ...['x', 'x-thread', 'linkedin'].map(() => ({
        kind: 'json' as const,
        value: (body: ChatRequestBody) => answers[body.response_format.json_schema.name],
        usage: { prompt_tokens: 500, completion_tokens: 60 },
        model: 'gpt-4.1-mini-2025-04-14',
      })),
    );
    const model = new OpenAiLanguageModel({ apiKey: server.apiKey, baseURL: server.url });
    const generator = new LlmGenerator(model, { priceOf: modelPrice });

    // Act
    const result = await repurpose(source, { platforms: ['x', 'x-thread', 'linkedin'] }, generator);

    // Assess
    expect(result.versions.map((version) => version.text ?? version.posts)).toEqual([
      (answers.x_version as { text: string }).text,
      (answers['x-thread_version'] as { posts: string[] }).posts,
      (answers.linkedin_version as { text: string }).text,
    ]);
    expect(result.versions.every((version) => version.count <= version.limit)).toBe(true);
    expect(server.requests.map((request) => request.body.response_format.json_schema.name).sort()).toEqual([
      'linkedin_version',
      'x-thread_version',
      'x_version',
    ]);
    expect(result.generator).toEqual({
      name: 'openai',
      model: 'gpt-4.1-mini-2025-04-14',
      usage: { inputTokens: 1500, outputTokens: 180 },
      costUsd: expect.closeTo((1500 * 0.4 + 180 * 1.6) / 1e6, 12),
    });
  });
});

describe('modelPrice', () => {
  it('prices a model by name or dated snapshot, and not an unknown one', () => {
    expect(modelPrice('gpt-4.1-mini')).toEqual({ inputUsdPerMillion: 0.4, outputUsdPerMillion: 1.6 });
    expect(modelPrice('gpt-4.1-mini-2025-04-14')).toEqual(modelPrice('gpt-4.1-mini'));
    expect(modelPrice('llama3.1:8b')).toBeUndefined();
    expect(modelPrice('constructor')).toBeUndefined();
  });

  it('costs tokens at the price', () => {
    expect(
      costUsd(modelPrice('gpt-4.1-mini')!, { inputTokens: 1_000_000, outputTokens: 500_000 }),
    ).toBeCloseTo(1.2);
  });
});
