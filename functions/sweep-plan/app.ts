import { isAbsolute, resolve } from 'node:path';
import type { Bars } from '@shared/market-data/bars';
import { MarketDataError } from '@shared/market-data/errors';
import { barsFromRows } from '@shared/market-data/parse-json';
import type { Json } from '@shared/ports/json';
import type { SweepRecord } from '@shared/ports/sweep-store';
import { barsHash } from '@shared/sweep/ids';
import { type DatasetForPlan, planSweep } from '@shared/sweep/plan';
import {
  marketFromFileName,
  parseSweepSpec,
  type SweepDatasetEntry,
  SweepSpecError,
} from '@shared/sweep/spec';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { EVENT_SOURCE, type SweepCompleted } from '../../events/catalog';
import { BadRequestError, jsonBody, jsonResponse, problem } from '../lib/http';
import { isInputError } from '../lib/input-errors';
import type { SweepDependencies } from '../lib/sweep-deps';

/** What submitting a sweep did. */
export interface SubmitResult {
  readonly sweepId: string;
  /** False when the same sweep (spec and data) was submitted before. */
  readonly created: boolean;
  readonly status: string;
  readonly total: number;
  /** Jobs queued by this submission. */
  readonly queued: number;
  /** Jobs whose results were already stored (by this or any earlier sweep). */
  readonly reused: number;
}

const SEND_BATCH = 10;

function columnsOf(bars: Bars): Float64Array[] {
  return [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume];
}

/** `sweep-plan`: validates a spec, stores its data, splits it into jobs and queues those not yet computed. */
export function createSweepPlanner(deps: SweepDependencies) {
  async function loadDataset(entry: SweepDatasetEntry, baseDir: string): Promise<DatasetForPlan> {
    if ('file' in entry && entry.file !== undefined) {
      if (!deps.readDatasetFile) {
        throw new SweepSpecError(
          'data sets given as files need the local runtime; send candles or the hash of a stored data set',
        );
      }
      const path = isAbsolute(entry.file) ? entry.file : resolve(baseDir, entry.file);
      const bars = await deps.readDatasetFile(path);
      const name = entry.file.replace(/^.*[\\/]/, '');
      return {
        market: ('market' in entry && entry.market) || marketFromFileName(name),
        name,
        hash: barsHash(columnsOf(bars)),
        bars,
      };
    }
    if ('candles' in entry && entry.candles !== undefined) {
      const market = entry.market!;
      const bars = barsFromRows(entry.candles, `candles of ${market}`);
      return { market, name: `${market} (inline)`, hash: barsHash(columnsOf(bars)), bars };
    }
    const hash = (entry as { hash: string }).hash;
    const bars = await deps.datasets.get(hash);
    if (!bars) throw new SweepSpecError(`no stored data set has hash ${hash}; send its candles instead`);
    return {
      market: (entry as { market: string }).market,
      name: hash.slice(0, 12),
      hash,
      bars: bars as Bars,
    };
  }

  async function announceCompleted(sweep: SweepRecord): Promise<void> {
    const detail: SweepCompleted = {
      sweepId: sweep.sweepId,
      total: sweep.total,
      done: sweep.done,
      failed: sweep.failed,
    };
    await deps.bus.put([{ source: EVENT_SOURCE, detailType: 'SweepCompleted', detail }]);
  }

  /** Submits a sweep; relative file paths in the spec start from `baseDir`. */
  async function submit(input: unknown, baseDir: string, source = 'sweep spec'): Promise<SubmitResult> {
    const spec = parseSweepSpec(input, source);
    const { strategy, ref } = deps.strategies.resolve(spec.strategy, baseDir);
    const datasets = await Promise.all(spec.datasets.map((entry) => loadDataset(entry, baseDir)));
    const { plan, jobs } = planSweep({ spec, strategy, strategyRef: ref, datasets });
    for (const dataset of datasets) {
      await deps.datasets.put({
        hash: dataset.hash,
        market: dataset.market,
        name: dataset.name,
        bars: dataset.bars,
      });
    }
    const now = deps.clock.now();
    const { created, sweep, pendingJobIds } = await deps.sweeps.createSweep({
      sweepId: plan.sweepId,
      spec: plan as unknown as Json,
      jobIds: jobs.map((job) => job.jobId),
      createdAt: now,
    });
    let queued = 0;
    if (sweep.status === 'planning') {
      const pending = new Set(pendingJobIds);
      const bodies = jobs.filter((job) => pending.has(job.jobId)).map((job) => JSON.stringify(job));
      for (let i = 0; i < bodies.length; i += SEND_BATCH)
        await deps.jobs.send(bodies.slice(i, i + SEND_BATCH));
      queued = bodies.length;
      await deps.sweeps.markRunning(plan.sweepId, deps.clock.now());
      // With every result already stored no job will complete the sweep, so planning does.
      if (pending.size === 0) await announceCompleted(sweep);
    } else if (sweep.status === 'running' && sweep.done + sweep.failed === sweep.total) {
      // Every job is in but no outcome was stored (an aggregation failed): submitting again retries it.
      await announceCompleted(sweep);
    }
    const current = (await deps.sweeps.getSweep(plan.sweepId)) ?? sweep;
    return {
      sweepId: plan.sweepId,
      created,
      status: current.status,
      total: current.total,
      queued,
      reused: created ? current.total - pendingJobIds.length : 0,
    };
  }

  /** POST /sweeps: the body is a sweep spec; answers 202 with the sweep id, or 400 with the reason. */
  async function http(
    event: APIGatewayProxyEventV2,
    baseDir: string,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    try {
      const body = jsonBody(event);
      if (body === undefined) return problem(400, 'the request body must be a sweep spec (JSON)');
      const result = await submit(body, baseDir, 'request body');
      return jsonResponse(202, { ...result, links: { self: `/sweeps/${result.sweepId}` } });
    } catch (error) {
      if (error instanceof BadRequestError || isInputError(error))
        return problem(400, (error as Error).message);
      throw error;
    }
  }

  return { submit, http };
}

/** Re-exported for callers that map errors themselves. */
export { MarketDataError, SweepSpecError };
