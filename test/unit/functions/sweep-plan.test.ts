import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Json } from '@shared/ports/json';
import { type SweepPlan, SweepPlanSchema } from '@shared/sweep/plan';
import { BacktestJobMessageSchema, EVENT_SOURCE } from '../../../events/catalog';
import { createSweepPlanner } from '../../../functions/sweep-plan/app';
import {
  GOOG_CSV,
  httpEvent,
  openSweepHarness,
  receiveAll,
  responseJson,
  type SweepHarness,
} from '../../support/sweep-functions';

let harness: SweepHarness;

beforeEach(() => {
  harness = openSweepHarness();
});

afterEach(() => {
  harness.close();
});

/** sma-cross with fast 5, 10 × slow 20, one combination per job: two jobs on GOOG. */
function spec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    strategy: 'sma-cross',
    params: { fast: [5, 10], slow: 20 },
    datasets: [GOOG_CSV],
    chunkSize: 1,
    ...overrides,
  };
}

async function storedPlan(sweepId: string): Promise<SweepPlan> {
  const sweep = await harness.adapters.sweeps.getSweep(sweepId);
  return SweepPlanSchema.parse(sweep!.spec);
}

function post(body: string | undefined, isBase64Encoded = false) {
  return httpEvent({
    method: 'POST',
    path: '/sweeps',
    routeKey: 'POST /sweeps',
    ...(body === undefined ? {} : { body }),
    isBase64Encoded,
  });
}

describe('sweep-plan submit', () => {
  it('queues one message per job and answers created, running, 2 queued, none reused', async () => {
    // Prepare
    const planner = createSweepPlanner(harness.deps);

    // Act
    const result = await planner.submit(spec(), '/');

    // Assess
    expect(result).toEqual({
      sweepId: expect.stringMatching(/^[0-9a-f]{24}$/),
      created: true,
      status: 'running',
      total: 2,
      queued: 2,
      reused: 0,
    });
    const plan = await storedPlan(result.sweepId);
    const messages = (await receiveAll(harness.jobs)).map((message) =>
      BacktestJobMessageSchema.parse(JSON.parse(message.body)),
    );
    expect(messages.map((job) => [job.sweepId, job.jobId, job.market, job.combinations])).toEqual([
      [result.sweepId, plan.jobs[0]!.jobId, 'GOOG', [{ fast: 5, slow: 20 }]],
      [result.sweepId, plan.jobs[1]!.jobId, 'GOOG', [{ fast: 10, slow: 20 }]],
    ]);
    expect(plan.datasets).toEqual([
      { market: 'GOOG', name: 'GOOG.csv', hash: messages[0]!.datasetHash, bars: 2148 },
    ]);
    expect(await harness.adapters.datasets.get(messages[0]!.datasetHash)).toMatchObject({ length: 2148 });
    expect(harness.bus.events).toEqual([]);
  });

  it('queues nothing when the same spec is submitted again, and answers with the same sweep id', async () => {
    // Prepare
    const planner = createSweepPlanner(harness.deps);
    const first = await planner.submit(spec(), '/');

    // Act
    const second = await planner.submit(spec(), '/');

    // Assess
    expect(second).toEqual({
      sweepId: first.sweepId,
      created: false,
      status: 'running',
      total: 2,
      queued: 0,
      reused: 0,
    });
    expect(await receiveAll(harness.jobs)).toHaveLength(2);
  });

  it('reuses the stored result of a job another sweep shares, and queues only the others', async () => {
    // Prepare: the first sweep's fast=5 job has a stored result; a second sweep adds fast=15.
    const planner = createSweepPlanner(harness.deps);
    const first = await planner.submit(spec(), '/');
    await receiveAll(harness.jobs);
    const firstJob = (await storedPlan(first.sweepId)).jobs[0]!;
    await harness.adapters.sweeps.completeJob(first.sweepId, firstJob.jobId, [] as Json, harness.clock.now());

    // Act
    const second = await planner.submit(spec({ params: { fast: [5, 10, 15], slow: 20 } }), '/');

    // Assess
    expect(second).toMatchObject({ created: true, status: 'running', total: 3, queued: 2, reused: 1 });
    expect(second.sweepId).not.toBe(first.sweepId);
    const secondPlan = await storedPlan(second.sweepId);
    expect(secondPlan.jobs[0]!.jobId).toBe(firstJob.jobId);
    const queued = (await receiveAll(harness.jobs)).map((message) =>
      BacktestJobMessageSchema.parse(JSON.parse(message.body)),
    );
    expect(queued.map((job) => [job.sweepId, job.combinations])).toEqual([
      [second.sweepId, [{ fast: 10, slow: 20 }]],
      [second.sweepId, [{ fast: 15, slow: 20 }]],
    ]);
    expect(await harness.adapters.sweeps.getSweep(second.sweepId)).toMatchObject({ total: 3, done: 1 });
  });

  it('emits SweepCompleted itself when every job result is already stored, and queues nothing', async () => {
    // Prepare: both jobs of the first sweep are stored; the second spec differs only in its promotion margin.
    const planner = createSweepPlanner(harness.deps);
    const first = await planner.submit(spec(), '/');
    await receiveAll(harness.jobs);
    for (const job of (await storedPlan(first.sweepId)).jobs)
      await harness.adapters.sweeps.completeJob(first.sweepId, job.jobId, [] as Json, harness.clock.now());

    // Act
    const second = await planner.submit(spec({ promotion: { margin: 0.5 } }), '/');

    // Assess
    expect(second).toMatchObject({ created: true, status: 'running', total: 2, queued: 0, reused: 2 });
    expect(harness.bus.events).toEqual([
      {
        source: EVENT_SOURCE,
        detailType: 'SweepCompleted',
        detail: { sweepId: second.sweepId, total: 2, done: 2, failed: 0 },
      },
    ]);
    expect(await harness.jobs.approximateCounts()).toEqual({ visible: 0, inFlight: 2 });
  });

  it('reads relative data file paths from the base folder it is given', async () => {
    // Prepare
    const planner = createSweepPlanner(harness.deps);

    // Act
    const result = await planner.submit(spec({ datasets: ['GOOG.csv'] }), GOOG_CSV.replace(/GOOG\.csv$/, ''));

    // Assess
    expect(result).toMatchObject({ created: true, total: 2, queued: 2 });
  });
});

describe('sweep-plan POST /sweeps', () => {
  it('answers 202 with the submission and a link to the sweep', async () => {
    // Prepare
    const planner = createSweepPlanner(harness.deps);

    // Act
    const response = await planner.http(post(JSON.stringify(spec())), '/');

    // Assess
    expect(response.statusCode).toBe(202);
    expect(response.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
    const body = responseJson(response);
    expect(body).toEqual({
      sweepId: expect.stringMatching(/^[0-9a-f]{24}$/),
      created: true,
      status: 'running',
      total: 2,
      queued: 2,
      reused: 0,
      links: { self: `/sweeps/${body.sweepId}` },
    });
  });

  it('reads a base64-encoded body', async () => {
    // Prepare
    const planner = createSweepPlanner(harness.deps);
    const body = Buffer.from(JSON.stringify(spec()), 'utf8').toString('base64');

    // Act
    const response = await planner.http(post(body, true), '/');

    // Assess
    expect(response.statusCode).toBe(202);
  });

  it('accepts inline candles with a market', async () => {
    // Prepare: 40 daily candles [time, open, high, low, close, volume] rising by 1.
    const day = 86_400_000;
    const candles = Array.from({ length: 40 }, (_, i) => [
      Date.parse('2024-01-01') + i * day,
      100 + i,
      101 + i,
      99 + i,
      100 + i,
      1000,
    ]);
    const planner = createSweepPlanner(harness.deps);

    // Act
    const response = await planner.http(
      post(
        JSON.stringify(spec({ datasets: [{ candles, market: 'TEST/USD' }], params: { fast: 2, slow: 3 } })),
      ),
      '/',
    );

    // Assess
    expect(response.statusCode).toBe(202);
    const plan = await storedPlan(String(responseJson(response).sweepId));
    expect(plan.datasets).toEqual([
      {
        market: 'TEST/USD',
        name: 'TEST/USD (inline)',
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        bars: 40,
      },
    ]);
  });

  it('plans a data set given by the hash of one stored before', async () => {
    // Prepare
    const planner = createSweepPlanner(harness.deps);
    const first = await planner.submit(spec(), '/');
    const hash = (await storedPlan(first.sweepId)).datasets[0]!.hash;

    // Act
    const response = await planner.http(
      post(JSON.stringify(spec({ datasets: [{ hash, market: 'GOOG' }], params: { fast: 15, slow: 20 } }))),
      '/',
    );

    // Assess
    expect(response.statusCode).toBe(202);
    const plan = await storedPlan(String(responseJson(response).sweepId));
    expect(plan.datasets).toEqual([{ market: 'GOOG', name: hash.slice(0, 12), hash, bars: 2148 }]);
  });

  it('answers 400 for the hash of a data set that is not stored', async () => {
    // Prepare
    const planner = createSweepPlanner(harness.deps);

    // Act
    const response = await planner.http(
      post(JSON.stringify(spec({ datasets: [{ hash: 'f00d', market: 'GOOG' }] }))),
      '/',
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(responseJson(response)).toEqual({
      error: 'no stored data set has hash f00d; send its candles instead',
    });
  });

  const badRequests: readonly [string, string | undefined, string | RegExp][] = [
    ['an empty body', undefined, 'the request body must be a sweep spec (JSON)'],
    ['invalid JSON', '{"strategy":', /^the request body is not valid JSON: /],
    [
      'an unknown key',
      JSON.stringify({ ...spec(), colour: 'blue' }),
      'request body is invalid:\n  - (top level): Unrecognized key: "colour"',
    ],
    [
      'an unknown strategy',
      JSON.stringify(spec({ strategy: 'moon-phase' })),
      /^unknown strategy "moon-phase"\. Built-in strategies: sma-cross, /,
    ],
    [
      'a constraint that does not parse',
      JSON.stringify(spec({ constraint: 'fast<<slow' })),
      'Constraint "fast<<slow" is not a valid expression: "<" (character 6) cannot come after "<"; ' +
        'write comparisons joined with and/or (&&, ||), e.g. "fast < slow".',
    ],
    [
      'too few bars for the folds',
      JSON.stringify(spec({ engine: { from: '2004-08-19', to: '2004-09-15' } })),
      // 2004-08-19..2004-09-15 holds 19 trading days (Labor Day closed): slices of floor(5.7 / 1.9) = 3 bars.
      /^sweep spec is invalid:\n {2}- datasets \(GOOG\.csv\): 19 bars are too few for 4 walk-forward folds/,
    ],
  ];

  it.each(badRequests)(
    'answers 400 with the reason for %s, and stores no sweep',
    async (_name, body, reason) => {
      // Prepare
      const planner = createSweepPlanner(harness.deps);

      // Act
      const response = await planner.http(post(body), '/');

      // Assess
      expect(response.statusCode).toBe(400);
      const error = responseJson(response).error;
      if (typeof reason === 'string') expect(error).toBe(reason);
      else expect(error).toMatch(reason);
      expect(await harness.adapters.sweeps.listSweeps(10)).toEqual([]);
      expect(await harness.jobs.approximateCounts()).toEqual({ visible: 0, inFlight: 0 });
    },
  );

  it('answers 400 naming the path when a data file does not exist', async () => {
    // Prepare
    const planner = createSweepPlanner(harness.deps);
    const missing = `${harness.home}/no-such-file.csv`;

    // Act
    const response = await planner.http(post(JSON.stringify(spec({ datasets: [missing] }))), '/');

    // Assess
    expect(response.statusCode).toBe(400);
    expect(responseJson(response).error).toBe(
      `${missing}: the data file was not found. Check the path: relative paths start from the spec file’s folder (or the current folder for flags and HTTP).`,
    );
    expect(await harness.adapters.sweeps.listSweeps(10)).toEqual([]);
  });
});
