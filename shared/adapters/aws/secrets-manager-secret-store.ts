import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '../../ports/secret-store';

/** Settings of one {@link SecretsManagerSecretStore}. */
export interface SecretsManagerSecretStoreOptions {
  /** The client; its owner configures region, endpoint and credentials. */
  readonly client: SecretsManagerClient;
  /** The Secrets Manager id (ARN or name) of each secret this function may read, by secret name. */
  readonly secretIds: Readonly<Record<string, string | undefined>>;
  /** How long a value read is reused, so a new value set in Secrets Manager is picked up; default 5 minutes. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * Secrets from AWS Secrets Manager (GetSecretValue), each read once per container and then reused for
 * `maxAgeMs`. A secret created without a value (as the stack creates them) reads as undefined, and so does one
 * this function was given no id for; an unset value is not cached, so setting it takes effect at once.
 */
export class SecretsManagerSecretStore implements SecretStore {
  private readonly cache = new Map<string, { value: Promise<string | undefined>; readAt: number }>();
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SecretsManagerSecretStoreOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  get(name: string): Promise<string | undefined> {
    const id = this.options.secretIds[name];
    if (!id) return Promise.resolve(undefined);
    const cached = this.cache.get(name);
    if (cached && this.now() - cached.readAt < this.maxAgeMs) return cached.value;
    const entry = { value: this.read(id), readAt: this.now() };
    this.cache.set(name, entry);
    // Forget failures and unset values, so the next call asks again.
    const forget = () => this.cache.get(name) === entry && this.cache.delete(name);
    entry.value.then((text) => text === undefined && forget(), forget);
    return entry.value;
  }

  howToSet(name: string): string {
    const id = this.options.secretIds[name];
    if (!id) return `this function has no access to the secret ${name}: grant it in events/topology.ts`;
    return `put its value in Secrets Manager: aws secretsmanager put-secret-value --secret-id ${id} --secret-string '…'`;
  }

  private async read(id: string): Promise<string | undefined> {
    try {
      const output = await this.options.client.send(new GetSecretValueCommand({ SecretId: id }));
      const text = output.SecretString?.trim();
      return text ? text : undefined;
    } catch (error) {
      // A secret with no value yet has no AWSCURRENT version: Secrets Manager says ResourceNotFoundException.
      if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }
}
