import type { Json } from './json';

/** Where a sweep stands. */
export type SweepStatus = 'planning' | 'running' | 'aggregating' | 'completed' | 'completed-with-failures';

/** A sweep as stored. */
export interface SweepRecord {
  readonly sweepId: string;
  readonly status: SweepStatus;
  /** The normalised sweep spec. */
  readonly spec: Json;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The outcome once aggregated: ranking, walk-forward, champion, promotion. */
  readonly summary: Json | null;
}

/**
 * A sweep's job counts as the update left them, not as a later read would find them: of concurrent updates that
 * count a job, only the one that counted the last sees `done + failed === total`, so completion is announced
 * once (a repeated delivery, not counted, reads the counts as they are).
 */
export interface SweepProgress {
  readonly sweepId: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** True when this call changed the counts (false for a repeated delivery). */
  readonly counted: boolean;
}

/** A job that went to the dead-letter queue, with the last error it raised. */
export interface FailedJob {
  readonly jobId: string;
  readonly error: string;
  readonly attempts: number;
}

/**
 * Sweeps, their jobs and job results. Results are keyed by job id alone, so a later sweep with the same job
 * reuses the stored result. Every write is idempotent: a repeated delivery never counts twice.
 */
export interface SweepStore {
  /**
   * Creates the sweep in status `planning` unless it exists. Jobs whose results are already stored count as
   * done at once; `pendingJobIds` are the ones still to run.
   */
  createSweep(input: { sweepId: string; spec: Json; jobIds: readonly string[]; createdAt: number }): Promise<{
    created: boolean;
    sweep: SweepRecord;
    pendingJobIds: string[];
  }>;
  /** Moves a sweep from `planning` to `running` once its job messages are sent. */
  markRunning(sweepId: string, at: number): Promise<void>;
  getSweep(sweepId: string): Promise<SweepRecord | undefined>;
  /** The newest sweeps first. */
  listSweeps(limit: number): Promise<SweepRecord[]>;
  /** Stores a job's result if none is stored yet, and counts the job done for the sweep once. */
  completeJob(sweepId: string, jobId: string, result: Json, at: number): Promise<SweepProgress>;
  /** Remembers the error of a failed attempt, for the job's dead-letter record. */
  recordJobError(sweepId: string, jobId: string, error: string, attempt: number): Promise<void>;
  /** Counts a dead-lettered job as failed for the sweep, once. */
  failJob(sweepId: string, jobId: string, at: number): Promise<SweepProgress>;
  /** Moves a sweep whose jobs are all done or failed to `aggregating`; true for exactly one caller. */
  claimAggregation(sweepId: string, at: number): Promise<boolean>;
  /** Gives an aggregation claim back (`aggregating` → `running`) after aggregation failed, so a retry can claim it. */
  releaseAggregation(sweepId: string, at: number): Promise<void>;
  /** Sweeps whose jobs are all in but that have no outcome yet (never aggregated, or aggregation cut short). */
  unfinishedAggregations(): Promise<string[]>;
  /** Stores the outcome and the final status. */
  finishSweep(
    sweepId: string,
    status: 'completed' | 'completed-with-failures',
    summary: Json,
    at: number,
  ): Promise<void>;
  /** Results of the sweep's jobs that have one, by job id. */
  jobResults(sweepId: string): Promise<Map<string, Json>>;
  failedJobs(sweepId: string): Promise<FailedJob[]>;
}
