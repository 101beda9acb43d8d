import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDraftStore } from '@shared/adapters/aws/dynamo-draft-store';
import { DynamoPublicationLog } from '@shared/adapters/aws/dynamo-publication-log';
import { EventBridgeBus } from '@shared/adapters/aws/eventbridge-bus';
import { S3OutboxPublisher } from '@shared/adapters/aws/s3-outbox';
import { SecretsManagerSecretStore } from '@shared/adapters/aws/secrets-manager-secret-store';
import { ContentSettingsSchema, DEFAULT_CONTENT_SETTINGS } from '@shared/content/settings';
import { systemClock } from '@shared/ports/clock';
import type { SecretStore } from '@shared/ports/secret-store';
import { METRICS, type MetricName } from '../../events/metrics';
import { RESOURCE_VARIABLES, SECRETS, type SecretName } from '../../events/topology';
import { MissingResourceError } from './aws-dependencies';
import type { ContentDependencies } from './content-deps';
import { publishersFactory } from './content-publishers';
import { logger, metrics } from './observability';

/** The content settings a function was deployed with are invalid (the CDK app validates them, so rarely). */
export class ContentSettingsError extends Error {
  override readonly name = 'ContentSettingsError';
}

/** The `content` settings from the environment (the stack passes CDK context `content` as JSON). */
export function contentSettingsFrom(environment: Readonly<Record<string, string | undefined>>) {
  const text = environment[RESOURCE_VARIABLES.settings('content')];
  if (!text) return DEFAULT_CONTENT_SETTINGS;
  const parsed = ContentSettingsSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new ContentSettingsError(
      `${RESOURCE_VARIABLES.settings('content')} is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * The content functions' dependencies on AWS, built once per container: SDK clients at module scope, stores only
 * for the tables the function was granted (another table's use fails naming the missing access).
 */
export function awsContentDependencies(
  options: {
    readonly environment?: Readonly<Record<string, string | undefined>>;
    /**
     * The generator, for the one function that writes drafts: passed in so that the others' bundles leave the
     * generators (and their few MB of language model) out.
     */
    readonly generator?: (secrets: SecretStore) => ContentDependencies['generator'];
  } = {},
): ContentDependencies {
  const environment = options.environment ?? process.env;
  const need = (variable: string, what: string): string => {
    const value = environment[variable];
    if (!value)
      throw new MissingResourceError(
        `${variable} is not set: grant this function ${what} in events/topology.ts`,
      );
    return value;
  };
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const lazy = <T extends object>(build: () => T): T => {
    let built: T | undefined;
    return new Proxy({} as T, {
      get: (_target, property) => {
        if (property === 'then') return undefined;
        built ??= build();
        const value = (built as Record<string | symbol, unknown>)[property];
        return typeof value === 'function' ? value.bind(built) : value;
      },
    });
  };
  const secrets = new SecretsManagerSecretStore({
    client: new SecretsManagerClient({}),
    secretIds: Object.fromEntries(
      (Object.keys(SECRETS) as SecretName[]).map((name) => [
        name,
        environment[RESOURCE_VARIABLES.secret(name)],
      ]),
    ),
  });
  // A Lambda's disk is gone after the invocation, so the outbox is the artifacts bucket, when the function has it.
  const artifacts = environment[RESOURCE_VARIABLES.bucket('artifacts')];
  const outbox = artifacts
    ? new S3OutboxPublisher({
        // Path-style addressing is for S3-compatible endpoints (AWS_ENDPOINT_URL_S3), such as the tests' emulator.
        s3: new S3Client({ forcePathStyle: environment.AWS_S3_FORCE_PATH_STYLE === 'true' }),
        bucket: artifacts,
      })
    : undefined;
  return {
    drafts: lazy(
      () =>
        new DynamoDraftStore({
          documents,
          table: need(RESOURCE_VARIABLES.table('drafts'), 'the drafts table'),
        }),
    ),
    publications: lazy(
      () =>
        new DynamoPublicationLog({
          documents,
          table: need(RESOURCE_VARIABLES.table('publications'), 'the publications table'),
        }),
    ),
    bus: lazy(
      () =>
        new EventBridgeBus({
          client: new EventBridgeClient({}),
          busName: need(RESOURCE_VARIABLES.bus, 'the event bus'),
        }),
    ),
    clock: systemClock,
    settings: contentSettingsFrom(environment),
    generator:
      options.generator?.(secrets) ??
      (() =>
        Promise.reject(
          new MissingResourceError('this function does not generate drafts: content-generate does'),
        )),
    publishers: publishersFactory(
      secrets,
      {},
      {
        ...(outbox ? { outbox } : {}),
        onProblem: (problem) => logger.warn(problem),
      },
    ),
    metric: (name: MetricName, value: number) => metrics.addMetric(name, METRICS[name].unit as never, value),
  };
}
