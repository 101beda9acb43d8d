import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { type Runtime, startRuntime } from '../../local/runtime/runtime';
import { runFlywheel } from '../support/run-cli';
import { GOOG_SMA_GRID_FLAGS } from '../support/sweep-grid';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');
const GRID = GOOG_SMA_GRID_FLAGS;
const sweep = (argv: string[], env: Record<string, string> = {}) =>
  runFlywheel(['sweep', 'run', ...argv], {
    cwd: ROOT,
    env: { FLYWHEEL_HOME: tempHome('remote-cli'), ...env },
  });

/** What a deployed stack's HTTP API received. */
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in for API Gateway: records each request and answers with `answer`. */
async function fakeApi(answer: (request: Received) => { status: number; body: unknown }) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body };
      received.push(request);
      const { status, body: reply } = answer(request);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

const SUMMARY = { sweepId: 'sw-1', status: 'completed', results: [], champion: null, promotion: null };
const completedApi = (request: Received) =>
  request.method === 'POST'
    ? { status: 202, body: { sweepId: 'sw-1', total: 3, queued: 3 } }
    : {
        status: 200,
        body: {
          sweepId: 'sw-1',
          status: 'completed',
          jobs: { total: 3, done: 3, failed: 0 },
          summary: SUMMARY,
        },
      };

describe('flywheel sweep run --remote against a running local runtime (the same HTTP API)', () => {
  let runtime: Runtime;
  let token: string;

  beforeAll(async () => {
    runtime = await startRuntime({
      home: tempHome('remote'),
      cwd: ROOT,
      workers: 1,
      httpPort: 0,
      log: () => {},
    });
    token = readFileSync(runtime.tokenFile, 'utf8').trim();
  });

  afterAll(async () => {
    await runtime.stop();
  });

  it('submits the sweep with its data inline, follows it, and prints the same ranking as a local run', async () => {
    const remote = await sweep([
      ...GRID,
      '--remote',
      runtime.url!,
      '--token',
      token,
      '--poll-seconds',
      '0.1',
      '--json',
    ]);
    const local = await sweep([...GRID, '--workers', '1', '--json']);

    expect(remote.stderr).toMatch(/submitted to http:\/\/127\.0\.0\.1:\d+: 3 jobs \(3 queued\)/);
    expect(remote.code).toBe(0);
    const remoteResult = JSON.parse(remote.stdout);
    const localResult = JSON.parse(local.stdout);
    expect(remoteResult.results).toHaveLength(75);
    expect(remoteResult.results).toEqual(localResult.results);
    expect(remoteResult.walkForward).toEqual(localResult.walkForward);
    expect(remoteResult.champion).toEqual(localResult.champion);
  });

  it('exits 2 with the API’s reason when the token is wrong', async () => {
    const { code, stderr } = await sweep([...GRID, '--remote', runtime.url!, '--token', 'not-the-token']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/POST \/sweeps answered 401/);
  });
});

describe('flywheel sweep run --remote against a deployed (IAM) stack', () => {
  const credentials = {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  };
  const saved = { ...process.env };

  beforeAll(() => {
    // The AWS credential chain reads the process environment, as it does for a user's shell.
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  });

  afterEach(() => {
    process.exitCode = undefined;
  });

  afterAll(() => {
    process.env = saved;
  });

  it('signs every request with SigV4 for execute-api in the given region, verifiably', async () => {
    const api = await fakeApi(completedApi);
    try {
      const { code, stdout } = await sweep([
        ...GRID,
        '--remote',
        `${api.url}/`,
        '--region',
        'eu-west-1',
        '--poll-seconds',
        '0.05',
        '--json',
      ]);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ sweepId: 'sw-1', status: 'completed' });
      expect(api.received.map((request) => `${request.method} ${request.url}`)).toEqual([
        'POST /sweeps',
        'GET /sweeps/sw-1',
      ]);
      // Re-sign what arrived with the same key and time: API Gateway accepts it only if the signatures match.
      const verifier = new SignatureV4({
        service: 'execute-api',
        region: 'eu-west-1',
        credentials,
        sha256: Hash.bind(null, 'sha256'),
      });
      for (const request of api.received) {
        const authorization = String(request.headers.authorization);
        expect(authorization).toMatch(
          /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
        );
        const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
        const amzDate = String(request.headers['x-amz-date']);
        const url = new URL(request.url, api.url);
        const resigned = await verifier.sign(
          {
            method: request.method,
            protocol: 'http:',
            hostname: url.hostname,
            port: Number(url.port),
            path: url.pathname,
            query: {},
            headers: Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name])])),
            ...(request.body ? { body: request.body } : {}),
          },
          {
            signingDate: new Date(
              `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`,
            ),
          },
        );
        expect(resigned.headers.authorization).toBe(authorization);
      }
      const submitted = JSON.parse(api.received[0]!.body);
      expect(submitted.datasets[0]).toMatchObject({ market: 'GOOG' });
      expect(submitted.datasets[0].candles).toHaveLength(2148);
      expect(submitted.datasets[0].file).toBeUndefined();
    } finally {
      await api.close();
    }
  });

  it.each([
    [400, { message: 'params.fast: expected a range' }, 2, /answered 400: params\.fast: expected a range/],
    [403, { message: 'Forbidden' }, 2, /answered 403: Forbidden/],
    [500, { message: 'Internal Server Error' }, 1, /answered 500: Internal Server Error/],
  ])('maps an API answer of %i to exit code %i with its reason', async (status, body, exit, message) => {
    const api = await fakeApi(() => ({ status, body }));
    try {
      const { code, stderr } = await sweep([...GRID, '--remote', api.url, '--region', 'eu-west-1']);
      expect(code).toBe(exit);
      expect(stderr).toMatch(message);
    } finally {
      await api.close();
    }
  });

  it('exits 1 when the API cannot be reached', async () => {
    const api = await fakeApi(completedApi);
    await api.close();
    const { code, stderr } = await sweep([...GRID, '--remote', api.url, '--region', 'eu-west-1']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+/);
  });

  it('exits 2 without a region to sign for or a token', async () => {
    const { code, stderr } = await sweep([...GRID, '--remote', 'http://127.0.0.1:9']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/give --region \(or AWS_REGION\)/);
  });

  it('exits 2 for a strategy module, which a deployed stack cannot load', async () => {
    const { code, stderr } = await sweep([
      '--data',
      'data/ohlcv/GOOG.csv',
      '--strategy',
      'examples/my-strategy.ts',
      '--remote',
      'http://127.0.0.1:9',
      '--region',
      'eu-west-1',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/built-in strategies only/);
  });
});
