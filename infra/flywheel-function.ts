import { join } from 'node:path';
import { Duration, type RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import type { CfnTable, ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../events/metrics';
import type { FunctionName } from '../events/topology';

const ROOT = join(__dirname, '..');

/** What every Flywheel function needs to be built. */
export interface FlywheelFunctionProps {
  readonly name: FunctionName;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The one way this project builds a Lambda: functions/<name>/handler.ts bundled locally by esbuild (no Docker),
 * Node.js 22 on arm64, X-Ray tracing, source maps, its own log group with a retention. Access is granted with
 * the `use…` helpers, which also put the resource's name in the environment.
 */
export class FlywheelFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: FlywheelFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Its own role, allowed to write to its own log group only (the managed basic role allows every log group).
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.function = new NodejsFunction(this, 'Function', {
      role,
      description: props.description,
      entry: join(ROOT, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'flywheel',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.CJS,
        // jsonc-parser's "main" is a UMD build esbuild cannot follow; its ES module build bundles cleanly.
        mainFields: ['module', 'main'],
        tsconfig: join(ROOT, 'tsconfig.json'),
        // ccxt's dYdX client imports protobufjs, which ccxt does not install; only that exchange loads it.
        externalModules: ['@aws-sdk/*', 'protobufjs/minimal', 'protobufjs/minimal.js'],
      },
    });
    // Ties the template's function to its topology entry (the parity test reads it).
    Tags.of(this.function).add('flywheel:function', props.name);
    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-L1',
      'Node.js 22 is pinned on purpose: the code and its tests target Node 20 and 22 (the machines run 20); move to 24 with the toolchain',
    );
    acknowledge(
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource-level permissions',
    );
  }

  /** Grants read or read-write access to a table (and its indexes, if it has any) and sets `variable` to its name. */
  useTable(table: ITable, mode: 'read' | 'readWrite', variable: string, hasIndexes = false): void {
    if (mode === 'read') table.grantReadData(this.function);
    else table.grantReadWriteData(this.function);
    this.function.addEnvironment(variable, table.tableName);
    if (hasIndexes) {
      Validations.of(this.function.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(table.node.defaultChild as CfnTable)}.Arn>/index/*]`,
        reason:
          "the grant covers this table's own global secondary indexes (declared in events/topology.ts), no other table",
      });
    }
  }

  /** Grants sending to a queue and sets `variable` to its URL. */
  useQueue(queue: IQueue, variable: string): void {
    queue.grantSendMessages(this.function);
    this.function.addEnvironment(variable, queue.queueUrl);
  }

  /**
   * Grants reading (and for readWrite, writing) the bucket's objects and sets `variable` to its name. Narrower than
   * `bucket.grantRead`: no bucket-wide `s3:GetBucket*`/`s3:List*`, no delete; ListBucket only so a missing key
   * answers 404 rather than 403.
   */
  useBucket(bucket: IBucket, mode: 'read' | 'readWrite', variable: string): void {
    const actions = mode === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject'];
    this.function.addToRolePolicy(new PolicyStatement({ actions, resources: [bucket.arnForObjects('*')] }));
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    this.function.addEnvironment(variable, bucket.bucketName);
    Validations.of(this.function.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
      reason:
        'objects are keyed by content hash (data sets), sweep id or draft id (outbox), known only at run time; the actions are only GetObject/PutObject',
    });
  }

  /** Grants reading one secret's value (GetSecretValue on that secret only) and sets `variable` to its ARN. */
  useSecret(secretArn: string, variable: string): void {
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }),
    );
    this.function.addEnvironment(variable, secretArn);
  }

  /** Grants putting events on a bus and sets `variable` to its name. */
  useBus(bus: IEventBus, variable: string): void {
    bus.grantPutEventsTo(this.function);
    this.function.addEnvironment(variable, bus.eventBusName);
  }
}
