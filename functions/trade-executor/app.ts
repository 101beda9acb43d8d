import { BacktestOptionsSchema } from '@shared/backtest/options';
import { timeframeMs } from '@shared/market/timeframe';
import { allocateBars, type Bars } from '@shared/market-data/bars';
import type { Broker } from '@shared/ports/broker';
import type { CandleStore } from '@shared/ports/candle-store';
import type { Clock } from '@shared/ports/clock';
import type { EventBus } from '@shared/ports/event-bus';
import type { PromotionDecision, PromotionStore } from '@shared/ports/promotion-store';
import type { StrategyRef, StrategyResolver } from '@shared/ports/strategy-resolver';
import type { TradeStore } from '@shared/ports/trade-store';
import type { TradingStateStore } from '@shared/ports/trading-state-store';
import type { ParamSpecs, ParamValues } from '@shared/strategies/api';
import {
  type ExecutionDependencies,
  type ExecutionReport,
  type ExecutionStart,
  type ExecutionTarget,
  runExecution,
  startExecution,
} from '@shared/trading/execution-run';
import type { Halt } from '@shared/trading/risk';
import type { TradingSettings } from '@shared/trading/settings';
import type { EventBridgeEvent } from 'aws-lambda';
import {
  CandlesIngestedSchema,
  EVENT_SOURCE,
  type StrategyPromoted,
  StrategyPromotedSchema,
  type TradingHalted,
} from '../../events/catalog';

/** The live-trading gate's answer (liveBrokerFromEnv's shape): a broker, or why trading stays on paper. */
export type LiveBrokerGate =
  | { readonly broker: Broker; readonly summary: string }
  | { readonly broker: undefined; readonly reason: string };

/** What trade-executor needs from the world. */
export interface TradeExecutorDependencies {
  readonly promotions: PromotionStore;
  readonly states: TradingStateStore;
  readonly trades: TradeStore;
  readonly bus: EventBus;
  readonly strategies: StrategyResolver;
  /** Where CandlesIngested's candles are read back from (AWS; the local replay hands bars over itself). */
  readonly candles?: CandleStore;
  /** `trading:` of the configuration: paper or live, and the risk limits. */
  readonly settings: TradingSettings;
  /** The live-trading gate, asked once (until it answers), only when `trading.mode` is `live`. */
  readonly liveBroker: () => LiveBrokerGate | Promise<LiveBrokerGate>;
  readonly clock: Clock;
  /** One line of log with fields (no secrets ever reach it). */
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

/** How many bars of history a decision sees on AWS: enough for every built-in strategy's indicators to warm up. */
export const HISTORY_BARS = 500;

/** A promotion's candidate as sweep-aggregate records it: the strategy, its parameters and engine options. */
interface PromotedCandidate {
  readonly strategy: StrategyRef;
  readonly params: ParamValues<ParamSpecs>;
  readonly engine: unknown;
}

/** A promoted strategy ready to trade, with its promotion's sweep for the logs. */
export interface PromotedTarget extends ExecutionTarget {
  readonly sweepId: string;
}

function barsOf(
  candles: readonly {
    openTime: number;
    open: number;
    high: number;
    low: number;
    close: number;
    volume: number;
  }[],
): Bars {
  const bars = allocateBars(candles.length);
  candles.forEach((candle, index) => {
    bars.time[index] = candle.openTime;
    bars.open[index] = candle.open;
    bars.high[index] = candle.high;
    bars.low[index] = candle.low;
    bars.close[index] = candle.close;
    bars.volume[index] = candle.volume;
  });
  return bars;
}

/**
 * trade-executor's use case: trades each market's promoted strategy on new closed bars (PaperBroker unless
 * `trading.mode` is `live` and the live gate opens), keeps its state between invocations, records every fill
 * in the trades table, and emits `TradingHalted` when the kill switch trips.
 */
export function createTradeExecutor(deps: TradeExecutorDependencies) {
  // One answer shared by concurrent callers; the broker it opens is reused by every later decision.
  let gate: Promise<LiveBrokerGate> | undefined;
  async function liveBroker(): Promise<Broker | undefined> {
    if (deps.settings.mode !== 'live') return undefined;
    if (!gate) {
      const asked = (async () => {
        const answer = await deps.liveBroker();
        if (answer.broker) deps.log(`trading live: ${answer.summary}`);
        else deps.log(`trading.mode is live but trading stays on paper: ${answer.reason}`);
        return answer;
      })();
      gate = asked;
      // A gate that fails (a malformed secret, say) is asked again on the next invocation.
      asked.catch(() => {
        if (gate === asked) gate = undefined;
      });
    }
    return (await gate).broker;
  }

  function targetOf(promotion: PromotionDecision, symbol: string): PromotedTarget {
    const candidate = promotion.candidate as unknown as PromotedCandidate;
    return {
      market: promotion.market,
      symbol,
      sweepId: promotion.sweepId,
      strategy: deps.strategies.load(candidate.strategy),
      params: candidate.params,
      // Trading has no date window: from and to only bounded the backtest.
      engine: BacktestOptionsSchema.parse({
        ...(candidate.engine as object),
        from: undefined,
        to: undefined,
      }),
    };
  }

  async function executionDependencies(): Promise<ExecutionDependencies> {
    const live = await liveBroker();
    return {
      states: deps.states,
      trades: deps.trades,
      limits: deps.settings.risk,
      clock: deps.clock,
      ...(live ? { liveBroker: live } : {}),
      onHalt: async (halt: Halt, key) => {
        const detail: TradingHalted = { strategyId: key.strategyId, market: key.market, ...halt };
        deps.log('trading halted by the daily-loss kill switch', { ...detail });
        await deps.bus.put([{ source: EVENT_SOURCE, detailType: 'TradingHalted', detail }]);
      },
    };
  }

  /** The promoted strategy of a market, ready to trade on `symbol`; undefined when none is promoted. */
  async function promotedTarget(market: string, symbol = market): Promise<PromotedTarget | undefined> {
    const promotion = await deps.promotions.current(market);
    return promotion?.promoted && promotion.candidate ? targetOf(promotion, symbol) : undefined;
  }

  /**
   * Trades the market's promoted strategy on `bars` (its history up to the latest closed bar); undefined when
   * no strategy is promoted there.
   */
  async function trade(
    market: string,
    bars: Bars,
    symbol = market,
  ): Promise<(ExecutionReport & { target: PromotedTarget }) | undefined> {
    const target = await promotedTarget(market, symbol);
    if (!target) return undefined;
    const report = await runExecution(await executionDependencies(), target, bars);
    return { ...report, target };
  }

  /** Starts a newly promoted strategy: reconciles its open orders and stores its state. */
  async function start(detail: StrategyPromoted): Promise<ExecutionStart & { target: PromotedTarget }> {
    const target: PromotedTarget = {
      market: detail.market,
      symbol: detail.market,
      sweepId: detail.sweepId,
      strategy: deps.strategies.load(detail.strategy),
      params: detail.params as ParamValues<ParamSpecs>,
      engine: BacktestOptionsSchema.parse({ ...detail.engine, from: undefined, to: undefined }),
    };
    const started = await startExecution(await executionDependencies(), target);
    deps.log(`${target.market}: ${started.strategyId} starts trading on ${started.broker}`, {
      created: started.created,
      stillOpen: started.reconciliation.stillOpen.length,
      fillsRecorded: started.fillsRecorded,
    });
    return { ...started, target };
  }

  /**
   * On CandlesIngested (AWS): reads the series' recent candles back and trades the strategy promoted for the
   * market (looked up by `<exchange>:<symbol>`, then by the symbol alone, as sweeps name markets).
   */
  async function onCandlesIngested(payload: unknown) {
    const detail = CandlesIngestedSchema.parse(payload);
    if (!deps.candles) throw new TypeError('trade-executor needs the candle store for CandlesIngested');
    const promotion =
      (await deps.promotions.current(detail.market)) ?? (await deps.promotions.current(detail.symbol));
    if (!promotion?.promoted || !promotion.candidate) return undefined;
    const step = timeframeMs(detail.timeframe);
    const candles = await deps.candles.range(
      { market: detail.market, timeframe: detail.timeframe },
      detail.lastCandleTime - (HISTORY_BARS - 1) * step,
      detail.lastCandleTime + 1,
    );
    const target = targetOf(promotion, detail.symbol);
    const report = await runExecution(await executionDependencies(), target, barsOf(candles));
    deps.log(`${target.market}: ${report.strategyId} decided on ${report.bars} bar(s)`, {
      broker: report.broker,
      fillsRecorded: report.fillsRecorded,
      halted: report.halt !== null,
    });
    return report;
  }

  /** The Lambda's entry: CandlesIngested trades, StrategyPromoted starts a strategy. */
  async function handle(event: EventBridgeEvent<string, unknown>) {
    if (event['detail-type'] === 'StrategyPromoted') {
      return start(StrategyPromotedSchema.parse(event.detail));
    }
    if (event['detail-type'] === 'CandlesIngested') return onCandlesIngested(event.detail);
    throw new TypeError(`trade-executor does not handle ${event['detail-type']} events`);
  }

  return { handle, trade, start, onCandlesIngested, promotedTarget };
}

/** The trade executor's operations. */
export type TradeExecutor = ReturnType<typeof createTradeExecutor>;
