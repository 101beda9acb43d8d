import type { AppendResult, CandleGap, CandleSeries, CandleStore } from '../ports/candle-store';
import type { Candle } from '../ports/market-data-source';

/** A candle store in memory: for a one-off `flywheel data fetch --out FILE` and for tests. */
export class MemoryCandleStore implements CandleStore {
  private readonly candles = new Map<string, Map<number, Candle>>();
  private readonly gapsBySeries = new Map<string, Map<number, CandleGap>>();

  async append(series: CandleSeries, candles: readonly Candle[]): Promise<AppendResult> {
    const stored = mapOf(this.candles, series);
    let inserted = 0;
    for (const candle of candles) {
      if (stored.has(candle.openTime)) continue;
      stored.set(candle.openTime, { ...candle });
      inserted++;
    }
    return { inserted, duplicates: candles.length - inserted };
  }

  async lastCandle(series: CandleSeries): Promise<Candle | undefined> {
    const sorted = [...mapOf(this.candles, series).values()].sort((a, b) => a.openTime - b.openTime);
    return sorted[sorted.length - 1];
  }

  async range(series: CandleSeries, from: number, to: number): Promise<Candle[]> {
    return [...mapOf(this.candles, series).values()]
      .filter((candle) => candle.openTime >= from && candle.openTime < to)
      .sort((a, b) => a.openTime - b.openTime);
  }

  async recordGap(series: CandleSeries, gap: CandleGap): Promise<void> {
    const gaps = mapOf(this.gapsBySeries, series);
    if (!gaps.has(gap.from)) gaps.set(gap.from, { ...gap });
  }

  async gaps(series: CandleSeries): Promise<CandleGap[]> {
    return [...mapOf(this.gapsBySeries, series).values()].sort((a, b) => a.from - b.from);
  }
}

function mapOf<T>(maps: Map<string, Map<number, T>>, series: CandleSeries): Map<number, T> {
  const key = `${series.market}#${series.timeframe}`;
  let map = maps.get(key);
  if (!map) {
    map = new Map();
    maps.set(key, map);
  }
  return map;
}
