import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqliteQueue } from '@shared/adapters/local/sqlite/queue';
import type { Clock } from '@shared/ports/clock';
import type { BusEvent, EventBus } from '@shared/ports/event-bus';
import type { ReceivedMessage } from '@shared/ports/queue';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import type { SweepDependencies } from '../../functions/lib/sweep-deps';
import { readBarsFile } from '../../local/market-data-file';
import { type LocalAdapters, openLocalAdapters } from '../../local/runtime/local-adapters';
import { toSqsEvent } from '../../local/runtime/sqs-event';
import { createStrategyResolver } from '../../local/strategy-loader';
import { SAMPLE_DIR } from './sample-data';

/** The bundled GOOG.csv, by absolute path (2,148 daily bars). */
export const GOOG_CSV = join(SAMPLE_DIR, 'GOOG.csv');

/** The fixture strategy whose signal() throws for period 13 (test/fixtures/strategies/fails-on-period.ts). */
export const FAILS_ON_PERIOD = join(__dirname, '../fixtures/strategies/fails-on-period.ts');

/** An event bus double that keeps every event put on it, in order. */
export class RecordingEventBus implements EventBus {
  readonly events: BusEvent[] = [];
  /** How many times `put` was called. */
  puts = 0;

  async put(events: readonly BusEvent[]): Promise<void> {
    this.puts++;
    this.events.push(...events);
  }

  /** The events of one detail-type. */
  ofType(detailType: string): BusEvent[] {
    return this.events.filter((event) => event.detailType === detailType);
  }
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private time = Date.parse('2025-01-06T12:00:00Z')) {}

  now(): number {
    return this.time;
  }

  advance(milliseconds: number): void {
    this.time += milliseconds;
  }
}

/** Real SQLite stores and queues in a temporary Flywheel home, a recording bus and a manual clock. */
export interface SweepHarness {
  readonly home: string;
  readonly adapters: LocalAdapters;
  readonly bus: RecordingEventBus;
  readonly clock: ManualClock;
  readonly deps: SweepDependencies;
  /** The `backtest-jobs` queue. */
  readonly jobs: SqliteQueue;
  /** The `backtest-jobs-dlq` queue. */
  readonly deadLetters: SqliteQueue;
  /** Closes the database and removes the temporary home. */
  close(): void;
}

/** Opens a fresh harness; call `close()` after each test. */
export function openSweepHarness(): SweepHarness {
  const home = mkdtempSync(join(tmpdir(), 'flywheel-functions-'));
  const adapters = openLocalAdapters(home, 'test');
  const bus = new RecordingEventBus();
  const clock = new ManualClock();
  const jobs = adapters.queues['backtest-jobs'];
  const deps: SweepDependencies = {
    sweeps: adapters.sweeps,
    datasets: adapters.datasets,
    promotions: adapters.promotions,
    jobs,
    bus,
    strategies: createStrategyResolver(),
    clock,
    readDatasetFile: readBarsFile,
  };
  return {
    home,
    adapters,
    bus,
    clock,
    deps,
    jobs,
    deadLetters: adapters.queues['backtest-jobs-dlq'],
    close: () => {
      adapters.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Receives every visible message of a queue, 10 at a time. */
export async function receiveAll(queue: SqliteQueue): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  for (;;) {
    const batch = await queue.receive({ maxMessages: 10 });
    if (batch.length === 0) return received;
    received.push(...batch);
  }
}

/** Messages as the SQS event the queue's event source mapping would deliver. */
export function sqsEvent(queue: SqliteQueue, messages: readonly ReceivedMessage[]): SQSEvent {
  return toSqsEvent(queue.name, messages, Date.parse('2025-01-06T12:00:00Z'));
}

/** An API Gateway HTTP API (v2) event, shaped like the one the local HTTP server builds. */
export function httpEvent(request: {
  method: 'GET' | 'POST';
  path: string;
  routeKey: string;
  body?: string;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  const query = new URLSearchParams(request.queryStringParameters ?? {}).toString();
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.path,
    rawQueryString: query,
    headers: { 'content-type': 'application/json' },
    ...(request.queryStringParameters ? { queryStringParameters: request.queryStringParameters } : {}),
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'jest',
      },
      requestId: 'request-1',
      routeKey: request.routeKey,
      stage: '$default',
      time: '2025-01-06T12:00:00.000Z',
      timeEpoch: Date.parse('2025-01-06T12:00:00Z'),
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
}

/** The JSON body of a handler's response. */
export function responseJson(response: { body?: string | undefined }): Record<string, unknown> {
  return JSON.parse(response.body ?? 'null') as Record<string, unknown>;
}
