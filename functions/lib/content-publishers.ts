import {
  credentialsFromEnv,
  PUBLISHER_CREDENTIAL_NAMES,
  type PublisherCredentials,
  type PublisherFactoryOptions,
  publishersFromCredentials,
} from '@shared/adapters/publish/credentials';
import type { Publishers } from '@shared/content/publish';
import type { SecretStore } from '@shared/ports/secret-store';
import { issueLines } from '@shared/validation/zod-issues';
import { z } from 'zod';

/** The `publisher-credentials` secret is not the JSON object it should be; the message says what to fix. */
export class PublisherCredentialsError extends Error {
  override readonly name = 'PublisherCredentialsError';
}

const CredentialsJsonSchema = z
  .object(Object.fromEntries(PUBLISHER_CREDENTIAL_NAMES.map((name) => [name, z.string().optional()])))
  .strict();

/** The credentials in the `publisher-credentials` secret: a JSON object such as `{"DISCORD_WEBHOOK_URL": "…"}`. */
export function credentialsFromJson(text: string | undefined): PublisherCredentials {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PublisherCredentialsError(
      'the publisher-credentials secret is not JSON: put an object such as {"DISCORD_WEBHOOK_URL": "https://…"}',
    );
  }
  const parsed = CredentialsJsonSchema.safeParse(value);
  if (!parsed.success) {
    const problems = issueLines(parsed.error);
    throw new PublisherCredentialsError(
      `the publisher-credentials secret is invalid (${problems.join('; ')}); its keys are ${PUBLISHER_CREDENTIAL_NAMES.join(', ')}`,
    );
  }
  const credentials: PublisherCredentials = {};
  for (const [name, credential] of Object.entries(parsed.data)) {
    if (typeof credential === 'string' && credential.trim())
      credentials[name as keyof PublisherCredentials] = credential.trim();
  }
  return credentials;
}

/**
 * The publishers: credentials from the `publisher-credentials` secret (JSON) over those in FLYWHEEL_-prefixed
 * variables of `env` (the local runtime's), plus the outbox when given a folder. Half-configured channels are
 * reported to `onProblem` and left out.
 */
export function publishersFactory(
  secrets: SecretStore,
  env: Readonly<Record<string, string | undefined>>,
  options: PublisherFactoryOptions & { readonly onProblem?: (problem: string) => void } = {},
): () => Promise<Publishers> {
  const { onProblem, ...factoryOptions } = options;
  return async () => {
    const credentials = {
      ...credentialsFromEnv(env),
      ...credentialsFromJson(await secrets.get('publisher-credentials')),
    };
    const { publishers, problems } = publishersFromCredentials(credentials, factoryOptions);
    for (const problem of problems) onProblem?.(problem);
    return publishers;
  };
}
