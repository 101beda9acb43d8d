import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Json } from '../../ports/json';
import type { FailedJob, SweepProgress, SweepRecord, SweepStatus, SweepStore } from '../../ports/sweep-store';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A JSON string larger than this (UTF-8 bytes) goes to S3 (spec, summary) or is gzip-compressed (results). */
export const LARGE_JSON_BYTES = 300 * 1024;
/** Spec and summary kept on the sweep item together stay under this, leaving room in the 400 KB item. */
const INLINE_JSON_BUDGET_BYTES = 350 * 1024;
/** The largest compressed result stored: DynamoDB's 400 KB item limit less room for the key and storedAt. */
const MAX_RESULT_BYTES = 399 * 1024;
/** The most put requests DynamoDB takes in one BatchWriteItem call. */
const BATCH_WRITE_ITEMS = 25;
/** The most keys DynamoDB takes in one BatchGetItem call. */
const BATCH_GET_KEYS = 100;
/** How often a batch call is repeated for its unprocessed items, or a write for a transaction conflict. */
const MAX_ATTEMPTS = 10;
/** How often counting a job is tried when other jobs of the sweep keep being counted first. */
const MAX_COUNT_ATTEMPTS = 40;
/** How long createSweep waits for another request that is creating the same sweep. */
const CREATION_WAIT_MS = 30_000;
/**
 * After this long without finishing, a sweep's creation is taken to have been cut short (its writer was
 * stopped) and the next createSweep redoes it. It must exceed the planner's own timeout.
 */
const CREATION_TAKEOVER_MS = 5 * 60_000;
/** How often a waiting createSweep looks at the sweep again. */
const CREATION_POLL_MS = 100;

/** Job states on the `sweep-jobs` table. */
type JobState = 'pending' | 'done' | 'failed';

/** The DynamoDB tables the store uses (the CDK stack passes their names in through environment variables). */
export interface DynamoSweepStoreTables {
  /** Partition key `sweepId` (S). */
  readonly sweeps: string;
  /** Partition key `sweepId` (S), sort key `jobId` (S). */
  readonly sweepJobs: string;
  /** Partition key `jobId` (S). */
  readonly jobResults: string;
}

/** Settings of one {@link DynamoSweepStore}. */
export interface DynamoSweepStoreOptions {
  /** The document client (lib-dynamodb); its owner configures the underlying DynamoDB client. */
  readonly documents: DynamoDBDocumentClient;
  /** Holds spec and summary JSON too large for a DynamoDB item. */
  readonly s3: S3Client;
  readonly tables: DynamoSweepStoreTables;
  /** The artifacts bucket; large JSON goes under `sweeps/<sweepId>/`. */
  readonly bucket: string;
}

/** The sweep a job update names does not exist. */
export class SweepNotFoundError extends Error {
  override readonly name = 'SweepNotFoundError';
  constructor(readonly sweepId: string) {
    super(`sweep ${sweepId} does not exist; it must be created (createSweep) before its jobs report.`);
  }
}

/** Another request is still creating the same sweep (its job rows are being written). */
export class SweepCreationPendingError extends Error {
  override readonly name = 'SweepCreationPendingError';
  constructor(
    readonly sweepId: string,
    startedAt: number,
  ) {
    super(
      `sweep ${sweepId} is still being created by another request (started ${new Date(startedAt).toISOString()}); ` +
        `submit it again in a minute. A creation cut short is redone by a submission ` +
        `${CREATION_TAKEOVER_MS / 60_000} minutes after it started.`,
    );
  }
}

/** A job's result is too large for a DynamoDB item even gzip-compressed. */
export class JobResultTooLargeError extends Error {
  override readonly name = 'JobResultTooLargeError';
  constructor(
    readonly jobId: string,
    readonly compressedBytes: number,
  ) {
    super(
      `the result of job ${jobId} is ${compressedBytes} bytes gzip-compressed, over DynamoDB's 400 KB item limit; ` +
        `use a smaller chunkSize so each job holds fewer combinations.`,
    );
  }
}

/** DynamoDB kept refusing a write (throttling, unprocessed batch items or transaction conflicts). */
export class DynamoWriteContentionError extends Error {
  override readonly name = 'DynamoWriteContentionError';
  constructor(what: string, attempts = MAX_ATTEMPTS) {
    super(
      `${what} did not succeed after ${attempts} attempts because DynamoDB kept throttling it or reporting ` +
        `conflicts; retry later, or raise the table's capacity if it is provisioned.`,
    );
  }
}

/** A sweeps or sweep-jobs item that lacks a field the store always writes. */
export class SweepItemError extends Error {
  override readonly name = 'SweepItemError';
  constructor(table: string, key: string, problem: string) {
    super(
      `Item ${key} of DynamoDB table "${table}" ${problem}; it was not written by DynamoSweepStore. ` +
        `Fix or delete the item.`,
    );
  }
}

type Item = Record<string, unknown>;

/** A sweep's job counts. */
interface SweepCounts {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
}

/**
 * Sweeps, their jobs and job results in DynamoDB, with the semantics of the SQLite store. A job counts for its
 * sweep only in the transaction that moves its row from `pending` (and updates the sweep's counters, including
 * `remaining`, so that a condition can test completion); results are keyed by job id and shared across sweeps.
 * JSON larger than 300 KB goes to S3 (spec, summary) or is gzip-compressed (results).
 */
export class DynamoSweepStore implements SweepStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly s3: S3Client;
  private readonly tables: DynamoSweepStoreTables;
  private readonly bucket: string;

  constructor(options: DynamoSweepStoreOptions) {
    this.documents = options.documents;
    this.s3 = options.s3;
    this.tables = options.tables;
    this.bucket = options.bucket;
  }

  /**
   * Creates the sweep unless it exists. The conditional put of the sweep item elects one creator, which writes
   * the job rows (BatchWrite; jobs with a stored result as `done`) and then sets the counts and clears its
   * creation marker. Another caller waits for that; a creation cut short is redone after a while.
   */
  async createSweep(input: { sweepId: string; spec: Json; jobIds: readonly string[]; createdAt: number }) {
    const { sweepId, createdAt } = input;
    const jobIds = [...new Set(input.jobIds)];
    let item = await this.readSweepItem(sweepId);
    if (item === undefined) {
      const creation = randomUUID();
      if (await this.putNewSweep(input, jobIds.length, creation)) {
        const pendingJobIds = await this.writeJobs(sweepId, jobIds, creation, createdAt);
        return { created: true, sweep: await this.requireSweep(sweepId), pendingJobIds };
      }
      item = await this.readSweepItem(sweepId);
      if (item === undefined) throw new SweepNotFoundError(sweepId);
    }
    await this.awaitCreation(item, jobIds, createdAt);
    return {
      created: false,
      sweep: await this.requireSweep(sweepId),
      pendingJobIds: await this.jobIdsInState(sweepId, 'pending'),
    };
  }

  /** Moves a sweep from `planning` to `running`; other statuses are left alone. */
  async markRunning(sweepId: string, at: number): Promise<void> {
    await this.updateSweepIf({
      Key: { sweepId },
      UpdateExpression: 'SET #status = :running, #updatedAt = :at',
      ConditionExpression: '#status = :planning',
      ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
      ExpressionAttributeValues: { ':running': 'running', ':planning': 'planning', ':at': at },
    });
  }

  /** The sweep, read consistently, with spec and summary fetched from S3 when stored there. */
  async getSweep(sweepId: string): Promise<SweepRecord | undefined> {
    const item = await this.readSweepItem(sweepId);
    return item === undefined ? undefined : this.toRecord(item);
  }

  /** The newest sweeps first (a Scan of ids and creation times, then each of the newest read in full). */
  async listSweeps(limit: number): Promise<SweepRecord[]> {
    const newest = (await this.scanSweepKeys()).sort(newestFirst).slice(0, Math.max(0, limit));
    const records = await Promise.all(newest.map((entry) => this.getSweep(entry.sweepId)));
    return records.filter((record): record is SweepRecord => record !== undefined);
  }

  /** Stores the job's result unless one is stored, then counts the job done for the sweep once. */
  async completeJob(sweepId: string, jobId: string, result: Json, at: number): Promise<SweepProgress> {
    const stored = await encodeResult(jobId, JSON.stringify(result));
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tables.jobResults,
          Item: { jobId, result: stored, storedAt: at },
          ConditionExpression: 'attribute_not_exists(#jobId)',
          ExpressionAttributeNames: { '#jobId': 'jobId' },
        }),
      );
    } catch (error) {
      // A result is stored already, by an earlier delivery or by another sweep sharing the job: keep it.
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return this.countJob(sweepId, jobId, 'done', at);
  }

  /** Keeps the error of a failed attempt and the highest attempt number seen; unknown jobs are ignored. */
  async recordJobError(sweepId: string, jobId: string, error: string, attempt: number): Promise<void> {
    const key = { sweepId, jobId };
    const names = { '#jobId': 'jobId', '#attempts': 'attempts', '#lastError': 'lastError' };
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tables.sweepJobs,
          Key: key,
          UpdateExpression: 'SET #attempts = :attempt, #lastError = :error',
          ConditionExpression:
            'attribute_exists(#jobId) AND (attribute_not_exists(#attempts) OR #attempts < :attempt)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':attempt': attempt, ':error': error },
        }),
      );
      return;
    } catch (failure) {
      if (!isConditionalCheckFailed(failure)) throw failure;
    }
    // A later attempt was recorded first: keep its number, take this error as the last one.
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tables.sweepJobs,
          Key: key,
          UpdateExpression: 'SET #lastError = :error',
          ConditionExpression: 'attribute_exists(#jobId)',
          ExpressionAttributeNames: { '#jobId': 'jobId', '#lastError': 'lastError' },
          ExpressionAttributeValues: { ':error': error },
        }),
      );
    } catch (failure) {
      if (!isConditionalCheckFailed(failure)) throw failure;
    }
  }

  /** Counts a dead-lettered job as failed for the sweep, once. */
  async failJob(sweepId: string, jobId: string, at: number): Promise<SweepProgress> {
    return this.countJob(sweepId, jobId, 'failed', at);
  }

  /** Moves a running sweep with `remaining = 0` to `aggregating`; true for exactly one caller. */
  async claimAggregation(sweepId: string, at: number): Promise<boolean> {
    return this.updateSweepIf({
      Key: { sweepId },
      UpdateExpression: 'SET #status = :aggregating, #updatedAt = :at',
      ConditionExpression: '#status = :running AND #remaining = :zero',
      ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt', '#remaining': 'remaining' },
      ExpressionAttributeValues: {
        ':aggregating': 'aggregating',
        ':running': 'running',
        ':zero': 0,
        ':at': at,
      },
    });
  }

  /** Gives an aggregation claim back (`aggregating` → `running`). */
  async releaseAggregation(sweepId: string, at: number): Promise<void> {
    await this.updateSweepIf({
      Key: { sweepId },
      UpdateExpression: 'SET #status = :running, #updatedAt = :at',
      ConditionExpression: '#status = :aggregating',
      ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
      ExpressionAttributeValues: { ':running': 'running', ':aggregating': 'aggregating', ':at': at },
    });
  }

  /** Running sweeps with nothing remaining, and aggregating ones, oldest first (a filtered Scan). */
  async unfinishedAggregations(): Promise<string[]> {
    const entries = await this.scanSweepKeys({
      FilterExpression: '(#status = :running AND #remaining = :zero) OR #status = :aggregating',
      ExpressionAttributeNames: { '#status': 'status', '#remaining': 'remaining' },
      ExpressionAttributeValues: { ':running': 'running', ':aggregating': 'aggregating', ':zero': 0 },
    });
    return entries
      .sort((a, b) => a.createdAt - b.createdAt || compareText(a.sweepId, b.sweepId))
      .map((entry) => entry.sweepId);
  }

  /** Stores the outcome (in S3 when it would not fit on the item) and the final status. */
  async finishSweep(
    sweepId: string,
    status: 'completed' | 'completed-with-failures',
    summary: Json,
    at: number,
  ): Promise<void> {
    const text = JSON.stringify(summary);
    const summaryBytes = Buffer.byteLength(text, 'utf8');
    const inline =
      summaryBytes <= LARGE_JSON_BYTES &&
      summaryBytes + (await this.inlineSpecBytes(sweepId)) <= INLINE_JSON_BUDGET_BYTES;
    const names = {
      '#status': 'status',
      '#updatedAt': 'updatedAt',
      '#summary': 'summary',
      '#summaryKey': 'summaryKey',
    };
    if (inline) {
      await this.updateSweepIf({
        Key: { sweepId },
        UpdateExpression: 'SET #status = :status, #summary = :summary, #updatedAt = :at REMOVE #summaryKey',
        ConditionExpression: 'attribute_exists(#sweepId)',
        ExpressionAttributeNames: { ...names, '#sweepId': 'sweepId' },
        ExpressionAttributeValues: { ':status': status, ':summary': text, ':at': at },
      });
      return;
    }
    const key = await this.putJsonObject(sweepId, 'summary', text);
    await this.updateSweepIf({
      Key: { sweepId },
      UpdateExpression: 'SET #status = :status, #summaryKey = :key, #updatedAt = :at REMOVE #summary',
      ConditionExpression: 'attribute_exists(#sweepId)',
      ExpressionAttributeNames: { ...names, '#sweepId': 'sweepId' },
      ExpressionAttributeValues: { ':status': status, ':key': key, ':at': at },
    });
  }

  /** Results of the sweep's jobs that have one: a Query of its job ids, then BatchGet of their results. */
  async jobResults(sweepId: string): Promise<Map<string, Json>> {
    const jobIds = (await this.queryJobs(sweepId)).map((row) => row.jobId);
    const items = await this.batchGetAll(
      this.tables.jobResults,
      jobIds.map((jobId) => ({ jobId })),
    );
    const results = new Map<string, Json>();
    for (const item of items) {
      const jobId = item.jobId;
      if (typeof jobId !== 'string')
        throw new SweepItemError(this.tables.jobResults, '(no jobId)', 'has no jobId');
      results.set(jobId, await decodeResult(this.tables.jobResults, jobId, item.result));
    }
    return results;
  }

  /** The sweep's failed jobs with their last error and attempts, in job id order. */
  async failedJobs(sweepId: string): Promise<FailedJob[]> {
    const rows = await this.queryJobs(sweepId, 'failed');
    return rows.map((row) => ({
      jobId: row.jobId,
      error:
        typeof row.lastError === 'string'
          ? row.lastError
          : 'no error was recorded (the job never ran to an error)',
      attempts: typeof row.attempts === 'number' ? row.attempts : 0,
    }));
  }

  /**
   * Moves the job's row from `pending` to `state` and sets the sweep's counts in one transaction. The counts are
   * set from the values read before, on condition that they are unchanged (they only grow, so they identify the
   * item's state): the progress returned is then exactly the state this update left, as in SQLite, and of
   * concurrent completions only the last sees the sweep complete. A lost race returns the current counts
   * (ReturnValuesOnConditionCheckFailure) and is tried again. A row that is not pending (a repeated delivery)
   * cancels the transaction: counted is false.
   */
  private async countJob(
    sweepId: string,
    jobId: string,
    state: 'done' | 'failed',
    at: number,
  ): Promise<SweepProgress> {
    let counts = await this.readCounts(sweepId);
    for (let attempt = 1; ; attempt += 1) {
      if (counts === undefined) throw new SweepNotFoundError(sweepId);
      const next = {
        done: counts.done + (state === 'done' ? 1 : 0),
        failed: counts.failed + (state === 'failed' ? 1 : 0),
      };
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tables.sweepJobs,
                  Key: { sweepId, jobId },
                  UpdateExpression: 'SET #state = :state',
                  ConditionExpression: '#state = :pending',
                  ExpressionAttributeNames: { '#state': 'state' },
                  ExpressionAttributeValues: { ':state': state, ':pending': 'pending' },
                },
              },
              {
                Update: {
                  TableName: this.tables.sweeps,
                  Key: { sweepId },
                  UpdateExpression:
                    'SET #done = :nextDone, #failed = :nextFailed, #remaining = :remaining, #updatedAt = :at',
                  ConditionExpression: '#done = :done AND #failed = :failed',
                  ExpressionAttributeNames: {
                    '#done': 'done',
                    '#failed': 'failed',
                    '#remaining': 'remaining',
                    '#updatedAt': 'updatedAt',
                  },
                  ExpressionAttributeValues: {
                    ':done': counts.done,
                    ':failed': counts.failed,
                    ':nextDone': next.done,
                    ':nextFailed': next.failed,
                    ':remaining': counts.total - next.done - next.failed,
                    ':at': at,
                  },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
            ],
          }),
        );
        return { sweepId, total: counts.total, ...next, counted: true };
      } catch (error) {
        const retryable = isRetryableWriteError(error);
        if (!retryable && !isTransactionCanceled(error)) throw error;
        const reasons = cancellationReasons(error);
        if (reasons[0]?.Code === 'ConditionalCheckFailed') break;
        if (attempt >= MAX_COUNT_ATTEMPTS) {
          throw new DynamoWriteContentionError(
            `Counting job ${jobId} of sweep ${sweepId}`,
            MAX_COUNT_ATTEMPTS,
          );
        }
        if (reasons[1]?.Code === 'ConditionalCheckFailed') {
          // Another job was counted since the read: go again from the counts the cancellation returned.
          counts = countsOf(reasons[1].Item) ?? (await this.readCounts(sweepId));
          if (attempt > 2) await backoff(attempt - 2);
        } else if (retryable || reasons.some((reason) => isRetryableCancellation(reason.Code))) {
          await backoff(attempt);
        } else {
          throw error;
        }
      }
    }
    const current = await this.readCounts(sweepId);
    if (current === undefined) throw new SweepNotFoundError(sweepId);
    return { sweepId, ...current, counted: false };
  }

  /** The sweep's total, done and failed counts, read consistently. */
  private async readCounts(sweepId: string): Promise<SweepCounts | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tables.sweeps,
        Key: { sweepId },
        ProjectionExpression: '#total, #done, #failed',
        ExpressionAttributeNames: { '#total': 'total', '#done': 'done', '#failed': 'failed' },
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return undefined;
    return {
      total: numberField(this.tables.sweeps, sweepId, Item, 'total'),
      done: numberField(this.tables.sweeps, sweepId, Item, 'done'),
      failed: numberField(this.tables.sweeps, sweepId, Item, 'failed'),
    };
  }

  /** Puts the sweep item in `planning` with its creation marker unless it exists; false when it did. */
  private async putNewSweep(
    input: { sweepId: string; spec: Json; createdAt: number },
    total: number,
    creation: string,
  ): Promise<boolean> {
    const { sweepId, createdAt } = input;
    const spec = await this.jsonAttribute(sweepId, 'spec', JSON.stringify(input.spec));
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tables.sweeps,
          Item: {
            sweepId,
            status: 'planning',
            total,
            done: 0,
            failed: 0,
            remaining: total,
            createdAt,
            updatedAt: createdAt,
            ...spec,
            creation,
          },
          ConditionExpression: 'attribute_not_exists(#sweepId)',
          ExpressionAttributeNames: { '#sweepId': 'sweepId' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /**
   * The creator's part: writes the job rows (those with a stored result as `done`), then sets the counts and
   * clears the creation marker, if this creator still holds it. Returns the pending job ids.
   */
  private async writeJobs(
    sweepId: string,
    jobIds: readonly string[],
    creation: string,
    startedAt: number,
  ): Promise<string[]> {
    const stored = new Set(
      (
        await this.batchGetAll(
          this.tables.jobResults,
          jobIds.map((jobId) => ({ jobId })),
          'jobId',
        )
      ).map((item) => item.jobId as string),
    );
    await this.batchWriteAll(
      this.tables.sweepJobs,
      jobIds.map((jobId) => ({ sweepId, jobId, state: stored.has(jobId) ? 'done' : 'pending', attempts: 0 })),
    );
    const done = jobIds.filter((jobId) => stored.has(jobId)).length;
    const finished = await this.updateSweepIf({
      Key: { sweepId },
      UpdateExpression: 'SET #done = :done, #failed = :zero, #remaining = :remaining REMOVE #creation',
      ConditionExpression: '#creation = :creation',
      ExpressionAttributeNames: {
        '#done': 'done',
        '#failed': 'failed',
        '#remaining': 'remaining',
        '#creation': 'creation',
      },
      ExpressionAttributeValues: {
        ':done': done,
        ':zero': 0,
        ':remaining': jobIds.length - done,
        ':creation': creation,
      },
    });
    // Another request took the creation over (this one ran past the takeover time): it writes the jobs.
    if (!finished) throw new SweepCreationPendingError(sweepId, startedAt);
    return jobIds.filter((jobId) => !stored.has(jobId));
  }

  /**
   * Waits until the sweep's creator has written its jobs. A creation older than the takeover time was cut
   * short: this caller takes the marker over (conditionally, so only one does) and writes the jobs itself.
   */
  private async awaitCreation(first: Item, jobIds: readonly string[], now: number): Promise<void> {
    const sweepId = first.sweepId as string;
    const deadline = Date.now() + CREATION_WAIT_MS;
    let item: Item | undefined = first;
    while (item !== undefined && typeof item.creation === 'string') {
      const startedAt = typeof item.updatedAt === 'number' ? item.updatedAt : 0;
      if (startedAt + CREATION_TAKEOVER_MS <= now) {
        const creation = randomUUID();
        const taken = await this.updateSweepIf({
          Key: { sweepId },
          UpdateExpression: 'SET #creation = :mine, #updatedAt = :now',
          ConditionExpression: '#creation = :theirs',
          ExpressionAttributeNames: { '#creation': 'creation', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':mine': creation, ':theirs': item.creation, ':now': now },
        });
        if (taken) {
          await this.writeJobs(sweepId, jobIds, creation, now);
          return;
        }
      } else if (Date.now() >= deadline) {
        throw new SweepCreationPendingError(sweepId, startedAt);
      } else {
        await sleep(CREATION_POLL_MS);
      }
      item = await this.readSweepItem(sweepId);
    }
  }

  /** Runs a conditional update of a sweep item; false when the condition failed. Conflicts are retried. */
  private async updateSweepIf(input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.documents.send(new UpdateCommand({ TableName: this.tables.sweeps, ...input }));
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        if (!isRetryableWriteError(error)) throw error;
        if (attempt >= MAX_ATTEMPTS)
          throw new DynamoWriteContentionError(`Updating sweep ${String(input.Key?.sweepId)}`);
        await backoff(attempt);
      }
    }
  }

  private async readSweepItem(sweepId: string): Promise<Item | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tables.sweeps, Key: { sweepId }, ConsistentRead: true }),
    );
    return Item;
  }

  private async requireSweep(sweepId: string): Promise<SweepRecord> {
    const record = await this.getSweep(sweepId);
    if (record === undefined) throw new SweepNotFoundError(sweepId);
    return record;
  }

  private async toRecord(item: Item): Promise<SweepRecord> {
    const table = this.tables.sweeps;
    const sweepId = item.sweepId;
    if (typeof sweepId !== 'string') throw new SweepItemError(table, '(no sweepId)', 'has no sweepId');
    const status = item.status;
    if (typeof status !== 'string') throw new SweepItemError(table, sweepId, 'has no status');
    const spec = await this.readJsonAttribute(sweepId, item, 'spec');
    if (spec === undefined) throw new SweepItemError(table, sweepId, 'has neither spec nor specKey');
    const summary = await this.readJsonAttribute(sweepId, item, 'summary');
    return {
      sweepId,
      status: status as SweepStatus,
      spec,
      total: numberField(table, sweepId, item, 'total'),
      done: numberField(table, sweepId, item, 'done'),
      failed: numberField(table, sweepId, item, 'failed'),
      createdAt: numberField(table, sweepId, item, 'createdAt'),
      updatedAt: numberField(table, sweepId, item, 'updatedAt'),
      summary: summary ?? null,
    };
  }

  /** `{ spec: text }` for the item, or `{ specKey }` after storing a large text in S3 (and likewise summary). */
  private async jsonAttribute(
    sweepId: string,
    field: 'spec' | 'summary',
    text: string,
  ): Promise<Record<string, string>> {
    if (Buffer.byteLength(text, 'utf8') <= LARGE_JSON_BYTES) return { [field]: text };
    return { [`${field}Key`]: await this.putJsonObject(sweepId, field, text) };
  }

  private async putJsonObject(sweepId: string, field: 'spec' | 'summary', text: string): Promise<string> {
    const key = `sweeps/${sweepId}/${field}.json`;
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: text, ContentType: 'application/json' }),
    );
    return key;
  }

  private async readJsonAttribute(
    sweepId: string,
    item: Item,
    field: 'spec' | 'summary',
  ): Promise<Json | undefined> {
    const inline = item[field];
    if (typeof inline === 'string') return JSON.parse(inline) as Json;
    const key = item[`${field}Key`];
    if (typeof key !== 'string') return undefined;
    const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (response.Body === undefined) {
      throw new SweepItemError(
        this.tables.sweeps,
        sweepId,
        `points at s3://${this.bucket}/${key}, which has no body`,
      );
    }
    return JSON.parse(await response.Body.transformToString('utf-8')) as Json;
  }

  /** UTF-8 bytes of the spec kept on the sweep item (0 when it lives in S3 or the sweep is unknown). */
  private async inlineSpecBytes(sweepId: string): Promise<number> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tables.sweeps,
        Key: { sweepId },
        ProjectionExpression: '#spec',
        ExpressionAttributeNames: { '#spec': 'spec' },
        ConsistentRead: true,
      }),
    );
    return typeof Item?.spec === 'string' ? Buffer.byteLength(Item.spec, 'utf8') : 0;
  }

  /** Ids and creation times of sweeps, optionally filtered. */
  private async scanSweepKeys(
    filter: Pick<
      ScanCommandInput,
      'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    > = {},
  ): Promise<{ sweepId: string; createdAt: number }[]> {
    const input: ScanCommandInput = {
      TableName: this.tables.sweeps,
      ConsistentRead: true,
      ...filter,
      ProjectionExpression: '#sweepId, #createdAt',
      ExpressionAttributeNames: {
        ...filter.ExpressionAttributeNames,
        '#sweepId': 'sweepId',
        '#createdAt': 'createdAt',
      },
    };
    const entries: { sweepId: string; createdAt: number }[] = [];
    for await (const page of paginateScan({ client: this.documents }, input)) {
      for (const item of page.Items ?? []) {
        const sweepId = String(item.sweepId);
        entries.push({ sweepId, createdAt: numberField(this.tables.sweeps, sweepId, item, 'createdAt') });
      }
    }
    return entries;
  }

  private async jobIdsInState(sweepId: string, state: JobState): Promise<string[]> {
    return (await this.queryJobs(sweepId, state)).map((row) => row.jobId);
  }

  /** The sweep's job rows in job id order, optionally only those in one state. */
  private async queryJobs(
    sweepId: string,
    state?: JobState,
  ): Promise<{ jobId: string; attempts?: unknown; lastError?: unknown }[]> {
    const input: QueryCommandInput = {
      TableName: this.tables.sweepJobs,
      ConsistentRead: true,
      KeyConditionExpression: '#sweepId = :sweepId',
      ProjectionExpression: '#jobId, #attempts, #lastError',
      ExpressionAttributeNames: {
        '#sweepId': 'sweepId',
        '#jobId': 'jobId',
        '#attempts': 'attempts',
        '#lastError': 'lastError',
        ...(state === undefined ? {} : { '#state': 'state' }),
      },
      ExpressionAttributeValues: { ':sweepId': sweepId, ...(state === undefined ? {} : { ':state': state }) },
      ...(state === undefined ? {} : { FilterExpression: '#state = :state' }),
    };
    const rows: { jobId: string; attempts?: unknown; lastError?: unknown }[] = [];
    for await (const page of paginateQuery({ client: this.documents }, input)) {
      for (const item of page.Items ?? []) {
        rows.push({ jobId: String(item.jobId), attempts: item.attempts, lastError: item.lastError });
      }
    }
    return rows;
  }

  /** BatchGetItem in calls of 100 keys (consistent reads), repeating unprocessed keys. */
  private async batchGetAll(table: string, keys: readonly Item[], projection?: string): Promise<Item[]> {
    const items: Item[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) {
      let pending: Item[] = keys.slice(start, start + BATCH_GET_KEYS);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > MAX_ATTEMPTS)
          throw new DynamoWriteContentionError(`Reading ${table} with BatchGetItem`);
        if (attempt > 1) await backoff(attempt - 1);
        const response = await this.documents.send(
          new BatchGetCommand({
            RequestItems: {
              [table]: {
                Keys: pending,
                ConsistentRead: true,
                ...(projection === undefined
                  ? {}
                  : {
                      ProjectionExpression: '#projected',
                      ExpressionAttributeNames: { '#projected': projection },
                    }),
              },
            },
          }),
        );
        items.push(...(response.Responses?.[table] ?? []));
        pending = (response.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
      }
    }
    return items;
  }

  /** BatchWriteItem puts in calls of 25, repeating unprocessed items. */
  private async batchWriteAll(table: string, items: readonly Item[]): Promise<void> {
    for (let start = 0; start < items.length; start += BATCH_WRITE_ITEMS) {
      let pending = items
        .slice(start, start + BATCH_WRITE_ITEMS)
        .map((item) => ({ PutRequest: { Item: item } }));
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > MAX_ATTEMPTS)
          throw new DynamoWriteContentionError(`Writing ${table} with BatchWriteItem`);
        if (attempt > 1) await backoff(attempt - 1);
        const response = await this.documents.send(
          new BatchWriteCommand({ RequestItems: { [table]: pending } }),
        );
        pending = (response.UnprocessedItems?.[table] ?? []).flatMap((request) =>
          request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
        );
      }
    }
  }
}

/** The stored form of a result: the JSON text, or gzip-compressed bytes when it is larger than 300 KB. */
async function encodeResult(jobId: string, text: string): Promise<string | Uint8Array> {
  if (Buffer.byteLength(text, 'utf8') <= LARGE_JSON_BYTES) return text;
  const compressed = await gzipAsync(text);
  if (compressed.byteLength > MAX_RESULT_BYTES)
    throw new JobResultTooLargeError(jobId, compressed.byteLength);
  return new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength);
}

async function decodeResult(table: string, jobId: string, stored: unknown): Promise<Json> {
  if (typeof stored === 'string') return JSON.parse(stored) as Json;
  if (stored instanceof Uint8Array) return JSON.parse((await gunzipAsync(stored)).toString('utf8')) as Json;
  throw new SweepItemError(table, jobId, 'has no result (a string, or gzip-compressed binary)');
}

function numberField(table: string, key: string, item: Item, field: string): number {
  const value = item[field];
  if (typeof value !== 'number') throw new SweepItemError(table, key, `has no number ${field}`);
  return value;
}

function newestFirst(
  a: { sweepId: string; createdAt: number },
  b: { sweepId: string; createdAt: number },
): number {
  return b.createdAt - a.createdAt || compareText(a.sweepId, b.sweepId);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorName(error: unknown): unknown {
  return (error as { name?: unknown } | undefined)?.name;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

function isTransactionCanceled(error: unknown): boolean {
  return errorName(error) === 'TransactionCanceledException';
}

/** A single write that lost to a transaction on the same item, or was throttled: worth another try. */
function isRetryableWriteError(error: unknown): boolean {
  const name = errorName(error);
  return (
    name === 'TransactionConflictException' ||
    name === 'ProvisionedThroughputExceededException' ||
    name === 'ThrottlingException' ||
    name === 'RequestLimitExceeded'
  );
}

/** One item's reason in a cancelled transaction; `Item` is in DynamoDB JSON (the document client leaves it so). */
interface CancellationReason {
  readonly Code?: string;
  readonly Item?: Record<string, unknown>;
}

/** The reason of each item of a cancelled transaction, in request order. */
function cancellationReasons(error: unknown): CancellationReason[] {
  return (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}

/** A sweep's counts from an item in DynamoDB JSON (`{ N: "3" }`) or native form, if it has them all. */
function countsOf(item: Record<string, unknown> | undefined): SweepCounts | undefined {
  if (item === undefined) return undefined;
  const read = (field: string): number | undefined => {
    const value = item[field];
    if (typeof value === 'number') return value;
    const text = (value as { N?: unknown } | undefined)?.N;
    return typeof text === 'string' ? Number(text) : undefined;
  };
  const [total, done, failed] = [read('total'), read('done'), read('failed')];
  if (total === undefined || done === undefined || failed === undefined) return undefined;
  return { total, done, failed };
}

function isRetryableCancellation(code: string | undefined): boolean {
  return (
    code === 'TransactionConflict' || code === 'ThrottlingError' || code === 'ProvisionedThroughputExceeded'
  );
}

/** Waits before another attempt: exponential from 25 ms, capped at 1 s, with full jitter. */
function backoff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));
}
