import type { EventBridgeEvent } from 'aws-lambda';
import { z } from 'zod';
import { awsContentDependencies } from '../lib/aws-content-dependencies';
import { lambda } from '../lib/lambda';
import { logger } from '../lib/observability';
import { createContentPublisher } from './app';

const publisher = createContentPublisher(awsContentDependencies());

/** What the topology's EventBridge Scheduler schedule sends. */
const ScheduledRunSchema = z.object({ schedule: z.string().min(1) });

/** `content-publish`: DraftApproved from the bus, or the schedule that publishes due drafts. */
export const handler = lambda(async (event: EventBridgeEvent<string, unknown> | { schedule: string }) => {
  if ('detail-type' in event) {
    const run = await publisher.handle(event);
    logger.info('draft publish run', { eventId: event.id, ...run, outcomes: run.outcomes.length });
    return undefined;
  }
  const { schedule } = ScheduledRunSchema.parse(event);
  const runs = await publisher.publishDue();
  logger.info('due drafts published', {
    schedule,
    drafts: runs.map((run) => ({ draftId: run.draftId, status: run.status })),
  });
  return undefined;
});
