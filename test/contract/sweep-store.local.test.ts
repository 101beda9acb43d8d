import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteSweepStore } from '@shared/adapters/local/sqlite/sweep-store';
import { describeSweepStoreContract } from './sweep-store-contract';

describeSweepStoreContract('SqliteSweepStore', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-sweep-store-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  return {
    store: new SqliteSweepStore(db),
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
