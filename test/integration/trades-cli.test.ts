import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EnvSecretStore } from '@shared/adapters/local/env-secret-store';
import { signExchangeWebhook } from '@shared/trading-webhooks/verify';
import { createExchangeWebhook } from '../../functions/exchange-webhook/app';
import { CollectingEventBus } from '../../local/runtime/collecting-bus';
import { openLocalAdapters } from '../../local/runtime/local-adapters';
import { apiGatewayEvent } from '../support/lambda-context';
import { runFlywheel } from '../support/run-cli';
import { tempHome } from '../support/temp-home';

const T0 = Date.UTC(2026, 2, 2, 10, 0, 0);
const SECRET = 'binance-webhook-secret-0123456789';

/** Records fills in the home's database the way a running runtime would: through the exchange webhook. */
async function recordThroughWebhook(home: string, fills: readonly Record<string, unknown>[]): Promise<void> {
  const adapters = openLocalAdapters(home, 'test');
  const webhook = createExchangeWebhook({
    secrets: new EnvSecretStore(
      { FLYWHEEL_EXCHANGE_WEBHOOK_SECRETS: JSON.stringify({ binance: SECRET }) },
      { 'exchange-webhook-secrets': 'FLYWHEEL_EXCHANGE_WEBHOOK_SECRETS' },
    ),
    trades: adapters.trades,
    replays: adapters.webhookReplays,
    bus: new CollectingEventBus(),
    clock: { now: () => T0 },
  });
  try {
    for (const fill of fills) {
      const body = JSON.stringify({
        type: 'fill',
        strategy: 'sma-cross',
        market: 'BTC/USDT',
        fee: 0.1,
        ...fill,
      });
      const timestamp = String(T0 / 1000);
      const event = apiGatewayEvent({
        method: 'POST',
        path: '/webhooks/exchange/binance',
        body,
        headers: {
          'x-flywheel-timestamp': timestamp,
          'x-flywheel-signature': signExchangeWebhook(timestamp, body, SECRET),
        },
      });
      const response = await webhook.http({ ...event, pathParameters: { source: 'binance' } });
      expect(response.statusCode).toBe(202);
    }
  } finally {
    adapters.close();
  }
}

describe('flywheel trades and flywheel positions', () => {
  let home: string;

  beforeEach(async () => {
    home = tempHome('trades');
    await recordThroughWebhook(home, [
      { id: 't-1', side: 'buy', quantity: 1, price: 100, time: T0 - 3000 },
      { id: 't-2', side: 'sell', quantity: 0.4, price: 110, time: T0 - 2000 },
      { id: 't-3', side: 'buy', quantity: 2, price: 3000, time: T0 - 1000, market: 'ETH/USDT' },
      { id: 't-4', side: 'sell', quantity: 5, price: 20, time: T0, strategy: 'breakout' },
    ]);
  });

  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it('lists the recorded trades newest first as a table', async () => {
    // Act
    const run = await runFlywheel(['trades'], { env: { FLYWHEEL_HOME: home } });

    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^time\s+strategy\s+market\s+side\s+quantity\s+price\s+fee\s+source\s+id$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).at(-1))).toEqual([
      'webhook:binance:t-4',
      'webhook:binance:t-3',
      'webhook:binance:t-2',
      'webhook:binance:t-1',
    ]);
    expect(lines[1]).toMatch(
      /^2026-03-02T10:00:00Z\s+breakout\s+BTC\/USDT\s+sell\s+5\s+20\s+0\.10\s+webhook:binance/,
    );
  });

  it('filters by strategy and market, honours --limit, and prints JSON with --json', async () => {
    // Act
    const run = await runFlywheel(
      ['trades', '--strategy', 'sma-cross', '--market', 'BTC/USDT', '--limit', '1', '--json'],
      {
        env: { FLYWHEEL_HOME: home },
      },
    );

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      trades: [
        {
          kind: 'fill',
          id: 'webhook:binance:t-2',
          strategy: 'sma-cross',
          market: 'BTC/USDT',
          side: 'sell',
          quantity: 0.4,
          price: 110,
          fee: 0.1,
          time: T0 - 2000,
          source: 'webhook:binance',
        },
      ],
    });
  });

  it('lists positions per strategy and market with realized PnL and fees', async () => {
    // Act
    const text = await runFlywheel(['positions'], { env: { FLYWHEEL_HOME: home } });
    const json = await runFlywheel(['positions', '--strategy', 'sma-cross', '--json'], {
      env: { FLYWHEEL_HOME: home },
    });

    // Assess
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^strategy\s+market\s+size\s+avg entry\s+realized PnL\s+fees\s+net PnL\s+fills\s+last fill$/,
    );
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 8))).toEqual([
      ['breakout', 'BTC/USDT', '-5', '20', '0.00', '0.10', '-0.10', '1'],
      ['sma-cross', 'BTC/USDT', '0.6', '100', '4.00', '0.20', '3.80', '2'],
      ['sma-cross', 'ETH/USDT', '2', '3000', '0.00', '0.10', '-0.10', '1'],
    ]);
    expect(json.code).toBe(0);
    const { positions } = JSON.parse(json.stdout) as { positions: { market: string; size: number }[] };
    expect(positions.map((position) => [position.market, position.size])).toEqual([
      ['BTC/USDT', 0.6],
      ['ETH/USDT', 2],
    ]);
  });

  it('says how trades get there when none are recorded', async () => {
    // Prepare
    const empty = tempHome('trades-empty');

    // Act
    const trades = await runFlywheel(['trades'], { env: { FLYWHEEL_HOME: empty } });
    const positions = await runFlywheel(['positions', '--json'], { env: { FLYWHEEL_HOME: empty } });
    rmSync(empty, { recursive: true, force: true });

    // Assess
    expect(trades.code).toBe(0);
    expect(trades.stdout).toMatch(/No trades recorded\. .*POST \/webhooks\/exchange\/\{source\}/);
    expect(JSON.parse(positions.stdout)).toEqual({ positions: [] });
  });

  it('exits 2 on bad usage', async () => {
    // Act
    const limit = await runFlywheel(['trades', '--limit', '0'], { env: { FLYWHEEL_HOME: home } });
    const strategy = await runFlywheel(['positions', '--strategy', ' '], { env: { FLYWHEEL_HOME: home } });

    // Assess
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/--limit.*whole number/);
    expect(strategy.code).toBe(2);
  });

  it('shows examples in --help', async () => {
    // Act
    const run = await runFlywheel(['trades', '--help']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "flywheel trades --strategy 'sma-cross(fast=50,slow=100)' --market GOOG --limit 10",
    );
  });
});

describe('a --strategy filter given a bare strategy name', () => {
  it('says which recorded strategy ids (name with parameters) it probably meant', async () => {
    const home = tempHome('trades-hint');
    await recordThroughWebhook(home, [
      { id: 'h-1', side: 'buy', quantity: 1, price: 10, time: T0, strategy: 'sma-cross(fast=50,slow=100)' },
    ]);

    const trades = await runFlywheel(['trades', '--strategy', 'sma-cross'], { env: { FLYWHEEL_HOME: home } });
    const positions = await runFlywheel(['positions', '--strategy', 'sma-cross'], {
      env: { FLYWHEEL_HOME: home },
    });
    const exact = await runFlywheel(['trades', '--strategy', 'sma-cross(fast=50,slow=100)', '--json'], {
      env: { FLYWHEEL_HOME: home },
    });

    expect(trades.code).toBe(0);
    expect(trades.stderr).toBe(
      `No trades for strategy "sma-cross". Strategy ids are recorded with their parameters; did you mean --strategy 'sma-cross(fast=50,slow=100)'?\n`,
    );
    expect(positions.stderr).toBe(trades.stderr);
    expect(JSON.parse(exact.stdout).trades).toHaveLength(1);
    rmSync(home, { recursive: true, force: true });
  });
});
