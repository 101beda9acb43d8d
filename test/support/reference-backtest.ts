import type { BacktestOptions } from '@shared/backtest/options';
import type { Trade } from '@shared/backtest/trade';
import type { Bars } from '@shared/market-data/bars';
import type { ParamSpecs, ParamValues, Strategy } from '@shared/strategies/api';
import { createIndicatorLibrary } from '@shared/strategies/indicators';

interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

interface Position {
  direction: 1 | -1;
  units: number;
  entryPrice: number;
  entryBar: number;
  entryCommission: number;
  stop: number | undefined;
  take: number | undefined;
}

/** What the reference returns: the same facts as the kernel, built the obvious way. */
export interface ReferenceResult {
  equity: number[];
  trades: Trade[];
  openTrade: Trade | undefined;
}

/**
 * A deliberately plain re-implementation of the engine rules (objects per bar, an order queue, no typed
 * arrays): the oracle the typed-array kernel is checked against, and the baseline `npm run bench` compares with.
 */
export function referenceBacktest(
  bars: Bars,
  strategy: Strategy,
  params: ParamValues<ParamSpecs>,
  options: BacktestOptions,
): ReferenceResult {
  const all: Candle[] = [];
  for (let i = 0; i < bars.length; i++) {
    all.push({
      time: bars.time[i]!,
      open: bars.open[i]!,
      high: bars.high[i]!,
      low: bars.low[i]!,
      close: bars.close[i]!,
    });
  }
  let first = 0;
  while (first < all.length && options.from !== undefined && all[first]!.time < options.from) first++;
  let last = all.length - 1;
  while (last >= 0 && options.to !== undefined && all[last]!.time > options.to) last--;
  const visible: Bars = {
    time: bars.time.slice(0, last + 1),
    open: bars.open.slice(0, last + 1),
    high: bars.high.slice(0, last + 1),
    low: bars.low.slice(0, last + 1),
    close: bars.close.slice(0, last + 1),
    volume: bars.volume.slice(0, last + 1),
    length: last + 1,
  };
  const indicators = strategy.indicators(visible, params, createIndicatorLibrary());
  const warmup = Math.max(
    0,
    ...Object.values(indicators).map((series) => {
      const index = Array.from(series).findIndex((value) => !Number.isNaN(value));
      return index < 0 ? series.length : index;
    }),
  );

  let cash = options.cash;
  let position: Position | undefined;
  let order: 'long' | 'short' | 'exit' | undefined;
  const trades: Trade[] = [];
  const equity: number[] = [];
  const slip = options.slippageBps / 10_000;

  const units = (price: number) => {
    const affordable = cash / (price * (1 + options.commission));
    if (options.lotStep !== undefined) {
      const decimals = (String(options.lotStep).split('.')[1] ?? '').length;
      let lots = Math.floor(affordable / options.lotStep + 1e-9);
      let size = Number((lots * options.lotStep).toFixed(decimals));
      while (size > 0 && size * price * (1 + options.commission) > cash) {
        lots -= 1;
        size = Number((lots * options.lotStep).toFixed(decimals));
      }
      return size;
    }
    return options.fractional ? affordable : Math.floor(affordable);
  };

  const asTrade = (
    p: Position,
    bar: number,
    exitPrice: number,
    exitCommission: number,
    reason: Trade['exitReason'],
  ): Trade => {
    const pnl = p.direction * p.units * (exitPrice - p.entryPrice) - p.entryCommission - exitCommission;
    return {
      entryBar: p.entryBar,
      exitBar: bar,
      entryTime: all[p.entryBar]!.time,
      exitTime: all[bar]!.time,
      side: p.direction === 1 ? 'long' : 'short',
      size: p.direction * p.units,
      entryPrice: p.entryPrice,
      exitPrice,
      pnl,
      returnPct: (pnl / (p.units * p.entryPrice)) * 100,
      commission: p.entryCommission + exitCommission,
      exitReason: reason,
    };
  };

  const close = (bar: number, base: number, reason: Trade['exitReason']) => {
    const p = position!;
    const exitPrice = base * (1 - p.direction * slip);
    const exitCommission = p.units * exitPrice * options.commission;
    cash += p.direction * p.units * exitPrice - exitCommission;
    trades.push(asTrade(p, bar, exitPrice, exitCommission, reason));
    position = undefined;
  };

  const open = (bar: number, base: number, direction: 1 | -1) => {
    const entryPrice = base * (1 + direction * options.spread) * (1 + direction * slip);
    const size = cash > 0 ? units(entryPrice) : 0;
    if (!(size > 0)) return;
    const entryCommission = size * entryPrice * options.commission;
    cash -= direction * size * entryPrice + entryCommission;
    position = {
      direction,
      units: size,
      entryPrice,
      entryBar: bar,
      entryCommission,
      stop:
        options.stopLossPct === undefined
          ? undefined
          : entryPrice * (1 - (direction * options.stopLossPct) / 100),
      take:
        options.takeProfitPct === undefined
          ? undefined
          : entryPrice * (1 + (direction * options.takeProfitPct) / 100),
    };
  };

  for (let i = first; i <= last; i++) {
    const candle = all[i]!;
    if (order) {
      const wanted = order;
      order = undefined;
      if (position && (wanted === 'exit' || (wanted === 'long') !== (position.direction === 1)))
        close(i, candle.open, 'signal');
      if (wanted !== 'exit') open(i, candle.open, wanted === 'long' ? 1 : -1);
    }
    if (position) {
      const { direction, stop, take } = position;
      const adverse = (level: number | undefined, price: number) =>
        level !== undefined && direction * (price - level) <= 0;
      const favourable = (level: number | undefined, price: number) =>
        level !== undefined && direction * (price - level) >= 0;
      const worst = direction === 1 ? candle.low : candle.high;
      const best = direction === 1 ? candle.high : candle.low;
      if (adverse(stop, candle.open)) close(i, candle.open, 'stop-loss');
      else if (favourable(take, candle.open)) close(i, candle.open, 'take-profit');
      else if (adverse(stop, worst)) close(i, stop!, 'stop-loss');
      else if (favourable(take, best)) close(i, take!, 'take-profit');
    }
    const value = cash + (position ? position.direction * position.units * candle.close : 0);
    if (value <= 0) {
      if (position) close(i, candle.close, 'liquidated');
      while (equity.length < last - first + 1) equity.push(0);
      return { equity, trades, openTrade: undefined };
    }
    equity.push(value);
    if (i < Math.max(first, warmup) || i === last) continue;
    const held = position ? (position.direction === 1 ? 'long' : 'short') : 'flat';
    const decision = strategy.signal(i, indicators, visible, params, held);
    if (decision === 'long' && position?.direction !== 1) order = 'long';
    if (decision === 'short') {
      if (options.longOnly) {
        if (position?.direction === 1) order = 'exit';
      } else if (position?.direction !== -1) order = 'short';
    }
    if (decision === 'exit' && position) order = 'exit';
  }

  const openTrade = position ? asTrade(position, last, all[last]!.close, 0, 'end') : undefined;
  return { equity, trades, openTrade };
}
