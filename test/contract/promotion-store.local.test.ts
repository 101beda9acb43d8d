import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { SqlitePromotionStore } from '@shared/adapters/local/sqlite/promotion-store';
import { describePromotionStoreContract } from './promotion-store-contract';

describePromotionStoreContract('SqlitePromotionStore', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-promotion-store-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  return {
    store: new SqlitePromotionStore(db),
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
