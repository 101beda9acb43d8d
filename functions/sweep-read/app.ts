import type { SweepRecord, SweepStore } from '@shared/ports/sweep-store';
import { SweepPlanSchema } from '@shared/sweep/plan';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonResponse, problem } from '../lib/http';

/** A sweep as lists show it. */
export function sweepOverview(sweep: SweepRecord) {
  const plan = SweepPlanSchema.safeParse(sweep.spec);
  return {
    sweepId: sweep.sweepId,
    status: sweep.status,
    strategy: plan.success ? plan.data.strategy.name : null,
    markets: plan.success ? plan.data.datasets.map((dataset) => dataset.market) : [],
    objective: plan.success ? plan.data.objective : null,
    combinations: plan.success ? plan.data.combinations : null,
    jobs: { total: sweep.total, done: sweep.done, failed: sweep.failed },
    createdAt: new Date(sweep.createdAt).toISOString(),
    updatedAt: new Date(sweep.updatedAt).toISOString(),
  };
}

/** `sweep-read`: GET /sweeps lists sweeps, newest first; GET /sweeps/{id} returns one with its outcome. */
export function createSweepReader(deps: { sweeps: SweepStore }) {
  async function list(limit = 50) {
    return (await deps.sweeps.listSweeps(limit)).map(sweepOverview);
  }

  async function get(sweepId: string) {
    const sweep = await deps.sweeps.getSweep(sweepId);
    if (!sweep) return undefined;
    return {
      ...sweepOverview(sweep),
      failedJobs: await deps.sweeps.failedJobs(sweepId),
      summary: sweep.summary,
    };
  }

  async function http(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const id = event.pathParameters?.id;
    if (id) {
      const sweep = await get(id);
      return sweep ? jsonResponse(200, sweep) : problem(404, `no sweep has id ${id}`);
    }
    const limitText = event.queryStringParameters?.limit;
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      return problem(400, 'limit must be a whole number from 1 to 1000');
    return jsonResponse(200, { sweeps: await list(limit) });
  }

  return { list, get, http };
}
