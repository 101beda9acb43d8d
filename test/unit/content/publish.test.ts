import { describe, expect, it } from '@jest/globals';
import { type PublishOptions, publicationKey, publishDraft, publishVersion } from '@shared/content/publish';
import { type Publication, PublishError, type Publisher, type PublishReceipt } from '@shared/ports/publisher';
import { MemoryPublicationLog } from '../../support/memory-publication-log';

const NOW = Date.parse('2025-03-14T09:30:00Z');

/** A channel that answers from a script: a receipt for 'ok', or the error given. */
class ScriptedPublisher implements Publisher {
  readonly calls: Publication[] = [];

  constructor(
    readonly channel: string,
    readonly deduplicates: boolean,
    private readonly script: (Error | 'ok')[] = [],
  ) {}

  async publish(publication: Publication): Promise<PublishReceipt> {
    this.calls.push(publication);
    const next = this.script.shift() ?? 'ok';
    if (next !== 'ok') throw next;
    return {
      channel: this.channel,
      externalId: `${this.channel}-${this.calls.length}`,
      url: null,
      publishedAt: NOW,
    };
  }
}

const publication = (platform = 'discord'): Publication => ({
  draftId: 'draft-1',
  platform,
  text: 'The sweep found a new champion.',
  idempotencyKey: publicationKey('draft-1', platform),
});

function options(overrides: Partial<PublishOptions> = {}): PublishOptions & { slept: number[] } {
  const slept: number[] = [];
  return {
    now: () => NOW,
    sleep: async (ms) => {
      slept.push(ms);
    },
    maxAttempts: 4,
    random: () => 0,
    slept,
    ...overrides,
  };
}

const rateLimited = (retryAfterMs?: number) =>
  new PublishError('discord answered 429 (You are being rate limited.)', true, 429, retryAfterMs);

describe('publishVersion', () => {
  it('publishes a claimed key once and records the receipt; a retry after success posts nothing', async () => {
    const log = new MemoryPublicationLog();
    const discord = new ScriptedPublisher('discord', false);

    const first = await publishVersion(publication(), discord, log, options());
    const again = await publishVersion(publication(), discord, log, options());

    expect(discord.calls).toHaveLength(1);
    expect(first).toMatchObject({ status: 'published', earlier: false, attempts: 1 });
    expect(again).toEqual({
      status: 'published',
      platform: 'discord',
      channel: 'discord',
      receipt: { channel: 'discord', externalId: 'discord-1', url: null, publishedAt: NOW },
      attempts: 0,
      earlier: true,
    });
    expect(await log.get('draft-1/discord')).toEqual({
      state: 'published',
      receipt: again.status === 'published' ? again.receipt : null,
    });
  });

  it('never posts again on a channel without deduplication while an earlier attempt has no known outcome', async () => {
    const log = new MemoryPublicationLog();
    await log.claim('draft-1/discord', NOW - 60_000);
    const discord = new ScriptedPublisher('discord', false);

    const outcome = await publishVersion(publication(), discord, log, options());

    expect(discord.calls).toHaveLength(0);
    expect(outcome).toMatchObject({ status: 'failed', outcomeUnknown: true, attempts: 0 });
    expect(outcome.status === 'failed' && outcome.reason).toBe(
      'outcome unknown: an attempt started 2025-03-14T09:29:00.000Z got no answer; check discord before retrying by hand',
    );
  });

  it('retries an attempt with an unknown outcome on a channel that deduplicates by key', async () => {
    const log = new MemoryPublicationLog();
    await log.claim('draft-1/mastodon', NOW - 60_000);
    const mastodon = new ScriptedPublisher('mastodon', true);

    const outcome = await publishVersion(publication('mastodon'), mastodon, log, options());

    expect(mastodon.calls.map((call) => call.idempotencyKey)).toEqual(['draft-1/mastodon']);
    expect(outcome).toMatchObject({ status: 'published', earlier: false });
    expect((await log.get('draft-1/mastodon'))?.state).toBe('published');
  });

  it("waits exactly as long as the channel's Retry-After asks before trying again", async () => {
    const log = new MemoryPublicationLog();
    const discord = new ScriptedPublisher('discord', false, [rateLimited(1500), rateLimited(250)]);
    const settings = options();

    const outcome = await publishVersion(publication(), discord, log, settings);

    expect(settings.slept).toEqual([1500, 250]);
    expect(outcome).toMatchObject({ status: 'published', attempts: 3 });
  });

  it('backs off exponentially with jitter from the injected random, capped', async () => {
    const unavailable = () => new PublishError('bluesky answered 503', true, 503);
    const low = options({ random: () => 0 });
    const high = options({ random: () => 0.999999, maxDelayMs: 1500 });

    await publishVersion(
      publication('bluesky'),
      new ScriptedPublisher('bluesky', true, [unavailable(), unavailable(), unavailable()]),
      new MemoryPublicationLog(),
      low,
    );
    await publishVersion(
      publication('bluesky'),
      new ScriptedPublisher('bluesky', true, [unavailable(), unavailable(), unavailable()]),
      new MemoryPublicationLog(),
      high,
    );

    expect(low.slept).toEqual([500, 1000, 2000]);
    expect(high.slept).toEqual([1000, 1500, 1500]);
  });

  it('records the failure with its reason after the last attempt, and a later call may try again', async () => {
    const log = new MemoryPublicationLog();
    const discord = new ScriptedPublisher('discord', false, [
      rateLimited(10),
      rateLimited(10),
      rateLimited(10),
    ]);

    const outcome = await publishVersion(publication(), discord, log, options({ maxAttempts: 3 }));
    const later = await publishVersion(publication(), discord, log, options());

    expect(outcome).toMatchObject({ status: 'failed', outcomeUnknown: false, attempts: 3, retryAfterMs: 10 });
    expect(outcome.status === 'failed' && outcome.reason).toBe(
      'discord answered 429 (You are being rate limited.) (after 3 attempts)',
    );
    expect(later).toMatchObject({ status: 'published' });
    expect(discord.calls).toHaveLength(4);
  });

  it('does not retry a refusal, and keeps the platform’s reason', async () => {
    const log = new MemoryPublicationLog();
    const refused = new PublishError(
      'telegram answered 400 (Bad Request: chat not found): check TELEGRAM_CHAT_ID',
      false,
      400,
    );
    const telegram = new ScriptedPublisher('telegram', false, [refused]);

    const outcome = await publishVersion(publication('telegram'), telegram, log, options());

    expect(telegram.calls).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'failed', reason: refused.message, outcomeUnknown: false });
    expect(await log.get('draft-1/telegram')).toEqual({
      state: 'failed',
      reason: refused.message,
      attempts: 1,
    });
  });

  it('stops after a lost answer on a channel without deduplication and keeps the key held, so nothing posts twice', async () => {
    const log = new MemoryPublicationLog();
    const lost = new PublishError(
      'slack could not be reached: no answer within 10 s; the post may or may not have gone out',
      true,
    );
    const slack = new ScriptedPublisher('slack', false, [lost]);

    const outcome = await publishVersion(publication('linkedin'), slack, log, options());
    const retry = await publishVersion(publication('linkedin'), slack, log, options());

    expect(slack.calls).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'failed', outcomeUnknown: true });
    expect(outcome.status === 'failed' && outcome.reason).toBe(
      `outcome unknown: ${lost.message}; check slack before retrying by hand`,
    );
    expect((await log.get('draft-1/linkedin'))?.state).toBe('publishing');
    expect(retry).toMatchObject({ status: 'failed', outcomeUnknown: true });
  });

  it('treats a 5xx like a lost answer on a channel without deduplication', async () => {
    const telegram = new ScriptedPublisher('telegram', false, [
      new PublishError('telegram answered 502', true, 502),
    ]);

    const outcome = await publishVersion(
      publication('telegram'),
      telegram,
      new MemoryPublicationLog(),
      options(),
    );

    expect(telegram.calls).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'failed', outcomeUnknown: true });
  });

  it('gives up at once when the channel asks to wait longer than the cap, saying when to try again', async () => {
    const log = new MemoryPublicationLog();
    const settings = options({ maxDelayMs: 30_000 });

    const outcome = await publishVersion(
      publication(),
      new ScriptedPublisher('discord', false, [rateLimited(3_600_000)]),
      log,
      settings,
    );

    expect(settings.slept).toEqual([]);
    expect(outcome).toMatchObject({ status: 'failed', retryAfterMs: 3_600_000 });
    expect(outcome.status === 'failed' && outcome.reason).toContain(
      'try again after 2025-03-14T10:30:00.000Z',
    );
    expect((await log.get('draft-1/discord'))?.state).toBe('failed');
  });

  it('records an unexpected error as a failure with its message', async () => {
    const log = new MemoryPublicationLog();

    const outcome = await publishVersion(
      publication(),
      new ScriptedPublisher('discord', false, [new TypeError('boom')]),
      log,
      options(),
    );

    expect(outcome).toMatchObject({ status: 'failed', reason: 'discord failed unexpectedly: boom' });
    expect((await log.get('draft-1/discord'))?.state).toBe('failed');
  });
});

describe('publishDraft', () => {
  const draft = {
    id: 'draft-9',
    versions: [
      { platform: 'discord', text: 'for discord' },
      { platform: 'x', text: 'for x' },
      { platform: 'x-thread', posts: ['1/2', '2/2'] },
      { platform: 'linkedin', text: 'for linkedin' },
    ] as const,
  };

  it('sends each version along its route, the rest to the outbox, with one key per draft and platform', async () => {
    const discord = new ScriptedPublisher('discord', false);
    const outbox = new ScriptedPublisher('outbox', true);

    const result = await publishDraft(draft, {}, { discord, outbox }, new MemoryPublicationLog(), options());

    expect(result).toMatchObject({ status: 'published', reason: null });
    expect(discord.calls.map((call) => call.idempotencyKey)).toEqual(['draft-9/discord']);
    expect(outbox.calls.map((call) => [call.platform, call.idempotencyKey, call.posts ?? call.text])).toEqual(
      [
        ['x', 'draft-9/x', 'for x'],
        ['x-thread', 'draft-9/x-thread', ['1/2', '2/2']],
        ['linkedin', 'draft-9/linkedin', 'for linkedin'],
      ],
    );
  });

  it('writes a version whose own channel is not configured to the outbox, and says so', async () => {
    const outbox = new ScriptedPublisher('outbox', true);

    const result = await publishDraft(
      { id: 'd', versions: [draft.versions[0]] },
      {},
      { outbox },
      new MemoryPublicationLog(),
      options(),
    );

    expect(result.outcomes[0]).toMatchObject({
      status: 'published',
      channel: 'outbox',
      note: 'discord is not configured (set DISCORD_WEBHOOK_URL); written to the outbox',
    });
  });

  it('fails a version a user routed to a channel that is not configured, naming what to set', async () => {
    const outbox = new ScriptedPublisher('outbox', true);

    const result = await publishDraft(
      draft,
      { linkedin: 'slack', x: 'skip' },
      { outbox },
      new MemoryPublicationLog(),
      options(),
    );

    expect(result.status).toBe('failed');
    expect(result.reason).toBe('linkedin: routed to slack is not configured (set SLACK_WEBHOOK_URL)');
    expect(result.outcomes.map((outcome) => [outcome.platform, outcome.status])).toEqual([
      ['discord', 'published'],
      ['x', 'skipped'],
      ['x-thread', 'published'],
      ['linkedin', 'failed'],
    ]);
  });

  it('fails the draft with every failed version’s reason, and publishes the rest', async () => {
    const refused = new PublishError('discord answered 404 (10015 Unknown Webhook)', false, 404);
    const discord = new ScriptedPublisher('discord', false, [refused]);
    const outbox = new ScriptedPublisher('outbox', true);

    const result = await publishDraft(draft, {}, { discord, outbox }, new MemoryPublicationLog(), options());

    expect(result.status).toBe('failed');
    expect(result.reason).toBe('discord: discord answered 404 (10015 Unknown Webhook)');
    expect(outbox.calls).toHaveLength(3);
  });

  it('does not call a draft published when every version was skipped', async () => {
    const result = await publishDraft(
      { id: 'd', versions: [{ platform: 'x', text: '  ' }] },
      {},
      { outbox: new ScriptedPublisher('outbox', true) },
      new MemoryPublicationLog(),
      options(),
    );

    expect(result).toMatchObject({
      status: 'failed',
      reason: 'no version was published: every platform was skipped',
    });
    expect(result.outcomes).toEqual([
      { status: 'skipped', platform: 'x', reason: 'the version has no text' },
    ]);
  });
});
