import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from './observability';

/** Wraps a handler the same way for every function: Lambda context in the logs, metrics flushed after each call. */
export function lambda<Event, Result>(handle: (event: Event, context: Context) => Promise<Result>) {
  return middy(handle).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
