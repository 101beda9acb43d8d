import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { PLATFORM_IDS, type PlatformVersion } from '@shared/content/model';
import { OfflineGenerator } from '@shared/content/offline';
import { MAX_CONTENT_BODY_BYTES } from '../../../events/catalog';
import { createContentGenerator } from '../../../functions/content-generate/app';
import { httpEvent, responseJson } from '../../support/sweep-functions';
import { ARTICLE, busEvent, type ContentHarness, openContentHarness } from './content-harness';

let harness: ContentHarness;

afterEach(() => harness.close());

const post = (body: unknown) =>
  httpEvent({ method: 'POST', path: '/content', routeKey: 'POST /content', body: JSON.stringify(body) });

const SWEEP_COMPLETED = { sweepId: 'sweep-7f3a', total: 40, done: 38, failed: 2 };
const STRATEGY_PROMOTED = {
  market: 'BTC/USDT',
  sweepId: 'sweep-7f3a',
  datasetHash: 'b1946ac92492d2347c6235b4d2611184',
  strategy: { name: 'sma-cross', identity: 'builtin:sma-cross@0.1.0' },
  params: { fast: 10, slow: 50 },
  engine: { cash: 10_000, commission: 0.001, spread: 0, slippageBps: 2, fractional: true, longOnly: true },
  objective: 'sharpe',
  walkForwardSettings: { mode: 'rolling', folds: 5, inSample: 0.7 },
  walkForward: { objective: 1.42, inSampleObjective: 1.9, ratio: 0.75, trades: 31 },
  reason: 'beats the current champion out of sample by 18%',
};

describe('content-generate POST /content', () => {
  beforeEach(() => {
    harness = openContentHarness();
  });

  it('stores a draft with a version per platform, each within its limit, and announces it', async () => {
    // Prepare
    const generator = createContentGenerator(harness.deps);

    // Act
    const response = await generator.http(
      post({ format: 'markdown', body: ARTICLE, origin: 'arbitrage.md' }),
    );

    // Assess
    expect(response.statusCode).toBe(201);
    const body = responseJson(response) as { created: boolean; draft: { id: string; status: string } };
    expect(body).toMatchObject({
      created: true,
      draft: { status: 'draft', origin: 'user', sourceRef: 'arbitrage.md', title: 'Introduction to filters' },
      links: { self: `/content/drafts/${body.draft.id}` },
    });
    const stored = await harness.drafts.get(body.draft.id);
    const versions = (stored!.content as unknown as { versions: PlatformVersion[] }).versions;
    expect(versions.map((version) => version.platform)).toEqual([...PLATFORM_IDS]);
    for (const version of versions)
      expect([version.platform, version.count <= version.limit]).toEqual([version.platform, true]);
    expect(harness.bus.ofType('DraftCreated')).toEqual([
      {
        source: 'flywheel',
        detailType: 'DraftCreated',
        detail: {
          draftId: body.draft.id,
          status: 'draft',
          origin: 'user',
          sourceRef: 'arbitrage.md',
          platforms: [...PLATFORM_IDS],
        },
      },
    ]);
    expect(harness.bus.ofType('DraftApproved')).toEqual([]);
    expect(harness.metrics.get('DraftsCreated')).toBe(1);
  });

  it('answers a repeated submission of the same piece with the same draft, generating nothing again', async () => {
    // Prepare
    const generator = createContentGenerator(harness.deps);
    const piece = { format: 'markdown', body: ARTICLE, platforms: ['x', 'linkedin'] };
    const first = responseJson(await generator.http(post(piece))) as { draft: { id: string } };

    // Act
    const again = await generator.http(post(piece));

    // Assess
    expect(again.statusCode).toBe(200);
    expect(responseJson(again)).toMatchObject({ created: false, draft: { id: first.draft.id } });
    expect(await harness.drafts.list()).toHaveLength(1);
    expect(harness.generated.count).toBe(1);
    expect(harness.bus.ofType('DraftCreated')).toHaveLength(1);
  });

  it('writes only the platforms asked for, in the tone asked for, with the request’s title', async () => {
    // Prepare
    const generator = createContentGenerator(harness.deps);

    // Act
    const response = await generator.http(
      post({
        format: 'markdown',
        body: ARTICLE,
        platforms: ['bluesky', 'x-thread'],
        tone: 'bold',
        title: 'Arbitrage in one pipe',
      }),
    );

    // Assess
    const { draft } = responseJson(response) as { draft: { id: string } };
    const content = (await harness.drafts.get(draft.id))?.content as unknown as {
      source: { tone: string; title: string };
      versions: PlatformVersion[];
    };
    expect(content.versions.map((version) => version.platform)).toEqual(['bluesky', 'x-thread']);
    expect(content.source).toMatchObject({ tone: 'bold', title: 'Arbitrage in one pipe' });
  });

  it('refuses a body without a format, an unknown platform or over the size limit, naming the field, storing nothing', async () => {
    // Prepare
    const generator = createContentGenerator(harness.deps);

    // Act
    const noFormat = await generator.http(post({ body: ARTICLE }));
    const unknownPlatform = await generator.http(
      post({ format: 'text', body: 'Hello', platforms: ['myspace'] }),
    );
    const tooLarge = await generator.http(
      post({ format: 'text', body: 'a'.repeat(MAX_CONTENT_BODY_BYTES + 1) }),
    );
    const notJson = await generator.http(
      httpEvent({ method: 'POST', path: '/content', routeKey: 'POST /content', body: '{"format":' }),
    );
    const blank = await generator.http(post({ format: 'text', body: '   \n ' }));

    // Assess
    expect([
      noFormat.statusCode,
      unknownPlatform.statusCode,
      tooLarge.statusCode,
      notJson.statusCode,
      blank.statusCode,
    ]).toEqual([400, 400, 400, 400, 400]);
    expect(responseJson(noFormat).error).toMatch(/- format: /);
    expect(responseJson(unknownPlatform).error).toMatch(/- platforms\.0: /);
    expect(responseJson(tooLarge).error).toMatch(/- body: the body is over 200 KB/);
    expect(responseJson(notJson).error).toMatch(/not valid JSON/);
    expect(responseJson(blank).error).toMatch(/empty/);
    expect(await harness.drafts.list()).toEqual([]);
    expect(harness.bus.events).toEqual([]);
  });
});

describe('content-generate approval', () => {
  it('approves a user’s draft at once when user approval is auto, and announces DraftApproved', async () => {
    // Prepare
    harness = openContentHarness({ settings: { approval: { user: 'auto' } } });
    const generator = createContentGenerator(harness.deps);

    // Act
    const response = await generator.http(post({ format: 'markdown', body: ARTICLE }));

    // Assess
    const { draft } = responseJson(response) as { draft: { id: string; status: string } };
    expect(draft.status).toBe('approved');
    expect(harness.bus.ofType('DraftApproved')).toEqual([
      { source: 'flywheel', detailType: 'DraftApproved', detail: { draftId: draft.id } },
    ]);
  });

  it('keeps system insights waiting for approval while only user approval is auto', async () => {
    // Prepare
    harness = openContentHarness({ settings: { approval: { user: 'auto' } } });
    const generator = createContentGenerator(harness.deps);

    // Act
    const result = await generator.handle(busEvent('StrategyPromoted', STRATEGY_PROMOTED));

    // Assess
    expect(result?.draft).toMatchObject({
      status: 'draft',
      origin: 'system',
      sourceRef: 'StrategyPromoted BTC/USDT sweep-7f3a',
    });
    expect(harness.bus.ofType('DraftApproved')).toEqual([]);
  });
});

describe('content-generate events', () => {
  beforeEach(() => {
    harness = openContentHarness();
  });

  it('turns SweepCompleted into one system draft, however often the event is delivered', async () => {
    // Prepare
    const generator = createContentGenerator(harness.deps);
    const event = busEvent('SweepCompleted', SWEEP_COMPLETED);

    // Act
    const first = await generator.handle(event);
    const redelivered = await generator.handle(event);

    // Assess
    expect(first).toMatchObject({
      created: true,
      draft: { origin: 'system', status: 'draft', sourceRef: 'SweepCompleted sweep-7f3a' },
    });
    expect(redelivered).toMatchObject({ created: false, draft: { id: first?.draft.id } });
    expect(await harness.drafts.list()).toHaveLength(1);
    expect(harness.generated.count).toBe(1);
    const text = JSON.stringify(first?.draft.content);
    expect(text).toContain('38');
  });

  it('turns ContentSubmitted into a user draft named by the event', async () => {
    // Prepare
    const generator = createContentGenerator(harness.deps);

    // Act
    const result = await generator.handle(
      busEvent(
        'ContentSubmitted',
        {
          format: 'text',
          body: 'Short and plain.\n\nTwo paragraphs of text about spreads.',
          platforms: ['x'],
        },
        'evt-42',
      ),
    );

    // Assess
    expect(result?.draft).toMatchObject({
      origin: 'user',
      sourceRef: 'ContentSubmitted evt-42',
      status: 'draft',
    });
  });

  it('rejects an insight whose detail does not match the catalog, naming the field', async () => {
    // Prepare
    const generator = createContentGenerator(harness.deps);

    // Act
    const attempt = generator.handle(busEvent('SweepCompleted', { sweepId: 'sweep-1', total: 'forty' }));

    // Assess
    await expect(attempt).rejects.toThrow(/- total: /);
    expect(await harness.drafts.list()).toEqual([]);
  });

  it('records the language model’s tokens and cost for the draft', async () => {
    // Prepare
    harness.close();
    harness = openContentHarness({
      generator: () => {
        const offline = new OfflineGenerator();
        return {
          generate: (source, request) => offline.generate(source, request),
          report: () => ({
            name: 'openai',
            model: 'gpt-4.1-mini',
            usage: { inputTokens: 5200, outputTokens: 1400 },
            costUsd: 0.0043,
          }),
        };
      },
    });
    const generator = createContentGenerator(harness.deps);

    // Act
    await generator.handle(busEvent('SweepCompleted', SWEEP_COMPLETED));

    // Assess
    expect(harness.metrics.get('LanguageModelInputTokens')).toBe(5200);
    expect(harness.metrics.get('LanguageModelOutputTokens')).toBe(1400);
    expect(harness.metrics.get('LanguageModelCost')).toBeCloseTo(0.0043);
  });
});
