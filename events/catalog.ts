import { z } from 'zod';

/** The event source Flywheel puts on its bus. */
export const EVENT_SOURCE = 'flywheel';

/** A strategy as jobs and events refer to it: a built-in name, or a module with the hash of its contents. */
export const StrategyRefSchema = z.object({
  name: z.string().min(1),
  /** Absolute path of a user's strategy module; absent for built-ins. */
  module: z.string().min(1).optional(),
  /** `builtin:<name>@<flywheel version>` or `module:<sha256 of the module file>`: what makes results reusable. */
  identity: z.string().min(1),
});

/** Parameter values of one combination. */
export const ParamValuesSchema = z.record(z.string(), z.union([z.number(), z.boolean()]));

/** Engine options as they travel in messages: validated numbers, times as epoch ms. */
export const EngineOptionsSchema = z.object({
  cash: z.number(),
  commission: z.number(),
  spread: z.number(),
  slippageBps: z.number(),
  fractional: z.boolean(),
  lotStep: z.number().optional(),
  longOnly: z.boolean(),
  stopLossPct: z.number().optional(),
  takeProfitPct: z.number().optional(),
  from: z.number().optional(),
  to: z.number().optional(),
});

/** Walk-forward settings: rolling or anchored folds, each split in-sample / out-of-sample. */
export const WalkForwardSettingsSchema = z.object({
  mode: z.enum(['rolling', 'anchored']),
  folds: z.number().int().min(1),
  inSample: z.number().gt(0).lt(1),
});

/** The body of a `backtest-jobs` queue message: one chunk of combinations on one data set. */
export const BacktestJobMessageSchema = z.object({
  sweepId: z.string().min(1),
  jobId: z.string().min(1),
  market: z.string().min(1),
  datasetHash: z.string().min(1),
  strategy: StrategyRefSchema,
  /** Index of the first combination of this chunk in the market's grid order. */
  firstIndex: z.number().int().min(0),
  combinations: z.array(ParamValuesSchema).min(1),
  engine: EngineOptionsSchema,
  walkForward: WalkForwardSettingsSchema,
});

/** detail-type `SweepCompleted`: every job of a sweep is done or dead-lettered. */
export const SweepCompletedSchema = z.object({
  sweepId: z.string().min(1),
  total: z.number().int().min(0),
  done: z.number().int().min(0),
  failed: z.number().int().min(0),
});

/** detail-type `StrategyPromoted`: a champion passed walk-forward validation and now trades its market. */
export const StrategyPromotedSchema = z.object({
  market: z.string().min(1),
  sweepId: z.string().min(1),
  datasetHash: z.string().min(1),
  strategy: StrategyRefSchema,
  params: ParamValuesSchema,
  engine: EngineOptionsSchema,
  objective: z.string().min(1),
  /** How the champion was validated. */
  walkForwardSettings: WalkForwardSettingsSchema,
  walkForward: z.object({
    objective: z.number().nullable(),
    inSampleObjective: z.number().nullable(),
    ratio: z.number().nullable(),
    trades: z.number().int().min(0),
  }),
  reason: z.string().min(1),
});

/** Every event on the bus by detail-type, with its schema. */
export const EVENT_CATALOG = {
  SweepCompleted: SweepCompletedSchema,
  StrategyPromoted: StrategyPromotedSchema,
} as const;

/** A detail-type in the catalog. */
export type DetailType = keyof typeof EVENT_CATALOG;
/** A backtest job as queued. */
export type BacktestJobMessage = z.infer<typeof BacktestJobMessageSchema>;
/** A strategy reference. */
export type StrategyRef = z.infer<typeof StrategyRefSchema>;
/** The detail of `SweepCompleted`. */
export type SweepCompleted = z.infer<typeof SweepCompletedSchema>;
/** The detail of `StrategyPromoted`. */
export type StrategyPromoted = z.infer<typeof StrategyPromotedSchema>;
/** Walk-forward settings. */
export type WalkForwardSettings = z.infer<typeof WalkForwardSettingsSchema>;

/** Most files one POST /deps/check may carry; a repository's manifests are a handful. */
export const MAX_DEPS_CHECK_FILES = 500;

/** The body of POST /deps/check: manifests by path and content, and what to check them against. */
export const DepsCheckRequestSchema = z
  .object({
    /** Every manifest the check may read: the roots and the files they include (`-r`, `-c`). */
    files: z
      .array(
        z
          .object({
            /** Relative, `/`-separated, as in the repository (`requirements/dev.txt`). */
            path: z
              .string()
              .min(1)
              .max(1024)
              .refine((path) => !path.startsWith('/') && !path.split(/[\\/]/).includes('..'), {
                error: 'must be relative and stay inside the repository (no leading / and no ..)',
              }),
            content: z.string(),
          })
          .strict(),
      )
      .min(1, { error: 'send at least one manifest' })
      .max(MAX_DEPS_CHECK_FILES),
    /** The files to check as roots; default every file given. Each must be among `files`. */
    paths: z.array(z.string().min(1)).min(1).optional(),
    /** The target Python, X.Y; default the CLI's (3.13). */
    python: z
      .string()
      .regex(/^\d+\.\d+$/, { error: 'expected X.Y, e.g. "3.12"' })
      .optional(),
    /** Turn on the `unpinned` rule, as --require-pins does. */
    requirePins: z.boolean().optional(),
  })
  .strict();

/** A POST /deps/check body. */
export type DepsCheckRequest = z.infer<typeof DepsCheckRequestSchema>;

/** One commit of a GitHub push event: the files it added, modified and removed. */
const GitHubPushCommitSchema = z.object({
  id: z.string(),
  added: z.array(z.string()).default([]),
  modified: z.array(z.string()).default([]),
  removed: z.array(z.string()).default([]),
});

/** The fields of GitHub's `push` webhook payload the dependency check reads (the rest is ignored). */
export const GitHubPushEventSchema = z.object({
  ref: z.string(),
  /** The commit the ref points to after the push; forty zeros when the push deleted the ref. */
  after: z.string().regex(/^[0-9a-f]{40}$/i, { error: 'expected a 40-character commit SHA' }),
  deleted: z.boolean().default(false),
  commits: z.array(GitHubPushCommitSchema).default([]),
  head_commit: GitHubPushCommitSchema.nullable().default(null),
  repository: z.object({
    /** `owner/name`. */
    full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected owner/name' }),
  }),
});

/** A GitHub push event, as the webhook reads it. */
export type GitHubPushEvent = z.infer<typeof GitHubPushEventSchema>;
