import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { BlueskyPublisher, linkFacets, recordKeyFor } from '@shared/adapters/publish/bluesky';
import { DiscordWebhookPublisher } from '@shared/adapters/publish/discord';
import { MastodonPublisher } from '@shared/adapters/publish/mastodon';
import { SlackWebhookPublisher } from '@shared/adapters/publish/slack';
import { TelegramBotPublisher } from '@shared/adapters/publish/telegram';
import { publishVersion } from '@shared/content/publish';
import { type Publication, PublishError } from '@shared/ports/publisher';
import { FakeBluesky, FakeDiscord, FakeMastodon, FakeSlack, FakeTelegram } from '../support/fake-platforms';
import { MemoryPublicationLog } from '../support/memory-publication-log';

const NOW = Date.parse('2025-03-14T09:30:00Z');

const publication = (overrides: Partial<Publication> = {}): Publication => ({
  draftId: 'draft-42',
  platform: 'discord',
  text: 'BTC momentum held up out of sample: Sharpe 1.4 over 18 months. Notes: https://flywheel.example/notes/btc',
  idempotencyKey: 'draft-42/discord',
  ...overrides,
});

/** The PublishError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<PublishError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PublishError);
    return error as PublishError;
  }
  throw new Error('expected a PublishError');
}

describe('DiscordWebhookPublisher against a loopback Discord', () => {
  let discord: FakeDiscord;
  let publisher: DiscordWebhookPublisher;

  beforeAll(async () => {
    discord = await new FakeDiscord(undefined, undefined, '1180000000000000009').start();
    publisher = new DiscordWebhookPublisher({ webhookUrl: discord.webhookUrl, now: () => NOW });
  });
  afterAll(() => discord.close());
  beforeEach(() => discord.reset());

  it('executes the webhook with wait=true and answers with the message Discord created', async () => {
    const receipt = await publisher.publish(publication({ text: 'Ping @everyone: the sweep finished.' }));

    expect(discord.violations).toEqual([]);
    const [request] = discord.requests;
    expect(request!.query.get('wait')).toBe('true');
    expect(request!.body).toEqual({
      content: 'Ping @everyone: the sweep finished.',
      allowed_mentions: { parse: [] },
    });
    const message = discord.messages.at(-1)!;
    expect(receipt).toEqual({
      channel: 'discord',
      externalId: message.id,
      url: `https://discord.com/channels/1180000000000000009/1187000000000000001/${message.id}`,
      publishedAt: NOW,
    });
  });

  it('posts a thread as one message per post, in order', async () => {
    const receipt = await publisher.publish(
      publication({ text: undefined, posts: ['1/2 First.', '2/2 Second.'] }),
    );

    expect(discord.messages.slice(-2).map((message) => message.content)).toEqual([
      '1/2 First.',
      '2/2 Second.',
    ]);
    expect(receipt.externalId).toBe(
      discord.messages
        .slice(-2)
        .map((message) => message.id)
        .join(','),
    );
  });

  it('continues a thread interrupted by a rate limit with the first post that did not go out', async () => {
    const thread = publication({
      text: undefined,
      posts: ['1/3 a', '2/3 b', '3/3 c'],
      idempotencyKey: 'thread-1',
    });
    const before = discord.messages.length;
    let calls = 0;
    const flaky = new DiscordWebhookPublisher({
      webhookUrl: discord.webhookUrl,
      fetch: async (input, init) => {
        calls++;
        if (calls === 2) discord.inject({ kind: 'rate-limit' });
        return fetch(input, init);
      },
    });

    const error = await failure(flaky.publish(thread));
    await flaky.publish(thread);

    expect(error.message).toContain('after 1 of 3 posts went out; a retry continues with post 2');
    expect(discord.messages.slice(before).map((message) => message.content)).toEqual([
      '1/3 a',
      '2/3 b',
      '3/3 c',
    ]);
  });

  it('turns a 429 into a retryable error with the wait from the body (retry_after, in seconds)', async () => {
    discord.inject({ kind: 'rate-limit', retryAfterSeconds: 1.5 });

    const error = await failure(publisher.publish(publication()));

    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 1500 });
    expect(error.message).toContain('discord answered 429');
    expect(error.message).toContain('You are being rate limited.');
    expect(error.message).not.toContain(discord.token);
  });

  it('says how to fix a deleted webhook, without the webhook URL', async () => {
    const gone = new DiscordWebhookPublisher({ webhookUrl: `${discord.url}/api/webhooks/1/not-the-token` });

    const error = await failure(gone.publish(publication()));

    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toContain('Unknown Webhook');
    expect(error.message).toContain('DISCORD_WEBHOOK_URL');
    expect(error.message).not.toContain('not-the-token');
  });

  it('refuses a message over 2000 characters without sending it', async () => {
    const error = await failure(publisher.publish(publication({ text: 'é'.repeat(2001) })));

    expect(error.retryable).toBe(false);
    expect(error.message).toContain('2001 characters');
    expect(discord.requests).toEqual([]);
  });

  it('reports a connection dropped before any answer as retryable, without a status', async () => {
    discord.inject({ kind: 'drop' });

    const error = await failure(publisher.publish(publication()));

    expect(error).toMatchObject({ retryable: true, status: undefined });
    expect(error.message).toContain('may or may not have gone out');
    expect(error.message).not.toContain(discord.token);
  });
});

describe('SlackWebhookPublisher against a loopback Slack', () => {
  let slack: FakeSlack;
  let publisher: SlackWebhookPublisher;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    publisher = new SlackWebhookPublisher({ webhookUrl: slack.webhookUrl, now: () => NOW });
  });
  afterAll(() => slack.close());
  beforeEach(() => {
    slack.reset();
    slack.archived = false;
  });

  it('posts { text } with mrkdwn control characters escaped, and answers with a receipt without an id', async () => {
    const receipt = await publisher.publish(
      publication({ platform: 'linkedin', text: 'P&L <up> 3% > plan' }),
    );

    expect(slack.violations).toEqual([]);
    expect(slack.messages).toEqual(['P&amp;L &lt;up&gt; 3% &gt; plan']);
    expect(receipt).toEqual({ channel: 'slack', externalId: null, url: null, publishedAt: NOW });
  });

  it("carries Slack's plain-text error code and what to do about it", async () => {
    slack.archived = true;

    const error = await failure(publisher.publish(publication()));

    expect(error).toMatchObject({ retryable: false, status: 410 });
    expect(error.message).toContain('channel_is_archived');
    expect(error.message).toContain('unarchive');
    expect(error.message).not.toContain(slack.path);
  });

  it('reads the wait of a 429 from Retry-After', async () => {
    slack.inject({ kind: 'rate-limit', retryAfterSeconds: 30 });

    const error = await failure(publisher.publish(publication()));

    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 30_000 });
  });

  it('names the setting to change when the webhook was revoked', async () => {
    const revoked = new SlackWebhookPublisher({ webhookUrl: `${slack.url}/services/T0/B0/revoked` });

    const error = await failure(revoked.publish(publication()));

    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toContain('no_service');
    expect(error.message).toContain('SLACK_WEBHOOK_URL');
  });
});

describe('TelegramBotPublisher against a loopback Bot API', () => {
  let telegram: FakeTelegram;

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
  });
  afterAll(() => telegram.close());
  beforeEach(() => telegram.reset());

  const bot = (overrides: Partial<ConstructorParameters<typeof TelegramBotPublisher>[0]> = {}) =>
    new TelegramBotPublisher({
      token: telegram.token,
      chatId: '@flywheel_notes',
      apiUrl: telegram.url,
      now: () => NOW,
      ...overrides,
    });

  it('sends the text to the chat and links the message in a public channel', async () => {
    const receipt = await bot({ linkPreview: false }).publish(publication({ platform: 'telegram' }));

    expect(telegram.violations).toEqual([]);
    expect(telegram.requests[0]!.path).toBe(`/bot${telegram.token}/sendMessage`);
    expect(telegram.messages.at(-1)).toEqual({
      chatId: '@flywheel_notes',
      text: publication().text,
      linkPreview: { is_disabled: true },
    });
    expect(receipt).toEqual({
      channel: 'telegram',
      externalId: expect.stringMatching(/^\d+$/),
      url: `https://t.me/flywheel_notes/${receipt.externalId}`,
      publishedAt: NOW,
    });
  });

  it('links a message in a private supergroup by its internal id', async () => {
    const receipt = await bot({ chatId: '-1002000000001' }).publish(publication({ platform: 'telegram' }));

    expect(receipt.url).toBe(`https://t.me/c/2000000001/${receipt.externalId}`);
  });

  it('reads the wait of a 429 from parameters.retry_after', async () => {
    telegram.inject({ kind: 'rate-limit', retryAfterSeconds: 7 });

    const error = await failure(bot().publish(publication()));

    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
    expect(error.message).toContain('Too Many Requests: retry after 7');
  });

  it("carries Telegram's description and says which setting to check", async () => {
    const error = await failure(bot({ chatId: '@nobody_here' }).publish(publication()));

    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toContain('Bad Request: chat not found');
    expect(error.message).toContain('TELEGRAM_CHAT_ID');
  });

  it('never puts the bot token in a message, not even for a wrong token', async () => {
    const wrong = bot({ token: '123:wrong-secret-token' });

    const error = await failure(wrong.publish(publication()));
    telegram.inject({ kind: 'drop' });
    const dropped = await failure(bot().publish(publication()));

    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain('TELEGRAM_BOT_TOKEN');
    expect(error.message).not.toContain('wrong-secret-token');
    expect(dropped.message).not.toContain(telegram.token);
  });
});

describe('MastodonPublisher against a loopback instance', () => {
  let mastodon: FakeMastodon;
  let publisher: MastodonPublisher;

  beforeAll(async () => {
    mastodon = await new FakeMastodon().start();
    publisher = new MastodonPublisher({
      instanceUrl: `${mastodon.url}/`,
      token: mastodon.token,
      now: () => NOW,
    });
  });
  afterAll(() => mastodon.close());
  beforeEach(() => mastodon.reset());

  it('posts a public status with the bearer token and the idempotency key, and links it', async () => {
    const receipt = await publisher.publish(
      publication({ platform: 'mastodon', idempotencyKey: 'draft-1/mastodon' }),
    );

    expect(mastodon.violations).toEqual([]);
    const request = mastodon.requests[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${mastodon.token}`);
    expect(request.headers['idempotency-key']).toBe('draft-1/mastodon');
    expect(request.body).toEqual({ status: publication().text, visibility: 'public' });
    const status = mastodon.statuses.at(-1)!;
    expect(receipt).toEqual({
      channel: 'mastodon',
      externalId: status.id,
      url: `${mastodon.url}/@flywheel/${status.id}`,
      publishedAt: NOW,
    });
  });

  it('creates one status for the same key sent twice, as Mastodon deduplicates it', async () => {
    const before = mastodon.statuses.length;
    const first = await publisher.publish(publication({ idempotencyKey: 'draft-2/mastodon' }));
    const second = await publisher.publish(publication({ idempotencyKey: 'draft-2/mastodon' }));

    expect(mastodon.statuses.length).toBe(before + 1);
    expect(second.externalId).toBe(first.externalId);
  });

  it('posts a thread as a chain of replies, each with its own key', async () => {
    const receipt = await publisher.publish(
      publication({
        text: undefined,
        posts: ['1/3 a', '2/3 b', '3/3 c'],
        idempotencyKey: 'draft-3/mastodon',
      }),
    );

    const thread = mastodon.statuses.slice(-3);
    expect(thread.map((status) => status.status)).toEqual(['1/3 a', '2/3 b', '3/3 c']);
    expect(thread.map((status) => status.inReplyToId)).toEqual([null, thread[0]!.id, thread[1]!.id]);
    expect(thread.map((status) => status.idempotencyKey)).toEqual([
      'draft-3/mastodon',
      'draft-3/mastodon#2',
      'draft-3/mastodon#3',
    ]);
    expect(receipt.externalId).toBe(thread[0]!.id);
  });

  it('reads the wait of a 429 from X-RateLimit-Reset (an ISO time)', async () => {
    mastodon.inject({ kind: 'rate-limit', retryAfterSeconds: 2 });
    const realTime = new MastodonPublisher({ instanceUrl: mastodon.url, token: mastodon.token });

    const error = await failure(realTime.publish(publication()));

    expect(error).toMatchObject({ retryable: true, status: 429 });
    expect(error.retryAfterMs).toBeGreaterThan(1000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(2000);
  });

  it("carries the instance's validation error", async () => {
    const error = await failure(
      publisher.publish(publication({ text: 'x'.repeat(501), idempotencyKey: 'long' })),
    );

    expect(error).toMatchObject({ retryable: false, status: 422 });
    expect(error.message).toContain('Text character limit of 500 exceeded');
  });

  it('survives an answer lost after the status was created: publishVersion retries and Mastodon deduplicates', async () => {
    const log = new MemoryPublicationLog();
    const before = mastodon.statuses.length;
    mastodon.inject({ kind: 'drop-after-post' });

    const outcome = await publishVersion(
      publication({ platform: 'mastodon', idempotencyKey: 'draft-4/mastodon' }),
      publisher,
      log,
      {
        now: () => NOW,
        sleep: async () => undefined,
        maxAttempts: 3,
        random: () => 0.5,
      },
    );

    expect(outcome).toMatchObject({ status: 'published', attempts: 2 });
    expect(mastodon.statuses.length).toBe(before + 1);
  });
});

describe('BlueskyPublisher against a loopback PDS', () => {
  let pds: FakeBluesky;

  beforeAll(async () => {
    pds = await new FakeBluesky().start();
  });
  afterAll(() => pds.close());
  beforeEach(() => {
    pds.reset();
    pds.existingRecord = 'conflict';
  });

  const bluesky = (overrides: Partial<ConstructorParameters<typeof BlueskyPublisher>[0]> = {}) =>
    new BlueskyPublisher({
      identifier: pds.account,
      appPassword: pds.appPassword,
      pdsUrl: pds.url,
      now: () => NOW,
      ...overrides,
    });

  it('signs in with the app password and creates a post with link facets at UTF-8 byte offsets', async () => {
    const text = 'Café ☕ 🚀 résumé of the sweep: https://flywheel.example/sweeps/é?x=1 and http://x.io/a';
    const key = 'draft-5/bluesky';

    const receipt = await bluesky().publish(publication({ platform: 'bluesky', text, idempotencyKey: key }));

    expect(pds.violations).toEqual([]);
    const create = pds.requests.find((request) => request.path.endsWith('createRecord'))!;
    const body = create.body as {
      rkey: string;
      repo: string;
      record: { facets: unknown[]; createdAt: string };
    };
    expect(body.rkey).toBe(recordKeyFor(key));
    expect(body.repo).toBe(pds.did);
    expect(body.record.createdAt).toBe('2025-03-14T09:30:00.000Z');
    expect(body.record.facets).toHaveLength(2);
    expect(receipt).toEqual({
      channel: 'bluesky',
      externalId: `at://${pds.did}/app.bsky.feed.post/${recordKeyFor(key)}`,
      url: `https://bsky.app/profile/${pds.did}/post/${recordKeyFor(key)}`,
      publishedAt: NOW,
    });
  });

  it('keeps its session for later posts', async () => {
    const publisher = bluesky();
    const before = pds.sessionsCreated;

    await publisher.publish(publication({ idempotencyKey: 'draft-6/bluesky' }));
    await publisher.publish(publication({ idempotencyKey: 'draft-7/bluesky' }));

    expect(pds.sessionsCreated).toBe(before + 1);
  });

  it.each(['conflict', 'internal-error'] as const)(
    'answers a retry with the post already under its record key (PDS answers %s), creating nothing new',
    async (mode) => {
      pds.existingRecord = mode;
      const key = `draft-8-${mode}/bluesky`;
      const first = await bluesky().publish(publication({ idempotencyKey: key }));
      const records = pds.records.size;

      const again = await bluesky().publish(publication({ idempotencyKey: key }));

      expect(pds.records.size).toBe(records);
      expect(again.externalId).toBe(first.externalId);
      expect(pds.requests.some((request) => request.path.endsWith('getRecord'))).toBe(true);
    },
  );

  it('posts a thread as replies pointing at the root and the previous post', async () => {
    const receipt = await bluesky().publish(
      publication({
        text: undefined,
        posts: ['1/3 one', '2/3 two', '3/3 three'],
        idempotencyKey: 'draft-9/bluesky',
      }),
    );

    expect(pds.violations).toEqual([]);
    const creates = pds.requests
      .filter((request) => request.path.endsWith('createRecord'))
      .map(
        (request) =>
          (request.body as { record: { reply?: { root: { uri: string }; parent: { uri: string } } } }).record,
      );
    const root = receipt.externalId!;
    expect(creates[0]!.reply).toBeUndefined();
    expect(creates[1]!.reply?.root.uri).toBe(root);
    expect(creates[1]!.reply?.parent.uri).toBe(root);
    expect(creates[2]!.reply?.root.uri).toBe(root);
    expect(creates[2]!.reply?.parent.uri).toBe(
      `at://${pds.did}/app.bsky.feed.post/${recordKeyFor('draft-9/bluesky#2')}`,
    );
  });

  it('signs in again when the access token expired', async () => {
    const publisher = bluesky();
    await publisher.publish(publication({ idempotencyKey: 'draft-10/bluesky' }));
    pds.expireSession();

    const receipt = await publisher.publish(publication({ idempotencyKey: 'draft-11/bluesky' }));

    expect(receipt.externalId).toContain(recordKeyFor('draft-11/bluesky'));
  });

  it('explains a refused sign-in without the password', async () => {
    const error = await failure(bluesky({ appPassword: 'wxyz-wxyz-wxyz-wxyz' }).publish(publication()));

    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(error.message).toContain('Invalid identifier or password');
    expect(error.message).toContain('BLUESKY_APP_PASSWORD');
    expect(error.message).not.toContain('wxyz-wxyz-wxyz-wxyz');
  });

  it('reads the wait of a 429 from ratelimit-reset (epoch seconds)', async () => {
    pds.inject({ kind: 'rate-limit', retryAfterSeconds: 3 }, { path: 'createRecord' });
    const realTime = bluesky({ now: undefined });

    const error = await failure(realTime.publish(publication({ idempotencyKey: 'draft-12/bluesky' })));

    expect(error).toMatchObject({ retryable: true, status: 429 });
    expect(error.message).toContain('RateLimitExceeded');
    expect(error.retryAfterMs).toBeGreaterThan(1000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(4000);
  });
});

describe('Bluesky record keys and facets', () => {
  it('derives the same valid TID from the same key, and different ones from different keys', () => {
    const keys = ['draft-1/bluesky', 'draft-1/bluesky#2', 'draft-2/bluesky'].map(recordKeyFor);

    for (const key of keys) expect(key).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    expect(new Set(keys).size).toBe(3);
    expect(recordKeyFor('draft-1/bluesky')).toBe(keys[0]);
  });

  it('marks links by UTF-8 bytes, not JavaScript string indexes, without the punctuation after them', () => {
    const text = '🚀 https://a.example/x. (see http://b.example/wiki/Foo_(bar)), done';

    expect(linkFacets(text)).toEqual([
      {
        index: { byteStart: 5, byteEnd: 24 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://a.example/x' }],
      },
      {
        index: { byteStart: 31, byteEnd: 62 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'http://b.example/wiki/Foo_(bar)' }],
      },
    ]);
  });
});
