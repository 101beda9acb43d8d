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
  /**
   * Who authenticates a request. `api` (the default): the API, before the function runs (IAM or a JWT on AWS,
   * the local token locally). `handler`: nobody in front; the function checks each request itself, as a
   * webhook checks its signature (GitHub cannot sign with SigV4 or send a JWT).
   */
  readonly authenticatedBy?: 'api' | 'handler';
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
export interface ConfiguredScheduleTrigger {
  readonly type: 'schedule';
  /** Where the schedules come from: a key of the runtime configuration (CDK context on AWS). */
  readonly configKey: string;
}

/**
 * One EventBridge Scheduler schedule fixed in the topology (a sweep of due work, say). The function receives
 * `{ schedule: <name> }` on AWS, and the local scheduler's event (which carries `scheduleName`) locally.
 */
export interface FixedScheduleTrigger {
  readonly type: 'schedule';
  /** The schedule's name (EventBridge Scheduler's rule: 1–64 letters, digits, -, _ and .). */
  readonly name: string;
  /** `rate(5 minutes)`, `cron(…)`. */
  readonly expression: string;
}

/** A schedule trigger: schedules from configuration, or one fixed schedule. */
export type ScheduleTrigger = ConfiguredScheduleTrigger | FixedScheduleTrigger;

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

/** A global secondary index: a string partition key and a sort key, a number unless said otherwise. */
export interface IndexDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly sortKeyType?: 'string' | 'number';
}

/** A DynamoDB table: its keys (the local runtime keeps the same data in SQLite tables). */
export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly description: string;
  /** Global secondary indexes by name (projecting every attribute), for Queries other than by key. */
  readonly indexes?: Readonly<Record<string, IndexDefinition>>;
  /** A DynamoDB stream of the table's changes, with what each record carries (locally, no feed yet). */
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** The number attribute (epoch seconds) after which DynamoDB deletes an item (TTL). */
  readonly timeToLiveAttribute?: string;
}

/** A secret: a Secrets Manager secret on AWS (created empty; an operator sets its value), a variable locally. */
export interface SecretDefinition {
  readonly description: string;
  /** The environment variable the local runtime reads it from. */
  readonly localVariable: string;
  /** Why Secrets Manager does not rotate it (cdk-nag AwsSolutions-SMG4), and how it is rotated instead. */
  readonly rotation: string;
}

/** What a function may do to each resource; the CDK app grants exactly this and no more. */
export interface FunctionAccess {
  readonly tables?: Readonly<Record<string, 'read' | 'readWrite'>>;
  readonly queues?: Readonly<Record<string, 'send'>>;
  readonly buckets?: Readonly<Record<string, 'read' | 'readWrite'>>;
  readonly bus?: 'put';
  readonly secrets?: Readonly<Record<string, 'read'>>;
}

/** A function: its handler folder under functions/, limits, triggers and access. */
export interface FunctionDefinition {
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** CPU-heavy: run in the local worker-thread pool rather than in the main thread. */
  readonly cpuBound?: boolean;
  readonly triggers: readonly Trigger[];
  readonly access: FunctionAccess;
  /** Sections of the settings the function reads (CDK context on AWS, passed as JSON in its environment). */
  readonly settings?: readonly SettingsSection[];
}

/** A section of the settings a function may read: `content:` or `trading:` of the configuration. */
export type SettingsSection = 'content' | 'trading';

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

/** DynamoDB tables by name. */
export const TABLES = {
  sweeps: { partitionKey: 'sweepId', description: 'one item per sweep: plan, status, job counters, outcome' },
  'sweep-jobs': {
    partitionKey: 'sweepId',
    sortKey: 'jobId',
    description: 'each job of a sweep: pending, done or failed',
  },
  'job-results': {
    partitionKey: 'jobId',
    description: 'job results by job id, shared by every sweep with that job',
  },
  promotions: { partitionKey: 'market', sortKey: 'sweepId', description: 'promotion decisions per market' },
  drafts: {
    partitionKey: 'draftId',
    description: 'content drafts: the versions generated from one source, their status and schedule',
    // Names and keys as DRAFT_INDEXES in shared/adapters/aws/dynamo-draft-store.ts (the contract test builds these).
    indexes: {
      'status-createdAt': { partitionKey: 'status', sortKey: 'createdAt' },
      'status-scheduledFor': { partitionKey: 'status', sortKey: 'scheduledFor' },
    },
  },
  publications: {
    partitionKey: 'publicationKey',
    description: 'one item per draft and platform: publishing, published (with the receipt) or failed',
  },
  candles: {
    partitionKey: 'series',
    sortKey: 'at',
    description:
      'OHLCV candles per market and timeframe (`<exchange>:<symbol>#<timeframe>`), one item per open time (`candle#<ms>`), and the gaps found (`gap#<from>`)',
  },
  trades: {
    partitionKey: 'tradeId',
    description:
      'fills and order updates (paper, live, exchange webhooks) by id; positions are derived from the fills',
    // Names and keys as TRADE_INDEXES in shared/adapters/aws/dynamo-trade-store.ts (the contract test builds these).
    indexes: {
      'kind-timeKey': { partitionKey: 'kind', sortKey: 'timeKey', sortKeyType: 'string' },
      'kindStrategy-timeKey': { partitionKey: 'kindStrategy', sortKey: 'timeKey', sortKeyType: 'string' },
    },
    // Consumed by a later issue (trade anomalies); each record carries the new item.
    stream: 'NEW_IMAGE',
  },
  'trading-state': {
    partitionKey: 'market',
    sortKey: 'strategyId',
    description:
      'what trading remembers per market and strategy between invocations: risk state and halt, last bar processed, the paper account (a JSON document written under a revision condition)',
  },
  'webhook-events': {
    partitionKey: 'eventKey',
    description: 'event ids the exchange webhook accepted (source and id), kept a week to reject replays',
    timeToLiveAttribute: 'expiresAt',
  },
} as const satisfies Record<string, TableDefinition>;

/** A table's name. */
export type TableName = keyof typeof TABLES;

/** S3 buckets by name: data sets and sweep documents too large for a DynamoDB item. */
export const BUCKETS = {
  artifacts: { description: 'market data sets by content hash, large sweep plans and outcomes' },
} as const;

/** A bucket's name. */
export type BucketName = keyof typeof BUCKETS;

/** Secrets by name; no value is ever in code or in the template. */
export const SECRETS = {
  'github-token': {
    description:
      'GitHub token the webhook reads manifests and posts commit statuses with (fine-grained PAT: Contents read, Commit statuses write)',
    localVariable: 'FLYWHEEL_GITHUB_TOKEN',
    rotation:
      'the token is a GitHub personal access token: it is rotated in GitHub (which sets its expiry) and its new value put here',
  },
  'github-webhook-secret': {
    description: 'the secret GitHub signs webhook deliveries with (X-Hub-Signature-256)',
    localVariable: 'FLYWHEEL_GITHUB_WEBHOOK_SECRET',
    rotation:
      'the webhook secret is shared with the webhook settings in GitHub: a rotation sets a new value in both places by hand',
  },
  'openai-api-key': {
    description: 'OpenAI API key content-generate writes drafts with; unset, it uses the offline generator',
    localVariable: 'OPENAI_API_KEY',
    rotation:
      'the key is an OpenAI project key: it is rotated in the OpenAI dashboard (revoke the old one) and its new value put here',
  },
  'publisher-credentials': {
    description:
      'JSON with the credentials of each publishing channel (webhook URLs, bot tokens, app passwords); channels without credentials publish to the outbox',
    localVariable: 'FLYWHEEL_PUBLISHER_CREDENTIALS',
    rotation:
      'each channel issues its own tokens (Discord, Telegram, Mastodon, Bluesky): a rotation creates a new one there, puts the updated JSON here and revokes the old one',
  },
  'exchange-webhook-secrets': {
    description:
      'JSON mapping each exchange webhook source to its secret: {"binance": "…"} for HMAC-signed requests, {"tradingview": {"secret": "…", "mode": "body-secret"}} for sources that can only put a secret in the body',
    localVariable: 'FLYWHEEL_EXCHANGE_WEBHOOK_SECRETS',
    rotation:
      'each secret is shared with the sender (exchange, relay or TradingView alert): a rotation sets a new value on both sides by hand',
  },
  'exchange-credentials': {
    description:
      'JSON with the exchange trade-executor trades on live and its API key: {"FLYWHEEL_EXCHANGE_ID": "binance", "FLYWHEEL_EXCHANGE_API_KEY": "…", "FLYWHEEL_EXCHANGE_SECRET": "…"}, optionally FLYWHEEL_EXCHANGE_PASSWORD, FLYWHEEL_EXCHANGE_SANDBOX and FLYWHEEL_EXCHANGE_MARKET_TYPE; read only when live trading is switched on',
    // Locally the same JSON; the individual FLYWHEEL_EXCHANGE_* variables are read too, under it.
    localVariable: 'FLYWHEEL_EXCHANGE_CREDENTIALS',
    rotation:
      'the key is created on the exchange (with trading permission, no withdrawals, ideally IP-restricted): a rotation creates a new key there, puts the updated JSON here and deletes the old key',
  },
} as const satisfies Record<string, SecretDefinition>;

/** A secret's name. */
export type SecretName = keyof typeof SECRETS;

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
    access: {
      tables: { sweeps: 'readWrite', 'sweep-jobs': 'readWrite', 'job-results': 'read' },
      queues: { 'backtest-jobs': 'send' },
      buckets: { artifacts: 'readWrite' },
      bus: 'put',
    },
  },
  'sweep-read': {
    description: 'Reads sweeps back (GET /sweeps, GET /sweeps/{id})',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      { type: 'http', method: 'GET', path: '/sweeps' },
      { type: 'http', method: 'GET', path: '/sweeps/{id}' },
    ],
    access: { tables: { sweeps: 'read', 'sweep-jobs': 'read' }, buckets: { artifacts: 'read' } },
  },
  'backtest-worker': {
    description:
      'Runs backtest jobs: every combination of a chunk on the full period and each in-sample fold',
    timeoutSeconds: BACKTEST_WORKER_TIMEOUT_SECONDS,
    memoryMb: 1769,
    cpuBound: true,
    triggers: [{ type: 'queue', queue: 'backtest-jobs', batchSize: 10, maxConcurrency: 50 }],
    access: {
      tables: { sweeps: 'readWrite', 'sweep-jobs': 'readWrite', 'job-results': 'readWrite' },
      buckets: { artifacts: 'read' },
      bus: 'put',
    },
  },
  'backtest-dead-letter': {
    description: 'Counts dead-lettered jobs as failed so their sweep can complete',
    timeoutSeconds: 30,
    memoryMb: 512,
    triggers: [{ type: 'queue', queue: 'backtest-jobs-dlq', batchSize: 10 }],
    access: {
      tables: { sweeps: 'readWrite', 'sweep-jobs': 'readWrite' },
      buckets: { artifacts: 'read' },
      bus: 'put',
    },
  },
  'sweep-aggregate': {
    description: 'Ranks a completed sweep, validates walk-forward and decides promotion',
    timeoutSeconds: 300,
    memoryMb: 1769,
    triggers: [{ type: 'event', pattern: { source: ['flywheel'], 'detail-type': ['SweepCompleted'] } }],
    access: {
      tables: { sweeps: 'readWrite', 'sweep-jobs': 'read', 'job-results': 'read', promotions: 'readWrite' },
      buckets: { artifacts: 'readWrite' },
      bus: 'put',
    },
  },
  'deps-check': {
    description: 'Checks Python manifests sent in the request (POST /deps/check)',
    timeoutSeconds: 30,
    memoryMb: 1024,
    triggers: [{ type: 'http', method: 'POST', path: '/deps/check' }],
    access: {},
  },
  'github-webhook': {
    description:
      'Checks the manifests a GitHub push changed and posts a commit status (POST /webhooks/github)',
    timeoutSeconds: 30,
    memoryMb: 1024,
    triggers: [{ type: 'http', method: 'POST', path: '/webhooks/github', authenticatedBy: 'handler' }],
    access: { secrets: { 'github-token': 'read', 'github-webhook-secret': 'read' } },
  },
  'content-generate': {
    description:
      'Repurposes a core piece (POST /content, ContentSubmitted) or an insight (SweepCompleted, StrategyPromoted) into a draft',
    // Eleven versions from the language model, each up to 30 s with retries; the offline generator needs seconds.
    timeoutSeconds: 300,
    memoryMb: 1024,
    triggers: [
      { type: 'http', method: 'POST', path: '/content' },
      {
        type: 'event',
        pattern: {
          source: ['flywheel'],
          'detail-type': ['ContentSubmitted', 'SweepCompleted', 'StrategyPromoted'],
        },
      },
    ],
    access: { tables: { drafts: 'readWrite' }, bus: 'put', secrets: { 'openai-api-key': 'read' } },
    settings: ['content'],
  },
  'content-review': {
    description:
      'Lists, shows, approves (now or scheduled) and rejects drafts (GET /content/drafts, POST …/approve)',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      { type: 'http', method: 'GET', path: '/content/drafts' },
      { type: 'http', method: 'GET', path: '/content/drafts/{id}' },
      { type: 'http', method: 'POST', path: '/content/drafts/{id}/approve' },
      { type: 'http', method: 'POST', path: '/content/drafts/{id}/reject' },
    ],
    access: { tables: { drafts: 'readWrite' }, bus: 'put' },
  },
  'content-publish': {
    description: 'Publishes approved drafts (DraftApproved) and scheduled drafts when due (every 5 minutes)',
    timeoutSeconds: 120,
    memoryMb: 512,
    triggers: [
      { type: 'event', pattern: { source: ['flywheel'], 'detail-type': ['DraftApproved'] } },
      { type: 'schedule', name: 'content-publish-due', expression: 'rate(5 minutes)' },
    ],
    access: {
      tables: { drafts: 'readWrite', publications: 'readWrite' },
      // The outbox on AWS: versions for platforms without a channel become objects under outbox/.
      buckets: { artifacts: 'readWrite' },
      bus: 'put',
      secrets: { 'publisher-credentials': 'read' },
    },
    settings: ['content'],
  },
  'market-ingest': {
    description:
      'Brings the configured candle series up to date from the exchange (ccxt fetchOHLCV) and emits CandlesIngested',
    // Up to 200 pages per series with rate-limit waits; a run that stops early is resumed by the next one.
    timeoutSeconds: 600,
    memoryMb: 512,
    triggers: [{ type: 'schedule', configKey: 'market.ingest' }],
    access: { tables: { candles: 'readWrite' }, bus: 'put' },
  },
  'exchange-webhook': {
    description:
      'Accepts signed fills, order updates and TradingView-style alerts (POST /webhooks/exchange/{source}): stores them or emits SignalRequested',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      { type: 'http', method: 'POST', path: '/webhooks/exchange/{source}', authenticatedBy: 'handler' },
    ],
    access: {
      tables: { trades: 'readWrite', 'webhook-events': 'readWrite' },
      bus: 'put',
      secrets: { 'exchange-webhook-secrets': 'read' },
    },
  },
  'trading-control': {
    description:
      'Lists and lifts kill-switch halts (GET /trading/status, POST /trading/resume) and announces each halt once on the ops channel (TradingHalted)',
    // Up to three attempts on the ops channel with backoff; status and resume are a few reads and writes.
    timeoutSeconds: 60,
    memoryMb: 512,
    triggers: [
      { type: 'http', method: 'GET', path: '/trading/status' },
      { type: 'http', method: 'POST', path: '/trading/resume' },
      { type: 'event', pattern: { source: ['flywheel'], 'detail-type': ['TradingHalted'] } },
    ],
    access: {
      tables: { 'trading-state': 'readWrite', publications: 'readWrite' },
      // The outbox on AWS, when no chat channel is configured: announcements become objects under outbox/.
      buckets: { artifacts: 'readWrite' },
      secrets: { 'publisher-credentials': 'read' },
    },
  },
  'trade-executor': {
    description:
      'Trades each promoted strategy on every new closed bar (CandlesIngested) through the PaperBroker, or live behind FLYWHEEL_LIVE_TRADING; starts a newly promoted one after reconciling (StrategyPromoted)',
    // A catch-up over many bars recomputes indicators per bar; live orders wait on the exchange.
    timeoutSeconds: 120,
    memoryMb: 1024,
    triggers: [
      {
        type: 'event',
        pattern: { source: ['flywheel'], 'detail-type': ['CandlesIngested', 'StrategyPromoted'] },
      },
    ],
    access: {
      tables: {
        promotions: 'read',
        candles: 'read',
        'trading-state': 'readWrite',
        trades: 'readWrite',
      },
      bus: 'put',
      secrets: { 'exchange-credentials': 'read' },
    },
    settings: ['trading'],
  },
} as const satisfies Record<string, FunctionDefinition>;

/** A function's name. */
export type FunctionName = keyof typeof FUNCTIONS;

/** The whole topology. */
export const TOPOLOGY = {
  queues: QUEUES,
  tables: TABLES,
  buckets: BUCKETS,
  secrets: SECRETS,
  functions: FUNCTIONS,
  bus: 'flywheel',
} as const;

/** The environment variable that carries a resource's name (or URL) into a function. */
export const RESOURCE_VARIABLES = {
  table: (name: TableName) => `TABLE_${name.toUpperCase().replace(/-/g, '_')}`,
  queue: (name: QueueName) => `QUEUE_${name.toUpperCase().replace(/-/g, '_')}_URL`,
  bucket: (name: BucketName) => `BUCKET_${name.toUpperCase().replace(/-/g, '_')}`,
  secret: (name: SecretName) => `SECRET_${name.toUpperCase().replace(/-/g, '_')}_ARN`,
  settings: (section: SettingsSection) => `FLYWHEEL_${section.toUpperCase()}_SETTINGS`,
  bus: 'EVENT_BUS_NAME',
} as const;
