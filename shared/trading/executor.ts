import type { OrderIntent } from '../backtest/decide';
import type { Bars } from '../market-data/bars';
import type { Broker, BrokerOrder, MarketConstraints, Protection } from '../ports/broker';
import type { Clock } from '../ports/clock';
import { planDecision, type TradeDecision } from './orders';
import {
  type Halt,
  INITIAL_RISK_STATE,
  judgeDecision,
  observeEquity,
  type Refusal,
  type RiskState,
  recordOrders,
  resumeTrading,
} from './risk';
import type { RiskLimits } from './settings';
import type { StrategySignals } from './signals';

/** What the executor did on one closed bar; refusals carry their reason so they can be recorded. */
export type BarOutcome =
  | { readonly kind: 'warming-up' | 'hold'; readonly barTime: number }
  | {
      readonly kind: 'placed';
      readonly barTime: number;
      readonly decision: TradeDecision;
      readonly orders: readonly BrokerOrder[];
    }
  | {
      readonly kind: 'refused';
      readonly barTime: number;
      readonly decision: TradeDecision;
      readonly refusal: Refusal;
    };

/** What one executor needs: a strategy's signals, the market and broker it trades on, and its limits. */
export interface ExecutorSettings {
  /** The strategy with its parameters (see strategyIdentity): part of every client order id. */
  readonly strategyId: string;
  readonly market: MarketConstraints;
  readonly signals: StrategySignals;
  readonly broker: Broker;
  readonly clock: Clock;
  readonly limits: RiskLimits;
  /** Stop-loss and take-profit attached to every entry, as `--stop-loss` and `--take-profit` in the backtest. */
  readonly protection?: Protection;
  /** Called once when the kill switch trips, to emit `TradingHalted`. */
  readonly onHalt?: (halt: Halt) => void | Promise<void>;
}

/**
 * Trades one strategy on one market, one closed bar at a time: signal (the backtest's decision code) →
 * decision with legs and deterministic client order ids → risk → broker. Placing is idempotent, so replaying a
 * bar after a crash never orders twice.
 */
export class StrategyExecutor {
  private risk: RiskState;

  constructor(
    private readonly settings: ExecutorSettings,
    initialRisk: RiskState = INITIAL_RISK_STATE,
  ) {
    this.risk = initialRisk;
  }

  /** The risk state to store between invocations. */
  riskState(): RiskState {
    return this.risk;
  }

  /** Lifts a halt (`flywheel trading resume`). */
  resume(): void {
    this.risk = resumeTrading(this.risk);
  }

  /** Handles the bar that just closed: `bars` holds every bar up to and including it. */
  async onClosedBar(bars: Bars): Promise<BarOutcome> {
    const { broker, market, signals, clock, limits } = this.settings;
    const bar = bars.length - 1;
    const barTime = bars.time[bar]!;
    const price = bars.close[bar]!;
    const now = clock.now();
    const [position, balances, open] = await Promise.all([
      broker.position(market.symbol),
      broker.balances(),
      broker.openOrders(),
    ]);
    const equity = (balances[market.quote]?.total ?? 0) + position.amount * price;
    const observed = observeEquity(this.risk, now, equity, limits);
    this.risk = observed.state;
    if (observed.halted) await this.settings.onHalt?.(observed.halted);
    const signal = signals.onClosedBar(bars, position.amount);
    if (bar < signal.warmupBar) return { kind: 'warming-up', barTime };
    const decision = this.plan(signal.intent, barTime, position.amount);
    if (!decision) return { kind: 'hold', barTime };
    const refusal = judgeDecision(
      decision,
      { now, openOrders: open.length, equity, price },
      this.risk,
      limits,
    );
    if (refusal) return { kind: 'refused', barTime, decision, refusal };
    const orders: BrokerOrder[] = [];
    for (const leg of decision.legs) {
      orders.push(
        await broker.placeMarketOrder({
          clientOrderId: leg.clientOrderId,
          symbol: market.symbol,
          side: leg.side,
          size: leg.size,
          reduceOnly: leg.reduceOnly,
          ...(leg.protection ? { protection: leg.protection } : {}),
        }),
      );
    }
    this.risk = recordOrders(this.risk, now);
    return { kind: 'placed', barTime, decision, orders };
  }

  private plan(intent: OrderIntent, barTime: number, positionAmount: number): TradeDecision | undefined {
    const { strategyId, market, protection } = this.settings;
    return planDecision(intent, {
      strategyId,
      symbol: market.symbol,
      barTime,
      positionAmount,
      ...(protection ? { protection } : {}),
    });
  }
}
