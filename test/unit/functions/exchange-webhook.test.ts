import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EnvSecretStore } from '@shared/adapters/local/env-secret-store';
import { openDatabase, type SqliteDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteTradeStore } from '@shared/adapters/local/sqlite/trade-store';
import { SqliteWebhookReplayStore } from '@shared/adapters/local/sqlite/webhook-replay-store';
import { signExchangeWebhook } from '@shared/trading-webhooks/verify';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { EVENT_SOURCE } from '../../../events/catalog';
import { createExchangeWebhook } from '../../../functions/exchange-webhook/app';
import { CollectingEventBus } from '../../../local/runtime/collecting-bus';
import { apiGatewayEvent } from '../../support/lambda-context';

const NOW = Date.UTC(2026, 2, 2, 10, 0, 0);
const NOW_SECONDS = String(NOW / 1000);
const BINANCE_SECRET = 'binance-webhook-secret-0123456789';
const TRADINGVIEW_SECRET = 'tradingview-alert-secret-abcdef';
const SECRETS_JSON = JSON.stringify({
  binance: BINANCE_SECRET,
  tradingview: { secret: TRADINGVIEW_SECRET, mode: 'body-secret' },
});

const FILL = {
  type: 'fill',
  id: 'trade-28457',
  strategy: 'sma-cross',
  market: 'BTC/USDT',
  side: 'buy',
  quantity: 0.25,
  price: 61_234.5,
  fee: 15.3,
  time: '2026-03-02T09:59:58.120Z',
  orderId: '8389765',
  clientOrderId: 'sma-cross-1772445600000-buy-0',
};

const ALERT = {
  type: 'alert',
  id: 'tv-2026-03-02T10:00:00Z-btc',
  strategy: 'sma-cross',
  market: 'BTC/USDT',
  action: 'sell',
  price: '61200.5',
  time: '2026-03-02T10:00:00Z',
  note: 'RSI crossed 70',
  secret: TRADINGVIEW_SECRET,
};

interface Harness {
  readonly db: SqliteDatabase;
  readonly trades: SqliteTradeStore;
  readonly bus: CollectingEventBus;
  readonly webhook: ReturnType<typeof createExchangeWebhook>;
  cleanup(): void;
}

function harness(env: Record<string, string> = { FLYWHEEL_EXCHANGE_WEBHOOK_SECRETS: SECRETS_JSON }): Harness {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-exchange-webhook-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  const trades = new SqliteTradeStore(db);
  const bus = new CollectingEventBus();
  const webhook = createExchangeWebhook({
    secrets: new EnvSecretStore(env, { 'exchange-webhook-secrets': 'FLYWHEEL_EXCHANGE_WEBHOOK_SECRETS' }),
    trades,
    replays: new SqliteWebhookReplayStore(db),
    bus,
    clock: { now: () => NOW },
  });
  return {
    db,
    trades,
    bus,
    webhook,
    cleanup: () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A POST to /webhooks/exchange/{source} with these headers and raw body. */
function request(source: string, body: string, headers: Record<string, string> = {}) {
  const event = apiGatewayEvent({ method: 'POST', path: `/webhooks/exchange/${source}`, headers, body });
  return { ...event, routeKey: 'POST /webhooks/exchange/{source}', pathParameters: { source } };
}

/** A request signed as a sender does: HMAC-SHA256 of `<timestamp>.<body>` under the source's secret. */
function signed(body: string, options: { timestamp?: string; secret?: string; source?: string } = {}) {
  const timestamp = options.timestamp ?? NOW_SECONDS;
  return request(options.source ?? 'binance', body, {
    'x-flywheel-timestamp': timestamp,
    'x-flywheel-signature': signExchangeWebhook(timestamp, body, options.secret ?? BINANCE_SECRET),
  });
}

function bodyOf(response: APIGatewayProxyStructuredResultV2): { error?: string } & Record<string, unknown> {
  return JSON.parse(String(response.body));
}

/** Every row of every table the webhook writes, so a test can say nothing was stored. */
function storedRows(db: SqliteDatabase) {
  return {
    trades: db.prepare('SELECT id FROM trades').all(),
    events: db.prepare('SELECT key FROM webhook_events').all(),
  };
}

describe('exchange-webhook', () => {
  let h: Harness;

  beforeEach(() => {
    h = harness();
  });

  afterEach(() => {
    h.cleanup();
  });

  it('stores a fill with a good signature in the trades table', async () => {
    // Act
    const response = await h.webhook.http(signed(JSON.stringify(FILL)));

    // Assess
    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual({ accepted: 'fill', tradeId: 'webhook:binance:trade-28457' });
    expect(await h.trades.list()).toEqual([
      {
        kind: 'fill',
        id: 'webhook:binance:trade-28457',
        strategy: 'sma-cross',
        market: 'BTC/USDT',
        side: 'buy',
        quantity: 0.25,
        price: 61_234.5,
        fee: 15.3,
        time: Date.parse('2026-03-02T09:59:58.120Z'),
        source: 'webhook:binance',
        orderId: '8389765',
        clientOrderId: 'sma-cross-1772445600000-buy-0',
      },
    ]);
  });

  it('stores an order update apart from fills', async () => {
    // Prepare
    const update = {
      type: 'order-update',
      id: 'upd-1',
      strategy: 'sma-cross',
      market: 'BTC/USDT',
      side: 'sell',
      orderId: '8389766',
      status: 'cancelled',
      quantity: 0.25,
      time: NOW - 1000,
      reason: 'cancelled by the user',
    };

    // Act
    const response = await h.webhook.http(signed(JSON.stringify(update)));

    // Assess
    expect(response.statusCode).toBe(202);
    expect(await h.trades.list()).toEqual([]);
    expect(await h.trades.list({ kind: 'order-update' })).toEqual([
      expect.objectContaining({ id: 'webhook:binance:upd-1', status: 'cancelled', filledQuantity: 0 }),
    ]);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    // Act
    const response = await h.webhook.http(
      signed(JSON.stringify(FILL), { secret: 'someone-elses-secret-123456' }),
    );

    // Assess
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response).error).toMatch(/x-flywheel-signature .*does not match/);
    expect(storedRows(h.db)).toEqual({ trades: [], events: [] });
  });

  it('refuses a body changed after signing', async () => {
    // Prepare
    const original = signed(JSON.stringify(FILL));
    const tampered = { ...original, body: JSON.stringify({ ...FILL, quantity: 25 }) };

    // Act
    const response = await h.webhook.http(tampered);

    // Assess
    expect(response.statusCode).toBe(401);
    expect(storedRows(h.db)).toEqual({ trades: [], events: [] });
  });

  it('refuses a request without a timestamp, and one signed more than 5 minutes from now either way', async () => {
    // Prepare
    const body = JSON.stringify(FILL);
    const unsigned = request('binance', body, {
      'x-flywheel-signature': signExchangeWebhook(NOW_SECONDS, body, BINANCE_SECRET),
    });

    // Act
    const missing = await h.webhook.http(unsigned);
    const stale = await h.webhook.http(signed(body, { timestamp: String(NOW / 1000 - 301) }));
    const future = await h.webhook.http(signed(body, { timestamp: String(NOW / 1000 + 301) }));
    const edge = await h.webhook.http(signed(body, { timestamp: String(NOW / 1000 - 300) }));

    // Assess
    expect(missing.statusCode).toBe(401);
    expect(bodyOf(missing).error).toMatch(/x-flywheel-timestamp is missing/);
    expect(stale.statusCode).toBe(401);
    expect(bodyOf(stale).error).toMatch(/301 s away from now \(at most 300 s\)/);
    expect(future.statusCode).toBe(401);
    expect(edge.statusCode).toBe(202);
  });

  it('refuses a replayed event id with 409, and stores the event once', async () => {
    // Prepare
    const body = JSON.stringify(FILL);
    await h.webhook.http(signed(body));

    // Act
    const replay = await h.webhook.http(signed(body, { timestamp: String(NOW / 1000 + 10) }));

    // Assess
    expect(replay.statusCode).toBe(409);
    expect(bodyOf(replay).error).toMatch(/trade-28457 from binance was accepted before/);
    expect(await h.trades.list()).toHaveLength(1);
  });

  it('refuses an oversized body with 400 before reading it', async () => {
    // Prepare
    const body = JSON.stringify({ ...FILL, padding: 'x'.repeat(64 * 1024) });

    // Act
    const response = await h.webhook.http(signed(body));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toMatch(/over the limit of 65536/);
    expect(storedRows(h.db)).toEqual({ trades: [], events: [] });
  });

  it('refuses malformed JSON with 400, without echoing the body', async () => {
    // Prepare
    const body = `{"type":"fill","secret":"${BINANCE_SECRET}",`;

    // Act
    const response = await h.webhook.http(signed(body));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toMatch(/not valid JSON/);
    expect(response.body).not.toContain(BINANCE_SECRET);
    expect(storedRows(h.db)).toEqual({ trades: [], events: [] });
  });

  it('refuses a body that fails the schema with 400, naming the fields', async () => {
    // Prepare
    const body = JSON.stringify({ ...FILL, side: 'long', quantity: -1 });

    // Act
    const response = await h.webhook.http(signed(body));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toMatch(/side: .*quantity/s);
    expect(storedRows(h.db)).toEqual({ trades: [], events: [] });
  });

  it('refuses a source without a configured secret with 401', async () => {
    // Act
    const response = await h.webhook.http(signed(JSON.stringify(FILL), { source: 'kraken' }));

    // Assess
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response).error).toMatch(/no secret is configured for source "kraken"/);
  });

  it('answers 503 naming the variable when no secrets are configured, and never echoes a secret', async () => {
    // Prepare
    const unconfigured = harness({});
    const broken = harness({ FLYWHEEL_EXCHANGE_WEBHOOK_SECRETS: `{"binance": "${BINANCE_SECRET}"` });

    // Act
    const missing = await unconfigured.webhook.http(signed(JSON.stringify(FILL)));
    const invalid = await broken.webhook.http(signed(JSON.stringify(FILL)));
    unconfigured.cleanup();
    broken.cleanup();

    // Assess
    expect(missing.statusCode).toBe(503);
    expect(bodyOf(missing).error).toMatch(/set FLYWHEEL_EXCHANGE_WEBHOOK_SECRETS/);
    expect(invalid.statusCode).toBe(503);
    expect(invalid.body).not.toContain(BINANCE_SECRET);
  });

  describe('the body-secret mode (TradingView alerts, weaker: no signature)', () => {
    it('emits SignalRequested for an alert with the right secret, and never passes the secret on', async () => {
      // Act
      const response = await h.webhook.http(request('tradingview', JSON.stringify(ALERT)));

      // Assess
      expect(response.statusCode).toBe(202);
      expect(bodyOf(response)).toEqual({ accepted: 'alert', emitted: 'SignalRequested' });
      expect(h.bus.take()).toEqual([
        {
          source: EVENT_SOURCE,
          detailType: 'SignalRequested',
          detail: {
            source: 'tradingview',
            alertId: ALERT.id,
            strategy: 'sma-cross',
            market: 'BTC/USDT',
            action: 'sell',
            price: 61200.5,
            time: Date.parse('2026-03-02T10:00:00Z'),
            note: 'RSI crossed 70',
          },
        },
      ]);
      expect(await h.trades.list()).toEqual([]);
    });

    it('refuses a wrong or missing body secret with 401', async () => {
      // Prepare
      const { secret: _secret, ...withoutSecret } = ALERT;

      // Act
      const wrong = await h.webhook.http(
        request('tradingview', JSON.stringify({ ...ALERT, secret: 'guess' })),
      );
      const missing = await h.webhook.http(request('tradingview', JSON.stringify(withoutSecret)));

      // Assess
      expect(wrong.statusCode).toBe(401);
      expect(bodyOf(wrong).error).toMatch(/"secret" is missing or wrong/);
      expect(missing.statusCode).toBe(401);
      expect(h.bus.take()).toEqual([]);
      expect(storedRows(h.db)).toEqual({ trades: [], events: [] });
    });

    it('refuses a replayed alert id, the only replay protection of this mode', async () => {
      // Prepare
      await h.webhook.http(request('tradingview', JSON.stringify(ALERT)));
      h.bus.take();

      // Act
      const replay = await h.webhook.http(request('tradingview', JSON.stringify(ALERT)));

      // Assess
      expect(replay.statusCode).toBe(409);
      expect(h.bus.take()).toEqual([]);
    });

    it('does not accept a body secret from a source configured for signatures', async () => {
      // Act
      const response = await h.webhook.http(
        request('binance', JSON.stringify({ ...FILL, secret: BINANCE_SECRET })),
      );

      // Assess
      expect(response.statusCode).toBe(401);
      expect(storedRows(h.db)).toEqual({ trades: [], events: [] });
    });
  });

  it('lets a sender retry after storing failed, instead of taking the retry for a replay', async () => {
    // Prepare
    const folder = mkdtempSync(join(tmpdir(), 'flywheel-exchange-webhook-'));
    const db = openDatabase(join(folder, 'flywheel.db'));
    const trades = new SqliteTradeStore(db);
    let failNext = true;
    const webhook = createExchangeWebhook({
      secrets: new EnvSecretStore(
        { FLYWHEEL_EXCHANGE_WEBHOOK_SECRETS: SECRETS_JSON },
        { 'exchange-webhook-secrets': 'FLYWHEEL_EXCHANGE_WEBHOOK_SECRETS' },
      ),
      trades: {
        record: (entry) => {
          if (!failNext) return trades.record(entry);
          failNext = false;
          return Promise.reject(new Error('the database is locked'));
        },
        list: (query) => trades.list(query),
      },
      replays: new SqliteWebhookReplayStore(db),
      bus: new CollectingEventBus(),
      clock: { now: () => NOW },
    });

    // Act
    const first = webhook.http(signed(JSON.stringify(FILL)));
    await expect(first).rejects.toThrow('the database is locked');
    const retry = await webhook.http(signed(JSON.stringify(FILL)));
    const stored = await trades.list();
    db.close();
    rmSync(folder, { recursive: true, force: true });

    // Assess
    expect(retry.statusCode).toBe(202);
    expect(stored).toHaveLength(1);
  });

  it('answers no random request with a 5xx, and stores nothing for any of them (fuzz)', async () => {
    // Prepare: headers and bodies a confused or hostile sender might send, some near-valid.
    const jsonish = fc.oneof(
      fc.json(),
      fc.string(),
      fc
        .record(
          {
            type: fc.constantFrom('fill', 'order-update', 'alert', 'FILL', ''),
            id: fc.oneof(fc.string(), fc.integer()),
            strategy: fc.string(),
            market: fc.string(),
            side: fc.constantFrom('buy', 'sell', 'long'),
            action: fc.constantFrom('buy', 'sell', 'close', 'hold'),
            quantity: fc.oneof(fc.double(), fc.string()),
            price: fc.oneof(fc.double(), fc.string()),
            time: fc.oneof(fc.integer(), fc.string(), fc.constant('2026-03-02T10:00:00Z')),
            secret: fc.oneof(fc.string(), fc.constant('guess-the-secret')),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    const headers = fc.dictionary(
      fc.constantFrom(
        'x-flywheel-timestamp',
        'x-flywheel-signature',
        'X-Flywheel-Signature',
        'content-type',
        'x-other',
      ),
      fc.oneof(fc.string(), fc.constant(NOW_SECONDS), fc.constant('sha256=00'), fc.constant('9999999999999')),
    );
    const source = fc.oneof(
      fc.constantFrom('binance', 'tradingview', 'kraken'),
      fc.string({ maxLength: 70 }),
    );

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(source, headers, jsonish, fc.boolean(), async (name, sent, body, base64) => {
        const event = {
          ...request(name, base64 ? Buffer.from(body).toString('base64') : body, sent),
          isBase64Encoded: base64,
        };
        const response = await h.webhook.http(event);
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
        expect(typeof bodyOf(response).error).toBe('string');
      }),
      { numRuns: 300 },
    );
    expect(storedRows(h.db)).toEqual({ trades: [], events: [] });
    expect(h.bus.take()).toEqual([]);
  });

  it('answers correctly signed random bodies with 202, 400 or 409 only, storing exactly what it accepted (fuzz)', async () => {
    // Prepare: authenticated senders with random, sometimes valid, payloads.
    const payload = fc.record({
      type: fc.constantFrom('fill', 'order-update', 'alert'),
      id: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constant('')),
      strategy: fc.constantFrom('sma-cross', ''),
      market: fc.constantFrom('BTC/USDT', 'ETH/USDT'),
      side: fc.constantFrom('buy', 'sell', 'short'),
      action: fc.constantFrom('buy', 'close', 'hold'),
      orderId: fc.constantFrom('1', ''),
      status: fc.constantFrom('open', 'filled', 'done'),
      quantity: fc.oneof(fc.double({ noNaN: true }), fc.constantFrom('1.5', '-2', 'abc')),
      price: fc.oneof(fc.double({ noNaN: true }), fc.constantFrom('100', '1e999')),
      fee: fc.oneof(fc.double({ noNaN: true }), fc.constant(0)),
      time: fc.oneof(fc.integer(), fc.constantFrom('2026-03-02T10:00:00Z', 'yesterday')),
    });
    let accepted = 0;

    // Act
    await fc.assert(
      fc.asyncProperty(payload, async (value) => {
        const response = await h.webhook.http(signed(JSON.stringify(value)));
        expect([202, 400, 409]).toContain(response.statusCode);
        if (response.statusCode === 202) accepted += 1;
      }),
      { numRuns: 300 },
    );

    // Assess
    const rows = storedRows(h.db);
    const tradeRows = rows.trades.length;
    expect(tradeRows + h.bus.take().length).toBe(accepted);
    expect(rows.events).toHaveLength(accepted);
    expect(accepted).toBeGreaterThan(0);
  });
});
