import { describe, expect, it } from '@jest/globals';
import { LIVE_TRADING_VARIABLES } from '@shared/adapters/ccxt/broker-from-env';
import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  FUNCTIONS,
  type FunctionName,
  QUEUES,
  RESOURCE_VARIABLES,
  SECRETS,
  type SecretName,
  TABLES,
} from '../../events/topology';
import { LIVE_TRADING_VARIABLE, StageConfigError, stageConfig } from '../../infra/config';
import { synthesise, withStage } from '../support/synth';

// One synthesis for the whole file: the default dev stage.
const { template, stack } = synthesise();
const resources = (type: string) =>
  template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
const functionTag = (properties: Record<string, unknown>) =>
  ((properties.Tags ?? []) as { Key: string; Value: string }[]).find((tag) => tag.Key === 'flywheel:function')
    ?.Value;
const lambdaOf = (name: FunctionName) => {
  const entry = Object.entries(resources('AWS::Lambda::Function')).find(
    ([, resource]) => functionTag(resource.Properties) === name,
  );
  if (!entry) throw new Error(`no Lambda for ${name}`);
  return { logicalId: entry[0], properties: entry[1].Properties };
};
const queueOf = (name: keyof typeof QUEUES) =>
  stack.getLogicalId(stack.queues.get(name)!.node.defaultChild as never);
const secretOf = (name: SecretName) => stack.getLogicalId(stack.secrets.get(name)!);
/** Every IAM statement of a function's role, as synthesised. */
const statementsOf = (name: FunctionName) => {
  const role = (lambdaOf(name).properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policy = Object.values(resources('AWS::IAM::Policy')).find((candidate) =>
    (candidate.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === role),
  );
  return (
    policy!.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }
  ).Statement;
};
/** The HTTP routes of the topology with who authenticates them. */
const httpRoutes = Object.values(FUNCTIONS).flatMap((definition) =>
  definition.triggers.flatMap((trigger) =>
    trigger.type === 'http'
      ? [
          {
            key: `${trigger.method} ${trigger.path}`,
            byHandler: 'authenticatedBy' in trigger && trigger.authenticatedBy === 'handler',
          },
        ]
      : [],
  ),
);

describe('topology parity', () => {
  it('builds exactly one Lambda per topology function, and no function the topology does not list', () => {
    const tagged = Object.values(resources('AWS::Lambda::Function'))
      .map((resource) => functionTag(resource.Properties))
      .filter((name) => name !== undefined);
    expect(tagged.sort()).toEqual(Object.keys(FUNCTIONS).sort());
    // The one other Lambda is CDK's own provider behind autoDeleteObjects on the dev buckets.
    const others = Object.entries(resources('AWS::Lambda::Function')).filter(
      ([, resource]) => !functionTag(resource.Properties),
    );
    expect(others.map(([id]) => id)).toEqual([
      expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProvider/),
    ]);
  });

  it('gives every trigger its resource: routes, SQS event sources, bus rules', () => {
    const routes = Object.values(resources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );
    const mappings = Object.values(resources('AWS::Lambda::EventSourceMapping')).map(
      (mapping) => mapping.Properties,
    );
    for (const [name, definition] of Object.entries(FUNCTIONS) as [
      FunctionName,
      (typeof FUNCTIONS)[FunctionName],
    ][]) {
      const { logicalId } = lambdaOf(name);
      for (const trigger of definition.triggers) {
        if (trigger.type === 'http') expect(routes).toContain(`${trigger.method} ${trigger.path}`);
        if (trigger.type === 'queue') {
          expect(mappings).toContainEqual(
            expect.objectContaining({
              FunctionName: { Ref: logicalId },
              EventSourceArn: { 'Fn::GetAtt': [queueOf(trigger.queue as keyof typeof QUEUES), 'Arn'] },
              FunctionResponseTypes: ['ReportBatchItemFailures'],
            }),
          );
        }
        if (trigger.type === 'event') {
          template.hasResourceProperties('AWS::Events::Rule', {
            EventPattern: { source: ['flywheel'], 'detail-type': trigger.pattern['detail-type'] },
            Targets: [
              Match.objectLike({
                Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] },
                DeadLetterConfig: Match.anyValue(),
                RetryPolicy: Match.anyValue(),
              }),
            ],
          });
        }
      }
    }
  });
});

describe('functions', () => {
  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    '%s runs Node.js 22 on arm64 with tracing, its timeout and a log group with retention',
    (name) => {
      const { properties } = lambdaOf(name);
      expect(properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: FUNCTIONS[name].timeoutSeconds,
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      const logGroup = (properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(template.toJSON().Resources[logGroup].Properties.RetentionInDays).toBe(14);
    },
  );

  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    '%s gets the names of exactly the resources its topology entry lists',
    (name) => {
      const access = FUNCTIONS[name].access as {
        tables?: object;
        queues?: object;
        buckets?: object;
        bus?: string;
        secrets?: object;
      };
      const expected = [
        ...Object.keys(access.tables ?? {}).map((table) =>
          RESOURCE_VARIABLES.table(table as keyof typeof TABLES),
        ),
        ...Object.keys(access.queues ?? {}).map((queue) =>
          RESOURCE_VARIABLES.queue(queue as keyof typeof QUEUES),
        ),
        ...Object.keys(access.buckets ?? {}).map(() => RESOURCE_VARIABLES.bucket('artifacts')),
        ...(access.bus ? [RESOURCE_VARIABLES.bus] : []),
        ...Object.keys(access.secrets ?? {}).map((secret) => RESOURCE_VARIABLES.secret(secret as SecretName)),
      ].sort();
      const variables = Object.keys(
        (lambdaOf(name).properties.Environment as { Variables: object }).Variables,
      )
        .filter((variable) => /^(TABLE_|QUEUE_|BUCKET_|EVENT_BUS_NAME|SECRET_)/.test(variable))
        .sort();
      expect(variables).toEqual(expected);
    },
  );

  it('grants read-only tables only read actions, and no function more than its access', () => {
    const actionsOf = (name: FunctionName) =>
      statementsOf(name).flatMap((statement) => [statement.Action].flat());
    expect(actionsOf('sweep-read')).not.toEqual(expect.arrayContaining(['dynamodb:PutItem']));
    expect(actionsOf('sweep-read')).not.toEqual(expect.arrayContaining(['s3:PutObject']));
    expect(actionsOf('sweep-read')).not.toEqual(expect.arrayContaining(['sqs:SendMessage']));
    expect(actionsOf('sweep-plan')).toEqual(
      expect.arrayContaining(['sqs:SendMessage', 'events:PutEvents', 's3:PutObject', 'dynamodb:PutItem']),
    );
    expect(actionsOf('backtest-worker')).not.toEqual(expect.arrayContaining(['s3:PutObject']));
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      expect(actionsOf(name)).not.toEqual(
        expect.arrayContaining(['s3:DeleteObject', 's3:*', 'dynamodb:*', 'secretsmanager:*']),
      );
    }
  });
});

describe('queues', () => {
  it('gives every queue with a redrive policy its DLQ, and an alarm on every DLQ', () => {
    for (const [name, definition] of Object.entries(QUEUES)) {
      if (!('deadLetterQueue' in definition)) continue;
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [queueOf(definition.deadLetterQueue), 'Arn'] },
          maxReceiveCount: definition.maxReceiveCount,
        },
        VisibilityTimeout: definition.visibilityTimeoutSeconds,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [queueOf(definition.deadLetterQueue), 'QueueName'] } },
        ],
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(name).toBeTruthy();
    }
  });

  it('keeps every visibility timeout at least six times its consumer’s timeout', () => {
    for (const mapping of Object.values(resources('AWS::Lambda::EventSourceMapping'))) {
      const queueId = (mapping.Properties.EventSourceArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const functionId = (mapping.Properties.FunctionName as { Ref: string }).Ref;
      const visibility = template.toJSON().Resources[queueId].Properties.VisibilityTimeout as number;
      const timeout = template.toJSON().Resources[functionId].Properties.Timeout as number;
      expect([queueId, visibility >= 6 * timeout]).toEqual([queueId, true]);
    }
  });

  it('encrypts every queue and refuses plain HTTP', () => {
    for (const [id, queue] of Object.entries(resources('AWS::SQS::Queue'))) {
      expect([id, queue.Properties.SqsManagedSseEnabled]).toEqual([id, true]);
    }
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      Object.keys(resources('AWS::SQS::Queue')).length,
    );
  });

  it('feeds the worker batches of the configured size with the configured maximum concurrency', () => {
    const { template: tuned } = synthesise(
      withStage('dev', { worker: { batchSize: 4, maxConcurrency: 7, memoryMb: 3008 } }),
    );
    tuned.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 4,
      ScalingConfig: { MaximumConcurrency: 7 },
    });
    tuned.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 3008,
      Tags: Match.arrayWith([{ Key: 'flywheel:function', Value: 'backtest-worker' }]),
    });
  });
});

describe('tables, bucket, API and schedules', () => {
  it('creates every topology table on demand, encrypted, with its keys', () => {
    for (const definition of Object.values(TABLES)) {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: definition.partitionKey, KeyType: 'HASH' },
          ...('sortKey' in definition ? [{ AttributeName: definition.sortKey, KeyType: 'RANGE' }] : []),
        ],
      });
    }
  });

  it('turns point-in-time recovery on where the stage asks for it', () => {
    const { template: prod } = synthesise({ stage: 'prod' });
    expect(
      Object.values(prod.findResources('AWS::DynamoDB::Table')).every(
        (table) => table.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled,
      ),
    ).toBe(true);
    expect(
      Object.values(prod.findResources('AWS::DynamoDB::Table')).every(
        (table) => table.DeletionPolicy === 'Retain',
      ),
    ).toBe(true);
  });

  it('keeps the bucket private, encrypted, TLS-only and logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'artifacts/' }),
    });
  });

  it('authorises every route with IAM by default, and with a JWT authorizer when configured', () => {
    const authorization = (routes: Record<string, { Properties: Record<string, unknown> }>) =>
      Object.fromEntries(
        Object.values(routes).map((route) => [route.Properties.RouteKey, route.Properties.AuthorizationType]),
      );
    expect(authorization(resources('AWS::ApiGatewayV2::Route'))).toEqual(
      Object.fromEntries(httpRoutes.map((route) => [route.key, route.byHandler ? 'NONE' : 'AWS_IAM'])),
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    const { template: jwt } = synthesise(
      withStage('dev', {
        auth: { type: 'jwt', issuer: 'https://issuer.example.com/', audience: ['flywheel'] },
      }),
    );
    jwt.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://issuer.example.com/', Audience: ['flywheel'] },
    });
    expect(
      authorization(
        jwt.findResources('AWS::ApiGatewayV2::Route') as Record<
          string,
          { Properties: Record<string, unknown> }
        >,
      ),
    ).toEqual(Object.fromEntries(httpRoutes.map((route) => [route.key, route.byHandler ? 'NONE' : 'JWT'])));
  });

  it('serves POST /deps/check behind the API authorizer and POST /webhooks/github without one', () => {
    expect(httpRoutes).toEqual(
      expect.arrayContaining([
        { key: 'POST /deps/check', byHandler: false },
        { key: 'POST /webhooks/github', byHandler: true },
      ]),
    );
    expect(httpRoutes.filter((route) => route.byHandler).map((route) => route.key)).toEqual([
      'POST /webhooks/github',
      'POST /webhooks/exchange/{source}',
    ]);
  });

  it('turns each configured recurring sweep into an EventBridge Scheduler schedule invoking sweep-plan', () => {
    const spec = { strategy: 'sma-cross', datasets: [{ market: 'GOOG', hash: 'abc' }] };
    const { template: scheduled } = synthesise(
      withStage('dev', {
        schedules: [{ name: 'nightly', expression: 'cron(0 2 * * ? *)', timezone: 'Europe/Berlin', spec }],
      }),
    );
    scheduled.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'flywheel-dev-nightly',
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: Match.objectLike({ Input: JSON.stringify({ schedule: 'nightly', spec }) }),
    });
  });
});

describe('secrets', () => {
  it('creates each topology secret empty (no value in the template), named by stage', () => {
    const secrets = resources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets).sort()).toEqual((Object.keys(SECRETS) as SecretName[]).map(secretOf).sort());
    for (const name of Object.keys(SECRETS) as SecretName[]) {
      const { Properties } = secrets[secretOf(name)]!;
      expect(Properties).toEqual({ Name: `flywheel-dev/${name}`, Description: SECRETS[name].description });
    }
  });

  it('lets github-webhook read exactly its two secrets, and no other function any secret', () => {
    const secretStatements = (name: FunctionName) =>
      statementsOf(name).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
      );
    expect(secretStatements('github-webhook')).toEqual(
      expect.arrayContaining(
        (['github-token', 'github-webhook-secret'] as const).map((name) =>
          expect.objectContaining({
            Action: 'secretsmanager:GetSecretValue',
            Resource: { Ref: secretOf(name) },
          }),
        ),
      ),
    );
    expect(secretStatements('github-webhook')).toHaveLength(2);
    expect(lambdaOf('github-webhook').properties.Environment).toEqual({
      Variables: expect.objectContaining({
        [RESOURCE_VARIABLES.secret('github-token')]: { Ref: secretOf('github-token') },
        [RESOURCE_VARIABLES.secret('github-webhook-secret')]: { Ref: secretOf('github-webhook-secret') },
      }),
    });
    const readers: FunctionName[] = [
      'github-webhook',
      'content-generate',
      'content-publish',
      'exchange-webhook',
      'trading-control',
      'trade-executor',
    ];
    for (const name of (Object.keys(FUNCTIONS) as FunctionName[]).filter((other) => !readers.includes(other)))
      expect([name, secretStatements(name)]).toEqual([name, []]);
  });

  it('lets content-generate read only the OpenAI key and content-publish only the publisher credentials', () => {
    const secretsRead = (name: FunctionName) =>
      statementsOf(name)
        .filter((statement) =>
          [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
        )
        .map((statement) => statement.Resource);
    expect(secretsRead('content-generate')).toEqual([{ Ref: secretOf('openai-api-key') }]);
    expect(secretsRead('content-publish')).toEqual([{ Ref: secretOf('publisher-credentials') }]);
    expect(secretsRead('content-review')).toEqual([]);
    expect(lambdaOf('content-generate').properties.Environment).toEqual({
      Variables: expect.objectContaining({
        [RESOURCE_VARIABLES.secret('openai-api-key')]: { Ref: secretOf('openai-api-key') },
      }),
    });
  });

  it('gives deps-check no access to any resource', () => {
    const actions = statementsOf('deps-check').flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => !/^(logs|xray):/.test(action))).toEqual([]);
  });
});

describe('content functions', () => {
  const tableOf = (name: keyof typeof TABLES) =>
    stack.getLogicalId(stack.tables.get(name)!.node.defaultChild as never);
  const lambdaArn = (name: FunctionName) => ({ 'Fn::GetAtt': [lambdaOf(name).logicalId, 'Arn'] });

  it('serves the content routes behind the API authorizer, each on its function', () => {
    const integrations = resources('AWS::ApiGatewayV2::Integration');
    const routes = Object.values(resources('AWS::ApiGatewayV2::Route')).filter((route) =>
      String(route.Properties.RouteKey).includes('/content'),
    );
    const byRoute = Object.fromEntries(
      routes.map((route) => {
        const target = (route.Properties.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
        const integration = integrations[(target[1] as { Ref: string }).Ref]!;
        const uri = integration.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
        const fn = Object.keys(FUNCTIONS).find(
          (name) => lambdaOf(name as FunctionName).logicalId === uri['Fn::GetAtt'][0],
        );
        return [route.Properties.RouteKey, [fn, route.Properties.AuthorizationType]];
      }),
    );
    expect(byRoute).toEqual({
      'POST /content': ['content-generate', 'AWS_IAM'],
      'GET /content/drafts': ['content-review', 'AWS_IAM'],
      'GET /content/drafts/{id}': ['content-review', 'AWS_IAM'],
      'POST /content/drafts/{id}/approve': ['content-review', 'AWS_IAM'],
      'POST /content/drafts/{id}/reject': ['content-review', 'AWS_IAM'],
    });
  });

  it('routes submissions and insights to content-generate and approvals to content-publish', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['flywheel'],
        'detail-type': ['ContentSubmitted', 'SweepCompleted', 'StrategyPromoted'],
      },
      Targets: [Match.objectLike({ Arn: lambdaArn('content-generate'), DeadLetterConfig: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['flywheel'], 'detail-type': ['DraftApproved'] },
      Targets: [Match.objectLike({ Arn: lambdaArn('content-publish'), DeadLetterConfig: Match.anyValue() })],
    });
  });

  it('publishes due drafts every 5 minutes through an EventBridge Scheduler schedule', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'flywheel-dev-content-publish-due',
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({
        Arn: lambdaArn('content-publish'),
        Input: JSON.stringify({ schedule: 'content-publish-due' }),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
  });

  it('gives the drafts table its status indexes, and the content functions the grants they need', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'draftId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'status-createdAt',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'status-scheduledFor',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'scheduledFor', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'createdAt', AttributeType: 'N' },
        { AttributeName: 'scheduledFor', AttributeType: 'N' },
      ]),
    });
    const tablesOf = (name: FunctionName) =>
      statementsOf(name)
        .filter((statement) => [statement.Action].flat().includes('dynamodb:PutItem'))
        .flatMap((statement) => [statement.Resource].flat())
        .map((resource) => JSON.stringify(resource));
    const drafts = tableOf('drafts');
    const publications = tableOf('publications');
    expect(tablesOf('content-review').join()).toContain(drafts);
    expect(tablesOf('content-review').join()).not.toContain(publications);
    expect(tablesOf('content-publish').join()).toContain(publications);
    expect(tablesOf('content-generate').join()).not.toContain(publications);
    // Queries on the status indexes need the index ARNs.
    expect(tablesOf('content-review').join()).toContain('/index/*');
  });

  it('lets content-publish write its outbox objects to the artifacts bucket, whose name it receives', () => {
    const artifacts = Object.entries(resources('AWS::S3::Bucket')).find(
      ([, bucket]) =>
        (bucket.Properties.LoggingConfiguration as { LogFilePrefix?: string } | undefined)?.LogFilePrefix ===
        'artifacts/',
    )![0];
    const variables = (lambdaOf('content-publish').properties.Environment as { Variables: object }).Variables;
    expect(variables).toMatchObject({ [RESOURCE_VARIABLES.bucket('artifacts')]: { Ref: artifacts } });
    const objectWrites = statementsOf('content-publish').filter((statement) =>
      [statement.Action].flat().includes('s3:PutObject'),
    );
    expect(objectWrites).toEqual([
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [artifacts, 'Arn'] }, '/*']] },
      }),
    ]);
  });

  it('passes the content settings from CDK context to content-generate and content-publish only', () => {
    const content = { approval: { system: 'auto' }, routes: { x: 'skip' } };
    const { template: configured } = synthesise(withStage('dev', { content }));
    const environmentOf = (name: FunctionName) => {
      const found = Object.values(configured.findResources('AWS::Lambda::Function')).find(
        (resource) => functionTag(resource.Properties) === name,
      );
      return (found!.Properties.Environment as { Variables: Record<string, string> }).Variables;
    };
    const settings = JSON.parse(environmentOf('content-generate')[RESOURCE_VARIABLES.settings('content')]!);
    expect(settings).toMatchObject({ approval: { user: 'required', system: 'auto' }, routes: { x: 'skip' } });
    expect(environmentOf('content-publish')[RESOURCE_VARIABLES.settings('content')]).toBeDefined();
    expect(environmentOf('content-review')[RESOURCE_VARIABLES.settings('content')]).toBeUndefined();
    expect(() => synthesise(withStage('dev', { content: { approval: { user: 'sometimes' } } }))).toThrow(
      /stages\.dev\.content\.approval\.user/,
    );
  });
});

describe('exchange webhook and trades', () => {
  const tableOf = (name: keyof typeof TABLES) =>
    stack.getLogicalId(stack.tables.get(name)!.node.defaultChild as never);
  const tableResource = (name: keyof typeof TABLES) => resources('AWS::DynamoDB::Table')[tableOf(name)]!;

  it('turns on the trades table’s stream with new images, for the consumer of a later issue', () => {
    expect(tableResource('trades').Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'tradeId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'kindStrategy-timeKey',
          KeySchema: [
            { AttributeName: 'kindStrategy', KeyType: 'HASH' },
            { AttributeName: 'timeKey', KeyType: 'RANGE' },
          ],
        }),
      ]),
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'timeKey', AttributeType: 'S' }]),
    });
    // Only the tables that declare a stream have one.
    expect(tableResource('drafts').Properties.StreamSpecification).toBeUndefined();
  });

  it('expires remembered webhook event ids through DynamoDB TTL', () => {
    expect(tableResource('webhook-events').Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });

  it('serves POST /webhooks/exchange/{source} on exchange-webhook without an authorizer (it verifies signatures)', () => {
    const route = Object.values(resources('AWS::ApiGatewayV2::Route')).find(
      (candidate) => candidate.Properties.RouteKey === 'POST /webhooks/exchange/{source}',
    );
    expect(route?.Properties.AuthorizationType).toBe('NONE');
  });

  it('lets exchange-webhook write the trades and webhook-events tables, put on the bus and read only its secret', () => {
    const { properties } = lambdaOf('exchange-webhook');
    expect(properties.Environment).toEqual({
      Variables: expect.objectContaining({
        [RESOURCE_VARIABLES.table('trades')]: { Ref: tableOf('trades') },
        [RESOURCE_VARIABLES.table('webhook-events')]: { Ref: tableOf('webhook-events') },
        [RESOURCE_VARIABLES.secret('exchange-webhook-secrets')]: {
          Ref: secretOf('exchange-webhook-secrets'),
        },
        [RESOURCE_VARIABLES.bus]: expect.anything(),
      }),
    });
    const statements = statementsOf('exchange-webhook');
    const written = statements
      .filter((statement) => [statement.Action].flat().includes('dynamodb:PutItem'))
      .flatMap((statement) => [statement.Resource].flat())
      .map((resource) => JSON.stringify(resource))
      .join();
    expect(written).toContain(tableOf('trades'));
    expect(written).toContain(tableOf('webhook-events'));
    expect(written).not.toContain(tableOf('drafts'));
    expect(
      statements
        .filter((statement) =>
          [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
        )
        .map((statement) => statement.Resource),
    ).toEqual([{ Ref: secretOf('exchange-webhook-secrets') }]);
    expect(statements.some((statement) => [statement.Action].flat().includes('events:PutEvents'))).toBe(true);
  });
});

describe('market data', () => {
  const ingest = {
    name: 'candles-hourly',
    expression: 'cron(2 * * * ? *)',
    exchange: 'binance',
    symbols: ['BTC/USDT', 'ETH/USDT'],
    timeframes: ['1h', '1d'],
    start: '2024-01-01',
  };

  it('keeps candles in a table keyed by series and time, which market-ingest writes and nothing else does', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'series', KeyType: 'HASH' },
        { AttributeName: 'at', KeyType: 'RANGE' },
      ],
    });
    const { properties } = lambdaOf('market-ingest');
    expect(properties.Timeout).toBe(600);
    expect(Object.keys((properties.Environment as { Variables: object }).Variables)).toEqual(
      expect.arrayContaining([RESOURCE_VARIABLES.table('candles'), RESOURCE_VARIABLES.bus]),
    );
    const actions = statementsOf('market-ingest').flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:BatchWriteItem', 'dynamodb:Query', 'events:PutEvents']),
    );
    expect(actions.some((action) => action.startsWith('secretsmanager:'))).toBe(false);
  });

  it('turns each market.ingest entry into a schedule invoking market-ingest with its series, and sweeps stay on sweep-plan', () => {
    // Act
    const spec = { strategy: 'sma-cross', datasets: [{ market: 'GOOG', hash: 'abc' }] };
    const { template: configured, stack: configuredStack } = synthesise(
      withStage('dev', {
        market: { ingest: [ingest] },
        schedules: [{ name: 'nightly', expression: 'cron(0 2 * * ? *)', spec }],
      }),
    );

    // Assess
    const arnOf = (name: FunctionName) => ({
      'Fn::GetAtt': [
        configuredStack.getLogicalId(
          configuredStack.functions.get(name)!.function.node.defaultChild as never,
        ),
        'Arn',
      ],
    });
    configured.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'flywheel-dev-candles-hourly',
      ScheduleExpression: 'cron(2 * * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({
        Arn: arnOf('market-ingest'),
        Input: JSON.stringify({
          exchange: 'binance',
          symbols: ['BTC/USDT', 'ETH/USDT'],
          timeframes: ['1h', '1d'],
          start: '2024-01-01',
          schedule: 'candles-hourly',
        }),
      }),
    });
    configured.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'flywheel-dev-nightly',
      Target: Match.objectLike({ Arn: arnOf('sweep-plan') }),
    });
    expect(Object.keys(configured.findResources('AWS::Scheduler::Schedule'))).toHaveLength(3);
  });

  it('refuses a market.ingest schedule whose name a sweep schedule already has, or a bad timeframe', () => {
    // Assess
    const spec = { strategy: 'sma-cross', datasets: [] };
    expect(() =>
      synthesise(
        withStage('dev', {
          market: { ingest: [{ ...ingest, name: 'nightly' }] },
          schedules: [{ name: 'nightly', expression: 'cron(0 2 * * ? *)', spec }],
        }),
      ),
    ).toThrow(/schedule name "nightly" is used twice/);
    expect(() =>
      synthesise(withStage('dev', { market: { ingest: [{ ...ingest, timeframes: ['1M'] }] } })),
    ).toThrow(/market\.ingest\.0\.timeframes\.0: expected a timeframe/);
  });
});

describe('trading control', () => {
  const tableOf = (name: keyof typeof TABLES) =>
    stack.getLogicalId(stack.tables.get(name)!.node.defaultChild as never);

  it('serves GET /trading/status and POST /trading/resume behind the API authorizer, on trading-control', () => {
    const integrations = resources('AWS::ApiGatewayV2::Integration');
    const routes = Object.values(resources('AWS::ApiGatewayV2::Route')).filter((route) =>
      String(route.Properties.RouteKey).includes('/trading/'),
    );
    const byRoute = Object.fromEntries(
      routes.map((route) => {
        const target = (route.Properties.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
        const integration = integrations[(target[1] as { Ref: string }).Ref]!;
        const uri = integration.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
        const fn = (Object.keys(FUNCTIONS) as FunctionName[]).find(
          (name) => lambdaOf(name).logicalId === uri['Fn::GetAtt'][0],
        );
        return [route.Properties.RouteKey, [fn, route.Properties.AuthorizationType]];
      }),
    );
    expect(byRoute).toEqual({
      'GET /trading/status': ['trading-control', 'AWS_IAM'],
      'POST /trading/resume': ['trading-control', 'AWS_IAM'],
    });
  });

  it('announces every TradingHalted through a bus rule with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['flywheel'], 'detail-type': ['TradingHalted'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [lambdaOf('trading-control').logicalId, 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });

  it('lets trading-control write the trading state and the publication log and read only the publisher credentials', () => {
    const { properties } = lambdaOf('trading-control');
    expect(properties.Environment).toEqual({
      Variables: expect.objectContaining({
        [RESOURCE_VARIABLES.table('trading-state')]: { Ref: tableOf('trading-state') },
        [RESOURCE_VARIABLES.table('publications')]: { Ref: tableOf('publications') },
        [RESOURCE_VARIABLES.secret('publisher-credentials')]: { Ref: secretOf('publisher-credentials') },
        [RESOURCE_VARIABLES.bucket('artifacts')]: expect.anything(),
      }),
    });
    const statements = statementsOf('trading-control');
    const written = statements
      .filter((statement) => [statement.Action].flat().includes('dynamodb:PutItem'))
      .flatMap((statement) => [statement.Resource].flat())
      .map((resource) => JSON.stringify(resource))
      .join();
    expect(written).toContain(tableOf('trading-state'));
    expect(written).toContain(tableOf('publications'));
    expect(written).not.toContain(tableOf('trades'));
    expect(
      statements
        .filter((statement) =>
          [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
        )
        .map((statement) => statement.Resource),
    ).toEqual([{ Ref: secretOf('publisher-credentials') }]);
    expect(statements.some((statement) => [statement.Action].flat().includes('events:PutEvents'))).toBe(
      false,
    );
  });
});

describe('trade executor', () => {
  const tableOf = (name: keyof typeof TABLES) =>
    stack.getLogicalId(stack.tables.get(name)!.node.defaultChild as never);
  const actionsOn = (name: FunctionName, table: keyof typeof TABLES) =>
    statementsOf(name)
      .filter((statement) => JSON.stringify(statement.Resource).includes(tableOf(table)))
      .flatMap((statement) => [statement.Action].flat());

  it('keeps the trading state in a table keyed by market and strategy', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'market', KeyType: 'HASH' },
        { AttributeName: 'strategyId', KeyType: 'RANGE' },
      ],
    });
  });

  it('runs trade-executor on CandlesIngested and StrategyPromoted through a bus rule with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['flywheel'], 'detail-type': ['CandlesIngested', 'StrategyPromoted'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [lambdaOf('trade-executor').logicalId, 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });

  it('lets trade-executor read promotions and candles, write trading state and trades, and put on the bus', () => {
    const { properties } = lambdaOf('trade-executor');
    expect(properties.Environment).toEqual({
      Variables: expect.objectContaining({
        [RESOURCE_VARIABLES.table('promotions')]: { Ref: tableOf('promotions') },
        [RESOURCE_VARIABLES.table('candles')]: { Ref: tableOf('candles') },
        [RESOURCE_VARIABLES.table('trading-state')]: { Ref: tableOf('trading-state') },
        [RESOURCE_VARIABLES.table('trades')]: { Ref: tableOf('trades') },
        [RESOURCE_VARIABLES.bus]: expect.anything(),
      }),
    });
    expect(actionsOn('trade-executor', 'trading-state')).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']),
    );
    expect(actionsOn('trade-executor', 'trades')).toContain('dynamodb:PutItem');
    expect(actionsOn('trade-executor', 'promotions')).toContain('dynamodb:Query');
    expect(actionsOn('trade-executor', 'promotions')).not.toContain('dynamodb:PutItem');
    expect(actionsOn('trade-executor', 'candles')).not.toContain('dynamodb:PutItem');
    const actions = statementsOf('trade-executor').flatMap((statement) => [statement.Action].flat());
    expect(actions).toContain('events:PutEvents');
  });

  it('lets trade-executor, and no other function, read the exchange-credentials secret, and nothing else secret', () => {
    const secretsRead = (name: FunctionName) =>
      statementsOf(name)
        .filter((statement) =>
          [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
        )
        .map((statement) => [statement.Action, statement.Resource]);
    const credentials = { Ref: secretOf('exchange-credentials') };
    expect(resources('AWS::SecretsManager::Secret')[secretOf('exchange-credentials')]!.Properties).toEqual({
      Name: 'flywheel-dev/exchange-credentials',
      Description: SECRETS['exchange-credentials'].description,
    });
    expect(secretsRead('trade-executor')).toEqual([['secretsmanager:GetSecretValue', credentials]]);
    expect(lambdaOf('trade-executor').properties.Environment).toEqual({
      Variables: expect.objectContaining({
        [RESOURCE_VARIABLES.secret('exchange-credentials')]: credentials,
      }),
    });
    const readers = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) =>
      JSON.stringify(secretsRead(name)).includes(secretOf('exchange-credentials')),
    );
    expect(readers).toEqual(['trade-executor']);
  });

  it('passes the stage’s trading settings to trade-executor only, and never switches live trading on by default', () => {
    const environmentIn = (configured: typeof template, name: FunctionName) => {
      const found = Object.values(configured.findResources('AWS::Lambda::Function')).find(
        (resource) => functionTag(resource.Properties) === name,
      );
      return (found!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    };
    const variable = RESOURCE_VARIABLES.settings('trading');
    // The default stage: paper, no limits, and no live flag anywhere.
    expect(JSON.parse(String(environmentIn(template, 'trade-executor')[variable]))).toEqual({
      mode: 'paper',
      risk: {},
    });
    for (const name of Object.keys(FUNCTIONS) as FunctionName[])
      expect([name, environmentIn(template, name)[LIVE_TRADING_VARIABLE]]).toEqual([name, undefined]);
    // A stage with risk limits and live asked for, but not switched on.
    const risk = { maxDailyLoss: 250, maxOrderNotional: 1_000, maxOpenOrders: 2 };
    const { template: limited } = synthesise(withStage('dev', { trading: { mode: 'live', risk } }));
    expect(JSON.parse(String(environmentIn(limited, 'trade-executor')[variable]))).toEqual({
      mode: 'live',
      risk,
    });
    expect(environmentIn(limited, 'trade-executor')[LIVE_TRADING_VARIABLE]).toBeUndefined();
    expect(environmentIn(limited, 'market-ingest')[variable]).toBeUndefined();
    expect(environmentIn(limited, 'trading-control')[variable]).toBeUndefined();
    // A stage that switches live trading on: the flag on trade-executor alone, and not inside the settings.
    const { template: live } = synthesise(withStage('dev', { trading: { mode: 'live', liveTrading: true } }));
    expect(environmentIn(live, 'trade-executor')[LIVE_TRADING_VARIABLE]).toBe('1');
    expect(JSON.parse(String(environmentIn(live, 'trade-executor')[variable]))).toEqual({
      mode: 'live',
      risk: {},
    });
    for (const name of (Object.keys(FUNCTIONS) as FunctionName[]).filter(
      (other) => other !== 'trade-executor',
    ))
      expect([name, environmentIn(live, name)[LIVE_TRADING_VARIABLE]]).toEqual([name, undefined]);
  });

  it('refuses invalid trading settings at synthesis, naming the field', () => {
    expect(() => synthesise(withStage('dev', { trading: { risk: { maxDailyLoss: -5 } } }))).toThrow(
      /stages\.dev\.trading\.risk\.maxDailyLoss: /,
    );
    expect(() => synthesise(withStage('dev', { trading: { mode: 'yolo' } }))).toThrow(
      /stages\.dev\.trading\.mode: /,
    );
    expect(() => synthesise(withStage('dev', { trading: { liveTrading: 'yes' } }))).toThrow(
      /stages\.dev\.trading\.liveTrading: /,
    );
    expect(() => synthesise(withStage('dev', { trading: { risk: { maxDrawdown: 0.2 } } }))).toThrow(
      /stages\.dev\.trading\.risk: .*maxDrawdown/,
    );
  });

  it('switches live trading on with the variable the live gate reads', () => {
    expect(LIVE_TRADING_VARIABLE).toBe(LIVE_TRADING_VARIABLES.flag);
  });
});

describe('stage configuration', () => {
  it('refuses an unknown stage and names the known ones', () => {
    expect(() => stageConfig(new App({ context: { stage: 'qa', stages: { dev: {} } } }))).toThrow(
      new StageConfigError('no configuration for stage "qa" in cdk.json context.stages (known: dev)'),
    );
  });

  it('names each invalid field', () => {
    expect(() =>
      stageConfig(
        new App({
          context: { stage: 'dev', stages: { dev: { worker: { batchSize: 20 }, logRetentionDays: 10 } } },
        }),
      ),
    ).toThrow(/stages\.dev\.worker\.batchSize: .*\n {2}- stages\.dev\.logRetentionDays: must be one of/);
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('passes with zero unacknowledged findings (synthesis would have thrown)', () => {
    expect(template.toJSON().Resources).toBeDefined();
  });

  it('fails the synthesis on a finding nobody acknowledged', () => {
    const { app } = synthesise();
    const extra = new App({ context: app.node.getAllContext() as Record<string, unknown> });
    const { stack: other } = require('../../infra/app').buildApp(extra);
    new Queue(other, 'UnprotectedQueue');
    expect(() => extra.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
