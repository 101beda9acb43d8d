import type { APIGatewayProxyEventV2, EventBridgeEvent } from 'aws-lambda';
import { awsContentDependencies } from '../lib/aws-content-dependencies';
import { generatorFactory } from '../lib/content-generators';
import { lambda } from '../lib/lambda';
import { logger } from '../lib/observability';
import { createContentGenerator } from './app';

const generator = createContentGenerator(
  awsContentDependencies({ generator: (secrets) => generatorFactory(secrets, process.env) }),
);

/** `content-generate`: POST /content through the HTTP API, or ContentSubmitted / an insight from the bus. */
export const handler = lambda(async (event: APIGatewayProxyEventV2 | EventBridgeEvent<string, unknown>) => {
  if ('requestContext' in event && !('detail-type' in event)) return generator.http(event);
  const bus = event as EventBridgeEvent<string, unknown>;
  const result = await generator.handle(bus);
  logger.info('draft generated', {
    event: bus['detail-type'],
    eventId: bus.id,
    draftId: result?.draft.id,
    created: result?.created,
    status: result?.draft.status,
  });
  return undefined;
});
