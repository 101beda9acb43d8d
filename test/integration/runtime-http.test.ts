import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Runtime, RuntimeStartError, startRuntime } from '../../local/runtime/runtime';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');

describe('the local HTTP API', () => {
  let runtime: Runtime;
  let token: string;
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
    runtime = await startRuntime({
      home: tempHome('http'),
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

  it('answers 404 for an unknown sweep or route and 405 for a wrong method', async () => {
    expect((await call('/sweeps/unknown')).status).toBe(404);
    expect((await call('/nowhere')).status).toBe(404);
    const wrong = await call('/sweeps/abc', { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });
});
