import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import {
  HttpApi,
  type HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  BUCKETS,
  type BucketName,
  FUNCTIONS,
  type FunctionAccess,
  type FunctionDefinition,
  type FunctionName,
  type IndexDefinition,
  QUEUES,
  type QueueName,
  RESOURCE_VARIABLES,
  SECRETS,
  type SecretName,
  TABLES,
  type TableDefinition,
  type TableName,
} from '../events/topology';
import { configuredSchedules, type StageConfig, settingsEnvironment } from './config';
import { FlywheelFunction } from './flywheel-function';

/** The stack's props: the validated stage configuration. */
export interface FlywheelStackProps extends StackProps {
  readonly config: StageConfig;
}

/** Acknowledges a cdk-nag rule on a construct, with the reason it does not apply. */
function acknowledge(scope: Construct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Flywheel on AWS, built from events/topology.ts: every table, queue (with its DLQ and alarm) and bucket, the
 * event bus, and every function with its triggers (HTTP routes, SQS event sources, bus rules, schedules) and
 * exactly the access its topology entry lists.
 */
export class FlywheelStack extends Stack {
  /** Constructs by topology name, for tests and for later stacks. */
  readonly functions = new Map<FunctionName, FlywheelFunction>();
  readonly queues = new Map<QueueName, Queue>();
  readonly tables = new Map<TableName, Table>();
  readonly secrets = new Map<SecretName, CfnSecret>();
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: FlywheelStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = config.logRetentionDays as RetentionDays;

    for (const [name, definition] of Object.entries(TABLES) as [TableName, (typeof TABLES)[TableName]][]) {
      const { stream, timeToLiveAttribute }: TableDefinition = definition;
      const table = new Table(this, `Table-${name}`, {
        partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
        ...('sortKey' in definition
          ? { sortKey: { name: definition.sortKey, type: AttributeType.STRING } }
          : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
        removalPolicy,
        ...(stream ? { stream: StreamViewType[stream] } : {}),
        ...(timeToLiveAttribute ? { timeToLiveAttribute } : {}),
      });
      const indexes: Readonly<Record<string, IndexDefinition>> =
        (definition as TableDefinition).indexes ?? {};
      for (const [indexName, index] of Object.entries(indexes)) {
        table.addGlobalSecondaryIndex({
          indexName,
          partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
          sortKey: {
            name: index.sortKey,
            type: index.sortKeyType === 'string' ? AttributeType.STRING : AttributeType.NUMBER,
          },
        });
      }
      this.tables.set(name, table);
      if (!config.pointInTimeRecovery) {
        acknowledge(
          this.tables.get(name)!,
          'AwsSolutions-DDB3',
          `point-in-time recovery is off in stage ${config.stage} by configuration (cdk.json)`,
        );
      }
    }

    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    acknowledge(
      accessLogs,
      'AwsSolutions-S1',
      'this bucket receives the access logs of the others; logging it into itself would loop',
    );
    const buckets = new Map<BucketName, Bucket>();
    for (const name of Object.keys(BUCKETS) as BucketName[]) {
      buckets.set(
        name,
        new Bucket(this, `Bucket-${name}`, {
          blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
          encryption: BucketEncryption.S3_MANAGED,
          enforceSSL: true,
          serverAccessLogsBucket: accessLogs,
          serverAccessLogsPrefix: `${name}/`,
          removalPolicy,
          autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
        }),
      );
    }

    // Created without a value (none is ever in code or the template); an operator puts it, see the README.
    for (const [name, definition] of Object.entries(SECRETS) as [
      SecretName,
      (typeof SECRETS)[SecretName],
    ][]) {
      const secret = new CfnSecret(this, `Secret-${name}`, {
        name: `flywheel-${config.stage}/${name}`,
        description: definition.description,
      });
      secret.applyRemovalPolicy(removalPolicy);
      acknowledge(secret, 'AwsSolutions-SMG4', definition.rotation);
      this.secrets.set(name, secret);
    }

    const alarmTopic = new Topic(this, 'Alarms', {
      displayName: `Flywheel ${config.stage} alarms`,
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    if (config.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));

    const isDeadLetterQueue = (name: QueueName) =>
      Object.values(QUEUES).some((other) => 'deadLetterQueue' in other && other.deadLetterQueue === name);
    // Dead-letter queues first, so the queues that redrive into them can refer to them.
    const queueNames = (Object.keys(QUEUES) as QueueName[]).sort(
      (a, b) => Number(isDeadLetterQueue(b)) - Number(isDeadLetterQueue(a)),
    );
    for (const name of queueNames) {
      const definition = QUEUES[name];
      const deadLetter =
        'deadLetterQueue' in definition
          ? this.queues.get(definition.deadLetterQueue as QueueName)
          : undefined;
      const queue = new Queue(this, `Queue-${name}`, {
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(definition.retentionDays),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        ...(deadLetter && 'maxReceiveCount' in definition
          ? { deadLetterQueue: { queue: deadLetter, maxReceiveCount: definition.maxReceiveCount } }
          : {}),
      });
      this.queues.set(name, queue);
      if (isDeadLetterQueue(name)) {
        acknowledge(
          queue,
          'AwsSolutions-SQS3',
          'this is a dead-letter queue; an alarm watches it instead of another DLQ',
        );
        new Alarm(this, `Alarm-${name}`, {
          alarmDescription: `Messages in the dead-letter queue ${name}: jobs failed every retry`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }).addAlarmAction(new SnsAction(alarmTopic));
      }
    }

    const bus = new EventBus(this, 'Bus', { eventBusName: `flywheel-${config.stage}` });
    const eventsDeadLetters = new Queue(this, 'EventsDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      eventsDeadLetters,
      'AwsSolutions-SQS3',
      'this is the dead-letter queue of the bus rules; an alarm watches it',
    );
    new Alarm(this, 'Alarm-events-dlq', {
      alarmDescription: 'Events a rule target could not process after its retries',
      metric: eventsDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(alarmTopic));

    const apiLogs = new LogGroup(this, 'ApiAccessLogs', { retention: logRetention, removalPolicy });
    this.api = new HttpApi(this, 'Api', {
      apiName: `flywheel-${config.stage}`,
      createDefaultStage: false,
      defaultAuthorizer:
        config.auth.type === 'iam'
          ? new HttpIamAuthorizer()
          : new HttpJwtAuthorizer('Jwt', config.auth.issuer, { jwtAudience: config.auth.audience }),
    });
    new HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(apiLogs) },
    });

    const acknowledgeSchedulerInvoke = (fn: FlywheelFunction, name: FunctionName) => {
      const functionId = this.getLogicalId(fn.function.node.defaultChild as CfnFunction);
      acknowledge(
        this,
        `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        `the scheduler's role may invoke ${name} and its versions (arn:*), nothing else`,
      );
    };

    for (const [name, definition] of Object.entries(FUNCTIONS) as [
      FunctionName,
      (typeof FUNCTIONS)[FunctionName],
    ][]) {
      const isWorker = 'cpuBound' in definition && definition.cpuBound;
      const fn = new FlywheelFunction(this, `Function-${name}`, {
        name,
        description: definition.description,
        timeoutSeconds: definition.timeoutSeconds,
        memoryMb: isWorker ? config.worker.memoryMb : definition.memoryMb,
        logRetention,
        removalPolicy,
      });
      this.functions.set(name, fn);
      const access: FunctionAccess = definition.access;
      for (const [table, mode] of Object.entries(access.tables ?? {})) {
        const definition: TableDefinition = TABLES[table as TableName];
        fn.useTable(
          this.tables.get(table as TableName)!,
          mode,
          RESOURCE_VARIABLES.table(table as TableName),
          Object.keys(definition.indexes ?? {}).length > 0,
        );
      }
      for (const queue of Object.keys(access.queues ?? {})) {
        fn.useQueue(this.queues.get(queue as QueueName)!, RESOURCE_VARIABLES.queue(queue as QueueName));
      }
      for (const [bucket, mode] of Object.entries(access.buckets ?? {})) {
        fn.useBucket(
          buckets.get(bucket as BucketName)!,
          mode,
          RESOURCE_VARIABLES.bucket(bucket as BucketName),
        );
      }
      if (access.bus) fn.useBus(bus, RESOURCE_VARIABLES.bus);
      for (const secret of Object.keys(access.secrets ?? {}) as SecretName[]) {
        fn.useSecret(this.secrets.get(secret)!.ref, RESOURCE_VARIABLES.secret(secret));
      }
      for (const section of (definition as FunctionDefinition).settings ?? []) {
        for (const [variable, value] of Object.entries(settingsEnvironment(config, section)))
          fn.function.addEnvironment(variable, value);
      }

      for (const trigger of definition.triggers) {
        if (trigger.type === 'http') {
          const byHandler = 'authenticatedBy' in trigger && trigger.authenticatedBy === 'handler';
          const routes = this.api.addRoutes({
            path: trigger.path,
            methods: [trigger.method as HttpMethod],
            integration: new HttpLambdaIntegration(
              `Route-${name}-${trigger.method}-${trigger.path}`,
              fn.function,
            ),
            ...(byHandler ? { authorizer: new HttpNoneAuthorizer() } : {}),
          });
          for (const route of byHandler ? routes : []) {
            const reason = `${trigger.method} ${trigger.path} is called by a third party that cannot sign with SigV4 or send a JWT; ${name} authenticates every request itself (an HMAC signature over the body) before doing anything`;
            acknowledge(route, 'AwsSolutions-APIG4', reason);
            // cdk-nag 3.0 checks COG4 on REST API methods only; acknowledged for when it covers HTTP API routes.
            acknowledge(route, 'AwsSolutions-COG4', reason);
          }
        } else if (trigger.type === 'queue') {
          const queue = this.queues.get(trigger.queue as QueueName)!;
          fn.function.addEventSource(
            new SqsEventSource(queue, {
              batchSize: isWorker ? config.worker.batchSize : trigger.batchSize,
              maxConcurrency: isWorker ? config.worker.maxConcurrency : undefined,
              reportBatchItemFailures: true,
            }),
          );
        } else if (trigger.type === 'event') {
          new Rule(this, `Rule-${name}`, {
            eventBus: bus,
            eventPattern: {
              source: [...trigger.pattern.source],
              detailType: [...trigger.pattern['detail-type']],
            },
            targets: [
              new LambdaFunction(fn.function, {
                deadLetterQueue: eventsDeadLetters,
                retryAttempts: 4,
                maxEventAge: Duration.hours(2),
              }),
            ],
          });
        } else if (trigger.type === 'schedule' && 'expression' in trigger) {
          acknowledgeSchedulerInvoke(fn, name);
          new Schedule(this, `Schedule-${trigger.name}`, {
            scheduleName: `flywheel-${config.stage}-${trigger.name}`,
            description: `invokes ${name}: ${trigger.expression}`,
            schedule: ScheduleExpression.expression(trigger.expression),
            target: new LambdaInvoke(fn.function, {
              input: ScheduleTargetInput.fromObject({ schedule: trigger.name }),
              retryAttempts: 2,
            }),
          });
        } else if (trigger.type === 'schedule') {
          const schedules = configuredSchedules(config, trigger.configKey);
          if (schedules.length > 0) {
            acknowledgeSchedulerInvoke(fn, name);
          }
          for (const schedule of schedules) {
            new Schedule(this, `Schedule-${schedule.name}`, {
              scheduleName: `flywheel-${config.stage}-${schedule.name}`,
              schedule: ScheduleExpression.expression(schedule.expression, TimeZone.of(schedule.timezone)),
              target: new LambdaInvoke(fn.function, {
                input: ScheduleTargetInput.fromObject(schedule.input),
                retryAttempts: 2,
              }),
            });
          }
        }
      }
    }

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint,
      description:
        'base URL of the HTTP API: /sweeps, /deps/check, /webhooks/github, /content and /content/drafts',
    });
    for (const [name, secret] of this.secrets) {
      const id = name.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
      new CfnOutput(this, `${id}Arn`, {
        value: secret.ref,
        description: `put its value with: aws secretsmanager put-secret-value --secret-id <this> --secret-string …`,
      });
    }
    new CfnOutput(this, 'ArtifactsBucket', { value: buckets.get('artifacts')!.bucketName });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
  }
}
