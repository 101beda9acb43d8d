import { type BacktestOptions, BacktestOptionsSchema } from '@shared/backtest/options';
import type { Bars } from '@shared/market-data/bars';
import type { Json } from '@shared/ports/json';
import type { PromotionDecision } from '@shared/ports/promotion-store';
import type { StrategyRef } from '@shared/ports/strategy-resolver';
import type { ParamSpecs, ParamValues, Strategy } from '@shared/strategies/api';
import { contentId } from '@shared/sweep/ids';
import { type SweepPlan, SweepPlanSchema } from '@shared/sweep/plan';
import { decidePromotion, type Incumbent } from '@shared/sweep/promotion';
import type { CombinationResult } from '@shared/sweep/run-job';
import { type MarketSummary, summariseSweep } from '@shared/sweep/summarise';
import { fixedParamsOutOfSample } from '@shared/sweep/walk-forward-report';
import type { EventBridgeEvent } from 'aws-lambda';
import { EVENT_SOURCE, type StrategyPromoted, SweepCompletedSchema } from '../../events/catalog';
import type { SweepDependencies } from '../lib/sweep-deps';

/** A candidate's configuration as promotions record it and `StrategyPromoted` carries it. */
interface PromotionCandidateRecord {
  readonly strategy: StrategyRef;
  readonly params: ParamValues<ParamSpecs>;
  readonly engine: BacktestOptions;
  readonly objective: string;
  readonly configurationKey: string;
  readonly datasetHash: string;
  readonly walkForward: {
    objective: number | null;
    inSampleObjective: number | null;
    ratio: number | null;
    trades: number;
  };
}

function configurationKey(
  strategy: StrategyRef,
  params: ParamValues<ParamSpecs>,
  engine: BacktestOptions,
): string {
  return contentId({ strategy: strategy.identity, params, engine: { ...engine, from: null, to: null } });
}

function label(candidate: PromotionCandidateRecord): string {
  const params = Object.entries(candidate.params)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return `${candidate.strategy.name} (${params})`;
}

/**
 * `sweep-aggregate`: on `SweepCompleted`, claims the sweep once, ranks its results, validates each market
 * walk-forward, decides promotion per market (recording every decision with its reason), stores the summary
 * and puts `StrategyPromoted` on the bus for each promotion.
 */
export function createSweepAggregator(deps: SweepDependencies) {
  async function incumbentFor(
    market: string,
    summary: MarketSummary,
    bars: Bars,
    plan: SweepPlan,
  ): Promise<Incumbent | undefined> {
    const current = await deps.promotions.current(market);
    if (!current) return undefined;
    const record = current.candidate as unknown as PromotionCandidateRecord;
    let merit: number | null = null;
    try {
      const strategy = deps.strategies.load(record.strategy);
      const engine = BacktestOptionsSchema.parse({ ...record.engine, from: undefined, to: undefined });
      merit = fixedParamsOutOfSample(bars, strategy, engine, summary.folds, record.params)[plan.objective];
    } catch {
      // A promoted module that no longer loads cannot be measured; the decision says so.
      merit = null;
    }
    return { label: label(record), configurationKey: record.configurationKey, merit };
  }

  async function decide(
    plan: SweepPlan,
    engine: BacktestOptions,
    summary: MarketSummary,
    bars: Bars,
    datasetHash: string,
  ) {
    const previous = await deps.promotions.decisionFor(summary.market, plan.sweepId);
    if (previous) return previous;
    const champion = summary.champion;
    let decision: PromotionDecision;
    if (!champion) {
      decision = {
        market: summary.market,
        sweepId: plan.sweepId,
        decidedAt: deps.clock.now(),
        promoted: false,
        reason: 'no combination has an in-sample value in the last fold, so there is no champion',
        candidate: null,
      };
    } else {
      const candidate: PromotionCandidateRecord = {
        strategy: plan.strategy,
        params: champion.params,
        engine,
        objective: plan.objective,
        configurationKey: configurationKey(plan.strategy, champion.params, engine),
        datasetHash,
        walkForward: {
          objective: summary.walkForward.walkForwardObjective,
          inSampleObjective: summary.walkForward.inSampleObjective,
          ratio: summary.walkForward.ratio,
          trades: champion.outOfSampleTrades,
        },
      };
      const outcome = decidePromotion(
        {
          objective: plan.objective,
          walkForwardObjective: champion.walkForwardObjective,
          outOfSampleTrades: champion.outOfSampleTrades,
          configurationKey: candidate.configurationKey,
        },
        plan.promotion,
        engine.cash,
        await incumbentFor(summary.market, summary, bars, plan),
      );
      decision = {
        market: summary.market,
        sweepId: plan.sweepId,
        decidedAt: deps.clock.now(),
        promoted: outcome.promoted,
        reason: outcome.reason,
        candidate: candidate as unknown as Json,
      };
    }
    await deps.promotions.record(decision);
    if (decision.promoted) {
      const candidate = decision.candidate as unknown as PromotionCandidateRecord;
      const detail: StrategyPromoted = {
        market: decision.market,
        sweepId: decision.sweepId,
        datasetHash: candidate.datasetHash,
        strategy: candidate.strategy,
        params: candidate.params,
        engine: candidate.engine,
        objective: candidate.objective,
        walkForwardSettings: plan.walkForward,
        walkForward: candidate.walkForward,
        reason: decision.reason,
      };
      await deps.bus.put([{ source: EVENT_SOURCE, detailType: 'StrategyPromoted', detail }]);
    }
    return decision;
  }

  /**
   * Aggregates one completed sweep; returns false when another invocation already claimed it. A failure gives
   * the claim back and rethrows, so the event's retry (or a later one) can aggregate the sweep again.
   */
  async function aggregate(sweepId: string): Promise<boolean> {
    if (!(await deps.sweeps.claimAggregation(sweepId, deps.clock.now()))) return false;
    try {
      await aggregateClaimed(sweepId);
    } catch (error) {
      await deps.sweeps.releaseAggregation(sweepId, deps.clock.now());
      throw error;
    }
    return true;
  }

  async function aggregateClaimed(sweepId: string): Promise<void> {
    const sweep = (await deps.sweeps.getSweep(sweepId))!;
    const plan = SweepPlanSchema.parse(sweep.spec);
    const engine = BacktestOptionsSchema.parse(plan.engine);
    const strategy: Strategy = deps.strategies.load(plan.strategy);
    const stored = await deps.sweeps.jobResults(sweepId);
    const markets = await Promise.all(
      plan.datasets.map(async (dataset) => {
        const bars = (await deps.datasets.get(dataset.hash)) as Bars | undefined;
        if (!bars) throw new Error(`data set ${dataset.hash} of ${dataset.market} is not stored`);
        const results = plan.jobs
          .filter((job) => job.market === dataset.market)
          .flatMap((job) => (stored.get(job.jobId) as unknown as CombinationResult[] | undefined) ?? []);
        return { market: dataset.market, bars, hash: dataset.hash, results };
      }),
    );
    const summary = summariseSweep({
      strategy,
      engine,
      walkForward: plan.walkForward,
      objective: plan.objective,
      markets,
    });
    const decisions: PromotionDecision[] = [];
    for (const [index, market] of summary.markets.entries()) {
      const source = markets[index]!;
      decisions.push(await decide(plan, engine, market, source.bars, source.hash));
    }
    const failedJobs = await deps.sweeps.failedJobs(sweepId);
    const perMarket = summary.markets.map((market, index) => ({
      market: market.market,
      walkForward: market.walkForward,
      champion: market.champion,
      promotion: {
        market: market.market,
        promoted: decisions[index]!.promoted,
        reason: decisions[index]!.reason,
      },
    }));
    const status = failedJobs.length > 0 ? 'completed-with-failures' : 'completed';
    const first = perMarket[0]!;
    const result = {
      sweepId,
      status,
      strategy: plan.strategy.name,
      objective: plan.objective,
      combinations: plan.combinations,
      jobs: { total: sweep.total, done: sweep.done, failed: sweep.failed },
      results: summary.results,
      walkForward: first.walkForward,
      champion: first.champion,
      promotion: first.promotion,
      markets: perMarket,
      failedJobs,
    };
    await deps.sweeps.finishSweep(sweepId, status, result as unknown as Json, deps.clock.now());
  }

  return {
    aggregate,
    /** The EventBridge handler for `SweepCompleted`. */
    async handler(event: EventBridgeEvent<'SweepCompleted', unknown>): Promise<void> {
      const detail = SweepCompletedSchema.parse(event.detail);
      await aggregate(detail.sweepId);
    },
  };
}
