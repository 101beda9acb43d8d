import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signWebhookBody } from '@shared/adapters/github/webhook-signature';
import { type Runtime, RuntimeStartError, startRuntime } from '../../local/runtime/runtime';
import { FakeGitHub } from '../support/fake-github';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');

const WEBHOOK_SECRET = 'local-webhook-secret-0123456789abcdef';
const SHA = 'a3f5c9e1b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2';

describe('the local HTTP API', () => {
  let runtime: Runtime;
  let token: string;
  let github: FakeGitHub;
  const call = (path: string, init: RequestInit = {}, auth = true) =>
    fetch(`${runtime.url}${path}`, {
      ...init,
      headers: {
        ...(auth ? { authorization: `Bearer ${token}` } : {}),
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  beforeAll(async () => {
    github = await new FakeGitHub().start();
    runtime = await startRuntime({
      home: tempHome('http'),
      cwd: ROOT,
      workers: 1,
      httpPort: 0,
      log: () => {},
      env: {
        FLYWHEEL_GITHUB_TOKEN: github.token,
        FLYWHEEL_GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
        FLYWHEEL_GITHUB_API_URL: github.url,
      },
    });
    token = readFileSync(runtime.tokenFile, 'utf8').trim();
  });

  afterAll(async () => {
    await runtime.stop();
    await github.close();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(runtime.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses to start a second runtime on a port in use, and leaves nothing running', async () => {
    const port = Number(new URL(runtime.url!).port);
    await expect(
      startRuntime({ home: tempHome('http-busy'), cwd: ROOT, workers: 1, httpPort: port, log: () => {} }),
    ).rejects.toThrow(
      new RuntimeStartError(
        `port ${port} on 127.0.0.1 is already in use (another Flywheel runtime?); stop it, or start with --port 0 for any free port`,
      ),
    );
  });

  it('accepts POST /sweeps, runs the sweep, and serves it from GET /sweeps/{id} and GET /sweeps', async () => {
    // Prepare: a spec with a file data set and a second market sent as inline ccxt candles.
    const candles = JSON.parse(readFileSync(join(ROOT, 'data/ohlcv/XRP_USDT_USDT-5m-futures.json'), 'utf8'));
    const spec = {
      strategy: 'sma-cross',
      params: { fast: '5,10', slow: '20,40' },
      datasets: ['data/ohlcv/GOOG.csv', { market: 'XRP/USDT:USDT', candles }],
      engine: { fractional: true },
    };
    // Act
    const accepted = await call('/sweeps', { method: 'POST', body: JSON.stringify(spec) });
    const body = (await accepted.json()) as { sweepId: string; links: { self: string } };
    let detail: { status: string; summary: { markets: { market: string }[] } | null } | undefined;
    for (let attempt = 0; attempt < 200; attempt++) {
      detail = (await (await call(body.links.self)).json()) as typeof detail;
      if (detail?.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const list = (await (await call('/sweeps')).json()) as { sweeps: { sweepId: string }[] };
    // Assess
    expect(accepted.status).toBe(202);
    expect(body.links.self).toBe(`/sweeps/${body.sweepId}`);
    expect(detail?.status).toBe('completed');
    expect(detail?.summary?.markets.map((market) => market.market)).toEqual(['GOOG', 'XRP/USDT:USDT']);
    expect(list.sweeps.map((sweep) => sweep.sweepId)).toContain(body.sweepId);
  });

  it.each([
    ['no token', { auth: false }, 401, /send the local token/],
    ['a wrong token', { headers: { authorization: 'Bearer nope' } }, 401, /send the local token/],
    ['invalid JSON', { body: '{strategy:' }, 400, /not valid JSON/],
    ['an empty body', { body: '' }, 400, /must be a sweep spec/],
    [
      'an unknown field',
      { body: '{"strategy":"sma-cross","datasets":["data/ohlcv/GOOG.csv"],"foo":1}' },
      400,
      /Unrecognized key: "foo"/,
    ],
    [
      'an unknown strategy',
      { body: '{"strategy":"nope","datasets":["data/ohlcv/GOOG.csv"]}' },
      400,
      /unknown strategy "nope"/,
    ],
    [
      'a missing data file',
      { body: '{"strategy":"sma-cross","datasets":["missing.csv"]}' },
      400,
      /not found/,
    ],
    [
      'bad inline candles',
      { body: '{"strategy":"sma-cross","datasets":[{"market":"X","candles":[[1,2,1,3,1,1]]}]}' },
      400,
      /high 1 is below low 3/,
    ],
  ])('refuses POST /sweeps with %s', async (_case, options, status, message) => {
    const {
      auth = true,
      body,
      headers,
    } = options as { auth?: boolean; body?: string; headers?: Record<string, string> };
    const response = await call(
      '/sweeps',
      { method: 'POST', ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) },
      auth,
    );
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it('checks manifests sent to POST /deps/check, with the token only', async () => {
    const body = JSON.stringify({
      files: [
        { path: 'requirements.txt', content: '-r base.txt\nsklearn==0.0\n' },
        { path: 'base.txt', content: 'numpy==2.1.2\n' },
      ],
      paths: ['requirements.txt'],
    });

    const checked = await call('/deps/check', { method: 'POST', body });
    const refused = await call('/deps/check', { method: 'POST', body }, false);

    expect(checked.status).toBe(200);
    expect(await checked.json()).toEqual({
      files: ['requirements.txt', 'base.txt'],
      findings: [
        expect.objectContaining({
          ruleId: 'deprecated-name',
          file: 'requirements.txt',
          line: 2,
          package: 'sklearn',
        }),
      ],
    });
    expect(refused.status).toBe(401);
  });

  it('takes a signed GitHub push on POST /webhooks/github without the local token, and posts the status', async () => {
    github.setFile('quant-lab/signal-lab', SHA, 'requirements.txt', 'numpy==2.1.2\npandas==2.2.2\n');
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      after: SHA,
      repository: { name: 'signal-lab', full_name: 'quant-lab/signal-lab' },
      commits: [{ id: SHA, added: [], removed: [], modified: ['requirements.txt'] }],
      head_commit: { id: SHA, added: [], removed: [], modified: ['requirements.txt'] },
    });
    const headers = { 'x-github-event': 'push', 'x-github-delivery': 'f0e1d2c3-0000-4000-8000-000000000001' };

    const signed = await call(
      '/webhooks/github',
      {
        method: 'POST',
        body,
        headers: { ...headers, 'x-hub-signature-256': signWebhookBody(body, WEBHOOK_SECRET) },
      },
      false,
    );
    const unsigned = await call('/webhooks/github', { method: 'POST', body, headers }, true);

    expect(signed.status).toBe(200);
    expect(github.statuses).toEqual([
      {
        repository: 'quant-lab/signal-lab',
        sha: SHA,
        body: {
          state: 'success',
          description: '0 errors, 0 warnings, 0 info in 1 manifest',
          context: 'flywheel/deps',
        },
      },
    ]);
    // The local token is no signature: the webhook route answers to GitHub's HMAC only.
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: string }).error).toMatch(/^X-Hub-Signature-256 is missing/);
  });

  it('answers 503 on POST /webhooks/github while no webhook secret is configured, naming the variable', async () => {
    const bare = await startRuntime({
      home: tempHome('http-bare'),
      cwd: ROOT,
      workers: 1,
      httpPort: 0,
      log: () => {},
      env: {},
    });
    try {
      const response = await fetch(`${bare.url}/webhooks/github`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'ping' },
        body: '{"zen":"Keep it logically awesome."}',
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error:
          'the GitHub webhook secret is not configured: set FLYWHEEL_GITHUB_WEBHOOK_SECRET in the environment of `flywheel start`',
      });
    } finally {
      await bare.stop();
    }
  });

  it('answers 404 for an unknown sweep or route and 405 for a wrong method', async () => {
    expect((await call('/sweeps/unknown')).status).toBe(404);
    expect((await call('/nowhere')).status).toBe(404);
    const wrong = await call('/sweeps/abc', { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });
});
