import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerSecretStore } from '@shared/adapters/aws/secrets-manager-secret-store';
import { GitHubRepository } from '@shared/adapters/github/github-repository';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RESOURCE_VARIABLES, SECRETS, type SecretName } from '../../events/topology';
import { recordFindings } from '../lib/findings-metrics';
import { lambda } from '../lib/lambda';
import { logger, metrics } from '../lib/observability';
import { createGitHubWebhook } from './app';
import { gitHubTokenOf } from './token';

// The secrets' ARNs come from the environment (each only if the topology grants it); their values never do.
const secrets = new SecretsManagerSecretStore({
  client: new SecretsManagerClient({}),
  secretIds: Object.fromEntries(
    (Object.keys(SECRETS) as SecretName[]).map((name) => [
      name,
      process.env[RESOURCE_VARIABLES.secret(name)],
    ]),
  ),
});

const webhook = createGitHubWebhook({
  secrets,
  // FLYWHEEL_GITHUB_API_URL points at GitHub Enterprise Server (https://HOST/api/v3); unset, github.com.
  repository: new GitHubRepository({
    token: gitHubTokenOf(secrets),
    ...(process.env.FLYWHEEL_GITHUB_API_URL ? { baseUrl: process.env.FLYWHEEL_GITHUB_API_URL } : {}),
  }),
  onChecked: (result) => recordFindings(metrics, result),
});

/** `github-webhook`: POST /webhooks/github, authenticated by GitHub's signature rather than by the API. */
export const handler = lambda(async (event: APIGatewayProxyEventV2) => {
  metrics.addMetric('WebhookDeliveries', MetricUnit.Count, 1);
  const response = await webhook.http(event);
  // What happened, never what was signed with: no header, secret or token is logged.
  logger.info('webhook delivery handled', {
    delivery: event.headers?.['x-github-delivery'],
    event: event.headers?.['x-github-event'],
    statusCode: response.statusCode,
  });
  return response;
});
