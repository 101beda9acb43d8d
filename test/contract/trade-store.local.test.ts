import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteTradeStore } from '@shared/adapters/local/sqlite/trade-store';
import { describeTradeStoreContract } from './trade-store-contract';

describeTradeStoreContract('SqliteTradeStore', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-trades-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  return {
    store: new SqliteTradeStore(db),
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
