import type { SecretStore } from '@shared/ports/secret-store';
import { SourceRepositoryError } from '@shared/ports/source-repository';

/** The GitHub token from the secret store, read on each request (the store caches it). */
export function gitHubTokenOf(secrets: SecretStore): () => Promise<string> {
  return async () => {
    const token = await secrets.get('github-token');
    if (!token)
      throw new SourceRepositoryError(
        `the GitHub token is not configured: ${secrets.howToSet('github-token')}`,
      );
    return token;
  };
}
