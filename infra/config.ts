import { ContentSettingsSchema, DEFAULT_CONTENT_SETTINGS } from '@shared/content/settings';
import { MarketSettingsSchema, scheduledIngestRun } from '@shared/market/settings';
import { TradingSettingsSchema } from '@shared/trading/settings';
import type { App } from 'aws-cdk-lib';
import { z } from 'zod';
import { RESOURCE_VARIABLES, type SettingsSection } from '../events/topology';

/** Log retention periods CloudWatch Logs accepts, in days. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * The variable that switches live trading on in trade-executor (liveBrokerFromEnv's gate, whose module loads
 * ccxt, so the CDK app keeps its own copy; test/infra checks they agree).
 */
export const LIVE_TRADING_VARIABLE = 'FLYWHEEL_LIVE_TRADING';

/** `trading:` of a stage: the trading settings, and whether the deployment lets trade-executor trade live. */
export const StageTradingSchema = TradingSettingsSchema.extend({
  /**
   * Sets FLYWHEEL_LIVE_TRADING=1 on trade-executor: with `mode: live` and the exchange-credentials secret set, it
   * places real orders. Off by default, so live trading is never on unless a stage says so.
   */
  liveTrading: z.boolean().default(false),
}).strict();

/** How one stage (dev, prod) is deployed; read from CDK context, never from the environment inside constructs. */
export const StageConfigSchema = z
  .object({
    /** HTTP API auth: IAM (SigV4-signed requests) or a JWT authorizer. */
    auth: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('iam') }).strict(),
        z
          .object({ type: z.literal('jwt'), issuer: z.url(), audience: z.array(z.string().min(1)).min(1) })
          .strict(),
      ])
      .default({ type: 'iam' }),
    worker: z
      .object({
        /** Jobs per backtest-worker invocation (SQS batch size, 1–10). */
        batchSize: z.number().int().min(1).max(10).default(10),
        /** Most concurrent backtest-worker invocations (SQS maximum concurrency, 2–1000). */
        maxConcurrency: z.number().int().min(2).max(1000).default(50),
        /** Memory of a backtest worker; 1,769 MB is one full vCPU. */
        memoryMb: z.number().int().min(128).max(10240).default(1769),
      })
      .strict()
      .default({ batchSize: 10, maxConcurrency: 50, memoryMb: 1769 }),
    logRetentionDays: z
      .number()
      .refine((days) => RETENTION_DAYS.includes(days), {
        error: `must be one of ${RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    /** What happens to tables and the bucket when the stack is deleted. */
    removal: z.enum(['retain', 'destroy']).default('retain'),
    pointInTimeRecovery: z.boolean().default(true),
    /** Recurring sweeps: EventBridge Scheduler schedules that invoke sweep-plan with the spec. */
    schedules: z
      .array(
        z
          .object({
            name: z.string().regex(/^[0-9a-zA-Z\-_.]{1,64}$/),
            expression: z.string().min(1),
            timezone: z.string().default('UTC'),
            spec: z.record(z.string(), z.unknown()),
          })
          .strict(),
      )
      .default([]),
    /** Content repurposing: tone, brand voice, per-account limits, approval per origin, publishing routes. */
    content: ContentSettingsSchema.default(DEFAULT_CONTENT_SETTINGS),
    /** Market data: `ingest` schedules, each bringing some candle series up to date (market-ingest). */
    market: MarketSettingsSchema.default({ ingest: [] }),
    /** Trading: paper or live, the risk limits, and whether this stage may trade live at all. */
    trading: StageTradingSchema.default({ mode: 'paper', risk: {}, liveTrading: false }),
    /** Where DLQ alarms are e-mailed (optional). */
    alarmEmail: z.email().optional(),
  })
  .strict()
  .superRefine((config, context) => {
    // Every schedule becomes `flywheel-<stage>-<name>` in EventBridge Scheduler, so names are shared by all kinds.
    const seen = new Set<string>();
    for (const name of [...config.schedules, ...config.market.ingest].map((schedule) => schedule.name)) {
      if (seen.has(name))
        context.addIssue({
          code: 'custom',
          path: ['market', 'ingest'],
          message: `schedule name "${name}" is used twice: give each schedule its own name`,
        });
      seen.add(name);
    }
  });

/** A validated stage configuration. */
export type StageConfig = z.infer<typeof StageConfigSchema> & { readonly stage: string };

/** The stage configuration is invalid; the message names each field. */
export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

/** Reads `-c stage=<name>` (default dev) and `context.stages.<name>` from cdk.json, and validates it. */
export function stageConfig(app: App): StageConfig {
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  const stages = (app.node.tryGetContext('stages') ?? {}) as Record<string, unknown>;
  if (!(stage in stages)) {
    throw new StageConfigError(
      `no configuration for stage "${stage}" in cdk.json context.stages (known: ${Object.keys(stages).join(', ') || 'none'})`,
    );
  }
  const parsed = StageConfigSchema.safeParse(stages[stage]);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  - stages.${stage}.${issue.path.join('.')}: ${issue.message}`,
    );
    throw new StageConfigError(`cdk.json context for stage "${stage}" is invalid:\n${problems.join('\n')}`);
  }
  return { ...parsed.data, stage };
}

/**
 * The environment a function reading `section` of the settings gets: the section as JSON (small: an environment
 * variable keeps it out of any store), and for `trading` the live-trading flag when the stage turns it on.
 */
export function settingsEnvironment(config: StageConfig, section: SettingsSection): Record<string, string> {
  if (section === 'content')
    return { [RESOURCE_VARIABLES.settings(section)]: JSON.stringify(config.content) };
  const { liveTrading, ...trading } = config.trading;
  return {
    [RESOURCE_VARIABLES.settings(section)]: JSON.stringify(trading),
    ...(liveTrading ? { [LIVE_TRADING_VARIABLE]: '1' } : {}),
  };
}

/** One schedule of a configured schedule trigger: when it runs and the payload it sends the function. */
export interface ConfiguredSchedule {
  readonly name: string;
  readonly expression: string;
  readonly timezone: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** The schedules a topology trigger's `configKey` names in the stage configuration. */
export function configuredSchedules(config: StageConfig, configKey: string): ConfiguredSchedule[] {
  if (configKey === 'sweeps.schedules') {
    return config.schedules.map((schedule) => ({
      name: schedule.name,
      expression: schedule.expression,
      timezone: schedule.timezone,
      input: { schedule: schedule.name, spec: schedule.spec },
    }));
  }
  if (configKey === 'market.ingest') {
    return config.market.ingest.map((schedule) => ({
      name: schedule.name,
      expression: schedule.expression,
      timezone: schedule.timezone,
      input: scheduledIngestRun(schedule),
    }));
  }
  throw new StageConfigError(
    `the topology names schedules at "${configKey}", which the stage configuration does not have: add it to infra/config.ts`,
  );
}
