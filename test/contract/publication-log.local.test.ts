import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { SqlitePublicationLog } from '@shared/adapters/local/sqlite/publication-log';
import { describePublicationLogContract } from './publication-log-contract';

describePublicationLogContract('SqlitePublicationLog', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-publication-log-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  return {
    log: new SqlitePublicationLog(db),
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
