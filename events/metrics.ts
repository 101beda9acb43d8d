/** The CloudWatch namespace of every Flywheel metric. */
export const METRICS_NAMESPACE = 'Flywheel';

/** The one metric catalog: handlers emit these, the dashboards read them. */
export const METRICS = {
  SweepsPlanned: { unit: 'Count', description: 'sweeps submitted (new or repeated)' },
  JobsQueued: { unit: 'Count', description: 'backtest jobs sent to the queue' },
  JobsCompleted: { unit: 'Count', description: 'backtest jobs whose result was stored' },
  JobsFailed: { unit: 'Count', description: 'jobs counted failed after the dead-letter queue' },
  BacktestsRun: { unit: 'Count', description: 'single backtests run by workers (full period and folds)' },
  JobDuration: { unit: 'Milliseconds', description: 'time to run one job' },
  SweepsAggregated: { unit: 'Count', description: 'sweeps ranked and validated' },
  StrategiesPromoted: { unit: 'Count', description: 'champions promoted to trading' },
  DepsChecks: { unit: 'Count', description: 'dependency checks requested over HTTP' },
  ManifestsChecked: { unit: 'Count', description: 'manifests a dependency check read' },
  Findings: {
    unit: 'Count',
    description: 'dependency-guard findings, one metric per rule (dimension `rule`)',
  },
  WebhookDeliveries: { unit: 'Count', description: 'GitHub webhook deliveries received' },
  ExchangeWebhookAccepted: {
    unit: 'Count',
    description: 'exchange webhook requests accepted (dimension `kind`: fill, order-update or alert)',
  },
  ExchangeWebhookRefused: {
    unit: 'Count',
    description: 'exchange webhook requests refused (dimension `status`: 400, 401 or 409)',
  },
  DraftsCreated: { unit: 'Count', description: 'content drafts stored (dimension `origin`: user or system)' },
  DraftsApproved: { unit: 'Count', description: 'drafts approved, by a person or automatically' },
  DraftsRejected: { unit: 'Count', description: 'drafts rejected by a person' },
  DraftsPublished: { unit: 'Count', description: 'drafts whose every version was published' },
  DraftPublishFailures: { unit: 'Count', description: 'drafts with at least one version not published' },
  VersionsPublished: { unit: 'Count', description: 'platform versions published (a receipt stored)' },
  VersionsFailed: { unit: 'Count', description: 'platform versions a channel refused or could not take' },
  LanguageModelInputTokens: {
    unit: 'Count',
    description: 'prompt tokens the language model used for drafts',
  },
  LanguageModelOutputTokens: {
    unit: 'Count',
    description: 'completion tokens the language model wrote for drafts',
  },
  LanguageModelCost: { unit: 'None', description: 'what the language model cost for drafts, in US dollars' },
} as const;

/** A metric's name. */
export type MetricName = keyof typeof METRICS;
