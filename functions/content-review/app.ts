import {
  DraftConflictError,
  DraftNotFoundError,
  type DraftRecord,
  type DraftStatus,
} from '@shared/ports/draft-store';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import {
  ApproveDraftRequestSchema,
  DRAFT_STATUSES,
  type DraftApproved,
  EVENT_SOURCE,
  RejectDraftRequestSchema,
} from '../../events/catalog';
import type { ContentDependencies } from '../lib/content-deps';
import { describeIssues } from '../lib/content-errors';
import { draftDetail, draftOverview } from '../lib/draft-view';
import { BadRequestError, jsonBody, jsonResponse, problem } from '../lib/http';

/** Drafts a person may approve: new ones, and failed ones (approving again retries what did not publish). */
const APPROVABLE: readonly DraftStatus[] = ['draft', 'failed'];
/** Drafts a person may reject: anything not yet handed to publishing (a scheduled one not yet due included). */
const REJECTABLE: readonly DraftStatus[] = ['draft', 'scheduled', 'failed'];

/** What a person asked of a draft. */
export type ReviewDecision =
  | { readonly approve: true; readonly scheduleAt?: number }
  | { readonly reject: string };

/**
 * `content-review`: lists and shows drafts, approves one (now, or scheduled for later) and rejects one. A status
 * change is atomic on the status the draft is in, so of two people approving at once one wins and the other is
 * told (409) what the draft became.
 */
export function createContentReviewer(deps: ContentDependencies) {
  const metric = deps.metric ?? (() => {});

  /** Approves a draft: published as soon as content-publish takes it, or when `scheduleAt` (epoch ms) is due. */
  async function approve(id: string, scheduleAt?: number): Promise<DraftRecord> {
    const now = deps.clock.now();
    const later = scheduleAt !== undefined && scheduleAt > now;
    const draft = await deps.drafts.transition(id, {
      to: later ? 'scheduled' : 'approved',
      expected: APPROVABLE,
      at: now,
      scheduledFor: later ? scheduleAt : null,
      reason: null,
    });
    const detail: DraftApproved = { draftId: id, ...(later ? { scheduledFor: scheduleAt } : {}) };
    await deps.bus.put([{ source: EVENT_SOURCE, detailType: 'DraftApproved', detail }]);
    metric('DraftsApproved', 1);
    return draft;
  }

  /** Rejects a draft with the reviewer's reason. */
  async function reject(id: string, reason: string): Promise<DraftRecord> {
    const draft = await deps.drafts.transition(id, {
      to: 'rejected',
      expected: REJECTABLE,
      at: deps.clock.now(),
      scheduledFor: null,
      reason,
    });
    metric('DraftsRejected', 1);
    return draft;
  }

  function parseBody<T>(event: APIGatewayProxyEventV2, schema: z.ZodType<T>, what: string): T {
    const parsed = schema.safeParse(jsonBody(event) ?? {});
    if (!parsed.success)
      throw new BadRequestError(`the ${what} body is invalid:\n${describeIssues(parsed.error)}`);
    return parsed.data;
  }

  async function list(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const query = event.queryStringParameters ?? {};
    const status = query.status;
    if (status !== undefined && !(DRAFT_STATUSES as readonly string[]).includes(status))
      return problem(400, `status must be one of ${DRAFT_STATUSES.join(', ')}`);
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      return problem(400, 'limit must be a whole number from 1 to 500');
    const drafts = await deps.drafts.list({ ...(status ? { status: status as DraftStatus } : {}), limit });
    return jsonResponse(200, { drafts: drafts.map(draftOverview) });
  }

  /** GET /content/drafts, GET /content/drafts/{id}, POST /content/drafts/{id}/approve and …/reject. */
  async function http(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const id = event.pathParameters?.id;
    const route = event.routeKey;
    try {
      if (!id) return await list(event);
      if (route === 'GET /content/drafts/{id}') {
        const draft = await deps.drafts.get(id);
        return draft ? jsonResponse(200, draftDetail(draft)) : problem(404, `no draft has id ${id}`);
      }
      if (route === 'POST /content/drafts/{id}/approve') {
        const { scheduleAt } = parseBody(event, ApproveDraftRequestSchema, 'approval');
        const draft = await approve(id, scheduleAt === undefined ? undefined : Date.parse(scheduleAt));
        return jsonResponse(200, draftOverview(draft));
      }
      if (route === 'POST /content/drafts/{id}/reject') {
        const { reason } = parseBody(event, RejectDraftRequestSchema, 'rejection');
        return jsonResponse(200, draftOverview(await reject(id, reason)));
      }
      return problem(404, `content-review has no route ${route}`);
    } catch (error) {
      if (error instanceof BadRequestError) return problem(400, error.message);
      if (error instanceof DraftNotFoundError) return problem(404, error.message);
      if (error instanceof DraftConflictError) {
        const current = await deps.drafts.get(id!);
        return jsonResponse(409, { error: error.message, status: current?.status ?? null });
      }
      throw error;
    }
  }

  return { approve, reject, http };
}
