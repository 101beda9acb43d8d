import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { credentialsFromEnv, publishersFromCredentials } from '@shared/adapters/publish/credentials';
import { OutboxPublisher } from '@shared/adapters/publish/outbox';
import { publishDraft } from '@shared/content/publish';
import type { Publication } from '@shared/ports/publisher';
import { FakeBluesky, FakeDiscord, FakeMastodon, FakeSlack, FakeTelegram } from '../support/fake-platforms';
import { MemoryPublicationLog } from '../support/memory-publication-log';
import { tempHome } from '../support/temp-home';

const DAY_1 = Date.parse('2025-03-14T23:59:00Z');
const DAY_2 = Date.parse('2025-03-15T08:00:00Z');

const thread: Publication = {
  draftId: 'sweep-7 insight',
  platform: 'x-thread',
  posts: ['1/2 The champion changed.', '2/2 Details inside.'],
  idempotencyKey: 'sweep-7 insight/x-thread',
};

describe('OutboxPublisher', () => {
  const folders: string[] = [];
  const outbox = (now: number) => {
    const dir = tempHome('outbox');
    folders.push(dir);
    return { dir, publisher: new OutboxPublisher({ dir, now: () => now }) };
  };
  afterEach(() => {
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes each publication as JSON under its day, named by draft and platform, leaving no temporary file', async () => {
    const { dir, publisher } = outbox(DAY_1);

    const receipt = await publisher.publish(thread);

    const path = join(dir, '2025-03-14', 'sweep-7_insight.x-thread.json');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      draftId: 'sweep-7 insight',
      platform: 'x-thread',
      idempotencyKey: 'sweep-7 insight/x-thread',
      posts: ['1/2 The champion changed.', '2/2 Details inside.'],
      publishedAt: '2025-03-14T23:59:00.000Z',
    });
    expect(readdirSync(join(dir, '2025-03-14'))).toEqual(['sweep-7_insight.x-thread.json']);
    expect(receipt).toEqual({
      channel: 'outbox',
      externalId: '2025-03-14/sweep-7_insight.x-thread.json',
      url: expect.stringMatching(/^file:\/\/.*sweep-7_insight\.x-thread\.json$/),
      publishedAt: DAY_1,
    });
  });

  it('writes nothing new for the same publication, even on a later day, and answers with the first receipt', async () => {
    const { dir, publisher } = outbox(DAY_1);
    const first = await publisher.publish(thread);
    const later = new OutboxPublisher({ dir, now: () => DAY_2 });

    const again = await later.publish({ ...thread, posts: ['changed text'] });

    expect(again).toEqual(first);
    expect(readdirSync(dir)).toEqual(['2025-03-14']);
    expect(
      JSON.parse(readFileSync(join(dir, '2025-03-14', 'sweep-7_insight.x-thread.json'), 'utf8')).posts,
    ).toEqual(thread.posts);
  });

  it('writes one file when the same publication is published twice at once', async () => {
    const { dir, publisher } = outbox(DAY_1);

    const receipts = await Promise.all([
      publisher.publish(thread),
      publisher.publish(thread),
      publisher.publish(thread),
    ]);

    expect(new Set(receipts.map((receipt) => receipt.externalId)).size).toBe(1);
    expect(readdirSync(join(dir, '2025-03-14'))).toEqual(['sweep-7_insight.x-thread.json']);
  });

  it('says which folder it could not write to', async () => {
    const { dir } = outbox(DAY_1);
    const blocked = new OutboxPublisher({ dir: join(dir, 'file') });
    await new OutboxPublisher({ dir, now: () => DAY_1 }).publish(thread);
    writeFileSync(join(dir, 'file'), 'not a folder');

    await expect(blocked.publish(thread)).rejects.toThrow(
      /outbox: could not write .* check that the folder is writable/,
    );
  });
});

describe('publisher credentials', () => {
  it('reads FLYWHEEL_-prefixed variables and ignores blank ones', () => {
    const credentials = credentialsFromEnv({
      FLYWHEEL_DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/abc',
      FLYWHEEL_SLACK_WEBHOOK_URL: '  ',
      DISCORD_WEBHOOK_URL: 'https://ignored.example',
    });

    expect(credentials).toEqual({ DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/abc' });
  });

  it('configures the channels whose credentials are complete and names what the others lack', () => {
    const { publishers, problems } = publishersFromCredentials(
      {
        DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/abc',
        SLACK_WEBHOOK_URL: 'hooks.slack.com/services/x',
        TELEGRAM_BOT_TOKEN: '123:abc',
        BLUESKY_HANDLE: 'me.bsky.social',
        BLUESKY_APP_PASSWORD: 'aaaa-bbbb-cccc-dddd',
      },
      { outboxDir: '/tmp/outbox' },
    );

    expect(Object.keys(publishers).sort()).toEqual(['bluesky', 'discord', 'outbox']);
    expect(problems).toEqual([
      'SLACK_WEBHOOK_URL is not an http(s) URL',
      'telegram needs TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID; TELEGRAM_CHAT_ID is not set',
    ]);
  });
});

describe('publishDraft through the real adapters', () => {
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let telegram: FakeTelegram;
  let mastodon: FakeMastodon;
  let pds: FakeBluesky;
  let outboxDir: string;

  beforeAll(async () => {
    [discord, slack, telegram, mastodon, pds] = await Promise.all([
      new FakeDiscord().start(),
      new FakeSlack().start(),
      new FakeTelegram().start(),
      new FakeMastodon().start(),
      new FakeBluesky().start(),
    ]);
    outboxDir = tempHome('outbox');
  });
  afterAll(async () => {
    await Promise.all([discord, slack, telegram, mastodon, pds].map((fake) => fake.close()));
    rmSync(outboxDir, { recursive: true, force: true });
  });

  it('publishes every version to its channel once, and a second run posts nothing', async () => {
    const { publishers, problems } = publishersFromCredentials(
      {
        DISCORD_WEBHOOK_URL: discord.webhookUrl,
        SLACK_WEBHOOK_URL: slack.webhookUrl,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_CHAT_ID: '@flywheel_notes',
        MASTODON_URL: mastodon.url,
        MASTODON_TOKEN: mastodon.token,
        BLUESKY_HANDLE: `@${pds.account}`,
        BLUESKY_APP_PASSWORD: pds.appPassword,
        BLUESKY_PDS_URL: pds.url,
      },
      { outboxDir, now: () => DAY_1, telegramApiUrl: telegram.url },
    );
    const log = new MemoryPublicationLog();
    const draft = {
      id: 'draft-77',
      versions: [
        { platform: 'discord', text: 'Discord version' },
        { platform: 'telegram', text: 'Telegram version' },
        { platform: 'mastodon', text: 'Mastodon version' },
        { platform: 'bluesky', text: 'Bluesky version https://flywheel.example/b' },
        { platform: 'linkedin', text: 'LinkedIn version' },
        { platform: 'x-thread', posts: ['1/2 X', '2/2 X'] },
      ] as const,
    };
    const options = { now: () => DAY_1, sleep: async () => undefined, maxAttempts: 3 };

    const first = await publishDraft(draft, { linkedin: 'slack' }, publishers, log, options);
    const second = await publishDraft(draft, { linkedin: 'slack' }, publishers, log, options);

    expect(problems).toEqual([]);
    expect(first.status).toBe('published');
    expect(
      first.outcomes.map((outcome) => [
        outcome.platform,
        outcome.status,
        'channel' in outcome ? outcome.channel : null,
      ]),
    ).toEqual([
      ['discord', 'published', 'discord'],
      ['telegram', 'published', 'telegram'],
      ['mastodon', 'published', 'mastodon'],
      ['bluesky', 'published', 'bluesky'],
      ['linkedin', 'published', 'slack'],
      ['x-thread', 'published', 'outbox'],
    ]);
    expect(second.outcomes.every((outcome) => outcome.status === 'published' && outcome.earlier)).toBe(true);
    expect(discord.messages.map((message) => message.content)).toEqual(['Discord version']);
    expect(telegram.messages.map((message) => message.text)).toEqual(['Telegram version']);
    expect(mastodon.statuses.map((status) => status.status)).toEqual(['Mastodon version']);
    expect([...pds.records.values()].map((record) => record.value.text)).toEqual([
      'Bluesky version https://flywheel.example/b',
    ]);
    expect(slack.messages).toEqual(['LinkedIn version']);
    expect(readdirSync(join(outboxDir, '2025-03-14'))).toEqual(['draft-77.x-thread.json']);
    for (const fake of [discord, slack, telegram, mastodon, pds]) expect(fake.violations).toEqual([]);
  });
});
