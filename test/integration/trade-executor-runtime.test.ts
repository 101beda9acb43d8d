import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import type { Json } from '@shared/ports/json';
import type { FillRecord } from '@shared/ports/trade-store';
import { positionsIn } from '@shared/trade-ledger/positions';
import { EVENT_SOURCE, type StrategyPromoted } from '../../events/catalog';
import { builtinIdentity } from '../../functions/lib/builtin-strategies';
import { type Runtime, startRuntime } from '../../local/runtime/runtime';
import type { ReplaySummary } from '../../local/trading/replay-trading';
import { LocalTradingSettingsSchema } from '../../local/trading/settings';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');
const ENGINE = BacktestOptionsSchema.parse({ cash: 10_000, commission: 0.002, fractional: true });
const PROMOTED: StrategyPromoted = {
  market: 'GOOG',
  sweepId: 'sweep-1',
  datasetHash: 'not-stored',
  strategy: { name: 'sma-cross', identity: builtinIdentity('sma-cross') },
  params: { fast: 10, slow: 30 },
  engine: ENGINE,
  objective: 'sqn',
  walkForwardSettings: { mode: 'rolling', folds: 4, inSample: 0.7 },
  walkForward: { objective: 1, inSampleObjective: 1.2, ratio: 0.8, trades: 12 },
  reason: 'walk-forward sqn meets the threshold',
};

async function promote(runtime: Runtime): Promise<void> {
  // What sweep-aggregate does: record the promotion, then announce it.
  await runtime.adapters.promotions.record({
    market: 'GOOG',
    sweepId: 'sweep-1',
    decidedAt: Date.now(),
    promoted: true,
    reason: PROMOTED.reason,
    candidate: {
      strategy: PROMOTED.strategy,
      params: PROMOTED.params,
      engine: ENGINE,
      objective: 'sqn',
      configurationKey: 'c1',
      datasetHash: PROMOTED.datasetHash,
      walkForward: PROMOTED.walkForward,
    } as unknown as Json,
  });
  await runtime.bus.put([{ source: EVENT_SOURCE, detailType: 'StrategyPromoted', detail: PROMOTED }]);
}

describe('paper trading on the local runtime (replay feed → trade-executor → trades table)', () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it('replays the configured file through the promoted strategy and records every fill in the trades table', async () => {
    // Prepare
    const logs: string[] = [];
    const summaries: ReplaySummary[] = [];
    runtime = await startRuntime({
      home: tempHome('paper-replay'),
      cwd: ROOT,
      configDir: ROOT,
      workers: 1,
      log: (line) => logs.push(line),
      env: {},
      trading: LocalTradingSettingsSchema.parse({ replay: { files: { GOOG: 'data/ohlcv/GOOG.csv' } } }),
      onReplaySummary: (summary) => summaries.push(summary),
    });
    // Act
    await promote(runtime);
    await runtime.idle();
    await runtime.trading.idle();
    // Assess
    const fills = (await runtime.adapters.trades.list({ market: 'GOOG' })) as FillRecord[];
    const [summary] = summaries;
    expect(summary).toMatchObject({
      market: 'GOOG',
      strategy: 'sma-cross',
      strategyId: 'sma-cross(fast=10,slow=30)',
      bars: 2148,
      halted: false,
      stopped: false,
    });
    expect(summary!.trades).toBeGreaterThan(20);
    expect(fills).toHaveLength(summary!.trades);
    expect(logs).toEqual([
      'GOOG: sma-cross(fast=10,slow=30) starts trading on paper',
      'GOOG: paper trading sma-cross(fast=10,slow=30) on a replay of data/ohlcv/GOOG.csv (2148 bars, speed max)',
      `GOOG: paper-traded sma-cross over 2148 bars: ${summary!.trades} trades, equity ${summary!.equity!.toFixed(2)}`,
    ]);
    const [position] = await positionsIn(runtime.adapters.trades, { strategy: 'sma-cross(fast=10,slow=30)' });
    expect(position?.fills).toBe(summary!.trades);
  });

  it('stays responsive during a replay and stops it cleanly when the runtime stops', async () => {
    // Prepare
    const logs: string[] = [];
    const summaries: ReplaySummary[] = [];
    runtime = await startRuntime({
      home: tempHome('paper-replay-stop'),
      cwd: ROOT,
      configDir: ROOT,
      workers: 1,
      httpPort: 0,
      log: (line) => logs.push(line),
      env: {},
      trading: LocalTradingSettingsSchema.parse({ replay: { files: { GOOG: 'data/ohlcv/GOOG.csv' } } }),
      onReplaySummary: (summary) => summaries.push(summary),
    });
    await promote(runtime);
    await runtime.idle();
    // Act: an HTTP request is answered while the replay plays, then the runtime stops mid-replay.
    const response = await fetch(`${runtime.url}/sweeps`);
    const stopping = runtime;
    runtime = undefined;
    await stopping.stop();
    // Assess
    expect(response.status).toBe(401);
    expect(summaries).toEqual([expect.objectContaining({ market: 'GOOG', stopped: true })]);
    expect(summaries[0]!.bars).toBeLessThan(2148);
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^GOOG: paper-traded sma-cross over \d+ bars: .*\(stopped before the end of the data\)$/,
      ),
    );
  });

  it('refuses a replay speed it cannot read, naming the field', () => {
    const parsed = LocalTradingSettingsSchema.safeParse({ replay: { speed: 'fast' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['replay', 'speed'] });
    expect(parsed.error?.issues[0]?.message).toContain('use max, a multiple of real time such as 60x');
  });
});
