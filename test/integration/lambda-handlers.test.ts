import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2, Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { useAwsEmulators } from '../support/aws-emulators';

const ROOT = join(__dirname, '../..');
const emulators = useAwsEmulators();
const eventBridge = mockClient(EventBridgeClient);

const context = {
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
  memoryLimitInMB: '1769',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} as unknown as Context;

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** A function's Lambda entry; loaded after the environment is set, as a container loads it once. */
function handlerOf(name: string): Handler {
  return (require(join(ROOT, 'functions', name, 'handler.ts')) as { handler: Handler }).handler;
}

function httpEvent(
  method: string,
  path: string,
  body?: unknown,
  pathParameters?: Record<string, string>,
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${pathParameters ? '/sweeps/{id}' : path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      requestId: 'r',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '25/Nov/2026:12:00:00 +0000',
      timeEpoch: Date.now(),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

function sqsEventOf(
  messages: {
    MessageId?: string;
    ReceiptHandle?: string;
    Body?: string;
    Attributes?: Record<string, string>;
  }[],
  queueArn: string,
): SQSEvent {
  return {
    Records: messages.map(
      (message): SQSRecord => ({
        messageId: message.MessageId!,
        receiptHandle: message.ReceiptHandle!,
        body: message.Body!,
        attributes: {
          ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
          SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
          SenderId: 'AIDAEXAMPLE',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: 'us-east-1',
      }),
    ),
  };
}

const candles = JSON.parse(
  readFileSync(join(ROOT, 'data/ohlcv/XRP_USDT_USDT-5m-futures.json'), 'utf8'),
) as number[][];
const SPEC = {
  strategy: 'sma-cross',
  params: { fast: '5,10', slow: '20,40' },
  datasets: [{ market: 'XRP/USDT:USDT', candles }],
  engine: { fractional: true },
  chunkSize: 2,
  promotion: { minTrades: 1, threshold: -1000 },
};

describe('the Lambda handlers on AWS adapters (fauxqs, dynalite, EventBridge mocked)', () => {
  let queue: { url: string; arn: string };
  let deadLetters: { url: string; arn: string };

  beforeAll(async () => {
    const aws = emulators();
    const tables = await aws.createSweepTables();
    const promotions = aws.uniqueName('promotions');
    await aws.createTable(promotions, 'market', 'sweepId');
    const bucket = aws.uniqueName('artifacts');
    await aws.createBucket(bucket);
    deadLetters = await aws.createQueue(aws.uniqueName('dlq'));
    queue = await aws.createQueue(aws.uniqueName('jobs'), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: '3' }),
    });
    const endpointOf = async (client: unknown) => {
      const endpoint = await (
        client as {
          config: { endpoint: () => Promise<{ protocol: string; hostname: string; port?: number }> };
        }
      ).config.endpoint();
      return `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`;
    };
    const sqsEndpoint = await endpointOf(aws.sqs);
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: await endpointOf(aws.dynamo),
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ENDPOINT_URL_S3: await endpointOf(aws.s3),
      AWS_S3_FORCE_PATH_STYLE: 'true',
      POWERTOOLS_METRICS_NAMESPACE: 'Flywheel',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      [RESOURCE_VARIABLES.table('sweeps')]: tables.sweeps,
      [RESOURCE_VARIABLES.table('sweep-jobs')]: tables.sweepJobs,
      [RESOURCE_VARIABLES.table('job-results')]: tables.jobResults,
      [RESOURCE_VARIABLES.table('promotions')]: promotions,
      [RESOURCE_VARIABLES.queue('backtest-jobs')]: queue.url,
      [RESOURCE_VARIABLES.bucket('artifacts')]: bucket,
      [RESOURCE_VARIABLES.bus]: 'flywheel-test',
    });
  });

  beforeEach(() => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  });

  const putEntries = () =>
    eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

  async function receiveAll(url: string) {
    const messages = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const { Messages = [] } = await emulators().sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      messages.push(...Messages);
      if (Messages.length === 0 && messages.length) break;
    }
    return messages;
  }

  it('answers POST /sweeps with 400 and the reason for a bad body', async () => {
    const plan = handlerOf('sweep-plan');
    const response = (await plan(
      httpEvent('POST', '/sweeps', { strategy: 'sma-cross', datasets: [], objectve: 'sqn' }),
      context,
    )) as {
      statusCode: number;
      body: string;
    };
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error).toMatch(/datasets: Too small[\s\S]*Unrecognized key: "objectve"/);
    const module = (await plan(
      httpEvent('POST', '/sweeps', { strategy: './mine.ts', datasets: [{ market: 'X', candles }] }),
      context,
    )) as {
      statusCode: number;
      body: string;
    };
    expect(module.statusCode).toBe(400);
    expect(JSON.parse(module.body).error).toContain('strategy modules run in the local runtime only');
  });

  it('runs a whole sweep: plan → SQS → workers (idempotent, partial failures) → SweepCompleted → aggregate → read', async () => {
    // Plan: 4 combinations in chunks of 2 → 2 jobs on SQS.
    const accepted = (await handlerOf('sweep-plan')(httpEvent('POST', '/sweeps', SPEC), context)) as {
      statusCode: number;
      body: string;
    };
    expect(accepted.statusCode).toBe(202);
    const { sweepId, total } = JSON.parse(accepted.body) as { sweepId: string; total: number };
    expect(total).toBe(2);
    const jobs = await receiveAll(queue.url);
    expect(jobs).toHaveLength(2);

    // Work: the first job, plus a record that is not a job → only that record fails.
    const worker = handlerOf('backtest-worker');
    const first = sqsEventOf([jobs[0]!], queue.arn);
    const broken = sqsEventOf(
      [{ MessageId: 'broken-1', ReceiptHandle: 'h', Body: '{"not":"a job"}' }],
      queue.arn,
    );
    const partial = (await worker({ Records: [...first.Records, ...broken.Records] }, context)) as {
      batchItemFailures: { itemIdentifier: string }[];
    };
    expect(partial.batchItemFailures).toEqual([{ itemIdentifier: 'broken-1' }]);
    // A retry of the same job counts once; the last job completes the sweep and announces it.
    await worker(first, context);
    expect(putEntries()).toEqual([]);
    await worker(sqsEventOf([jobs[1]!], queue.arn), context);
    const completed = putEntries().filter((entry) => entry.DetailType === 'SweepCompleted');
    expect(completed).toEqual([
      {
        Source: 'flywheel',
        DetailType: 'SweepCompleted',
        EventBusName: 'flywheel-test',
        Detail: JSON.stringify({ sweepId, total: 2, done: 2, failed: 0 }),
      },
    ]);

    // Aggregate on the EventBridge event; it promotes the champion and says so on the bus.
    eventBridge.resetHistory();
    await handlerOf('sweep-aggregate')(
      {
        version: '0',
        id: 'event-1',
        'detail-type': 'SweepCompleted',
        source: 'flywheel',
        account: '123456789012',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: [],
        detail: JSON.parse(completed[0]!.Detail!),
      },
      context,
    );
    const promoted = putEntries().filter((entry) => entry.DetailType === 'StrategyPromoted');
    expect(promoted).toHaveLength(1);
    expect(JSON.parse(promoted[0]!.Detail!)).toMatchObject({
      market: 'XRP/USDT:USDT',
      sweepId,
      strategy: { name: 'sma-cross' },
      params: expect.any(Object),
    });

    // Read it back.
    const read = handlerOf('sweep-read');
    const detail = (await read(
      httpEvent('GET', `/sweeps/${sweepId}`, undefined, { id: sweepId }),
      context,
    )) as { statusCode: number; body: string };
    expect(detail.statusCode).toBe(200);
    expect(JSON.parse(detail.body)).toMatchObject({
      sweepId,
      status: 'completed',
      jobs: { total: 2, done: 2, failed: 0 },
    });
    expect(JSON.parse(detail.body).summary.results).toHaveLength(4);
    const missing = (await read(httpEvent('GET', '/sweeps/nope', undefined, { id: 'nope' }), context)) as {
      statusCode: number;
    };
    expect(missing.statusCode).toBe(404);
    const list = (await read(httpEvent('GET', '/sweeps'), context)) as { statusCode: number; body: string };
    expect(JSON.parse(list.body).sweeps.map((sweep: { sweepId: string }) => sweep.sweepId)).toContain(
      sweepId,
    );
  });

  it('counts a dead-lettered job as failed and completes its sweep "with failures"', async () => {
    const spec = { ...SPEC, params: { fast: '5', slow: '20,40' }, chunkSize: 1 };
    const accepted = (await handlerOf('sweep-plan')(httpEvent('POST', '/sweeps', spec), context)) as {
      body: string;
    };
    const { sweepId } = JSON.parse(accepted.body) as { sweepId: string };
    const jobs = await receiveAll(queue.url);
    expect(jobs).toHaveLength(2);
    await handlerOf('backtest-worker')(sqsEventOf([jobs[0]!], queue.arn), context);
    // The other job is poison: it reaches the DLQ, whose handler counts it failed.
    const result = (await handlerOf('backtest-dead-letter')(
      sqsEventOf([jobs[1]!], deadLetters.arn),
      context,
    )) as { batchItemFailures: unknown[] };
    expect(result.batchItemFailures).toEqual([]);
    expect(
      putEntries()
        .filter((entry) => entry.DetailType === 'SweepCompleted')
        .map((entry) => JSON.parse(entry.Detail!)),
    ).toEqual([{ sweepId, total: 2, done: 1, failed: 1 }]);
  });

  it('starts a scheduled sweep from an EventBridge Scheduler payload', async () => {
    const result = (await handlerOf('sweep-plan')(
      { schedule: 'nightly', spec: { ...SPEC, params: { fast: '7', slow: '30' } } },
      context,
    )) as {
      sweepId: string;
      queued: number;
    };
    expect(result).toMatchObject({ sweepId: expect.any(String), queued: 1 });
    expect(await receiveAll(queue.url)).toHaveLength(1);
  });
});
