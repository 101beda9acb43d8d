import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { SqliteDatasetStore } from '@shared/adapters/local/sqlite/dataset-store';
import { SqlitePromotionStore } from '@shared/adapters/local/sqlite/promotion-store';
import { SqliteQueue } from '@shared/adapters/local/sqlite/queue';
import { SqliteSweepStore } from '@shared/adapters/local/sqlite/sweep-store';
import { systemClock } from '@shared/ports/clock';
import { readBarsFile } from '../../local/market-data-file';
import { createStrategyResolver } from '../../local/strategy-loader';
import { SAMPLE_DIR } from '../support/sample-data';
import { describeExactlyOnceContract } from './exactly-once-contract';

describeExactlyOnceContract('SQLite queue and stores', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'flywheel-exactly-once-'));
  const db = openDatabase(join(folder, 'flywheel.db'));
  const jobs = new SqliteQueue({
    db,
    name: 'backtest-jobs',
    visibilityTimeoutSeconds: 1,
    maxReceiveCount: 5,
    deadLetterQueueName: 'backtest-jobs-dlq',
  });
  return {
    deps: {
      sweeps: new SqliteSweepStore(db),
      datasets: new SqliteDatasetStore(db),
      promotions: new SqlitePromotionStore(db),
      jobs,
      strategies: createStrategyResolver(),
      clock: systemClock,
      readDatasetFile: readBarsFile,
    },
    dataDir: SAMPLE_DIR,
    cleanup: async () => {
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
