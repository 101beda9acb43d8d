/** Secrets the functions need (tokens, signing keys): Secrets Manager on AWS, the environment locally. */
export interface SecretStore {
  /** The secret's value, or undefined when nobody has set it yet. Never log what this returns. */
  get(name: string): Promise<string | undefined>;
  /** How an operator sets the secret, for the message that says it is missing. */
  howToSet(name: string): string;
}
