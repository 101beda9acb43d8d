import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCandleStore } from '@shared/adapters/local/sqlite/candle-store';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { MemoryCandleStore } from '@shared/market/memory-candle-store';
import { describeCandleStoreContract } from './candle-store-contract';

describeCandleStoreContract('SqliteCandleStore', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-candle-store-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  return {
    store: new SqliteCandleStore(db),
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});

describeCandleStoreContract('MemoryCandleStore', async () => ({
  store: new MemoryCandleStore(),
  cleanup: async () => {},
}));
