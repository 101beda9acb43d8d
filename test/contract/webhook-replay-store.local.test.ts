import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteWebhookReplayStore } from '@shared/adapters/local/sqlite/webhook-replay-store';
import { describeWebhookReplayStoreContract } from './webhook-replay-store-contract';

describeWebhookReplayStoreContract('SqliteWebhookReplayStore', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-webhook-events-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  return {
    store: new SqliteWebhookReplayStore(db),
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
