import type { SecretStore } from '../../ports/secret-store';

/** Secrets from environment variables (the local runtime): each secret name maps to one variable. */
export class EnvSecretStore implements SecretStore {
  constructor(
    private readonly env: Readonly<Record<string, string | undefined>>,
    /** The variable that holds each secret, by secret name. */
    private readonly variables: Readonly<Record<string, string>>,
  ) {}

  async get(name: string): Promise<string | undefined> {
    const variable = this.variables[name];
    const value = variable ? this.env[variable]?.trim() : undefined;
    return value ? value : undefined;
  }

  howToSet(name: string): string {
    const variable = this.variables[name];
    if (!variable) return `no environment variable is declared for the secret ${name} in events/topology.ts`;
    return `set ${variable} in the environment of \`flywheel start\``;
  }
}
