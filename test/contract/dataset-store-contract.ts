import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Bars } from '@shared/market-data/bars';
import type { DatasetStore, OhlcvColumns } from '@shared/ports/dataset-store';
import { barsFrom } from '../support/bars';
import { loadSample } from '../support/sample-data';

/** A fresh, empty data set store for one test. */
export interface DatasetStoreContractFixture {
  readonly store: DatasetStore;
  cleanup(): Promise<void>;
}

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** The exact bytes of each column, so that -0, NaN payloads and the last bit of every value count. */
function columnBytes(bars: OhlcvColumns): Record<string, Buffer> {
  return Object.fromEntries(
    COLUMNS.map((column) => {
      const values = bars[column];
      return [column, Buffer.from(values.buffer, values.byteOffset, values.byteLength)];
    }),
  );
}

/** Three bars holding values a lossy encoding would change. */
function awkwardBars(): Bars {
  const bars = barsFrom([
    [0.1 + 0.2, 1e308, -0, 5e-324],
    [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1 / 3],
    123_456.789,
  ]);
  bars.volume[1] = -0;
  return bars;
}

/**
 * The behaviour every `DatasetStore` adapter shares: bars come back exactly, in aligned float64 columns; a hash
 * names its contents, so a second put with the same hash changes nothing.
 */
export function describeDatasetStoreContract(
  adapterName: string,
  makeFixture: () => Promise<DatasetStoreContractFixture>,
): void {
  describe(`DatasetStore contract: ${adapterName}`, () => {
    let fixture: DatasetStoreContractFixture;
    let store: DatasetStore;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('returns the sample bars exactly, as aligned Float64Array columns', async () => {
      // Prepare
      const bars = loadSample('GOOG.csv');

      // Act
      await store.put({ hash: 'goog-hash', market: 'GOOG', name: 'GOOG.csv', bars });
      const stored = await store.get('goog-hash');

      // Assess
      expect(stored?.length).toBe(bars.length);
      expect(columnBytes(stored!)).toEqual(columnBytes(bars));
      for (const column of COLUMNS) {
        expect(stored![column]).toBeInstanceOf(Float64Array);
        expect(stored![column].byteOffset % 8).toBe(0);
        expect(stored![column]).toHaveLength(bars.length);
      }
    });

    it('keeps every bit of awkward values: -0, NaN, infinities, the largest and the smallest doubles', async () => {
      // Prepare
      const bars = awkwardBars();

      // Act
      await store.put({ hash: 'awkward', market: 'ETH/BTC', name: 'ETH_BTC-5m (inline) ✓', bars });
      const stored = await store.get('awkward');

      // Assess
      expect(stored?.length).toBe(3);
      expect(columnBytes(stored!)).toEqual(columnBytes(bars));
    });

    it('returns undefined for a hash that was never stored', async () => {
      // Act
      const stored = await store.get('no-such-hash');

      // Assess
      expect(stored).toBeUndefined();
    });

    it('ignores a second put with the same hash: the first data set stays', async () => {
      // Prepare
      const first = awkwardBars();
      await store.put({ hash: 'same-hash', market: 'GOOG', name: 'first.csv', bars: first });

      // Act
      await store.put({
        hash: 'same-hash',
        market: 'GOOG',
        name: 'second.csv',
        bars: barsFrom([1, 2, 3, 4]),
      });
      const stored = await store.get('same-hash');

      // Assess
      expect(stored?.length).toBe(3);
      expect(columnBytes(stored!)).toEqual(columnBytes(first));
    });

    it('keeps data sets apart by hash', async () => {
      // Prepare
      const short = barsFrom([10, 11]);
      const long = barsFrom([20, 21, 22, 23, 24]);

      // Act
      await store.put({ hash: 'short', market: 'A', name: 'a.csv', bars: short });
      await store.put({ hash: 'long', market: 'B', name: 'b.csv', bars: long });

      // Assess
      expect(columnBytes((await store.get('short'))!)).toEqual(columnBytes(short));
      expect(columnBytes((await store.get('long'))!)).toEqual(columnBytes(long));
    });
  });
}
