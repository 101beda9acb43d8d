import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteTradingStateStore } from '@shared/adapters/local/sqlite/trading-state-store';
import { MemoryTradingStateStore } from '@shared/trading/memory-trading-state-store';
import { describeTradingStateStoreContract } from './trading-state-store-contract';

describeTradingStateStoreContract('SqliteTradingStateStore', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-trading-state-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  return {
    store: new SqliteTradingStateStore(db),
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});

describeTradingStateStoreContract('MemoryTradingStateStore', async () => ({
  store: new MemoryTradingStateStore(),
  cleanup: async () => {},
}));
