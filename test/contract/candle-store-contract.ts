import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CandleStore } from '@shared/ports/candle-store';
import { makeCandles } from '../support/fake-exchange';

/** A fresh, empty candle store for one test. */
export interface CandleStoreContractFixture {
  readonly store: CandleStore;
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const BTC_1H = { market: 'binance:BTC/USDT', timeframe: '1h' };
const BTC_4H = { market: 'binance:BTC/USDT', timeframe: '4h' };
const ETH_1H = { market: 'binance:ETH/USDT', timeframe: '1h' };

/**
 * The behaviour every `CandleStore` adapter shares: each open time stored once per market and timeframe (a repeat
 * is a duplicate, and the first values stand), the last candle, ranges oldest first, and gaps recorded once.
 */
export function describeCandleStoreContract(
  adapterName: string,
  createFixture: () => Promise<CandleStoreContractFixture>,
): void {
  describe(`CandleStore contract: ${adapterName}`, () => {
    let fixture: CandleStoreContractFixture;

    beforeEach(async () => {
      fixture = await createFixture();
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('stores candles and reads them back by range, oldest first', async () => {
      // Prepare
      const candles = makeCandles(START, HOUR, 30);

      // Act
      const result = await fixture.store.append(BTC_1H, [...candles].reverse());

      // Assess
      expect(result).toEqual({ inserted: 30, duplicates: 0 });
      expect(await fixture.store.range(BTC_1H, START + 2 * HOUR, START + 5 * HOUR)).toEqual(
        candles.slice(2, 5),
      );
      expect(await fixture.store.range(BTC_1H, 0, Number.MAX_SAFE_INTEGER)).toEqual(candles);
      expect(await fixture.store.lastCandle(BTC_1H)).toEqual(candles[29]);
    });

    it('stores an open time once: a repeat is a duplicate and the first values stand', async () => {
      // Prepare
      const candles = makeCandles(START, HOUR, 5);
      await fixture.store.append(BTC_1H, candles.slice(0, 3));
      const changed = candles.map((candle) => ({ ...candle, close: candle.close + 1000 }));

      // Act
      const result = await fixture.store.append(BTC_1H, changed);

      // Assess
      expect(result).toEqual({ inserted: 2, duplicates: 3 });
      const stored = await fixture.store.range(BTC_1H, 0, Number.MAX_SAFE_INTEGER);
      expect(stored.map((candle) => candle.close)).toEqual([
        ...candles.slice(0, 3).map((candle) => candle.close),
        ...changed.slice(3).map((candle) => candle.close),
      ]);
    });

    it('keeps each market and timeframe apart', async () => {
      // Prepare
      await fixture.store.append(BTC_1H, makeCandles(START, HOUR, 3));
      await fixture.store.append(BTC_4H, makeCandles(START, 4 * HOUR, 2));

      // Act
      const eth = await fixture.store.range(ETH_1H, 0, Number.MAX_SAFE_INTEGER);

      // Assess
      expect(eth).toEqual([]);
      expect(await fixture.store.lastCandle(ETH_1H)).toBeUndefined();
      expect((await fixture.store.lastCandle(BTC_4H))?.openTime).toBe(START + 4 * HOUR);
      expect((await fixture.store.lastCandle(BTC_1H))?.openTime).toBe(START + 2 * HOUR);
    });

    it('records each gap once and lists them oldest first', async () => {
      // Prepare
      const later = {
        from: START + 10 * HOUR,
        to: START + 10 * HOUR,
        missing: 1,
        detectedAt: START + 20 * HOUR,
      };
      const earlier = {
        from: START + 3 * HOUR,
        to: START + 4 * HOUR,
        missing: 2,
        detectedAt: START + 20 * HOUR,
      };

      // Act
      await fixture.store.recordGap(BTC_1H, later);
      await fixture.store.recordGap(BTC_1H, earlier);
      await fixture.store.recordGap(BTC_1H, { ...earlier, detectedAt: START + 30 * HOUR });

      // Assess
      expect(await fixture.store.gaps(BTC_1H)).toEqual([earlier, later]);
      expect(await fixture.store.gaps(BTC_4H)).toEqual([]);
      expect(await fixture.store.lastCandle(BTC_1H)).toBeUndefined();
    });

    it('appends more candles than one write batch holds', async () => {
      // Prepare
      const candles = makeCandles(START, 60_000, 260);

      // Act
      const first = await fixture.store.append(BTC_1H, candles.slice(0, 130));
      const second = await fixture.store.append(BTC_1H, candles);

      // Assess
      expect(first).toEqual({ inserted: 130, duplicates: 0 });
      expect(second).toEqual({ inserted: 130, duplicates: 130 });
      expect(await fixture.store.range(BTC_1H, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(260);
    });
  });
}
