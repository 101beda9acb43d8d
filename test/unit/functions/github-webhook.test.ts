import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { signWebhookBody } from '@shared/adapters/github/webhook-signature';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { RESOURCE_VARIABLES } from '../../../events/topology';
import { changedManifests, statusFor } from '../../../functions/github-webhook/app';
import { FakeGitHub } from '../../support/fake-github';
import { apiGatewayEvent, lambdaContext } from '../../support/lambda-context';

const ROOT = join(__dirname, '../../..');
type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const WEBHOOK_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
const TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:flywheel-dev/github-token-Ab12Cd';
const WEBHOOK_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:flywheel-dev/github-webhook-secret-Ef34Gh';
const BEFORE = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
const REPOSITORY = 'quant-lab/signal-lab';
const secretsManager = mockClient(SecretsManagerClient);

/** A push event payload as GitHub sends it (trimmed of fields nothing reads, but in GitHub's shape). */
function pushPayload(
  commits: { added?: string[]; modified?: string[]; removed?: string[] }[],
  overrides = {},
) {
  const full = commits.map((commit, index) => ({
    id: index === commits.length - 1 ? SHA : `${index}`.repeat(40),
    tree_id: 'f9d2a07e9488b91af2641b26b9407fe22a451433',
    distinct: true,
    message: `Update dependencies (${index + 1})`,
    timestamp: '2026-11-25T12:00:00+01:00',
    url: `https://github.com/${REPOSITORY}/commit/${SHA}`,
    author: { name: 'Ada Trader', email: 'ada@example.com', username: 'adatrader' },
    committer: { name: 'GitHub', email: 'noreply@github.com', username: 'web-flow' },
    added: commit.added ?? [],
    removed: commit.removed ?? [],
    modified: commit.modified ?? [],
  }));
  return {
    ref: 'refs/heads/main',
    before: BEFORE,
    after: SHA,
    repository: {
      id: 812345678,
      node_id: 'R_kgDOMGeJrg',
      name: 'signal-lab',
      full_name: REPOSITORY,
      private: true,
      owner: { name: 'quant-lab', email: null, login: 'quant-lab', id: 98765432, type: 'Organization' },
      html_url: `https://github.com/${REPOSITORY}`,
      default_branch: 'main',
    },
    pusher: { name: 'adatrader', email: 'ada@example.com' },
    sender: { login: 'adatrader', id: 1234567, type: 'User' },
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${REPOSITORY}/compare/${BEFORE.slice(0, 12)}...${SHA.slice(0, 12)}`,
    commits: full,
    head_commit: full.at(-1) ?? null,
    ...overrides,
  };
}

/** A delivery as API Gateway hands it over: GitHub's headers, lower-cased, and the raw body. */
function delivery(event: string, payload: unknown, signature?: string | null): APIGatewayProxyEventV2 {
  const body = JSON.stringify(payload);
  return apiGatewayEvent({
    method: 'POST',
    path: '/webhooks/github',
    body,
    headers: {
      'user-agent': 'GitHub-Hookshot/a1b2c3d',
      'x-github-event': event,
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-github-hook-id': '512345678',
      'x-github-hook-installation-target-type': 'repository',
      ...(signature === null
        ? {}
        : { 'x-hub-signature-256': signature ?? signWebhookBody(body, WEBHOOK_SECRET) }),
    },
  });
}

const json = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(response.body ?? 'null');

describe('github-webhook (the Lambda handler, Secrets Manager mocked, GitHub on loopback)', () => {
  let github: FakeGitHub;
  let handler: Handler;

  beforeAll(async () => {
    github = await new FakeGitHub().start();
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      FLYWHEEL_GITHUB_API_URL: github.url,
      [RESOURCE_VARIABLES.secret('github-token')]: TOKEN_ARN,
      [RESOURCE_VARIABLES.secret('github-webhook-secret')]: WEBHOOK_ARN,
    });
    secretsManager
      .on(GetSecretValueCommand, { SecretId: TOKEN_ARN })
      .resolves({ SecretString: github.token })
      .on(GetSecretValueCommand, { SecretId: WEBHOOK_ARN })
      .resolves({ SecretString: WEBHOOK_SECRET });
    handler = (require(join(ROOT, 'functions/github-webhook/handler.ts')) as { handler: Handler }).handler;
  });

  afterAll(async () => {
    await github.close();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    github.reset();
    github.setFile(
      REPOSITORY,
      SHA,
      'requirements.txt',
      '-r requirements/base.txt\nsklearn==0.0\nnumpy<1.26\n',
    );
    github.setFile(REPOSITORY, SHA, 'requirements/base.txt', 'numpy>=2.0\npandas==2.2.2\n');
    github.setFile(REPOSITORY, SHA, 'api/requirements.txt', 'fastapi==0.115.0\nuvicorn==0.32.0\n');
    github.setFile(REPOSITORY, SHA, 'README.md', '# signal-lab\n');
  });

  it('checks the manifests a push changed at its commit, includes too, and posts a failure status with the counts', async () => {
    const payload = pushPayload([
      { modified: ['README.md', 'requirements.txt'] },
      { added: ['notebooks/eda.ipynb'] },
    ]);

    const response = await handler(delivery('push', payload), lambdaContext('github-webhook'));

    expect(response.statusCode).toBe(200);
    expect(github.contentRequests()).toEqual(['requirements.txt', 'requirements/base.txt']);
    for (const request of github.requests) {
      expect(request.headers).toMatchObject({
        authorization: `Bearer ${github.token}`,
        'x-github-api-version': '2022-11-28',
      });
    }
    expect(
      github.requests
        .filter((request) => request.method === 'GET')
        .map((request) => new URL(request.url, 'http://x').searchParams.get('ref')),
    ).toEqual([SHA, SHA]);
    expect(github.statuses).toEqual([
      {
        repository: REPOSITORY,
        sha: SHA,
        body: {
          state: 'failure',
          description: '2 errors, 0 warnings, 0 info in 2 manifests',
          context: 'flywheel/deps',
        },
      },
    ]);
    expect(json(response)).toMatchObject({
      sha: SHA,
      state: 'failure',
      files: ['requirements.txt', 'requirements/base.txt'],
      findings: [
        expect.objectContaining({
          ruleId: 'deprecated-name',
          file: 'requirements.txt',
          line: 2,
          package: 'sklearn',
        }),
        expect.objectContaining({
          ruleId: 'conflict',
          file: 'requirements/base.txt',
          line: 1,
          package: 'numpy',
        }),
      ],
    });
  });

  it('posts success when the changed manifests are clean, reading each file once', async () => {
    const payload = pushPayload([
      { added: ['api/requirements.txt'] },
      { modified: ['api/requirements.txt'] },
    ]);

    const response = await handler(delivery('push', payload), lambdaContext('github-webhook'));

    expect(response.statusCode).toBe(200);
    expect(github.contentRequests()).toEqual(['api/requirements.txt']);
    expect(github.statuses.map((status) => status.body)).toEqual([
      {
        state: 'success',
        description: '0 errors, 0 warnings, 0 info in 1 manifest',
        context: 'flywheel/deps',
      },
    ]);
  });

  it('posts nothing for a push that touches no manifest, and says so', async () => {
    const response = await handler(
      delivery('push', pushPayload([{ modified: ['README.md', 'src/signals.py'] }])),
      lambdaContext('github-webhook'),
    );

    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      sha: SHA,
      note: 'the push changed no manifest: nothing checked, no status posted',
    });
    expect(github.requests).toEqual([]);
  });

  it('ignores a push that deleted its branch', async () => {
    const payload = pushPayload([], {
      after: '0'.repeat(40),
      deleted: true,
      ref: 'refs/heads/old-experiment',
    });

    const response = await handler(delivery('push', payload), lambdaContext('github-webhook'));

    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ note: 'the push deleted refs/heads/old-experiment: nothing to check' });
    expect(github.requests).toEqual([]);
  });

  it.each([
    ['a wrong signature', signWebhookBody('{"forged":true}', WEBHOOK_SECRET)],
    ['a signature made with another secret', undefined as unknown as string],
    ['no signature', null],
  ])('refuses a delivery with %s (401) and touches nothing', async (_case, signature) => {
    const payload = pushPayload([{ modified: ['requirements.txt'] }]);
    const event = delivery(
      'push',
      payload,
      signature === undefined ? signWebhookBody(JSON.stringify(payload), 'not-the-secret') : signature,
    );

    const response = await handler(event, lambdaContext('github-webhook'));

    expect(response.statusCode).toBe(401);
    expect(json(response).error).toMatch(/^X-Hub-Signature-256 is missing or does not match/);
    expect(github.requests).toEqual([]);
  });

  it('checks the signature over the raw bytes, a base64-encoded body too', async () => {
    const body = JSON.stringify(pushPayload([{ modified: ['api/requirements.txt'] }]));
    const event = delivery('push', {});
    event.body = Buffer.from(body).toString('base64');
    event.isBase64Encoded = true;
    event.headers['x-hub-signature-256'] = signWebhookBody(body, WEBHOOK_SECRET);

    const response = await handler(event, lambdaContext('github-webhook'));

    expect(response.statusCode).toBe(200);
    expect(github.statuses).toHaveLength(1);
  });

  it('answers a ping with pong, and other events with 202 ignored', async () => {
    const ping = await handler(
      delivery('ping', { zen: 'Design for failure.', hook_id: 512345678 }),
      lambdaContext('github-webhook'),
    );
    const issues = await handler(delivery('issues', { action: 'opened' }), lambdaContext('github-webhook'));

    expect([ping.statusCode, json(ping)]).toEqual([200, { message: 'pong' }]);
    expect([issues.statusCode, json(issues)]).toEqual([
      202,
      { message: 'ignored: only push events are checked (this was "issues")' },
    ]);
    expect(github.requests).toEqual([]);
  });

  it('answers 400 with the reason for a signed payload that is not a push', async () => {
    const response = await handler(
      delivery('push', { ref: 'refs/heads/main' }),
      lambdaContext('github-webhook'),
    );

    expect(response.statusCode).toBe(400);
    expect(json(response).error).toMatch(
      /^the push payload is not what GitHub sends:\n {2}- after: .*\n {2}- repository: /,
    );
  });

  it('sets the status to error and answers 502 when GitHub fails to serve a manifest', async () => {
    github.failContents = { status: 503 };

    const response = await handler(
      delivery('push', pushPayload([{ modified: ['requirements.txt'] }])),
      lambdaContext('github-webhook'),
    );

    expect(response.statusCode).toBe(502);
    expect(json(response).error).toBe(
      `GitHub answered 503 to GET /repos/quant-lab/signal-lab/contents/requirements.txt?ref=${SHA} (Server Error): GitHub failed; the webhook can be redelivered from its settings page (commit status set to error)`,
    );
    expect(github.statuses.map((status) => status.body)).toEqual([
      {
        state: 'error',
        description: 'could not check the manifests: GitHub answered 503; redeliver the webhook',
        context: 'flywheel/deps',
      },
    ]);
  });

  it('sets the status to error, not failure, when GitHub fails on an included file', async () => {
    github.failContents = { status: 500, paths: ['requirements/base.txt'] };

    const response = await handler(
      delivery('push', pushPayload([{ modified: ['requirements.txt'] }])),
      lambdaContext('github-webhook'),
    );

    expect(response.statusCode).toBe(502);
    expect(github.statuses.map((status) => status.body.state)).toEqual(['error']);
  });

  it('answers 502 when GitHub refuses the status itself', async () => {
    github.failStatuses = 500;

    const response = await handler(
      delivery('push', pushPayload([{ modified: ['api/requirements.txt'] }])),
      lambdaContext('github-webhook'),
    );

    expect(response.statusCode).toBe(502);
    expect(json(response).error).toMatch(
      /^GitHub answered 500 to POST \/repos\/quant-lab\/signal-lab\/statuses\/.*redelivered from its settings page$/,
    );
  });

  it('answers 503 with the command to run while the webhook secret has no value, and logs no secret', async () => {
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      }),
    );
    // A fresh container: its own module registry, so no secret read by the tests above is cached; it logs at INFO.
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    let isolated: Handler | undefined;
    let fresh: { restore(): void } | undefined;
    jest.isolateModules(() => {
      const sdk =
        require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
      const mock = mockClient(sdk.SecretsManagerClient);
      mock
        .on(sdk.GetSecretValueCommand)
        .rejects(new sdk.ResourceNotFoundException({ message: 'no AWSCURRENT version', $metadata: {} }));
      fresh = mock;
      isolated = (require(join(ROOT, 'functions/github-webhook/handler.ts')) as { handler: Handler }).handler;
    });

    const response = await isolated!(
      delivery('push', pushPayload([{ modified: ['requirements.txt'] }])),
      lambdaContext('github-webhook'),
    );

    for (const spy of spies) spy.mockRestore();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    fresh!.restore();
    expect(response.statusCode).toBe(503);
    expect(json(response).error).toBe(
      `the GitHub webhook secret is not configured: put its value in Secrets Manager: aws secretsmanager put-secret-value --secret-id ${WEBHOOK_ARN} --secret-string '…'`,
    );
    expect(logged.join('\n')).toContain('webhook delivery handled');
    expect(logged.join('\n')).not.toContain(WEBHOOK_SECRET);
    expect(logged.join('\n')).not.toContain(github.token);
  });
});

describe('the webhook signature', () => {
  it('matches the example in GitHub’s documentation on validating deliveries', () => {
    expect(signWebhookBody('Hello, World!', "It's a Secret to Everybody")).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });
});

describe('which files a push changed', () => {
  it('takes added and modified manifests over every commit and the head commit, once each, sorted, a lock as its package.json', () => {
    const push = {
      ref: 'refs/heads/main',
      after: SHA,
      deleted: false,
      repository: { full_name: REPOSITORY },
      commits: [
        {
          id: '1',
          added: ['requirements-dev.txt', 'docs/index.md'],
          modified: ['pyproject.toml'],
          removed: [],
        },
        {
          id: '2',
          added: [],
          modified: ['requirements/prod.in', 'MANIFEST.in', 'web/package.json'],
          removed: ['old.txt'],
        },
      ],
      head_commit: {
        id: '2',
        added: ['web/package-lock.json', 'web/node_modules/x/package.json'],
        modified: [],
        removed: [],
      },
    };

    expect(changedManifests(push)).toEqual([
      'pyproject.toml',
      'requirements-dev.txt',
      'requirements/prod.in',
      'web/package.json',
    ]);
  });

  it('keeps the status description within GitHub’s 140 characters', () => {
    const findings = Array.from({ length: 1234 }, () => ({ severity: 'error' as const }));
    const status = statusFor({ files: ['requirements.txt'], findings: findings as never });

    expect(status).toEqual({
      state: 'failure',
      description: '1234 errors, 0 warnings, 0 info in 1 manifest',
      context: 'flywheel/deps',
    });
  });
});
