import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Json } from '@shared/ports/json';
import { INITIAL_TRADING_STATE, loadTradingState } from '@shared/trading/execution-run';
import { observeEquity } from '@shared/trading/risk';
import { openLocalAdapters } from '../../local/runtime/local-adapters';
import { type Runtime, startRuntime } from '../../local/runtime/runtime';
import { FakeSlack } from '../support/fake-platforms';
import { runFlywheel } from '../support/run-cli';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');
const DAY = Date.UTC(2026, 2, 2);
const HALTED = { strategyId: 'sma-cross(fast=10,slow=30)', market: 'BTC/USDT' };
const TRADING = { strategyId: 'rsi(period=14)', market: 'GOOG' };

/** Stores what the executor would have: one strategy the kill switch halted, one trading. */
async function seedHome(home: string): Promise<void> {
  const limits = { maxDailyLoss: 500 };
  const opened = observeEquity(INITIAL_TRADING_STATE.risk, DAY + 3_600_000, 10_000, limits).state;
  const tripped = observeEquity(opened, DAY + 4 * 3_600_000, 9_400, limits).state;
  const adapters = openLocalAdapters(home, 'test');
  try {
    await adapters.tradingStates.put(
      HALTED,
      { ...INITIAL_TRADING_STATE, lastBarTime: DAY + 3 * 3_600_000, risk: tripped } as unknown as Json,
      0,
    );
    await adapters.tradingStates.put(
      TRADING,
      { ...INITIAL_TRADING_STATE, lastBarTime: DAY } as unknown as Json,
      0,
    );
  } finally {
    adapters.close();
  }
}

async function haltOf(home: string, key: typeof HALTED) {
  const adapters = openLocalAdapters(home, 'test');
  try {
    return (await loadTradingState(adapters.tradingStates, key)).state.risk.halt;
  } finally {
    adapters.close();
  }
}

describe('flywheel trading status and resume', () => {
  let home: string;
  const flywheel = (...argv: string[]) => runFlywheel(argv, { env: { FLYWHEEL_HOME: home } });

  beforeEach(async () => {
    home = tempHome('trading');
    await seedHome(home);
  });

  it('lists each strategy and market with its halt', async () => {
    // Act
    const text = await flywheel('trading', 'status');
    const json = await flywheel('trading', 'status', '--json');

    // Assess
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('sma-cross(fast=10,slow=30)  BTC/USDT  HALTED');
    expect(text.stdout).toContain('rsi(period=14)              GOOG      trading');
    expect(text.stdout).toContain('1 halted: flywheel trading resume');
    expect(JSON.parse(json.stdout).strategies.map((entry: { halted: boolean }) => entry.halted)).toEqual([
      true,
      false,
    ]);
  });

  it('resumes one strategy on one market, and says so when it is not halted any more', async () => {
    // Act
    const first = await flywheel(
      'trading',
      'resume',
      '--strategy',
      HALTED.strategyId,
      '--market',
      'BTC/USDT',
    );
    const second = await flywheel(
      'trading',
      'resume',
      '--strategy',
      HALTED.strategyId,
      '--market',
      'BTC/USDT',
      '--json',
    );

    // Assess
    expect(first).toEqual({
      code: 0,
      stdout:
        'Resumed sma-cross(fast=10,slow=30) on BTC/USDT (halted 2026-03-02T04:00:00Z: the loss since the start of the UTC day (600.00) reached the maximum daily loss (500)).\n',
      stderr: '',
    });
    expect(await haltOf(home, HALTED)).toBeNull();
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ resumed: [], notHalted: [HALTED] });
  });

  it('resumes every halt with --all', async () => {
    // Act
    const run = await flywheel('trading', 'resume', '--all', '--json');

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ resumed: [HALTED], notHalted: [TRADING] });
    expect(await haltOf(home, HALTED)).toBeNull();
  });

  it('exits 1 for a strategy nothing trades and 2 for flags that do not say one target', async () => {
    // Act
    const unknown = await flywheel('trading', 'resume', '--strategy', 'nope', '--market', 'BTC/USDT');
    const nothing = await flywheel('trading', 'resume');
    const half = await flywheel('trading', 'resume', '--strategy', HALTED.strategyId);
    const both = await flywheel('trading', 'resume', '--all', '--market', 'BTC/USDT');

    // Assess
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toBe(
      'error: nothing trades nope on BTC/USDT: no trading state is stored for it (flywheel trading status lists them)\n',
    );
    expect([nothing.code, half.code, both.code]).toEqual([2, 2, 2]);
    expect(half.stderr).toBe(
      'error: --strategy and --market go together: a halt is per strategy and market\n',
    );
    expect(await haltOf(home, HALTED)).not.toBeNull();
  });
});

describe('trading control in the local runtime', () => {
  let runtime: Runtime;
  let slack: FakeSlack;
  let token: string;
  const call = (path: string, init: RequestInit = {}, auth = true) =>
    fetch(`${runtime.url}${path}`, {
      ...init,
      headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    const home = tempHome('trading-runtime');
    await seedHome(home);
    runtime = await startRuntime({
      home,
      cwd: ROOT,
      workers: 1,
      httpPort: 0,
      log: () => {},
      env: { FLYWHEEL_SLACK_WEBHOOK_URL: slack.webhookUrl },
    });
    token = readFileSync(runtime.tokenFile, 'utf8').trim();
  });

  afterAll(async () => {
    await runtime.stop();
    await slack.close();
  });

  it('announces a TradingHalted on the bus to Slack once, even when it is delivered twice', async () => {
    // Prepare
    const halted = {
      source: 'flywheel',
      detailType: 'TradingHalted',
      detail: { ...HALTED, haltedAt: DAY, reason: 'daily loss', dailyLoss: 600, maxDailyLoss: 500 },
    };

    // Act
    await runtime.bus.put([halted]);
    await runtime.idle();
    await runtime.bus.put([halted]);
    await runtime.idle();

    // Assess
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]).toMatch(/^Trading halted: sma-cross\(fast=10,slow=30\) on BTC\/USDT at /);
  });

  it('serves GET /trading/status and POST /trading/resume behind the local token', async () => {
    // Act
    const anonymous = await call('/trading/status', {}, false);
    const status = await call('/trading/status');
    const resumed = await call('/trading/resume', { method: 'POST', body: JSON.stringify({ all: true }) });
    const after = await call('/trading/status');

    // Assess
    expect(anonymous.status).toBe(401);
    expect(status.status).toBe(200);
    expect(((await status.json()) as { strategies: { halted: boolean }[] }).strategies[0]?.halted).toBe(true);
    expect(await resumed.json()).toMatchObject({ resumed: [HALTED], notHalted: [TRADING] });
    expect(((await after.json()) as { strategies: { halted: boolean }[] }).strategies[0]?.halted).toBe(false);
  });
});
