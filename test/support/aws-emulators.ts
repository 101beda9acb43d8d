import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from '@jest/globals';
import { startTransactionalProxy } from './dynalite-transactions';

// The switch the SDK reads (the other name is kept for older releases); Node 20 otherwise gets a warning.
process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING = '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The region every emulator client uses. */
export const EMULATOR_REGION = 'us-east-1';
/** Credentials the emulators accept without checking. */
const DUMMY_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const FAUXQS_CLI = join(__dirname, '..', '..', 'node_modules', 'fauxqs', 'dist', 'cli.js');
const STARTUP_TIMEOUT_MS = 15_000;

/** A running emulator: where to reach it and how to stop it. */
export interface RunningEmulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the child process binds it a moment later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

/** Starts fauxqs (SQS, SNS and S3) as a child process on a free loopback port and waits for GET /health. */
export async function startFauxqs(): Promise<RunningEmulator> {
  const port = await freePort();
  // The CLI passes `logger: true` itself, so FAUXQS_LOGGER has no effect on it: its stdout is discarded.
  const child: ChildProcess = spawn(process.execPath, [FAUXQS_CLI], {
    env: {
      ...process.env,
      FAUXQS_PORT: String(port),
      FAUXQS_LOGGER: 'false',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`fauxqs exited before it was healthy (port ${port}): ${stderr.trim() || 'no output'}`);
    }
    try {
      const response = await fetch(`${endpoint}/health`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fauxqs did not answer GET /health within ${STARTUP_TIMEOUT_MS} ms: ${stderr.trim()}`);
    }
    await sleep(50);
  }
  return {
    endpoint,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * Starts dynalite in-process on a free loopback port, behind a proxy that adds the TransactWriteItems dynalite
 * lacks (see dynalite-transactions.ts). The endpoint is the proxy's.
 */
export async function startDynalite(): Promise<RunningEmulator> {
  const dynalite = require('dynalite') as (options: { createTableMs: number; deleteTableMs: number }) => {
    listen(port: number, host: string, callback: () => void): void;
    address(): { port: number } | string | null;
    close(callback: (error?: Error) => void): void;
  };
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite did not report its port');
  const direct = dynamoClient(`http://127.0.0.1:${address.port}`);
  const proxy = await startTransactionalProxy(address.port, direct);
  return {
    endpoint: `http://127.0.0.1:${proxy.port}`,
    stop: async () => {
      await proxy.close();
      direct.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: EMULATOR_REGION, credentials: DUMMY_CREDENTIALS });
}

/** Clients configured for the emulators, and helpers that create uniquely named resources on them. */
export class AwsEmulators {
  /** SQS on fauxqs. */
  readonly sqs: SQSClient;
  /** S3 on fauxqs, path-style. */
  readonly s3: S3Client;
  /** DynamoDB on dynalite (through the transaction proxy). */
  readonly dynamo: DynamoDBClient;
  /** A document client over `dynamo`, as the Lambda handlers build it. */
  readonly documents: DynamoDBDocumentClient;

  constructor(fauxqsEndpoint: string, dynaliteEndpoint: string) {
    this.sqs = new SQSClient({
      endpoint: fauxqsEndpoint,
      region: EMULATOR_REGION,
      credentials: DUMMY_CREDENTIALS,
    });
    this.s3 = new S3Client({
      endpoint: fauxqsEndpoint,
      region: EMULATOR_REGION,
      credentials: DUMMY_CREDENTIALS,
      forcePathStyle: true,
    });
    this.dynamo = dynamoClient(dynaliteEndpoint);
    this.documents = DynamoDBDocumentClient.from(this.dynamo, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  /** A name no other test of the file uses: `<prefix>-<8 hex digits>`. */
  uniqueName(prefix: string): string {
    return `${prefix}-${randomUUID().slice(0, 8)}`;
  }

  /** Creates a queue and returns its URL and ARN. */
  async createQueue(
    name: string,
    attributes: Record<string, string> = {},
  ): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await this.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    if (!QueueUrl) throw new Error(`fauxqs returned no URL for queue ${name}`);
    const { Attributes } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
  }

  /** Deletes queues by URL. */
  async deleteQueues(urls: readonly string[]): Promise<void> {
    await Promise.all(urls.map((url) => this.sqs.send(new DeleteQueueCommand({ QueueUrl: url }))));
  }

  /** Creates a bucket. */
  async createBucket(name: string): Promise<void> {
    await this.s3.send(new CreateBucketCommand({ Bucket: name }));
  }

  /** Creates an on-demand table keyed by string attributes: a partition key and an optional sort key. */
  async createTable(name: string, partitionKey: string, sortKey?: string): Promise<void> {
    const keys = sortKey === undefined ? [partitionKey] : [partitionKey, sortKey];
    const KeySchema: KeySchemaElement[] = keys.map((key, index) => ({
      AttributeName: key,
      KeyType: index === 0 ? 'HASH' : 'RANGE',
    }));
    const AttributeDefinitions: AttributeDefinition[] = keys.map((key) => ({
      AttributeName: key,
      AttributeType: 'S',
    }));
    await this.dynamo.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema,
        AttributeDefinitions,
      }),
    );
  }

  /** Creates the sweep store's three tables with unique names. */
  async createSweepTables(): Promise<{ sweeps: string; sweepJobs: string; jobResults: string }> {
    const tables = {
      sweeps: this.uniqueName('sweeps'),
      sweepJobs: this.uniqueName('sweep-jobs'),
      jobResults: this.uniqueName('job-results'),
    };
    await Promise.all([
      this.createTable(tables.sweeps, 'sweepId'),
      this.createTable(tables.sweepJobs, 'sweepId', 'jobId'),
      this.createTable(tables.jobResults, 'jobId'),
    ]);
    return tables;
  }

  /** Deletes tables by name. */
  async deleteTables(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((name) => this.dynamo.send(new DeleteTableCommand({ TableName: name }))));
  }

  destroy(): void {
    this.sqs.destroy();
    this.s3.destroy();
    this.documents.destroy();
    this.dynamo.destroy();
  }
}

/**
 * Starts fauxqs and dynalite once for the test file (before its tests) and stops them after; returns a getter
 * for the configured clients, valid inside tests and their hooks.
 */
export function useAwsEmulators(): () => AwsEmulators {
  let fauxqs: RunningEmulator | undefined;
  let dynalite: RunningEmulator | undefined;
  let emulators: AwsEmulators | undefined;
  beforeAll(async () => {
    [fauxqs, dynalite] = await Promise.all([startFauxqs(), startDynalite()]);
    emulators = new AwsEmulators(fauxqs.endpoint, dynalite.endpoint);
  });
  afterAll(async () => {
    emulators?.destroy();
    await Promise.all([fauxqs?.stop(), dynalite?.stop()]);
  });
  return () => {
    if (!emulators)
      throw new Error('the AWS emulators are not running: call useAwsEmulators() at the top of the file');
    return emulators;
  };
}
