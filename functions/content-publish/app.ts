import { setTimeout as wait } from 'node:timers/promises';
import type { PlatformVersion } from '@shared/content/model';
import {
  type DraftPublishResult,
  type PublishOutcome,
  type PublishRoutes,
  publishDraft,
} from '@shared/content/publish';
import { DraftConflictError, type DraftRecord } from '@shared/ports/draft-store';
import type { EventBridgeEvent } from 'aws-lambda';
import {
  DraftApprovedSchema,
  type DraftPublished,
  type DraftPublishFailed,
  EVENT_SOURCE,
  type PlatformOutcome,
} from '../../events/catalog';
import type { ContentDependencies } from '../lib/content-deps';
import { ContentRequestError, describeIssues } from '../lib/content-errors';

/** Attempts per version in one invocation; a version still failing is retried when the draft is approved again. */
const MAX_ATTEMPTS = 3;

/** What one publish run did to a draft. */
export interface PublishRun {
  readonly draftId: string;
  /** `skipped`: the draft was not approved (any more), or another invocation finished it first. */
  readonly status: 'published' | 'failed' | 'skipped';
  readonly outcomes: readonly PlatformOutcome[];
  readonly reason: string | null;
}

/** A publish outcome as events and responses carry it. */
function platformOutcome(outcome: PublishOutcome): PlatformOutcome {
  if (outcome.status === 'published') {
    return {
      platform: outcome.platform,
      outcome: 'published',
      channel: outcome.channel,
      url: outcome.receipt.url,
      reason: outcome.note ?? null,
    };
  }
  if (outcome.status === 'skipped') {
    return {
      platform: outcome.platform,
      outcome: 'skipped',
      channel: null,
      url: null,
      reason: outcome.reason,
    };
  }
  return {
    platform: outcome.platform,
    outcome: outcome.outcomeUnknown ? 'unknown' : 'failed',
    channel: outcome.channel,
    url: null,
    reason: outcome.reason,
  };
}

/** The versions of a stored draft (its content is a `Repurposed`). */
function versionsOf(draft: DraftRecord): Pick<PlatformVersion, 'platform' | 'text' | 'posts'>[] {
  const content = draft.content as { versions?: unknown } | null;
  return Array.isArray(content?.versions) ? (content.versions as PlatformVersion[]) : [];
}

/**
 * `content-publish`: publishes an approved draft's versions to their channels (on `DraftApproved`), and every
 * scheduled draft once due (on its schedule). Each version is posted at most once (the publication log); the draft
 * then becomes `published`, or `failed` with each failed version's reason, and `DraftPublished` or
 * `DraftPublishFailed` says so.
 */
export function createContentPublisher(deps: ContentDependencies) {
  const metric = deps.metric ?? (() => {});

  async function publish(draft: DraftRecord): Promise<PublishRun> {
    const skipped = (reason: string): PublishRun => ({
      draftId: draft.id,
      status: 'skipped',
      outcomes: [],
      reason,
    });
    if (draft.status !== 'approved') return skipped(`the draft is ${draft.status}, not approved`);
    const result: DraftPublishResult = await publishDraft(
      { id: draft.id, versions: versionsOf(draft) },
      deps.settings.routes as PublishRoutes,
      await deps.publishers(),
      deps.publications,
      { now: () => deps.clock.now(), sleep: deps.sleep ?? ((ms) => wait(ms)), maxAttempts: MAX_ATTEMPTS },
    );
    const outcomes = result.outcomes.map(platformOutcome);
    const published = outcomes.filter((outcome) => outcome.outcome === 'published').length;
    metric('VersionsPublished', published);
    metric(
      'VersionsFailed',
      outcomes.filter((outcome) => outcome.outcome === 'failed' || outcome.outcome === 'unknown').length,
    );
    try {
      await deps.drafts.transition(draft.id, {
        to: result.status,
        expected: ['approved'],
        at: deps.clock.now(),
        reason: result.reason,
      });
    } catch (error) {
      // Another invocation finished this draft first; it announced the outcome.
      if (error instanceof DraftConflictError) return { ...skipped(error.message), outcomes };
      throw error;
    }
    if (result.status === 'published') {
      const detail: DraftPublished = { draftId: draft.id, outcomes };
      await deps.bus.put([{ source: EVENT_SOURCE, detailType: 'DraftPublished', detail }]);
      metric('DraftsPublished', 1);
    } else {
      const detail: DraftPublishFailed = {
        draftId: draft.id,
        outcomes,
        reason: result.reason ?? 'not published',
      };
      await deps.bus.put([{ source: EVENT_SOURCE, detailType: 'DraftPublishFailed', detail }]);
      metric('DraftPublishFailures', 1);
    }
    return { draftId: draft.id, status: result.status, outcomes, reason: result.reason };
  }

  /** `DraftApproved`: publishes the draft now, unless it is scheduled for later (the schedule takes it then). */
  async function handle(event: EventBridgeEvent<string, unknown>): Promise<PublishRun> {
    const parsed = DraftApprovedSchema.safeParse(event.detail);
    if (!parsed.success)
      throw new ContentRequestError(`the DraftApproved detail is invalid:\n${describeIssues(parsed.error)}`);
    const draft = await deps.drafts.get(parsed.data.draftId);
    if (!draft)
      return { draftId: parsed.data.draftId, status: 'skipped', outcomes: [], reason: 'no such draft' };
    return publish(draft);
  }

  /** The schedule: takes each due scheduled draft (one taker wins) and publishes it. */
  async function publishDue(): Promise<PublishRun[]> {
    const runs: PublishRun[] = [];
    for (const due of await deps.drafts.due(deps.clock.now())) {
      let taken: DraftRecord;
      try {
        taken = await deps.drafts.transition(due.id, {
          to: 'approved',
          expected: ['scheduled'],
          at: deps.clock.now(),
        });
      } catch (error) {
        if (error instanceof DraftConflictError) continue; // rejected or taken by another run meanwhile
        throw error;
      }
      runs.push(await publish(taken));
    }
    return runs;
  }

  return { publish, handle, publishDue };
}
