import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSweepPlanner } from '../../../functions/sweep-plan/app';
import { createSweepReader } from '../../../functions/sweep-read/app';
import {
  GOOG_CSV,
  httpEvent,
  openSweepHarness,
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

/** Submits two sma-cross sweeps a minute apart (09:00 and 09:01 UTC); returns their ids, oldest first. */
async function twoSweeps(): Promise<[string, string]> {
  const planner = createSweepPlanner(harness.deps);
  const submit = (fast: number[]) =>
    planner.submit(
      { strategy: 'sma-cross', params: { fast, slow: 20 }, datasets: [GOOG_CSV], chunkSize: 1 },
      '/',
    );
  harness.clock.advance(Date.parse('2025-01-07T09:00:00Z') - harness.clock.now());
  const first = await submit([5, 10]);
  harness.clock.advance(60_000);
  const second = await submit([5]);
  return [first.sweepId, second.sweepId];
}

function get(path: string, options: { id?: string; limit?: string } = {}) {
  return httpEvent({
    method: 'GET',
    path,
    routeKey: options.id === undefined ? 'GET /sweeps' : 'GET /sweeps/{id}',
    ...(options.id === undefined ? {} : { pathParameters: { id: options.id } }),
    ...(options.limit === undefined ? {} : { queryStringParameters: { limit: options.limit } }),
  });
}

describe('sweep-read GET /sweeps', () => {
  it('lists sweeps newest first, each with its strategy, markets, objective and job counts', async () => {
    // Prepare
    const [first, second] = await twoSweeps();
    const reader = createSweepReader(harness.deps);

    // Act
    const response = await reader.http(get('/sweeps'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(responseJson(response)).toEqual({
      sweeps: [
        {
          sweepId: second,
          status: 'running',
          strategy: 'sma-cross',
          markets: ['GOOG'],
          objective: 'sqn',
          combinations: 1,
          jobs: { total: 1, done: 0, failed: 0 },
          createdAt: '2025-01-07T09:01:00.000Z',
          updatedAt: '2025-01-07T09:01:00.000Z',
        },
        {
          sweepId: first,
          status: 'running',
          strategy: 'sma-cross',
          markets: ['GOOG'],
          objective: 'sqn',
          combinations: 2,
          jobs: { total: 2, done: 0, failed: 0 },
          createdAt: '2025-01-07T09:00:00.000Z',
          updatedAt: '2025-01-07T09:00:00.000Z',
        },
      ],
    });
  });

  it('lists at most `limit` sweeps', async () => {
    // Prepare
    const [, second] = await twoSweeps();
    const reader = createSweepReader(harness.deps);

    // Act
    const response = await reader.http(get('/sweeps', { limit: '1' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect((responseJson(response).sweeps as { sweepId: string }[]).map((sweep) => sweep.sweepId)).toEqual([
      second,
    ]);
  });

  it.each(['0', '1001', '2.5', 'ten'])('answers 400 for limit=%s', async (limit) => {
    // Prepare
    const reader = createSweepReader(harness.deps);

    // Act
    const response = await reader.http(get('/sweeps', { limit }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(responseJson(response)).toEqual({ error: 'limit must be a whole number from 1 to 1000' });
  });

  it('lists nothing on a fresh database', async () => {
    // Prepare
    const reader = createSweepReader(harness.deps);

    // Act
    const response = await reader.http(get('/sweeps'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(responseJson(response)).toEqual({ sweeps: [] });
  });
});

describe('sweep-read GET /sweeps/{id}', () => {
  it('returns one sweep with its failed jobs and (not yet) its summary', async () => {
    // Prepare
    const [first] = await twoSweeps();
    const reader = createSweepReader(harness.deps);

    // Act
    const response = await reader.http(get(`/sweeps/${first}`, { id: first }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(responseJson(response)).toEqual({
      sweepId: first,
      status: 'running',
      strategy: 'sma-cross',
      markets: ['GOOG'],
      objective: 'sqn',
      combinations: 2,
      jobs: { total: 2, done: 0, failed: 0 },
      createdAt: '2025-01-07T09:00:00.000Z',
      updatedAt: '2025-01-07T09:00:00.000Z',
      failedJobs: [],
      summary: null,
    });
  });

  it('answers 404 naming an unknown id', async () => {
    // Prepare
    const reader = createSweepReader(harness.deps);

    // Act
    const response = await reader.http(get('/sweeps/nope', { id: 'nope' }));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(responseJson(response)).toEqual({ error: 'no sweep has id nope' });
  });
});
