import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteDraftStore } from '@shared/adapters/local/sqlite/draft-store';
import { describeDraftStoreContract } from './draft-store-contract';

describeDraftStoreContract('SqliteDraftStore', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-draft-store-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  return {
    store: new SqliteDraftStore(db),
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
