import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { backtest } from '@shared/backtest/backtest';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import type { StrategyResolver } from '@shared/ports/strategy-resolver';
import { walkForwardFolds } from '@shared/sweep/walk-forward';
import { fixedParamsOutOfSample } from '@shared/sweep/walk-forward-report';
import type { EventBridgeEvent } from 'aws-lambda';
import { EVENT_SOURCE, type StrategyPromoted, StrategyPromotedSchema } from '../../../events/catalog';
import { createDeadLetterHandler } from '../../../functions/backtest-dead-letter/app';
import { createBacktestWorker } from '../../../functions/backtest-worker/app';
import { createSweepAggregator } from '../../../functions/sweep-aggregate/app';
import { createSweepPlanner } from '../../../functions/sweep-plan/app';
import { createStrategyResolver } from '../../../local/strategy-loader';
import { loadSample } from '../../support/sample-data';
import {
  FAILS_ON_PERIOD,
  GOOG_CSV,
  openSweepHarness,
  receiveAll,
  type SweepHarness,
  sqsEvent,
} from '../../support/sweep-functions';

let harness: SweepHarness;

beforeEach(() => {
  harness = openSweepHarness();
});

afterEach(() => {
  harness.close();
});

const PERIODS = [5, 20, 50];
/** Grid order: period outermost, label fastest. `label` changes nothing, so each period's two labels tie. */
const GRID = PERIODS.flatMap((period) => [1, 2].map((label) => ({ period, label })));
const ENGINE = BacktestOptionsSchema.parse({});

/** The fails-on-period fixture over the grid, 4 combinations a job, promoted whenever it has any value. */
function spec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    strategy: FAILS_ON_PERIOD,
    params: { period: PERIODS, label: [1, 2] },
    datasets: [GOOG_CSV],
    chunkSize: 4,
    promotion: { threshold: -1000, minTrades: 0 },
    ...overrides,
  };
}

/** Submits a spec and runs the worker over every queued job, as the local runtime would. */
async function runSweep(input: Record<string, unknown>): Promise<string> {
  const { sweepId } = await createSweepPlanner(harness.deps).submit(input, '/');
  const messages = await receiveAll(harness.jobs);
  if (messages.length > 0) await createBacktestWorker(harness.deps).handler(sqsEvent(harness.jobs, messages));
  return sweepId;
}

/** The stored summary of a sweep, as JSON. */
async function summaryOf(sweepId: string) {
  const sweep = await harness.adapters.sweeps.getSweep(sweepId);
  // biome-ignore lint/suspicious/noExplicitAny: the summary is stored JSON; the test reads fields by name.
  return { status: sweep!.status, summary: sweep!.summary as any };
}

const fixture = createStrategyResolver().resolve(FAILS_ON_PERIOD, '/').strategy;
const goog = loadSample('GOOG.csv');

/** SQN of a combination over bars [start, end]. */
function sqn(params: Record<string, number>, start: number, end: number): number | null {
  return backtest(goog, fixture, params, { ...ENGINE, from: goog.time[start]!, to: goog.time[end]! }).stats
    .sqn;
}

/** The first combination in grid order with the highest value (null never wins). */
function bestInGridOrder(values: readonly (number | null)[]): number {
  let best = -1;
  values.forEach((value, index) => {
    if (value !== null && (best < 0 || value > values[best]!)) best = index;
  });
  return best;
}

describe('sweep-aggregate', () => {
  it('claims a completed sweep once: true the first time, false the second', async () => {
    // Prepare
    const sweepId = await runSweep(spec());
    const aggregator = createSweepAggregator(harness.deps);

    // Act
    const first = await aggregator.aggregate(sweepId);
    const second = await aggregator.aggregate(sweepId);

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(harness.bus.ofType('StrategyPromoted')).toHaveLength(1);
    expect(await harness.adapters.promotions.history()).toHaveLength(1);
  });

  it('ranks every combination by SQN over the full period, best first, ties in grid order', async () => {
    // Prepare
    const sweepId = await runSweep(spec());
    const full = GRID.map((params) => sqn(params, 0, goog.length - 1));
    const expectedOrder = GRID.map((params, index) => ({ params, value: full[index]! })).sort(
      (a, b) => b.value - a.value,
    );

    // Act
    await createSweepAggregator(harness.deps).aggregate(sweepId);

    // Assess
    const { status, summary } = await summaryOf(sweepId);
    expect(status).toBe('completed');
    expect(summary).toMatchObject({
      sweepId,
      status: 'completed',
      strategy: 'fails-on-period',
      objective: 'sqn',
      combinations: 6,
      jobs: { total: 2, done: 2, failed: 0 },
      failedJobs: [],
    });
    expect(full.every((value) => value !== null)).toBe(true);
    expect(summary.results.map((result: { params: unknown }) => result.params)).toEqual(
      expectedOrder.map((entry) => entry.params),
    );
    expect(summary.results.map((result: { stats: { sqn: number } }) => result.stats.sqn)).toEqual(
      expectedOrder.map((entry) => entry.value),
    );
    // Each period's label 1 comes right before its label 2 (they tie).
    const order = summary.results.map((result: { params: { period: number; label: number } }) => [
      result.params.period,
      result.params.label,
    ]);
    for (let i = 0; i < order.length; i += 2) {
      expect(order[i + 1]).toEqual([order[i][0], 2]);
      expect(order[i][1]).toBe(1);
    }
  });

  it("reports one walk-forward entry per fold and makes the last fold's in-sample winner the champion", async () => {
    // Prepare: the last rolling fold's in-sample winner, found with plain backtests.
    const sweepId = await runSweep(spec());
    const folds = walkForwardFolds(0, goog.length - 1, { mode: 'rolling', folds: 4, inSample: 0.7 });
    const winners = folds.map(
      (fold) =>
        GRID[bestInGridOrder(GRID.map((params) => sqn(params, fold.inSample.start, fold.inSample.end)))],
    );

    // Act
    await createSweepAggregator(harness.deps).aggregate(sweepId);

    // Assess
    const { summary } = await summaryOf(sweepId);
    expect(summary.walkForward.folds).toHaveLength(4);
    expect(summary.walkForward.folds.map((fold: { winner: unknown }) => fold.winner)).toEqual(winners);
    expect(summary.champion.params).toEqual(winners[3]);
    expect(summary.champion.params.label).toBe(1);
    expect(summary.champion).toMatchObject({
      market: 'GOOG',
      objective: 'sqn',
      walkForwardObjective: summary.walkForward.walkForwardObjective,
      outOfSampleTrades: summary.walkForward.outOfSample.trades,
    });
    expect(summary.markets).toHaveLength(1);
    expect(summary.markets[0].market).toBe('GOOG');
  });

  it('promotes the first champion of a market and puts StrategyPromoted with its full configuration', async () => {
    // Prepare
    const sweepId = await runSweep(spec());

    // Act
    await createSweepAggregator(harness.deps).aggregate(sweepId);

    // Assess
    const { summary } = await summaryOf(sweepId);
    expect(summary.promotion).toEqual({
      market: 'GOOG',
      promoted: true,
      reason: expect.stringMatching(
        /^walk-forward sqn -?\d+\.\d+ meets the threshold -1000\.00 with \d+ trades; nothing was promoted for this market yet$/,
      ),
    });
    const sweep = await harness.adapters.sweeps.getSweep(sweepId);
    const datasetHash = (sweep!.spec as { datasets: { hash: string }[] }).datasets[0]!.hash;
    const promoted = harness.bus.ofType('StrategyPromoted');
    expect(promoted).toHaveLength(1);
    expect(promoted[0]!.source).toBe(EVENT_SOURCE);
    expect(promoted[0]!.detail).toEqual({
      market: 'GOOG',
      sweepId,
      datasetHash,
      strategy: {
        name: 'fails-on-period',
        module: FAILS_ON_PERIOD,
        identity: expect.stringMatching(/^module:[0-9a-f]{64}$/),
      },
      params: summary.champion.params,
      engine: {
        cash: 10_000,
        commission: 0.002,
        spread: 0,
        slippageBps: 0,
        fractional: false,
        longOnly: false,
      },
      objective: 'sqn',
      walkForwardSettings: { mode: 'rolling', folds: 4, inSample: 0.7 },
      walkForward: {
        objective: summary.walkForward.walkForwardObjective,
        inSampleObjective: summary.walkForward.inSampleObjective,
        ratio: summary.walkForward.ratio,
        trades: summary.champion.outOfSampleTrades,
      },
      reason: summary.promotion.reason,
    });
    expect(StrategyPromotedSchema.safeParse(promoted[0]!.detail).success).toBe(true);
    expect((await harness.adapters.promotions.current('GOOG'))?.sweepId).toBe(sweepId);
  });

  it('does not promote the same champion configuration again, and keeps every decision with its reason', async () => {
    // Prepare: the second sweep differs only in its margin, so it reuses every job and has the same champion.
    const firstId = await runSweep(spec());
    const aggregator = createSweepAggregator(harness.deps);
    await aggregator.aggregate(firstId);
    harness.clock.advance(60_000);
    harness.bus.events.length = 0;
    const secondId = await runSweep(spec({ promotion: { threshold: -1000, minTrades: 0, margin: 0.1 } }));
    const completed = harness.bus.ofType('SweepCompleted');

    // Act: through the EventBridge handler, with the event the planner put.
    await aggregator.handler({
      'detail-type': 'SweepCompleted',
      source: EVENT_SOURCE,
      detail: completed[0]!.detail,
    } as EventBridgeEvent<'SweepCompleted', unknown>);

    // Assess
    expect(completed).toHaveLength(1);
    const { summary } = await summaryOf(secondId);
    const champion = summary.champion.params as { period: number; label: number };
    const reason = `the champion is the configuration already promoted (fails-on-period (period=${champion.period}, label=${champion.label}))`;
    expect(summary.promotion).toEqual({ market: 'GOOG', promoted: false, reason });
    expect(harness.bus.ofType('StrategyPromoted')).toEqual([]);
    const history = await harness.adapters.promotions.history();
    expect(history.map((decision) => [decision.sweepId, decision.promoted, decision.reason])).toEqual([
      [secondId, false, reason],
      [firstId, true, expect.stringMatching(/nothing was promoted for this market yet$/)],
    ]);
    expect((await harness.adapters.promotions.current('GOOG'))?.sweepId).toBe(firstId);
  });

  it('completes with failures when a job was dead-lettered, listing it and ranking the rest', async () => {
    // Prepare: period 13 throws (the worker records its error), one combination per job; its dead letter
    // completes the sweep.
    const sweepId = await runSweep(spec({ params: { period: [5, 13] }, chunkSize: 1 }));
    const stored = await harness.adapters.sweeps.getSweep(sweepId);
    const poisoned = (stored!.spec as { jobs: { jobId: string }[] }).jobs[1]!.jobId;
    const body = JSON.stringify({ sweepId, jobId: poisoned });
    await createDeadLetterHandler(harness.deps).handler(
      sqsEvent(harness.deadLetters, [
        { messageId: 'dead-1', body, receiptHandle: 'r', receiveCount: 1, sentTimestamp: 0 },
      ]),
    );

    // Act
    const claimed = await createSweepAggregator(harness.deps).aggregate(sweepId);

    // Assess
    expect(claimed).toBe(true);
    const { status, summary } = await summaryOf(sweepId);
    expect(status).toBe('completed-with-failures');
    expect(summary.failedJobs).toEqual([
      {
        jobId: poisoned,
        error: 'fails-on-period: signal() failed at bar 12: period 13 is unlucky',
        attempts: 1,
      },
    ]);
    expect(summary.results.map((result: { params: unknown }) => result.params)).toEqual([
      { period: 5, label: 1 },
    ]);
  });

  it("measures the promoted strategy on the new sweep's slices and promotes a champion that beats it by the margin", async () => {
    // Prepare: period 5 is promoted first; a sweep of period 50 alone then makes 50 its champion.
    const folds = walkForwardFolds(0, goog.length - 1, { mode: 'rolling', folds: 4, inSample: 0.7 });
    const incumbentMerit = fixedParamsOutOfSample(goog, fixture, ENGINE, folds, { period: 5, label: 1 }).sqn!;
    const candidate = fixedParamsOutOfSample(goog, fixture, ENGINE, folds, { period: 50, label: 1 });
    const aggregator = createSweepAggregator(harness.deps);
    const firstId = await runSweep(spec({ params: { period: 5 } }));
    await aggregator.aggregate(firstId);
    harness.clock.advance(60_000);

    // Act
    const secondId = await runSweep(spec({ params: { period: 50 } }));
    await aggregator.aggregate(secondId);

    // Assess: SQN −0.0678 for period 5 needs −0.0678 + 5% · 0.0678 = −0.0644; period 50 has 0.640.
    expect(incumbentMerit).toBeLessThan(0);
    expect(candidate.sqn!).toBeGreaterThan(incumbentMerit + Math.abs(incumbentMerit) * 0.05);
    const { summary } = await summaryOf(secondId);
    expect(summary.walkForward.walkForwardObjective).toBe(candidate.sqn);
    expect(summary.promotion).toEqual({
      market: 'GOOG',
      promoted: true,
      reason:
        `walk-forward sqn ${candidate.sqn!.toPrecision(4)} beats the promoted fails-on-period (period=5, label=1) ` +
        `(${incumbentMerit.toPrecision(4)} on the same slices) by more than 5% with ${candidate.trades} trades`,
    });
    expect(
      harness.bus.ofType('StrategyPromoted').map((event) => (event.detail as StrategyPromoted).sweepId),
    ).toEqual([firstId, secondId]);
    expect((await harness.adapters.promotions.current('GOOG'))?.sweepId).toBe(secondId);
  });

  it('does not promote a champion that falls short of the promoted strategy on the same slices', async () => {
    // Prepare: period 50 is promoted first; the period-5 sweep's champion then has SQN −0.0678 against 0.640.
    const folds = walkForwardFolds(0, goog.length - 1, { mode: 'rolling', folds: 4, inSample: 0.7 });
    const incumbentMerit = fixedParamsOutOfSample(goog, fixture, ENGINE, folds, { period: 50, label: 1 })
      .sqn!;
    const candidate = fixedParamsOutOfSample(goog, fixture, ENGINE, folds, { period: 5, label: 1 }).sqn!;
    const aggregator = createSweepAggregator(harness.deps);
    const firstId = await runSweep(spec({ params: { period: 50 } }));
    await aggregator.aggregate(firstId);
    harness.clock.advance(60_000);

    // Act
    const secondId = await runSweep(spec({ params: { period: 5 } }));
    await aggregator.aggregate(secondId);

    // Assess
    const { summary } = await summaryOf(secondId);
    expect(summary.promotion).toEqual({
      market: 'GOOG',
      promoted: false,
      reason:
        `walk-forward sqn ${candidate.toPrecision(4)} does not beat the promoted fails-on-period (period=50, label=1) ` +
        `(${incumbentMerit.toPrecision(4)} on the same slices) by 5%`,
    });
    expect(harness.bus.ofType('StrategyPromoted')).toHaveLength(1);
    expect((await harness.adapters.promotions.current('GOOG'))?.sweepId).toBe(firstId);
  });

  it('records "no champion" when every job of the sweep failed', async () => {
    // Prepare: the only job (period 13) throws and is dead-lettered.
    const sweepId = await runSweep(spec({ params: { period: 13 } }));
    const stored = await harness.adapters.sweeps.getSweep(sweepId);
    const jobId = (stored!.spec as { jobs: { jobId: string }[] }).jobs[0]!.jobId;
    await createDeadLetterHandler(harness.deps).handler(
      sqsEvent(harness.deadLetters, [
        {
          messageId: 'dead-1',
          body: JSON.stringify({ sweepId, jobId }),
          receiptHandle: 'r',
          receiveCount: 1,
          sentTimestamp: 0,
        },
      ]),
    );

    // Act
    const claimed = await createSweepAggregator(harness.deps).aggregate(sweepId);

    // Assess
    expect(claimed).toBe(true);
    const { status, summary } = await summaryOf(sweepId);
    expect(status).toBe('completed-with-failures');
    expect(summary.results).toEqual([]);
    expect(summary.champion).toBeNull();
    expect(summary.promotion).toEqual({
      market: 'GOOG',
      promoted: false,
      reason: 'no combination has an in-sample value in the last fold, so there is no champion',
    });
    expect(harness.bus.ofType('StrategyPromoted')).toEqual([]);
    expect(await harness.adapters.promotions.history('GOOG')).toMatchObject([
      { sweepId, promoted: false, candidate: null },
    ]);
  });

  it('completes a sweep whose first aggregation failed midway when SweepCompleted is delivered again later', async () => {
    // Prepare: loading the strategy fails once (say, a transient error), after the sweep was claimed.
    const sweepId = await runSweep(spec());
    const resolver = createStrategyResolver();
    let failuresLeft = 1;
    const flaky: StrategyResolver = {
      resolve: (reference, baseDir) => resolver.resolve(reference, baseDir),
      load: (ref) => {
        if (failuresLeft-- > 0) throw new Error('transient failure while loading the strategy');
        return resolver.load(ref);
      },
    };
    const aggregator = createSweepAggregator({ ...harness.deps, strategies: flaky });
    await expect(aggregator.aggregate(sweepId)).rejects.toThrow(
      'transient failure while loading the strategy',
    );

    // Act: EventBridge retries the target, here an hour later (past any Lambda timeout).
    harness.clock.advance(60 * 60_000);
    const retried = await aggregator.aggregate(sweepId);

    // Assess
    expect(retried).toBe(true);
    const { status, summary } = await summaryOf(sweepId);
    expect(status).toBe('completed');
    expect(summary.promotion.promoted).toBe(true);
  });

  it('validates and decides each market on its own, and ranks the results of both markets together', async () => {
    // Prepare: GOOG (daily) and BTCUSD (monthly, 156 bars), periods 5 and 20.
    const btcusd = GOOG_CSV.replace(/GOOG\.csv$/, 'BTCUSD.csv');
    const sweepId = await runSweep(spec({ params: { period: [5, 20] }, datasets: [GOOG_CSV, btcusd] }));

    // Act
    await createSweepAggregator(harness.deps).aggregate(sweepId);

    // Assess
    const { summary } = await summaryOf(sweepId);
    expect(summary.markets.map((market: { market: string }) => market.market)).toEqual(['GOOG', 'BTCUSD']);
    for (const market of summary.markets) {
      expect(market.walkForward.market).toBe(market.market);
      expect(market.walkForward.folds).toHaveLength(4);
      expect(market.champion.params).toEqual(market.walkForward.folds[3].winner);
      expect(market.promotion).toMatchObject({ market: market.market, promoted: true });
    }
    const values = summary.results.map((result: { stats: { sqn: number | null } }) => result.stats.sqn);
    expect(summary.results).toHaveLength(4);
    expect(values.every((value: number | null) => value !== null)).toBe(true);
    expect([...values].sort((a: number, b: number) => b - a)).toEqual(values);
    expect(
      harness.bus
        .ofType('StrategyPromoted')
        .map((event) => (event.detail as StrategyPromoted).market)
        .sort(),
    ).toEqual(['BTCUSD', 'GOOG']);
    expect((await harness.adapters.promotions.history()).map((decision) => decision.market).sort()).toEqual([
      'BTCUSD',
      'GOOG',
    ]);
  });
});
