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
} as const;

/** A metric's name. */
export type MetricName = keyof typeof METRICS;
