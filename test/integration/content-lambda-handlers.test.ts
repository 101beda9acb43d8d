import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PLATFORM_IDS, type PlatformVersion } from '@shared/content/model';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { createTopologyTable } from '../contract/draft-store-table';
import { useAwsEmulators } from '../support/aws-emulators';
import { FakeDiscord } from '../support/fake-platforms';
import { lambdaContext } from '../support/lambda-context';

const ROOT = join(__dirname, '../..');
const emulators = useAwsEmulators();
const eventBridge = mockClient(EventBridgeClient);
const secretsManager = mockClient(SecretsManagerClient);
// fauxqs ignores If-None-Match on PutObject, so the outbox's conditional writes are asserted on a mock.
const s3 = mockClient(S3Client);

const OPENAI_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:flywheel/openai-api-key-AbCdEf';
const CREDENTIALS_SECRET =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:flywheel/publisher-credentials-GhIjKl';
const ARTICLE = readFileSync(join(ROOT, 'data/articles/strata-overview.md'), 'utf8');
const sample = (name: string) =>
  JSON.parse(readFileSync(join(ROOT, 'events/samples', name), 'utf8')) as Record<string, unknown>;

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** A function's Lambda entry; loaded after the environment is set, as a container loads it once. */
function handlerOf(name: string): Handler {
  return (require(join(ROOT, 'functions', name, 'handler.ts')) as { handler: Handler }).handler;
}

/** An HTTP API (payload 2.0) request for a route; `rawPath` fills in the route's {id}. */
function httpEvent(
  routeKey: string,
  options: { id?: string; body?: unknown; query?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const [method, route] = routeKey.split(' ') as [string, string];
  const path = options.id === undefined ? route : route.replace('{id}', options.id);
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json' },
    ...(options.id === undefined ? {} : { pathParameters: { id: options.id } }),
    ...(options.query ? { queryStringParameters: options.query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      requestId: 'r',
      routeKey,
      stage: '$default',
      time: '25/Nov/2026:12:00:00 +0000',
      timeEpoch: Date.now(),
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    isBase64Encoded: false,
  };
}

/** An EventBridge event of the bus, as a rule delivers it. */
function busEvent(detailType: string, detail: unknown, id = `event-${detailType}`) {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: 'flywheel',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

async function call(name: string, event: unknown) {
  const response = (await handlerOf(name)(event, lambdaContext(name))) as APIGatewayProxyStructuredResultV2;
  return { status: response.statusCode, body: JSON.parse(String(response.body)) as Record<string, unknown> };
}

const putEntries = (detailType?: string) =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .filter((entry) => detailType === undefined || entry.DetailType === detailType);
const putDetails = (detailType: string) =>
  putEntries(detailType).map((entry) => JSON.parse(entry.Detail!) as Record<string, unknown>);

describe('the content Lambda handlers on AWS adapters (dynalite, Discord on loopback; EventBridge, Secrets Manager, S3 mocked)', () => {
  let discord: FakeDiscord;
  let tables: { drafts: string; publications: string };
  let bucket: string;
  // Drafts made along the way, in the order the tests make them.
  const drafts: { article?: string; insight?: string; note?: string } = {};

  beforeAll(async () => {
    const aws = emulators();
    discord = await new FakeDiscord(undefined, undefined, '1180000000000000009').start();
    tables = { drafts: aws.uniqueName('drafts'), publications: aws.uniqueName('publications') };
    await Promise.all([
      createTopologyTable(aws.dynamo, tables.drafts, 'drafts'),
      createTopologyTable(aws.dynamo, tables.publications, 'publications'),
    ]);
    bucket = aws.uniqueName('artifacts');
    const endpoint = await aws.dynamo.config.endpoint!();
    delete process.env.OPENAI_API_KEY;
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      POWERTOOLS_METRICS_NAMESPACE: 'Flywheel',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      [RESOURCE_VARIABLES.table('drafts')]: tables.drafts,
      [RESOURCE_VARIABLES.table('publications')]: tables.publications,
      [RESOURCE_VARIABLES.bucket('artifacts')]: bucket,
      [RESOURCE_VARIABLES.secret('openai-api-key')]: OPENAI_SECRET,
      [RESOURCE_VARIABLES.secret('publisher-credentials')]: CREDENTIALS_SECRET,
      [RESOURCE_VARIABLES.bus]: 'flywheel-test',
    });
  });
  afterAll(() => discord.close());

  beforeEach(() => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    secretsManager.reset();
    // As the stack creates it: a secret with no value yet has no AWSCURRENT version.
    secretsManager.on(GetSecretValueCommand, { SecretId: OPENAI_SECRET }).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    secretsManager
      .on(GetSecretValueCommand, { SecretId: CREDENTIALS_SECRET })
      .resolves({ SecretString: JSON.stringify({ DISCORD_WEBHOOK_URL: discord.webhookUrl }) });
    s3.reset();
    s3.on(PutObjectCommand).resolves({ ETag: '"e1"' });
    discord.reset();
  });

  /** What Discord received since the test began (its `messages` keep earlier tests' too). */
  const posted = () => discord.requests.map((request) => (request.body as { content: string }).content);
  const storedDraft = async (id: string) =>
    (await emulators().documents.send(new GetCommand({ TableName: tables.drafts, Key: { draftId: id } })))
      .Item;
  const versionsOf = async (id: string) => {
    const detail = await call('content-review', httpEvent('GET /content/drafts/{id}', { id }));
    expect(detail.status).toBe(200);
    return (detail.body.content as { versions: PlatformVersion[] }).versions;
  };

  it('content-generate: POST /content makes one draft per piece in DynamoDB, says what is wrong with a bad body, and announces DraftCreated', async () => {
    // Act
    const created = await call(
      'content-generate',
      httpEvent('POST /content', {
        body: { format: 'markdown', body: ARTICLE, origin: 'strata-overview.md' },
      }),
    );
    const again = await call(
      'content-generate',
      httpEvent('POST /content', {
        body: { format: 'markdown', body: ARTICLE, origin: 'strata-overview.md' },
      }),
    );
    const bad = await call(
      'content-generate',
      httpEvent('POST /content', { body: { format: 'docx', body: '' } }),
    );
    const notJson = await call('content-generate', httpEvent('POST /content', { body: '{"format":' }));

    // Assess
    expect(created.status).toBe(201);
    const draft = created.body.draft as { id: string };
    drafts.article = draft.id;
    expect(created.body).toMatchObject({
      created: true,
      draft: {
        status: 'draft',
        origin: 'user',
        sourceRef: 'strata-overview.md',
        title: 'Strata Overview',
        platforms: [...PLATFORM_IDS],
        generator: 'offline',
      },
      links: { self: `/content/drafts/${draft.id}`, approve: `/content/drafts/${draft.id}/approve` },
    });
    expect(again).toMatchObject({ status: 200, body: { created: false, draft: { id: draft.id } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/- format: [\s\S]*- body: the body is empty/);
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toContain('the request body is not valid JSON');
    // The unset OpenAI key was asked for (and not found): the offline generator wrote the versions.
    expect(
      secretsManager.commandCalls(GetSecretValueCommand, { SecretId: OPENAI_SECRET }).length,
    ).toBeGreaterThan(0);
    const item = await storedDraft(draft.id);
    expect(item).toMatchObject({ draftId: draft.id, status: 'draft', origin: 'user', revision: 1 });
    const scan = await emulators().dynamo.send(new ScanCommand({ TableName: tables.drafts }));
    expect(scan.Count).toBe(1);
    expect(putEntries()).toEqual([
      {
        Source: 'flywheel',
        DetailType: 'DraftCreated',
        EventBusName: 'flywheel-test',
        Detail: JSON.stringify({
          draftId: draft.id,
          status: 'draft',
          origin: 'user',
          sourceRef: 'strata-overview.md',
          platforms: [...PLATFORM_IDS],
        }),
      },
    ]);
  });

  it('content-generate: a StrategyPromoted event becomes one system draft, however often it is delivered', async () => {
    // Prepare
    const event = sample('strategy-promoted.json');

    // Act
    await handlerOf('content-generate')(event, lambdaContext('content-generate'));
    await handlerOf('content-generate')(event, lambdaContext('content-generate'));
    const note = await call(
      'content-generate',
      httpEvent('POST /content', {
        body: {
          format: 'text',
          body: 'Momentum on ETH/BTC held up out of sample for 18 months. The drawdown stayed under 9%.',
        },
      }),
    );

    // Assess
    const created = putDetails('DraftCreated');
    expect(created).toEqual([
      expect.objectContaining({
        status: 'draft',
        origin: 'system',
        sourceRef: 'StrategyPromoted BTC/USDT sweep-7f3a',
      }),
      expect.objectContaining({ origin: 'user', sourceRef: 'POST /content' }),
    ]);
    drafts.insight = String(created[0]!.draftId);
    drafts.note = (note.body.draft as { id: string }).id;
    expect(await storedDraft(drafts.insight)).toMatchObject({ status: 'draft', origin: 'system' });
    expect(putEntries('DraftApproved')).toEqual([]);
  });

  it('content-review: lists the drafts, approves one once (409 with its status after), rejects one', async () => {
    // Act
    const list = await call('content-review', httpEvent('GET /content/drafts'));
    const approved = await call(
      'content-review',
      httpEvent('POST /content/drafts/{id}/approve', { id: drafts.article! }),
    );
    const twice = await call(
      'content-review',
      httpEvent('POST /content/drafts/{id}/approve', { id: drafts.article! }),
    );
    const rejected = await call(
      'content-review',
      httpEvent('POST /content/drafts/{id}/reject', { id: drafts.note!, body: { reason: 'too thin' } }),
    );
    const unexplained = await call(
      'content-review',
      httpEvent('POST /content/drafts/{id}/reject', { id: drafts.insight!, body: {} }),
    );
    const missing = await call(
      'content-review',
      httpEvent('POST /content/drafts/{id}/approve', { id: 'draft-nope' }),
    );

    // Assess
    expect(list.status).toBe(200);
    expect((list.body.drafts as { id: string }[]).map((draft) => draft.id).sort()).toEqual(
      [drafts.article, drafts.insight, drafts.note].sort(),
    );
    expect(approved).toMatchObject({ status: 200, body: { id: drafts.article, status: 'approved' } });
    expect(twice).toMatchObject({ status: 409, body: { status: 'approved' } });
    expect(twice.body.error).toContain('is approved, so it cannot become approved');
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected', reason: 'too thin' } });
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.error).toContain('reason');
    expect(missing.status).toBe(404);
    expect(await storedDraft(drafts.article!)).toMatchObject({ status: 'approved', revision: 2 });
    expect(await storedDraft(drafts.note!)).toMatchObject({ status: 'rejected', reason: 'too thin' });
    expect(putEntries()).toEqual([
      {
        Source: 'flywheel',
        DetailType: 'DraftApproved',
        EventBusName: 'flywheel-test',
        Detail: JSON.stringify({ draftId: drafts.article }),
      },
    ]);
  });

  it('content-publish: DraftApproved posts the discord version to Discord, the rest to the S3 outbox, once', async () => {
    // Prepare
    const id = drafts.article!;
    const versions = await versionsOf(id);
    const discordVersion = versions.find((version) => version.platform === 'discord')!;
    const event = { ...sample('draft-approved.json'), detail: { draftId: id } };

    // Act
    await handlerOf('content-publish')(event, lambdaContext('content-publish'));

    // Assess: Discord received the discord version, through the webhook, as documented.
    expect(discord.violations).toEqual([]);
    expect(
      discord.requests.map((request) => [request.method, request.path, request.query.get('wait')]),
    ).toEqual(
      (discordVersion.posts ?? [discordVersion.text]).map(() => [
        'POST',
        `/api/webhooks/${discord.webhookId}/${discord.token}`,
        'true',
      ]),
    );
    expect(posted()).toEqual(discordVersion.posts ?? [discordVersion.text]);
    // Every other platform became one conditional write under outbox/<draftId>/ in the artifacts bucket.
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    const others = versions.filter((version) => version.platform !== 'discord');
    expect(puts.map((put) => put.Key).sort()).toEqual(
      others.map((version) => `outbox/${id}/${version.platform}.json`).sort(),
    );
    for (const put of puts) expect(put).toMatchObject({ Bucket: bucket, IfNoneMatch: '*' });
    const x = puts.find((put) => put.Key === `outbox/${id}/x.json`)!;
    expect(JSON.parse(String(x.Body))).toMatchObject({
      draftId: id,
      platform: 'x',
      text: versions.find((version) => version.platform === 'x')!.text,
    });
    // The draft is published in DynamoDB, each version logged once, and the bus told.
    expect(await storedDraft(id)).toMatchObject({ status: 'published' });
    const log = await emulators().dynamo.send(new ScanCommand({ TableName: tables.publications }));
    expect(log.Count).toBe(versions.length);
    const [published] = putDetails('DraftPublished');
    expect(putEntries()).toHaveLength(1);
    expect(published).toMatchObject({ draftId: id });
    const outcomes = published!.outcomes as { platform: string; outcome: string; channel: string }[];
    expect(outcomes.map((outcome) => [outcome.platform, outcome.outcome, outcome.channel])).toEqual(
      versions.map((version) => [
        version.platform,
        'published',
        version.platform === 'discord' ? 'discord' : 'outbox',
      ]),
    );
  });

  it('content-publish: a second delivery posts nothing again, even when the first ended before marking the draft', async () => {
    // Prepare
    const id = drafts.article!;
    const event = { ...sample('draft-approved.json'), detail: { draftId: id } };
    const publish = handlerOf('content-publish');

    // Act: the same event again; then as if the first invocation had timed out after posting.
    await publish(event, lambdaContext('content-publish'));
    const afterRedelivery = {
      discord: discord.requests.length,
      s3: s3.commandCalls(PutObjectCommand).length,
      events: putEntries().length,
    };
    await emulators().documents.send(
      new UpdateCommand({
        TableName: tables.drafts,
        Key: { draftId: id },
        UpdateExpression: 'SET #status = :approved',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':approved': 'approved' },
      }),
    );
    await publish(event, lambdaContext('content-publish'));

    // Assess
    expect(afterRedelivery).toEqual({ discord: 0, s3: 0, events: 0 });
    expect(discord.requests).toEqual([]);
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(await storedDraft(id)).toMatchObject({ status: 'published' });
    const [again] = putDetails('DraftPublished');
    expect(
      (again!.outcomes as { outcome: string }[]).every((outcome) => outcome.outcome === 'published'),
    ).toBe(true);
  });

  it('content-publish: the content-publish-due schedule publishes a scheduled draft once it is due', async () => {
    // Prepare: approve the insight for a moment from now.
    const id = drafts.insight!;
    const scheduleAt = Date.now() + 1500;
    const approved = await call(
      'content-review',
      httpEvent('POST /content/drafts/{id}/approve', {
        id,
        body: { scheduleAt: new Date(scheduleAt).toISOString() },
      }),
    );
    const publish = handlerOf('content-publish');
    const schedule = sample('content-publish-due.json');

    // Act: the DraftApproved event and an early run leave it alone; the run after it is due publishes it.
    await publish(
      busEvent('DraftApproved', putDetails('DraftApproved')[0]),
      lambdaContext('content-publish'),
    );
    await publish(schedule, lambdaContext('content-publish'));
    const early = { status: (await storedDraft(id))?.status, discord: discord.requests.length };
    await sleep(Math.max(0, scheduleAt - Date.now()) + 50);
    await publish(schedule, lambdaContext('content-publish'));

    // Assess
    expect(approved).toMatchObject({
      status: 200,
      body: { status: 'scheduled', scheduledFor: new Date(scheduleAt).toISOString() },
    });
    expect(putDetails('DraftApproved')).toEqual([{ draftId: id, scheduledFor: scheduleAt }]);
    expect(early).toEqual({ status: 'scheduled', discord: 0 });
    expect(await storedDraft(id)).toMatchObject({ status: 'published' });
    const discordVersion = (await versionsOf(id)).find((version) => version.platform === 'discord')!;
    expect(posted()).toEqual(discordVersion.posts ?? [discordVersion.text]);
    expect(putDetails('DraftPublished')).toEqual([expect.objectContaining({ draftId: id })]);
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toContain(
      `outbox/${id}/linkedin.json`,
    );
  });
});
