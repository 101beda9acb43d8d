import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type PublisherCredentials, publishersFromCredentials } from '@shared/adapters/publish/credentials';
import type { Json } from '@shared/ports/json';
import type { TradingStateKey, TradingStateStore } from '@shared/ports/trading-state-store';
import { INITIAL_TRADING_STATE, loadTradingState, type TradingState } from '@shared/trading/execution-run';
import { MemoryTradingStateStore } from '@shared/trading/memory-trading-state-store';
import { observeEquity } from '@shared/trading/risk';
import type { EventBridgeEvent } from 'aws-lambda';
import { createTradingControl, HaltAnnouncementError } from '../../functions/trading-control/app';
import { FakeDiscord, FakeSlack } from '../support/fake-platforms';
import { apiGatewayEvent } from '../support/lambda-context';
import { MemoryPublicationLog } from '../support/memory-publication-log';

const SAMPLE = JSON.parse(
  readFileSync(join(__dirname, '../../events/samples/trading-halted.json'), 'utf8'),
) as EventBridgeEvent<'TradingHalted', { strategyId: string; market: string; haltedAt: number }>;
const HALTED: TradingStateKey = { strategyId: 'sma-cross(fast=10,slow=30)', market: 'BTC/USDT' };
const TRADING: TradingStateKey = { strategyId: 'rsi(period=14)', market: 'GOOG' };
const DAY = Date.UTC(2026, 2, 2);

/** A state the kill switch tripped: equity fell from 10 000 to 9 400 on a day with a 500 limit. */
function haltedState(): TradingState {
  const limits = { maxDailyLoss: 500 };
  const opened = observeEquity(INITIAL_TRADING_STATE.risk, DAY + 3_600_000, 10_000, limits).state;
  const tripped = observeEquity(opened, DAY + 4 * 3_600_000, 9_400, limits);
  expect(tripped.halted).toBeDefined();
  return { ...INITIAL_TRADING_STATE, lastBarTime: DAY + 3 * 3_600_000, risk: tripped.state };
}

async function seed(states: TradingStateStore): Promise<void> {
  await states.put(HALTED, haltedState() as unknown as Json, 0);
  await states.put(TRADING, { ...INITIAL_TRADING_STATE, lastBarTime: DAY } as unknown as Json, 0);
}

const body = (response: { body?: string }) => JSON.parse(response.body ?? 'null');

describe('trading-control: status and resume', () => {
  let states: MemoryTradingStateStore;
  let control: ReturnType<typeof createTradingControl>;

  beforeEach(async () => {
    states = new MemoryTradingStateStore(() => DAY + 5 * 3_600_000);
    await seed(states);
    control = createTradingControl({
      states,
      publications: new MemoryPublicationLog(),
      publishers: async () => ({}),
      clock: { now: () => DAY },
    });
  });

  it('lists every strategy with its halt on GET /trading/status', async () => {
    // Act
    const response = await control.http(apiGatewayEvent({ method: 'GET', path: '/trading/status' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({
      strategies: [
        {
          ...HALTED,
          halted: true,
          halt: {
            haltedAt: '2026-03-02T04:00:00.000Z',
            reason: 'the loss since the start of the UTC day (600.00) reached the maximum daily loss (500)',
            dailyLoss: 600,
            maxDailyLoss: 500,
          },
          lastBarTime: '2026-03-02T03:00:00.000Z',
          updatedAt: '2026-03-02T05:00:00.000Z',
          refusals: [],
        },
        {
          ...TRADING,
          halted: false,
          halt: null,
          lastBarTime: '2026-03-02T00:00:00.000Z',
          updatedAt: '2026-03-02T05:00:00.000Z',
          refusals: [],
        },
      ],
    });
  });

  it('lifts one halt on POST /trading/resume, keeps the rest of the state, and changes nothing the second time', async () => {
    // Prepare
    const resume = () =>
      control.http(
        apiGatewayEvent({
          method: 'POST',
          path: '/trading/resume',
          body: JSON.stringify({ strategy: HALTED.strategyId, market: HALTED.market }),
        }),
      );
    const before = await loadTradingState(states, HALTED);

    // Act
    const first = await resume();
    const second = await resume();

    // Assess
    expect(first.statusCode).toBe(200);
    expect(body(first)).toMatchObject({ resumed: [{ ...HALTED, halt: { dailyLoss: 600 } }], notHalted: [] });
    const after = await loadTradingState(states, HALTED);
    expect(after.state.risk).toEqual({ ...before.state.risk, halt: null, day: null });
    expect(after.state.lastBarTime).toBe(before.state.lastBarTime);
    expect(body(second)).toEqual({ resumed: [], notHalted: [HALTED] });
    expect(after.revision).toBe(before.revision + 1);
  });

  it('lifts every halt with {"all": true}', async () => {
    // Act
    const response = await control.http(
      apiGatewayEvent({ method: 'POST', path: '/trading/resume', body: '{"all": true}' }),
    );

    // Assess
    expect(body(response)).toMatchObject({ resumed: [HALTED], notHalted: [TRADING] });
    expect((await loadTradingState(states, HALTED)).state.risk.halt).toBeNull();
  });

  it('answers 404 for a strategy nothing trades, and 400 for a body that names no target or is not JSON', async () => {
    // Act
    const post = (text: string) =>
      control.http(apiGatewayEvent({ method: 'POST', path: '/trading/resume', body: text }));
    const unknown = await post(JSON.stringify({ strategy: 'nope', market: 'BTC/USDT' }));
    const halfNamed = await post(JSON.stringify({ strategy: HALTED.strategyId }));
    const both = await post(JSON.stringify({ all: true, strategy: 'x', market: 'y' }));
    const notJson = await post('{');

    // Assess
    expect(unknown.statusCode).toBe(404);
    expect(body(unknown).error).toBe(
      'nothing trades nope on BTC/USDT: no trading state is stored for it (flywheel trading status lists them)',
    );
    expect([halfNamed.statusCode, both.statusCode, notJson.statusCode]).toEqual([400, 400, 400]);
    expect(body(halfNamed).error).toContain('{"all": true}');
    expect((await loadTradingState(states, HALTED)).state.risk.halt).not.toBeNull();
  });

  it('resumes over an executor run that wrote the state meanwhile, without losing what the run wrote', async () => {
    // Prepare: the first write after a read loses to a run that records its last bar.
    let raced = false;
    const racing: TradingStateStore = {
      get: (key) => states.get(key),
      list: (market) => states.list(market),
      put: async (key, state, expectedRevision) => {
        if (!raced) {
          raced = true;
          const current = await loadTradingState(states, key);
          await states.put(key, { ...current.state, lastBarTime: DAY + 4 * 3_600_000 } as unknown as Json, 1);
        }
        return states.put(key, state, expectedRevision);
      },
    };
    const racingControl = createTradingControl({
      states: racing,
      publications: new MemoryPublicationLog(),
      publishers: async () => ({}),
      clock: { now: () => DAY },
    });

    // Act
    const response = await racingControl.http(
      apiGatewayEvent({ method: 'POST', path: '/trading/resume', body: '{"all": true}' }),
    );

    // Assess
    expect(body(response)).toMatchObject({ resumed: [HALTED] });
    const after = await loadTradingState(states, HALTED);
    expect(after.state.risk.halt).toBeNull();
    expect(after.state.lastBarTime).toBe(DAY + 4 * 3_600_000);
  });
});

describe('trading-control: announcing a halt on the ops channel', () => {
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let outboxDir: string;
  let log: MemoryPublicationLog;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    discord = await new FakeDiscord().start();
  });
  afterAll(async () => {
    await slack.close();
    await discord.close();
  });
  beforeEach(() => {
    // reset() keeps what was posted; each test counts its own posts.
    slack.reset();
    slack.messages.length = 0;
    slack.archived = false;
    discord.reset();
    discord.messages.length = 0;
    outboxDir = mkdtempSync(join(tmpdir(), 'flywheel-halt-outbox-'));
    log = new MemoryPublicationLog();
  });

  const controlWith = (credentials: PublisherCredentials) =>
    createTradingControl({
      states: new MemoryTradingStateStore(),
      publications: log,
      publishers: async () => publishersFromCredentials(credentials, { outboxDir }).publishers,
      clock: { now: () => DAY },
      sleep: async () => {},
    });

  it('posts to Slack once even when TradingHalted is delivered twice, and to no other channel', async () => {
    // Prepare
    const control = controlWith({
      SLACK_WEBHOOK_URL: slack.webhookUrl,
      DISCORD_WEBHOOK_URL: discord.webhookUrl,
    });

    // Act
    const first = await control.announce(SAMPLE);
    const second = await control.announce(SAMPLE);

    // Assess
    expect(slack.messages).toEqual([
      [
        'Trading halted: sma-cross(fast=10,slow=30) on BTC/USDT at 2026-03-02T14:00:00Z.',
        'Why: the loss since the start of the UTC day (512.40) reached the maximum daily loss (500).',
        "No order is placed until someone resumes it: flywheel trading resume --strategy 'sma-cross(fast=10,slow=30)' --market 'BTC/USDT' (or POST /trading/resume).",
      ].join('\n'),
    ]);
    expect(slack.violations).toEqual([]);
    expect(first).toMatchObject({ status: 'announced', channel: 'slack', earlier: false });
    expect(second).toMatchObject({ status: 'announced', channel: 'slack', earlier: true });
    expect(discord.requests).toEqual([]);
    expect(readdirSync(outboxDir)).toEqual([]);
  });

  it('announces a second halt of the same strategy (a later day) again', async () => {
    // Prepare
    const control = controlWith({ SLACK_WEBHOOK_URL: slack.webhookUrl });
    const nextDay = {
      ...SAMPLE,
      detail: { ...SAMPLE.detail, haltedAt: SAMPLE.detail.haltedAt + 86_400_000 },
    };

    // Act
    await control.announce(SAMPLE);
    await control.announce(nextDay);

    // Assess
    expect(slack.messages).toHaveLength(2);
  });

  it('falls back to Discord without Slack, and to the outbox without either, once per halt', async () => {
    // Act
    await controlWith({ DISCORD_WEBHOOK_URL: discord.webhookUrl }).announce(SAMPLE);
    const outboxOnly = controlWith({});
    const other = { ...SAMPLE, detail: { ...SAMPLE.detail, market: 'ETH/USDT' } };
    const toOutbox = await outboxOnly.announce(other);
    await outboxOnly.announce(other);

    // Assess
    expect(discord.messages).toHaveLength(1);
    expect(toOutbox).toMatchObject({ status: 'announced', channel: 'outbox' });
    const days = readdirSync(outboxDir);
    expect(days).toHaveLength(1);
    const files = readdirSync(join(outboxDir, days[0]!));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(outboxDir, days[0]!, files[0]!), 'utf8')).toContain(
      'Trading halted: sma-cross(fast=10,slow=30) on ETH/USDT',
    );
  });

  it('fails the delivery when Slack refuses, so a redelivery posts it once the channel is fixed', async () => {
    // Prepare
    const control = controlWith({ SLACK_WEBHOOK_URL: slack.webhookUrl });
    slack.archived = true;

    // Act
    const refused = control.announce(SAMPLE);

    // Assess
    await expect(refused).rejects.toThrow(HaltAnnouncementError);
    await expect(refused).rejects.toThrow(/channel_is_archived/);
    slack.archived = false;
    await expect(control.announce(SAMPLE)).resolves.toMatchObject({ status: 'announced', earlier: false });
    expect(slack.messages).toHaveLength(1);
  });

  it('does not post again after an attempt whose outcome is unknown (Slack cannot deduplicate)', async () => {
    // Prepare
    const control = controlWith({ SLACK_WEBHOOK_URL: slack.webhookUrl });
    slack.inject({ kind: 'drop-after-post' });

    // Act
    const first = await control.announce(SAMPLE);
    const second = await control.announce(SAMPLE);

    // Assess
    expect(first).toMatchObject({ status: 'outcome-unknown', channel: 'slack' });
    expect(second).toMatchObject({ status: 'outcome-unknown' });
    expect(slack.messages).toHaveLength(1);
  });

  it('reports that no ops channel is configured instead of posting anywhere', async () => {
    // Prepare: a social channel only, and no outbox.
    const control = createTradingControl({
      states: new MemoryTradingStateStore(),
      publications: log,
      publishers: async () =>
        publishersFromCredentials({ MASTODON_URL: 'https://mastodon.example', MASTODON_TOKEN: 't' })
          .publishers,
      clock: { now: () => DAY },
    });

    // Act
    const result = await control.announce(SAMPLE);

    // Assess
    expect(result).toMatchObject({ status: 'no-channel' });
    expect(log.states.size).toBe(0);
  });

  it('refuses an event whose detail is not a TradingHalted', async () => {
    const control = controlWith({ SLACK_WEBHOOK_URL: slack.webhookUrl });
    await expect(control.announce({ ...SAMPLE, detail: { market: 'BTC/USDT' } as never })).rejects.toThrow(
      /strategyId/,
    );
    expect(slack.requests).toEqual([]);
  });
});
