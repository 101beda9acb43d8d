import type { BacktestOptions } from '../backtest/options';
import { type Bars, sliceBars } from '../market-data/bars';
import type { Broker, BrokerOrder, MarketConstraints } from '../ports/broker';
import type { Clock } from '../ports/clock';
import type { Json } from '../ports/json';
import type { FillRecord, TradeStore } from '../ports/trade-store';
import type { TradingStateKey, TradingStateStore } from '../ports/trading-state-store';
import type { ParamSpecs, ParamValues, Strategy } from '../strategies/api';
import { type BarOutcome, StrategyExecutor } from './executor';
import type { Fill } from './ledger';
import { strategyIdentity } from './orders';
import { type PaperAccountSnapshot, PaperBroker } from './paper-broker';
import { type Reconciliation, type RecordedOpenOrder, reconcileOpenOrders } from './reconcile';
import { type Halt, INITIAL_RISK_STATE, type Refusal, type RiskState } from './risk';
import type { RiskLimits } from './settings';
import { StrategySignals } from './signals';

/** What one strategy's trading remembers between invocations, as stored in the TradingStateStore. */
export interface TradingState {
  readonly version: 1;
  /** Open time of the last closed bar decided on; null before the first. */
  readonly lastBarTime: number | null;
  /** Risk control's memory, the kill switch's halt included. */
  readonly risk: RiskState;
  /** The paper account; null when trading live (the exchange holds the account). */
  readonly paper: PaperAccountSnapshot | null;
  /** Orders believed open after the last run: reconciled with the broker before the next decision. */
  readonly openOrders: readonly RecordedOpenOrder[];
  /** The latest decisions risk control refused, newest last, with their reasons (absent in older states). */
  readonly refusals?: readonly RecordedRefusal[];
}

/** A decision risk control refused, as the trading state keeps it. */
export interface RecordedRefusal {
  /** Open time of the bar the decision was taken on. */
  readonly barTime: number;
  readonly code: Refusal['code'];
  readonly reason: string;
}

/** How many refusals a state keeps: enough to explain a quiet day, bounded so the document stays small. */
export const KEPT_REFUSALS = 50;

/** A stored trading state Flywheel cannot read (written by another version, or edited by hand). */
export class TradingStateError extends Error {
  override readonly name = 'TradingStateError';
}

/** The promoted strategy to trade and where: what a promotion records. */
export interface ExecutionTarget {
  /** The market as promotions name it (`GOOG`, `BTC/USDT`); trades and state are keyed by it. */
  readonly market: string;
  /** The broker's symbol (`BTC/USDT`); for paper, the market name itself when it has no `/`. */
  readonly symbol: string;
  readonly strategy: Strategy;
  readonly params: ParamValues<ParamSpecs>;
  /** The engine options the strategy was validated with: cash, costs, sizing, stops, long-only. */
  readonly engine: BacktestOptions;
}

/** Where an execution run keeps its state and fills, and how it trades. */
export interface ExecutionDependencies {
  readonly states: TradingStateStore;
  readonly trades: TradeStore;
  readonly limits: RiskLimits;
  /** A live broker (CcxtBroker behind the live-trading gate); absent: a PaperBroker restored from the state. */
  readonly liveBroker?: Broker;
  /** The clock risk control reads when live; paper runs on the bar clock (each bar's open time), as a replay. */
  readonly clock?: Clock;
  /** Announces a tripped kill switch (emits `TradingHalted`). */
  readonly onHalt?: (halt: Halt, key: TradingStateKey) => void | Promise<void>;
}

/** What one execution run did. */
export interface ExecutionReport {
  readonly strategyId: string;
  readonly market: string;
  /** `paper` or the live broker's name. */
  readonly broker: string;
  /** Closed bars decided on by this run. */
  readonly bars: number;
  readonly outcomes: readonly BarOutcome[];
  /** Fills stored by this run; fills already stored by an earlier try of the same bars are not counted. */
  readonly fillsRecorded: number;
  readonly fillsDuplicate: number;
  /** The start-of-run reconciliation with the broker (undefined when no bar was new). */
  readonly reconciliation: Reconciliation | undefined;
  /** The halt in force after the run, if any. */
  readonly halt: Halt | null;
  /** Paper only: cash plus the position at the last close seen. */
  readonly equity: number | null;
  /** The state's revision after the run (unchanged when nothing was new). */
  readonly revision: number;
}

/** The state a strategy starts with. */
export const INITIAL_TRADING_STATE: TradingState = {
  version: 1,
  lastBarTime: null,
  risk: INITIAL_RISK_STATE,
  paper: null,
  openOrders: [],
};

/** The strategy id trades and state are keyed by: the strategy's name with its parameters. */
export function targetStrategyId(target: Pick<ExecutionTarget, 'strategy' | 'params'>): string {
  return strategyIdentity(target.strategy.name, target.params);
}

function parseState(state: Json, key: TradingStateKey): TradingState {
  const candidate = state as Partial<TradingState> | null;
  if (candidate?.version !== 1 || !candidate.risk || !Array.isArray(candidate.openOrders)) {
    throw new TradingStateError(
      `the trading state of ${key.strategyId} on ${key.market} is not a version-1 document; it was written by another Flywheel version or edited: fix or delete it`,
    );
  }
  return candidate as TradingState;
}

/** The market a paper account trades: `BASE/QUOTE`, or a bare name (a stock such as GOOG) traded in CASH. */
export function paperMarketOf(symbol: string, engine: BacktestOptions): MarketConstraints {
  const [base = symbol, quote = 'CASH'] = symbol.includes('/') ? symbol.split('/') : [symbol];
  return {
    symbol,
    base,
    quote,
    shortable: !engine.longOnly,
    ...(engine.lotStep === undefined ? {} : { lotStep: engine.lotStep }),
  };
}

/**
 * Loads a strategy's trading state (creating nothing): its document and revision, or the initial state at
 * revision 0.
 */
export async function loadTradingState(
  states: TradingStateStore,
  key: TradingStateKey,
): Promise<{ state: TradingState; revision: number }> {
  const document = await states.get(key);
  if (!document) return { state: INITIAL_TRADING_STATE, revision: 0 };
  return { state: parseState(document.state, key), revision: document.revision };
}

/**
 * Trades one promoted strategy on the closed bars it has not seen yet: reconciles open orders with the broker
 * first, then per new bar fills what the paper account had queued (recording each fill), and lets the
 * executor decide; finally stores the state over the revision it read. `bars` is the market's history up to
 * the latest closed bar. A strategy with no state starts on the latest bar only: it never trades the past.
 * Retrying a run (after a crash or a TradingStateConflictError) records nothing twice: fill ids derive from
 * client order ids, and a retried run replays the same bars from the same stored state.
 */
export async function runExecution(
  deps: ExecutionDependencies,
  target: ExecutionTarget,
  bars: Bars,
): Promise<ExecutionReport> {
  const strategyId = targetStrategyId(target);
  const key: TradingStateKey = { strategyId, market: target.market };
  const { state, revision } = await loadTradingState(deps.states, key);
  const firstNew = firstNewBar(bars, state.lastBarTime);
  const idle = (broker: string): ExecutionReport => ({
    strategyId,
    market: target.market,
    broker,
    bars: 0,
    outcomes: [],
    fillsRecorded: 0,
    fillsDuplicate: 0,
    reconciliation: undefined,
    halt: state.risk.halt,
    equity: null,
    revision,
  });
  if (firstNew >= bars.length) return idle(deps.liveBroker?.name ?? 'paper');

  let now = bars.time[firstNew]!;
  const barClock: Clock = { now: () => now };
  const clock = deps.liveBroker ? (deps.clock ?? barClock) : barClock;
  const paper = deps.liveBroker ? undefined : paperBroker(target, strategyId, state.paper, barClock);
  const broker: Broker = deps.liveBroker ?? paper!;
  const market = deps.liveBroker
    ? await deps.liveBroker.market(target.symbol)
    : paperMarketOf(target.symbol, target.engine);

  let fillsRecorded = 0;
  let fillsDuplicate = 0;
  const recordFill = async (fill: FillRecord) => {
    if ((await deps.trades.record(fill)) === 'recorded') fillsRecorded++;
    else fillsDuplicate++;
  };

  // Nothing is decided before the broker's open orders agree with ours.
  const reconciliation = await reconcileOpenOrders(broker, state.openOrders, {
    symbols: [target.symbol],
    isOurs: (id) => id.startsWith('fw'),
  });
  for (const order of [...reconciliation.filled, ...reconciliation.canceled]) {
    const fill = orderFill(order, broker.name, strategyId, target.market);
    if (fill) await recordFill(fill);
  }

  const executor = new StrategyExecutor(
    {
      strategyId,
      market,
      signals: new StrategySignals(target.strategy, target.params, !market.shortable),
      broker,
      clock,
      limits: deps.limits,
      protection: {
        ...(target.engine.stopLossPct === undefined ? {} : { stopLossPct: target.engine.stopLossPct }),
        ...(target.engine.takeProfitPct === undefined ? {} : { takeProfitPct: target.engine.takeProfitPct }),
      },
      onHalt: (halt) => deps.onHalt?.(halt, key),
    },
    state.risk,
  );
  const outcomes: BarOutcome[] = [];
  for (let i = firstNew; i < bars.length; i++) {
    now = bars.time[i]!;
    if (paper) {
      const fills = paper.onBar({
        time: now,
        open: bars.open[i]!,
        high: bars.high[i]!,
        low: bars.low[i]!,
        close: bars.close[i]!,
      });
      for (const [index, fill] of fills.entries()) {
        await recordFill(paperFill(fill, fills, index, target.market));
      }
    }
    const outcome = await executor.onClosedBar(sliceBars(bars, 0, i + 1));
    outcomes.push(outcome);
    if (!paper && outcome.kind === 'placed') {
      for (const order of outcome.orders) {
        const fill = orderFill(order, broker.name, strategyId, target.market);
        if (fill) await recordFill(fill);
      }
    }
  }

  const open = await broker.openOrders(target.symbol);
  const next: TradingState = {
    version: 1,
    lastBarTime: bars.time[bars.length - 1]!,
    risk: executor.riskState(),
    paper: paper ? paper.snapshot() : null,
    openOrders: open
      .filter((order) => order.clientOrderId.startsWith('fw'))
      .map(({ clientOrderId, symbol }) => ({ clientOrderId, symbol })),
    refusals: [
      ...(state.refusals ?? []),
      ...outcomes.flatMap((outcome) =>
        outcome.kind === 'refused'
          ? [{ barTime: outcome.barTime, code: outcome.refusal.code, reason: outcome.refusal.reason }]
          : [],
      ),
    ].slice(-KEPT_REFUSALS),
  };
  const written = await deps.states.put(key, next as unknown as Json, revision);
  return {
    strategyId,
    market: target.market,
    broker: broker.name,
    bars: outcomes.length,
    outcomes,
    fillsRecorded,
    fillsDuplicate,
    reconciliation,
    halt: next.risk.halt,
    equity: paper ? paper.equity(bars.close[bars.length - 1]!) : null,
    revision: written,
  };
}

/** Index of the first bar after `lastBarTime`; with no state, the latest bar (a new strategy trades from now on). */
function firstNewBar(bars: Bars, lastBarTime: number | null): number {
  if (lastBarTime === null) return Math.max(0, bars.length - 1);
  let index = bars.length;
  while (index > 0 && bars.time[index - 1]! > lastBarTime) index--;
  return index;
}

function paperBroker(
  target: ExecutionTarget,
  strategyId: string,
  snapshot: PaperAccountSnapshot | null,
  clock: Clock,
): PaperBroker {
  const { engine } = target;
  const broker = new PaperBroker(
    {
      market: paperMarketOf(target.symbol, engine),
      strategyId,
      cash: engine.cash,
      commission: engine.commission,
      spread: engine.spread,
      slippageBps: engine.slippageBps,
      fractional: engine.fractional,
    },
    clock,
  );
  if (snapshot) broker.restore(snapshot);
  return broker;
}

/** A paper fill as the trades table keeps it; a second fill of one order in the same bar gets a suffix. */
function paperFill(fill: Fill, fills: readonly Fill[], index: number, market: string): FillRecord {
  const earlier = fills.slice(0, index).filter((other) => other.clientOrderId === fill.clientOrderId).length;
  return {
    kind: 'fill',
    id: `paper:${fill.clientOrderId}${earlier ? `:${earlier + 1}` : ''}`,
    strategy: fill.strategyId,
    market,
    side: fill.side,
    quantity: fill.amount,
    price: fill.price,
    fee: fill.fee,
    time: fill.time,
    source: 'paper',
    clientOrderId: fill.clientOrderId,
  };
}

/** The fill of a live order that has filled (fully, or partly before it was canceled); undefined otherwise. */
function orderFill(
  order: BrokerOrder,
  brokerName: string,
  strategyId: string,
  market: string,
): FillRecord | undefined {
  if (order.status === 'open' || !(order.filled > 0) || order.averagePrice === null) return undefined;
  return {
    kind: 'fill',
    id: `${brokerName}:${order.clientOrderId}`,
    strategy: strategyId,
    market,
    side: order.side,
    quantity: order.filled,
    price: order.averagePrice,
    fee: order.fee,
    time: Math.round(order.filledAt ?? order.placedAt),
    source: brokerName === 'paper' ? 'paper' : 'live',
    clientOrderId: order.clientOrderId,
    ...(order.exchangeOrderId ? { orderId: order.exchangeOrderId } : {}),
  };
}

/** What starting a newly promoted strategy found. */
export interface ExecutionStart {
  readonly strategyId: string;
  readonly market: string;
  readonly broker: string;
  /** False when the strategy already had a state (promoted again, or a retried event). */
  readonly created: boolean;
  readonly reconciliation: Reconciliation;
  readonly fillsRecorded: number;
}

/**
 * Starts trading a newly promoted strategy: reconciles the orders its state believes open with the broker
 * (recording fills that happened meanwhile) and stores the state, so the next closed bar is its first decision.
 */
export async function startExecution(
  deps: Omit<ExecutionDependencies, 'onHalt'>,
  target: ExecutionTarget,
): Promise<ExecutionStart> {
  const strategyId = targetStrategyId(target);
  const key: TradingStateKey = { strategyId, market: target.market };
  const { state, revision } = await loadTradingState(deps.states, key);
  const broker =
    deps.liveBroker ?? paperBroker(target, strategyId, state.paper, deps.clock ?? { now: () => Date.now() });
  const reconciliation = await reconcileOpenOrders(broker, state.openOrders, {
    symbols: [target.symbol],
    isOurs: (id) => id.startsWith('fw'),
  });
  let fillsRecorded = 0;
  for (const order of [...reconciliation.filled, ...reconciliation.canceled]) {
    const fill = orderFill(order, broker.name, strategyId, target.market);
    if (fill && (await deps.trades.record(fill)) === 'recorded') fillsRecorded++;
  }
  const openOrders = [...reconciliation.stillOpen, ...reconciliation.unrecorded].map(
    ({ clientOrderId, symbol }) => ({ clientOrderId, symbol }),
  );
  if (revision === 0 || fillsRecorded > 0 || openOrders.length !== state.openOrders.length) {
    await deps.states.put(key, { ...state, openOrders } as unknown as Json, revision);
  }
  return {
    strategyId,
    market: target.market,
    broker: broker.name,
    created: revision === 0,
    reconciliation,
    fillsRecorded,
  };
}
