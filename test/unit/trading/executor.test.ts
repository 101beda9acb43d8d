import { describe, expect, it } from '@jest/globals';
import { sliceBars } from '@shared/market-data/bars';
import type { MarketConstraints } from '@shared/ports/broker';
import { defineStrategy } from '@shared/strategies/api';
import { type BarOutcome, StrategyExecutor } from '@shared/trading/executor';
import { PaperBroker } from '@shared/trading/paper-broker';
import type { Halt } from '@shared/trading/risk';
import type { RiskLimits } from '@shared/trading/settings';
import { StrategySignals } from '@shared/trading/signals';
import { barsFrom } from '../../support/bars';

const MARKET: MarketConstraints = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', shortable: true };

/** Long on every even bar, short on every odd one: a decision, often a reversal, on every bar. */
const flipFlop = defineStrategy({
  name: 'flip-flop',
  description: 'alternates',
  params: {},
  indicators: () => ({}),
  signal: (i) => (i % 2 === 0 ? 'long' : 'short'),
});

function setup(limits: RiskLimits, closes: number[]) {
  const bars = barsFrom(closes, { startIso: '2024-03-01T00:00:00Z', stepMs: 3_600_000 });
  let now = bars.time[0]!;
  const clock = { now: () => now };
  const broker = new PaperBroker(
    {
      market: MARKET,
      strategyId: 'flip-flop()',
      cash: 1_000,
      commission: 0,
      spread: 0,
      slippageBps: 0,
      fractional: false,
    },
    clock,
  );
  const halts: Halt[] = [];
  const executor = new StrategyExecutor({
    strategyId: 'flip-flop()',
    market: MARKET,
    signals: new StrategySignals(flipFlop, {}, false),
    broker,
    clock,
    limits,
    onHalt: (halt) => {
      halts.push(halt);
    },
  });
  const play = async (i: number): Promise<BarOutcome> => {
    now = bars.time[i]!;
    broker.onBar({
      time: now,
      open: bars.open[i]!,
      high: bars.high[i]!,
      low: bars.low[i]!,
      close: bars.close[i]!,
    });
    return executor.onClosedBar(sliceBars(bars, 0, i + 1));
  };
  return { bars, broker, executor, halts, play };
}

describe('the strategy executor', () => {
  it('never orders twice when the same closed bar is handled again', async () => {
    const { bars, broker, executor, play } = setup({}, [10, 10, 10]);
    const first = await play(0);
    const retry = await executor.onClosedBar(sliceBars(bars, 0, 1));
    expect(first.kind).toBe('placed');
    expect(retry).toEqual(first);
    expect(await broker.openOrders()).toHaveLength(1);
  });

  it('places a reversal as two legs judged as one decision', async () => {
    const { play } = setup({ maxOpenOrders: 1 }, [10, 10, 10]);
    await play(0);
    const reversal = await play(1);
    expect(
      reversal.kind === 'placed' && reversal.orders.map((order) => [order.side, order.size.kind]),
    ).toEqual([
      ['sell', 'base'],
      ['sell', 'all-funds'],
    ]);
  });

  it('records why a decision was refused', async () => {
    const { play, broker } = setup({ maxOrderNotional: 500 }, [10, 10]);
    const outcome = await play(0);
    expect(outcome).toMatchObject({ kind: 'refused', refusal: { code: 'max-order-notional' } });
    expect(await broker.openOrders()).toEqual([]);
  });

  it('halts all trading on the daily loss limit, announces it once, and trades again after resume', async () => {
    // Long 100 units at 10 from cash 1000, closed at 7 on the reversal: a loss of 300.
    const { play, halts, executor } = setup({ maxDailyLoss: 250 }, [10, 10, 7, 7, 7]);
    await play(0);
    const tripped = await play(1);
    expect(tripped.kind).toBe('placed');
    const halted = await play(2);
    expect(halted).toMatchObject({ kind: 'refused', refusal: { code: 'trading-halted' } });
    expect(halts).toEqual([expect.objectContaining({ maxDailyLoss: 250 })]);
    await play(3);
    expect(halts).toHaveLength(1);
    executor.resume();
    expect((await play(4)).kind).toBe('placed');
  });
});
