import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { SecretsManagerSecretStore } from '@shared/adapters/aws/secrets-manager-secret-store';
import { EnvSecretStore } from '@shared/adapters/local/env-secret-store';
import { mockClient } from 'aws-sdk-client-mock';

const TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:flywheel-dev/github-token-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);

/** A value that has never been set: Secrets Manager has no AWSCURRENT version to return. */
const noValue = () =>
  new ResourceNotFoundException({
    message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    $metadata: {},
  });

describe('SecretsManagerSecretStore', () => {
  let now: number;
  const store = () =>
    new SecretsManagerSecretStore({
      client: new SecretsManagerClient({ region: 'us-east-1' }),
      secretIds: { 'github-token': TOKEN_ARN },
      maxAgeMs: 60_000,
      now: () => now,
    });

  beforeEach(() => {
    secretsManager.reset();
    now = Date.parse('2026-11-25T12:00:00Z');
  });

  it('reads a secret by its ARN once per container, and again when the copy is older than maxAgeMs', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'ghp_first\n' })
      .resolves({ SecretString: 'ghp_second' });
    const secrets = store();

    const first = [await secrets.get('github-token'), await secrets.get('github-token')];
    now += 60_000;
    const later = await secrets.get('github-token');

    expect(first).toEqual(['ghp_first', 'ghp_first']);
    expect(later).toBe('ghp_second');
    expect(secretsManager.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: TOKEN_ARN },
      { SecretId: TOKEN_ARN },
    ]);
  });

  it('reads a secret created without a value as undefined, and asks again next time', async () => {
    secretsManager.on(GetSecretValueCommand).rejectsOnce(noValue()).resolves({ SecretString: 'ghp_now_set' });
    const secrets = store();

    expect(await secrets.get('github-token')).toBeUndefined();
    expect(await secrets.get('github-token')).toBe('ghp_now_set');
  });

  it('reads a secret this function has no ARN for as undefined, and says where to grant it', async () => {
    const secrets = store();

    expect(await secrets.get('github-webhook-secret')).toBeUndefined();
    expect(secrets.howToSet('github-webhook-secret')).toBe(
      'this function has no access to the secret github-webhook-secret: grant it in events/topology.ts',
    );
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('passes other failures on, and does not keep them', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(
        Object.assign(new Error('User is not authorized to perform: secretsmanager:GetSecretValue'), {
          name: 'AccessDeniedException',
        }),
      )
      .resolves({ SecretString: 'ghp_after' });
    const secrets = store();

    await expect(secrets.get('github-token')).rejects.toThrow(/not authorized/);
    expect(await secrets.get('github-token')).toBe('ghp_after');
  });

  it('tells an operator the put-secret-value command for the secret', () => {
    expect(store().howToSet('github-token')).toBe(
      `put its value in Secrets Manager: aws secretsmanager put-secret-value --secret-id ${TOKEN_ARN} --secret-string '…'`,
    );
  });
});

describe('EnvSecretStore', () => {
  const variables = {
    'github-token': 'FLYWHEEL_GITHUB_TOKEN',
    'github-webhook-secret': 'FLYWHEEL_GITHUB_WEBHOOK_SECRET',
  };

  it('reads each secret from its variable, an empty one as unset', async () => {
    const secrets = new EnvSecretStore(
      { FLYWHEEL_GITHUB_TOKEN: ' ghp_local ', FLYWHEEL_GITHUB_WEBHOOK_SECRET: '' },
      variables,
    );

    expect(await secrets.get('github-token')).toBe('ghp_local');
    expect(await secrets.get('github-webhook-secret')).toBeUndefined();
    expect(await secrets.get('unknown')).toBeUndefined();
  });

  it('names the variable to set', () => {
    expect(new EnvSecretStore({}, variables).howToSet('github-webhook-secret')).toBe(
      'set FLYWHEEL_GITHUB_WEBHOOK_SECRET in the environment of `flywheel start`',
    );
  });
});
