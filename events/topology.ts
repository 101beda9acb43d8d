/**
 * The one description of what runs where: every function with its triggers, every queue and table. The CDK app
 * (infra/) and the local runtime (local/) are both built from this object, so they cannot drift apart.
 */

/** An HTTP API route. */
export interface HttpTrigger {
  readonly type: 'http';
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway route path, with `{name}` path parameters. */
  readonly path: string;
}

/** An SQS event source. */
export interface QueueTrigger {
  readonly type: 'queue';
  readonly queue: string;
  readonly batchSize: number;
  /** Most concurrent invocations (Lambda's maximum concurrency for SQS); locally, the worker pool size caps it. */
  readonly maxConcurrency?: number;
}

/** An EventBridge rule on the Flywheel bus. */
export interface EventTrigger {
  readonly type: 'event';
  /** An EventBridge event pattern. */
  readonly pattern: Readonly<Record<string, unknown>>;
}

/** EventBridge Scheduler schedules, taken from configuration (a list of expressions and payloads). */
export interface ScheduleTrigger {
  readonly type: 'schedule';
  /** Where the schedules come from: a key of the runtime configuration (CDK context on AWS). */
  readonly configKey: string;
}

/** Anything that invokes a function. */
export type Trigger = HttpTrigger | QueueTrigger | EventTrigger | ScheduleTrigger;

/** A queue with its redrive policy. */
export interface QueueDefinition {
  /** At least six times the consumer's timeout, as AWS advises for SQS event sources. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount?: number;
  readonly deadLetterQueue?: string;
  readonly retentionDays: number;
}

/** A function: its handler folder under functions/, limits and triggers. */
export interface FunctionDefinition {
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** CPU-heavy: run in the local worker-thread pool rather than in the main thread. */
  readonly cpuBound?: boolean;
  readonly triggers: readonly Trigger[];
}

const BACKTEST_WORKER_TIMEOUT_SECONDS = 120;

/** Queues by name. */
export const QUEUES = {
  'backtest-jobs': {
    visibilityTimeoutSeconds: 6 * BACKTEST_WORKER_TIMEOUT_SECONDS,
    maxReceiveCount: 3,
    deadLetterQueue: 'backtest-jobs-dlq',
    retentionDays: 4,
  },
  'backtest-jobs-dlq': { visibilityTimeoutSeconds: 6 * 30, retentionDays: 14 },
} as const satisfies Record<string, QueueDefinition>;

/** A queue's name. */
export type QueueName = keyof typeof QUEUES;

/** Functions by name; each has its code in functions/<name>/. */
export const FUNCTIONS = {
  'sweep-plan': {
    description: 'Expands a sweep into jobs and queues them (POST /sweeps, recurring schedules)',
    timeoutSeconds: 60,
    memoryMb: 1024,
    triggers: [
      { type: 'http', method: 'POST', path: '/sweeps' },
      { type: 'schedule', configKey: 'sweeps.schedules' },
    ],
  },
  'sweep-read': {
    description: 'Reads sweeps back (GET /sweeps, GET /sweeps/{id})',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      { type: 'http', method: 'GET', path: '/sweeps' },
      { type: 'http', method: 'GET', path: '/sweeps/{id}' },
    ],
  },
  'backtest-worker': {
    description:
      'Runs backtest jobs: every combination of a chunk on the full period and each in-sample fold',
    timeoutSeconds: BACKTEST_WORKER_TIMEOUT_SECONDS,
    memoryMb: 1769,
    cpuBound: true,
    triggers: [{ type: 'queue', queue: 'backtest-jobs', batchSize: 10, maxConcurrency: 50 }],
  },
  'backtest-dead-letter': {
    description: 'Counts dead-lettered jobs as failed so their sweep can complete',
    timeoutSeconds: 30,
    memoryMb: 512,
    triggers: [{ type: 'queue', queue: 'backtest-jobs-dlq', batchSize: 10 }],
  },
  'sweep-aggregate': {
    description: 'Ranks a completed sweep, validates walk-forward and decides promotion',
    timeoutSeconds: 300,
    memoryMb: 1769,
    triggers: [{ type: 'event', pattern: { source: ['flywheel'], 'detail-type': ['SweepCompleted'] } }],
  },
} as const satisfies Record<string, FunctionDefinition>;

/** A function's name. */
export type FunctionName = keyof typeof FUNCTIONS;

/** The whole topology. */
export const TOPOLOGY = { queues: QUEUES, functions: FUNCTIONS, bus: 'flywheel' } as const;
