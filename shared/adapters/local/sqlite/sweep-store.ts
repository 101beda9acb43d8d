import type { Json } from '../../../ports/json';
import type {
  FailedJob,
  SweepProgress,
  SweepRecord,
  SweepStatus,
  SweepStore,
} from '../../../ports/sweep-store';
import { migrate, type SqliteDatabase } from './database';

const SCHEMA = `
CREATE TABLE sweeps (
  sweep_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  spec TEXT NOT NULL,
  total INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  summary TEXT
);
CREATE INDEX sweeps_by_created ON sweeps (created_at DESC);
CREATE TABLE sweep_jobs (
  sweep_id TEXT NOT NULL REFERENCES sweeps (sweep_id),
  job_id TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  PRIMARY KEY (sweep_id, job_id)
);
CREATE TABLE job_results (
  job_id TEXT PRIMARY KEY,
  result TEXT NOT NULL,
  stored_at INTEGER NOT NULL
);
`;

interface SweepRow {
  sweep_id: string;
  status: SweepStatus;
  spec: string;
  total: number;
  done: number;
  failed: number;
  created_at: number;
  updated_at: number;
  summary: string | null;
}

function toRecord(row: SweepRow): SweepRecord {
  return {
    sweepId: row.sweep_id,
    status: row.status,
    spec: JSON.parse(row.spec) as Json,
    total: row.total,
    done: row.done,
    failed: row.failed,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as Json),
  };
}

/**
 * Sweeps in SQLite. Each write is one transaction, and a job counts for its sweep only when its row moves from
 * `pending`, so repeated deliveries never count twice. Results are keyed by job id and shared across sweeps.
 */
export class SqliteSweepStore implements SweepStore {
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    migrate(db, 'sweeps-v1', SCHEMA);
    this.statements = {
      get: db.prepare<[string], SweepRow>('SELECT * FROM sweeps WHERE sweep_id = ?'),
      list: db.prepare<[number], SweepRow>('SELECT * FROM sweeps ORDER BY created_at DESC, sweep_id LIMIT ?'),
      insertSweep: db.prepare(
        "INSERT INTO sweeps (sweep_id, status, spec, total, created_at, updated_at) VALUES (?, 'planning', ?, ?, ?, ?)",
      ),
      insertJob: db.prepare('INSERT OR IGNORE INTO sweep_jobs (sweep_id, job_id) VALUES (?, ?)'),
      markReused: db.prepare(
        "UPDATE sweep_jobs SET state = 'done' WHERE sweep_id = ? AND state = 'pending' AND job_id IN (SELECT job_id FROM job_results)",
      ),
      countTotals: db.prepare<[string], { total: number; done: number }>(
        "SELECT COUNT(*) AS total, SUM(state = 'done') AS done FROM sweep_jobs WHERE sweep_id = ?",
      ),
      setCounts: db.prepare('UPDATE sweeps SET total = ?, done = ? WHERE sweep_id = ?'),
      pending: db.prepare<[string], { job_id: string }>(
        "SELECT job_id FROM sweep_jobs WHERE sweep_id = ? AND state = 'pending'",
      ),
      markRunning: db.prepare(
        "UPDATE sweeps SET status = 'running', updated_at = ? WHERE sweep_id = ? AND status = 'planning'",
      ),
      insertResult: db.prepare(
        'INSERT OR IGNORE INTO job_results (job_id, result, stored_at) VALUES (?, ?, ?)',
      ),
      jobDone: db.prepare(
        "UPDATE sweep_jobs SET state = 'done' WHERE sweep_id = ? AND job_id = ? AND state = 'pending'",
      ),
      jobFailed: db.prepare(
        "UPDATE sweep_jobs SET state = 'failed' WHERE sweep_id = ? AND job_id = ? AND state = 'pending'",
      ),
      countDone: db.prepare('UPDATE sweeps SET done = done + 1, updated_at = ? WHERE sweep_id = ?'),
      countFailed: db.prepare('UPDATE sweeps SET failed = failed + 1, updated_at = ? WHERE sweep_id = ?'),
      recordError: db.prepare(
        'UPDATE sweep_jobs SET attempts = MAX(attempts, ?), last_error = ? WHERE sweep_id = ? AND job_id = ?',
      ),
      claim: db.prepare(
        "UPDATE sweeps SET status = 'aggregating', updated_at = ? WHERE sweep_id = ? AND status = 'running' AND done + failed = total",
      ),
      release: db.prepare(
        "UPDATE sweeps SET status = 'running', updated_at = ? WHERE sweep_id = ? AND status = 'aggregating'",
      ),
      unfinished: db.prepare<[], { sweep_id: string }>(
        "SELECT sweep_id FROM sweeps WHERE (status = 'running' AND done + failed = total) OR status = 'aggregating' ORDER BY created_at",
      ),
      finish: db.prepare('UPDATE sweeps SET status = ?, summary = ?, updated_at = ? WHERE sweep_id = ?'),
      results: db.prepare<[string], { job_id: string; result: string }>(
        'SELECT r.job_id, r.result FROM sweep_jobs j JOIN job_results r ON r.job_id = j.job_id WHERE j.sweep_id = ?',
      ),
      failedJobs: db.prepare<[string], { job_id: string; last_error: string | null; attempts: number }>(
        "SELECT job_id, last_error, attempts FROM sweep_jobs WHERE sweep_id = ? AND state = 'failed' ORDER BY job_id",
      ),
    };
  }

  async createSweep(input: { sweepId: string; spec: Json; jobIds: readonly string[]; createdAt: number }) {
    const s = this.statements;
    const run = this.db.transaction(() => {
      const existing = s.get.get(input.sweepId);
      const created = existing === undefined;
      if (created) {
        s.insertSweep.run(input.sweepId, JSON.stringify(input.spec), 0, input.createdAt, input.createdAt);
        for (const jobId of input.jobIds) s.insertJob.run(input.sweepId, jobId);
        s.markReused.run(input.sweepId);
        const counts = s.countTotals.get(input.sweepId)!;
        s.setCounts.run(counts.total, counts.done ?? 0, input.sweepId);
      }
      return {
        created,
        sweep: toRecord(s.get.get(input.sweepId)!),
        pendingJobIds: s.pending.all(input.sweepId).map((row) => row.job_id),
      };
    });
    return run.immediate();
  }

  async markRunning(sweepId: string, at: number) {
    this.statements.markRunning.run(at, sweepId);
  }

  async getSweep(sweepId: string) {
    const row = this.statements.get.get(sweepId);
    return row ? toRecord(row) : undefined;
  }

  async listSweeps(limit: number) {
    return this.statements.list.all(limit).map(toRecord);
  }

  async completeJob(sweepId: string, jobId: string, result: Json, at: number): Promise<SweepProgress> {
    const s = this.statements;
    const text = JSON.stringify(result);
    const run = this.db.transaction(() => {
      s.insertResult.run(jobId, text, at);
      const counted = s.jobDone.run(sweepId, jobId).changes === 1;
      if (counted) s.countDone.run(at, sweepId);
      return this.progress(sweepId, counted);
    });
    return run.immediate();
  }

  async recordJobError(sweepId: string, jobId: string, error: string, attempt: number) {
    this.statements.recordError.run(attempt, error, sweepId, jobId);
  }

  async failJob(sweepId: string, jobId: string, at: number): Promise<SweepProgress> {
    const s = this.statements;
    const run = this.db.transaction(() => {
      const counted = s.jobFailed.run(sweepId, jobId).changes === 1;
      if (counted) s.countFailed.run(at, sweepId);
      return this.progress(sweepId, counted);
    });
    return run.immediate();
  }

  async claimAggregation(sweepId: string, at: number) {
    return this.statements.claim.run(at, sweepId).changes === 1;
  }

  async releaseAggregation(sweepId: string, at: number) {
    this.statements.release.run(at, sweepId);
  }

  async unfinishedAggregations() {
    return this.statements.unfinished.all().map((row) => row.sweep_id);
  }

  async finishSweep(
    sweepId: string,
    status: 'completed' | 'completed-with-failures',
    summary: Json,
    at: number,
  ) {
    this.statements.finish.run(status, JSON.stringify(summary), at, sweepId);
  }

  async jobResults(sweepId: string) {
    return new Map(
      this.statements.results.all(sweepId).map((row) => [row.job_id, JSON.parse(row.result) as Json]),
    );
  }

  async failedJobs(sweepId: string): Promise<FailedJob[]> {
    return this.statements.failedJobs.all(sweepId).map((row) => ({
      jobId: row.job_id,
      error: row.last_error ?? 'no error was recorded (the job never ran to an error)',
      attempts: row.attempts,
    }));
  }

  private progress(sweepId: string, counted: boolean): SweepProgress {
    const row = this.statements.get.get(sweepId);
    if (!row) throw new Error(`sweep ${sweepId} does not exist`);
    return { sweepId, total: row.total, done: row.done, failed: row.failed, counted };
  }
}
