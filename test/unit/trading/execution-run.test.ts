import { describe, expect, it } from '@jest/globals';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import { type Bars, sliceBars } from '@shared/market-data/bars';
import type { Json } from '@shared/ports/json';
import type { FillRecord, RecordOutcome, TradeEntry, TradeStore } from '@shared/ports/trade-store';
import {
  TradingStateConflictError,
  type TradingStateKey,
  type TradingStateStore,
} from '@shared/ports/trading-state-store';
import { defineStrategy } from '@shared/strategies/api';
import { smaCross } from '@shared/strategies/builtin/sma-cross';
import {
  type ExecutionDependencies,
  type ExecutionTarget,
  paperMarketOf,
  runExecution,
  startExecution,
} from '@shared/trading/execution-run';
import { StrategyExecutor } from '@shared/trading/executor';
import { MemoryTradingStateStore } from '@shared/trading/memory-trading-state-store';
import { PaperBroker } from '@shared/trading/paper-broker';
import type { Halt } from '@shared/trading/risk';
import { StrategySignals } from '@shared/trading/signals';
import { barsFrom } from '../../support/bars';
import { loadSample } from '../../support/sample-data';

const ENGINE = BacktestOptionsSchema.parse({ cash: 10_000, commission: 0.002, fractional: true });
const SMA: ExecutionTarget = {
  market: 'GOOG',
  symbol: 'GOOG',
  strategy: smaCross,
  params: { fast: 10, slow: 30 },
  engine: ENGINE,
};

/** The trades table in memory, keyed by id as every adapter is (the contract suite covers the real ones). */
class MemoryTradeStore implements TradeStore {
  private readonly entries = new Map<string, TradeEntry>();
  async record(entry: TradeEntry): Promise<RecordOutcome> {
    if (this.entries.has(entry.id)) return 'duplicate';
    this.entries.set(entry.id, entry);
    return 'recorded';
  }
  async list(): Promise<TradeEntry[]> {
    return [...this.entries.values()];
  }
}

function stores() {
  return { states: new MemoryTradingStateStore(), trades: new MemoryTradeStore() };
}

/** Plays bars one invocation at a time, as trade-executor sees them: every run starts from the stored state. */
async function playBarByBar(deps: ExecutionDependencies, target: ExecutionTarget, bars: Bars, from = 0) {
  const reports = [];
  for (let i = from; i < bars.length; i++)
    reports.push(await runExecution(deps, target, sliceBars(bars, 0, i + 1)));
  return reports;
}

/** The same bars through one executor and one PaperBroker that never leave memory (what `flywheel paper run` does). */
async function playContinuously(target: ExecutionTarget, bars: Bars) {
  let now = bars.time[0]!;
  const clock = { now: () => now };
  const market = paperMarketOf(target.symbol, target.engine);
  const broker = new PaperBroker(
    {
      market,
      strategyId: 'sma-cross(fast=10,slow=30)',
      cash: target.engine.cash,
      commission: target.engine.commission,
      spread: target.engine.spread,
      slippageBps: target.engine.slippageBps,
      fractional: target.engine.fractional,
    },
    clock,
  );
  const executor = new StrategyExecutor({
    strategyId: 'sma-cross(fast=10,slow=30)',
    market,
    signals: new StrategySignals(target.strategy, target.params, false),
    broker,
    clock,
    limits: {},
  });
  for (let i = 0; i < bars.length; i++) {
    now = bars.time[i]!;
    broker.onBar({
      time: now,
      open: bars.open[i]!,
      high: bars.high[i]!,
      low: bars.low[i]!,
      close: bars.close[i]!,
    });
    await executor.onClosedBar(sliceBars(bars, 0, i + 1));
  }
  return { fills: broker.fills(), equity: broker.equity(bars.close[bars.length - 1]!) };
}

describe('an execution run (trade-executor on one strategy and market)', () => {
  it('trading bar by bar from stored state fills exactly as one uninterrupted paper replay', async () => {
    // Prepare
    const bars = sliceBars(loadSample('GOOG.csv'), 0, 260);
    const { states, trades } = stores();
    // Act
    const reports = await playBarByBar({ states, trades, limits: {} }, SMA, bars);
    const reference = await playContinuously(SMA, bars);
    const recorded = (await trades.list()) as FillRecord[];
    // Assess
    expect(reference.fills.length).toBeGreaterThan(4);
    expect(
      recorded.map(({ side, quantity, price, fee, time }) => ({ side, quantity, price, fee, time })),
    ).toEqual(
      reference.fills.map(({ side, amount, price, fee, time }) => ({
        side,
        quantity: amount,
        price,
        fee,
        time,
      })),
    );
    expect(
      recorded.every((fill) => fill.strategy === 'sma-cross(fast=10,slow=30)' && fill.market === 'GOOG'),
    ).toBe(true);
    expect(reports.at(-1)!.equity).toBeCloseTo(reference.equity, 6);
    expect(reports.at(-1)!.revision).toBe(bars.length);
  });

  it('keeps every refused decision with its reason in the stored state, and trades nothing for it', async () => {
    // Prepare: no order may be worth more than 100, and an all-funds entry is worth 10,000.
    const bars = sliceBars(loadSample('GOOG.csv'), 0, 260);
    const { states, trades } = stores();
    // Act
    const reports = await playBarByBar({ states, trades, limits: { maxOrderNotional: 100 } }, SMA, bars);
    const stored = await states.get({ strategyId: 'sma-cross(fast=10,slow=30)', market: 'GOOG' });
    // Assess
    const refused = reports.flatMap((report) =>
      report.outcomes.filter((outcome) => outcome.kind === 'refused'),
    );
    const kept = (stored!.state as { refusals: { barTime: number; code: string; reason: string }[] })
      .refusals;
    expect(refused.length).toBeGreaterThan(0);
    expect(kept).toEqual(
      refused.map((outcome) => ({
        barTime: outcome.barTime,
        code: 'max-order-notional',
        reason: outcome.kind === 'refused' ? outcome.refusal.reason : '',
      })),
    );
    expect(kept[0]!.reason).toMatch(/100/);
    expect(await trades.list()).toEqual([]);
  });

  it('records nothing twice when a run is retried after it recorded fills but could not store its state', async () => {
    // Prepare: the state write of bar 120's run fails once, after its fills were recorded.
    const bars = sliceBars(loadSample('GOOG.csv'), 0, 200);
    const { states, trades } = stores();
    let failNextPut = false;
    const flaky: TradingStateStore = {
      get: (key) => states.get(key),
      list: (market) => states.list(market),
      put: async (key: TradingStateKey, state: Json, revision: number) => {
        if (failNextPut) {
          failNextPut = false;
          throw new Error('connection reset');
        }
        return states.put(key, state, revision);
      },
    };
    const deps = { states: flaky, trades, limits: {} };
    await playBarByBar(deps, SMA, sliceBars(bars, 0, 120));
    // Act: the invocation for the next 40 bars crashes before its state is stored, then is retried.
    failNextPut = true;
    const crashed = runExecution(deps, SMA, sliceBars(bars, 0, 160));
    await expect(crashed).rejects.toThrow('connection reset');
    const fillsAfterCrash = (await trades.list()).length;
    const retry = await runExecution(deps, SMA, sliceBars(bars, 0, 160));
    const again = await runExecution(deps, SMA, sliceBars(bars, 0, 160));
    const all = (await trades.list()) as FillRecord[];
    // Assess
    expect(retry.bars).toBe(40);
    expect(retry.fillsDuplicate).toBeGreaterThan(0);
    expect(retry.fillsRecorded).toBe(0);
    expect(all).toHaveLength(fillsAfterCrash);
    expect(new Set(all.map((fill) => fill.id)).size).toBe(all.length);
    expect(again).toMatchObject({ bars: 0, fillsRecorded: 0, fillsDuplicate: 0 });
    const reference = await playContinuously(SMA, sliceBars(bars, 0, 160));
    expect(all).toHaveLength(reference.fills.length);
  });

  it('refuses a run whose state another invocation advanced since it read it', async () => {
    // Prepare: two invocations read revision 1.
    const bars = sliceBars(loadSample('GOOG.csv'), 0, 50);
    const { states, trades } = stores();
    await runExecution({ states, trades, limits: {} }, SMA, sliceBars(bars, 0, 40));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowStates: TradingStateStore = {
      get: (key) => states.get(key),
      list: (market) => states.list(market),
      put: async (key, state, revision) => {
        await gate;
        return states.put(key, state, revision);
      },
    };
    // Act
    const slow = runExecution({ states: slowStates, trades, limits: {} }, SMA, sliceBars(bars, 0, 45));
    await runExecution({ states, trades, limits: {} }, SMA, sliceBars(bars, 0, 45));
    release();
    // Assess
    await expect(slow).rejects.toBeInstanceOf(TradingStateConflictError);
    expect((await states.get({ market: 'GOOG', strategyId: 'sma-cross(fast=10,slow=30)' }))?.revision).toBe(
      2,
    );
  });

  it('keeps a tripped kill switch across invocations: later runs refuse every decision and announce it once', async () => {
    // Prepare: long on even bars, short on odd ones, on a market falling 5% a bar: the day's loss grows fast.
    const flipFlop = defineStrategy({
      name: 'flip-flop',
      description: 'alternates',
      params: {},
      indicators: () => ({}),
      signal: (i) => (i % 2 === 0 ? 'long' : 'short'),
    });
    const closes = Array.from({ length: 12 }, (_, i) => 100 * 0.95 ** i);
    const bars = barsFrom(
      closes.map(
        (close, i) =>
          [i === 0 ? close : closes[i - 1]!, Math.max(close, closes[i - 1] ?? close), close, close] as const,
      ),
      { startIso: '2024-03-01T00:00:00Z', stepMs: 3_600_000 },
    );
    const target: ExecutionTarget = {
      ...SMA,
      strategy: flipFlop,
      params: {},
      market: 'BTC/USDT',
      symbol: 'BTC/USDT',
    };
    const { states, trades } = stores();
    const halts: Halt[] = [];
    const deps: ExecutionDependencies = {
      states,
      trades,
      limits: { maxDailyLoss: 300 },
      onHalt: (halt) => {
        halts.push(halt);
      },
    };
    // Act: one invocation per bar.
    const reports = await playBarByBar(deps, target, bars);
    // Assess
    const haltedAt = reports.findIndex((report) => report.halt !== null);
    expect(haltedAt).toBeGreaterThan(0);
    expect(halts).toHaveLength(1);
    const later = reports.slice(haltedAt + 1).flatMap((report) => report.outcomes);
    expect(later.length).toBeGreaterThan(2);
    expect(later.some((outcome) => outcome.kind === 'placed')).toBe(false);
    expect(
      later
        .filter((outcome) => outcome.kind === 'refused')
        .map((outcome) => outcome.kind === 'refused' && outcome.refusal.code),
    ).toEqual(expect.arrayContaining(['trading-halted']));
    expect(
      later.every(
        (outcome) =>
          outcome.kind === 'hold' ||
          (outcome.kind === 'refused' && outcome.refusal.code === 'trading-halted'),
      ),
    ).toBe(true);
    const stored = await states.get({ market: 'BTC/USDT', strategyId: 'flip-flop()' });
    const storedRisk = (stored!.state as { risk: { halt: { maxDailyLoss: number } | null } }).risk;
    expect(storedRisk.halt?.maxDailyLoss).toBe(300);
  });

  it('starts a newly promoted strategy with a stored state and trades from the next bar on, never the past', async () => {
    // Prepare
    const bars = sliceBars(loadSample('GOOG.csv'), 0, 300);
    const { states, trades } = stores();
    // Act
    const started = await startExecution({ states, trades, limits: {} }, SMA);
    const first = await runExecution({ states, trades, limits: {} }, SMA, bars);
    const restarted = await startExecution({ states, trades, limits: {} }, SMA);
    // Assess
    expect(started).toMatchObject({ created: true, broker: 'paper', fillsRecorded: 0 });
    expect(started.reconciliation.stillOpen).toEqual([]);
    expect(first.bars).toBe(1);
    expect(restarted.created).toBe(false);
  });
});
