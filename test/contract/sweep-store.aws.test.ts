import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { DynamoSweepStore } from '@shared/adapters/aws/dynamo-sweep-store';
import { type AwsEmulators, useAwsEmulators } from '../support/aws-emulators';
import { describeSweepStoreContract } from './sweep-store-contract';

const emulators = useAwsEmulators();

/** A store on fresh tables and a fresh bucket. */
async function makeStore(aws: AwsEmulators) {
  const tables = await aws.createSweepTables();
  const bucket = aws.uniqueName('artifacts');
  await aws.createBucket(bucket);
  const store = new DynamoSweepStore({ documents: aws.documents, s3: aws.s3, tables, bucket });
  return { store, tables, bucket, cleanup: () => aws.deleteTables(Object.values(tables)) };
}

describeSweepStoreContract('DynamoSweepStore (dynalite, fauxqs S3)', async () => {
  const { store, cleanup } = await makeStore(emulators());
  return { store, cleanup };
});

describe('DynamoSweepStore storage layout (AWS only)', () => {
  const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

  it('keeps a spec and a summary over 300 KB in S3 under sweeps/<sweepId>/, with their keys on the item', async () => {
    // Prepare
    const aws = emulators();
    const { store, tables, bucket, cleanup } = await makeStore(aws);
    const spec = { note: 'x'.repeat(400 * 1024) };
    const summary = { note: 'y'.repeat(400 * 1024) };
    await store.createSweep({ sweepId: 'sweep-large', spec, jobIds: [], createdAt: T0 });
    await store.markRunning('sweep-large', T0 + 1);
    await store.claimAggregation('sweep-large', T0 + 2);

    // Act
    await store.finishSweep('sweep-large', 'completed', summary, T0 + 3);

    // Assess
    const { Item } = await aws.documents.send(
      new GetCommand({ TableName: tables.sweeps, Key: { sweepId: 'sweep-large' }, ConsistentRead: true }),
    );
    expect(Item).toMatchObject({
      specKey: 'sweeps/sweep-large/spec.json',
      summaryKey: 'sweeps/sweep-large/summary.json',
    });
    expect(Item).not.toHaveProperty('spec');
    expect(Item).not.toHaveProperty('summary');
    const object = await aws.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'sweeps/sweep-large/summary.json' }),
    );
    expect(JSON.parse(await object.Body!.transformToString())).toEqual(summary);
    await cleanup();
  });

  it('stores a result over 300 KB gzip-compressed as binary, and a small one as a JSON string', async () => {
    // Prepare
    const aws = emulators();
    const { store, tables, cleanup } = await makeStore(aws);
    const large = { rows: Array.from({ length: 40_000 }, (_, index) => ({ index, label: 'combination' })) };
    await store.createSweep({
      sweepId: 'sweep-a',
      spec: {},
      jobIds: ['job-large', 'job-small'],
      createdAt: T0,
    });
    await store.markRunning('sweep-a', T0 + 1);

    // Act
    await store.completeJob('sweep-a', 'job-large', large, T0 + 2);
    await store.completeJob('sweep-a', 'job-small', [1, 2, 3], T0 + 3);

    // Assess
    const read = (jobId: string) =>
      aws.documents.send(
        new GetCommand({ TableName: tables.jobResults, Key: { jobId }, ConsistentRead: true }),
      );
    const largeItem = (await read('job-large')).Item!;
    expect(largeItem.result).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(gunzipSync(largeItem.result as Uint8Array).toString('utf8'))).toEqual(large);
    expect((await read('job-small')).Item).toEqual({
      jobId: 'job-small',
      result: '[1,2,3]',
      storedAt: T0 + 3,
    });
    await cleanup();
  });

  it('keeps remaining equal to total − done − failed on the sweep item', async () => {
    // Prepare
    const aws = emulators();
    const { store, tables, cleanup } = await makeStore(aws);
    await store.createSweep({
      sweepId: 'sweep-a',
      spec: {},
      jobIds: ['job-1', 'job-2', 'job-3'],
      createdAt: T0,
    });
    await store.markRunning('sweep-a', T0 + 1);

    // Act
    await store.completeJob('sweep-a', 'job-1', { ok: true }, T0 + 2);
    await store.completeJob('sweep-a', 'job-1', { ok: true }, T0 + 3);
    await store.failJob('sweep-a', 'job-2', T0 + 4);

    // Assess
    const { Item } = await aws.documents.send(
      new GetCommand({ TableName: tables.sweeps, Key: { sweepId: 'sweep-a' }, ConsistentRead: true }),
    );
    expect(Item).toMatchObject({ total: 3, done: 1, failed: 1, remaining: 1 });
    await cleanup();
  });

  it('redoes a creation cut short once it is five minutes old: the job rows are written and the sweep completes', async () => {
    // Prepare: a creator wrote the sweep item, then stopped before writing any job row.
    const aws = emulators();
    const { store, tables, cleanup } = await makeStore(aws);
    await aws.documents.send(
      new PutCommand({
        TableName: tables.sweeps,
        Item: {
          sweepId: 'sweep-cut',
          status: 'planning',
          total: 2,
          done: 0,
          failed: 0,
          remaining: 2,
          createdAt: T0,
          updatedAt: T0,
          spec: '{"strategy":"sma-cross"}',
          creation: 'a creator that stopped',
        },
      }),
    );

    // Act
    const resumed = await store.createSweep({
      sweepId: 'sweep-cut',
      spec: { strategy: 'sma-cross' },
      jobIds: ['job-1', 'job-2'],
      createdAt: T0 + 5 * 60_000,
    });
    await store.markRunning('sweep-cut', T0 + 5 * 60_000 + 1);
    await store.completeJob('sweep-cut', 'job-1', { ok: 1 }, T0 + 5 * 60_000 + 2);
    const last = await store.completeJob('sweep-cut', 'job-2', { ok: 2 }, T0 + 5 * 60_000 + 3);

    // Assess
    expect(resumed.created).toBe(false);
    expect(resumed.sweep).toMatchObject({ status: 'planning', total: 2, done: 0, createdAt: T0 });
    expect([...resumed.pendingJobIds].sort()).toEqual(['job-1', 'job-2']);
    expect(last).toMatchObject({ done: 2, counted: true });
    expect(await store.claimAggregation('sweep-cut', T0 + 6 * 60_000)).toBe(true);
    await cleanup();
  });
});
