import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { awsContentDependencies } from '../lib/aws-content-dependencies';
import { lambda } from '../lib/lambda';
import { createContentReviewer } from './app';

const reviewer = createContentReviewer(awsContentDependencies());

/** `content-review`: GET /content/drafts, GET /content/drafts/{id}, POST …/approve and POST …/reject. */
export const handler = lambda(async (event: APIGatewayProxyEventV2) => reviewer.http(event));
