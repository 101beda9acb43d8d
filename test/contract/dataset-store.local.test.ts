import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteDatasetStore } from '@shared/adapters/local/sqlite/dataset-store';
import { describeDatasetStoreContract } from './dataset-store-contract';

describeDatasetStoreContract('SqliteDatasetStore', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-dataset-store-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  return {
    store: new SqliteDatasetStore(db),
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
