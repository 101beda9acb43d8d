import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoPromotionStore } from '@shared/adapters/aws/dynamo-promotion-store';
import { DynamoSweepStore } from '@shared/adapters/aws/dynamo-sweep-store';
import { EventBridgeBus } from '@shared/adapters/aws/eventbridge-bus';
import { S3DatasetStore } from '@shared/adapters/aws/s3-dataset-store';
import { SqsQueue } from '@shared/adapters/aws/sqs-queue';
import { systemClock } from '@shared/ports/clock';
import { z } from 'zod';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { builtinStrategyResolver } from './builtin-strategies';
import type { SweepDependencies } from './sweep-deps';

/** A function was deployed without a resource it tried to use: its topology access does not list it. */
export class MissingResourceError extends Error {
  override readonly name = 'MissingResourceError';
}

const NAMES = {
  sweeps: RESOURCE_VARIABLES.table('sweeps'),
  sweepJobs: RESOURCE_VARIABLES.table('sweep-jobs'),
  jobResults: RESOURCE_VARIABLES.table('job-results'),
  promotions: RESOURCE_VARIABLES.table('promotions'),
  jobsQueue: RESOURCE_VARIABLES.queue('backtest-jobs'),
  artifacts: RESOURCE_VARIABLES.bucket('artifacts'),
  bus: RESOURCE_VARIABLES.bus,
} as const;

/** The resource names a function receives through its environment; each is there only if its access lists it. */
const EnvironmentSchema = z.object(
  Object.fromEntries(
    Object.values(NAMES).map((variable) => [variable, z.string().min(1).optional()]),
  ) as Record<(typeof NAMES)[keyof typeof NAMES], z.ZodOptional<z.ZodString>>,
);

/** A resource name from the function's environment; a missing one names the grant to add. */
export function requiredVariable(variable: string, what: string): string {
  const value = process.env[variable];
  if (!value) {
    throw new MissingResourceError(
      `${variable} is not set: grant this function ${what} in events/topology.ts`,
    );
  }
  return value;
}

/** Reads and validates the resource names once, at the edge. */
export function resourceNames(environment: Readonly<Record<string, string | undefined>>) {
  const parsed = EnvironmentSchema.parse(environment);
  const need = (key: keyof typeof NAMES): string => {
    const value = parsed[NAMES[key]];
    if (!value)
      throw new MissingResourceError(
        `${NAMES[key]} is not set: grant this function that resource in events/topology.ts`,
      );
    return value;
  };
  return { need, has: (key: keyof typeof NAMES) => Boolean(parsed[NAMES[key]]) };
}

/** A stand-in for a port the function has no access to: any use says which resource is missing. */
function unavailable<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      if (property === 'then') return undefined;
      throw new MissingResourceError(
        `${what} is not available to this function (no access in events/topology.ts)`,
      );
    },
  });
}

/**
 * The sweep functions' dependencies on AWS, built once per container from the environment: SDK clients at
 * module scope, adapters only for the resources this function was granted.
 */
export function awsSweepDependencies(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): SweepDependencies {
  const names = resourceNames(environment);
  const dynamo = new DynamoDBClient({});
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  // Path-style addressing is for S3-compatible endpoints (AWS_ENDPOINT_URL_S3), such as the tests' emulator.
  const s3 = new S3Client({ forcePathStyle: environment.AWS_S3_FORCE_PATH_STYLE === 'true' });
  const bucket = names.has('artifacts') ? names.need('artifacts') : undefined;
  return {
    sweeps: names.has('sweeps')
      ? new DynamoSweepStore({
          documents,
          s3,
          bucket: bucket ?? '',
          tables: {
            sweeps: names.need('sweeps'),
            sweepJobs: names.has('sweepJobs') ? names.need('sweepJobs') : '',
            jobResults: names.has('jobResults') ? names.need('jobResults') : '',
          },
        })
      : unavailable('the sweeps table'),
    datasets: bucket ? new S3DatasetStore({ s3, bucket }) : unavailable('the artifacts bucket'),
    promotions: names.has('promotions')
      ? new DynamoPromotionStore({ documents, table: names.need('promotions') })
      : unavailable('the promotions table'),
    // Requests go to the configured SQS endpoint (regional, or AWS_ENDPOINT_URL_SQS), not the queue URL's host.
    jobs: names.has('jobsQueue')
      ? new SqsQueue({
          client: new SQSClient({ useQueueUrlAsEndpoint: false }),
          queueUrl: names.need('jobsQueue'),
          name: 'backtest-jobs',
        })
      : unavailable('the backtest-jobs queue'),
    bus: names.has('bus')
      ? new EventBridgeBus({ client: new EventBridgeClient({}), busName: names.need('bus') })
      : unavailable('the event bus'),
    strategies: builtinStrategyResolver,
    clock: systemClock,
  };
}
