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

// ---- Content: one core piece becomes a draft with a version per platform, approved, then published. ----

/** The largest body POST /content and `ContentSubmitted` take (UTF-8 bytes): a long article, well under an event's 256 KB. */
export const MAX_CONTENT_BODY_BYTES = 200 * 1024;

/** Platform ids a request may name (shared/content/model.ts's PLATFORM_IDS; the catalog imports zod only). */
export const CONTENT_PLATFORMS = [
  'x',
  'x-thread',
  'linkedin',
  'instagram',
  'threads',
  'bluesky',
  'mastodon',
  'telegram',
  'discord',
  'newsletter',
  'video-script',
] as const;

/** Tones a request may name (shared/content/model.ts's TONES). */
export const CONTENT_TONES = ['educational', 'bold', 'analytical', 'casual'] as const;

/** detail-type `ContentSubmitted`, and the body of POST /content: a core piece to repurpose into a draft. */
export const ContentSubmittedSchema = z
  .object({
    format: z.enum(['markdown', 'text', 'html']),
    body: z
      .string()
      .min(1, { error: 'the body is empty: send the text of the piece' })
      .refine((body) => Buffer.byteLength(body, 'utf8') <= MAX_CONTENT_BODY_BYTES, {
        error: `the body is over ${MAX_CONTENT_BODY_BYTES / 1024} KB; send one article at a time`,
      }),
    title: z.string().min(1).max(300).optional(),
    canonicalUrl: z.url({ protocol: /^https?$/ }).optional(),
    tags: z.array(z.string().min(1).max(100)).max(30).optional(),
    tone: z.enum(CONTENT_TONES).optional(),
    /** The platforms the draft gets versions for; default the configured ones (every platform). */
    platforms: z.array(z.enum(CONTENT_PLATFORMS)).min(1).optional(),
    /** Where the piece comes from, for people (a file name, a tool); it becomes the draft's source reference. */
    origin: z.string().min(1).max(300).optional(),
  })
  .strict();

/** A POST /content body (the same shape as `ContentSubmitted`). */
export const ContentRequestSchema = ContentSubmittedSchema;

/** Draft statuses (shared/ports/draft-store.ts's DraftStatus). */
export const DRAFT_STATUSES = ['draft', 'approved', 'scheduled', 'published', 'failed', 'rejected'] as const;

/** detail-type `DraftCreated`: a draft was stored (approved right away when its origin auto-publishes). */
export const DraftCreatedSchema = z.object({
  draftId: z.string().min(1),
  status: z.enum(DRAFT_STATUSES),
  origin: z.enum(['user', 'system']),
  sourceRef: z.string(),
  platforms: z.array(z.string()),
});

/** detail-type `DraftApproved`: a draft may be published now (or, with `scheduledFor`, when due). */
export const DraftApprovedSchema = z.object({
  draftId: z.string().min(1),
  /** Epoch ms when a scheduled draft is due; absent when it is to be published now. */
  scheduledFor: z.number().optional(),
});

/** What publishing one platform's version came to. */
export const PlatformOutcomeSchema = z.object({
  platform: z.string(),
  /**
   * `published`: posted now or before (a retry found the receipt); `failed`: refused, with the reason; `unknown`: a
   * post may have gone out, a person must check the channel; `skipped`: routed nowhere or without text.
   */
  outcome: z.enum(['published', 'failed', 'unknown', 'skipped']),
  channel: z.string().nullable(),
  url: z.string().nullable(),
  reason: z.string().nullable(),
});

/** detail-type `DraftPublished`: every version of the draft is published. */
export const DraftPublishedSchema = z.object({
  draftId: z.string().min(1),
  outcomes: z.array(PlatformOutcomeSchema),
});

/** detail-type `DraftPublishFailed`: at least one version could not be published; the outcomes say which and why. */
export const DraftPublishFailedSchema = z.object({
  draftId: z.string().min(1),
  outcomes: z.array(PlatformOutcomeSchema),
  reason: z.string(),
});

/** The body of POST /content/drafts/{id}/approve (optional): publish when due rather than now. */
export const ApproveDraftRequestSchema = z
  .object({
    /** When to publish, as an ISO 8601 time with its offset (`2026-12-01T09:00:00Z`). */
    scheduleAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** The body of POST /content/drafts/{id}/reject. */
export const RejectDraftRequestSchema = z
  .object({ reason: z.string().trim().min(1, { error: 'say why the draft is rejected' }).max(1000) })
  .strict();

/** A ContentSubmitted detail, or a POST /content body. */
export type ContentSubmitted = z.infer<typeof ContentSubmittedSchema>;
/** The detail of `DraftCreated`. */
export type DraftCreated = z.infer<typeof DraftCreatedSchema>;
/** The detail of `DraftApproved`. */
export type DraftApproved = z.infer<typeof DraftApprovedSchema>;
/** One platform's publishing outcome. */
export type PlatformOutcome = z.infer<typeof PlatformOutcomeSchema>;
/** The detail of `DraftPublished`. */
export type DraftPublished = z.infer<typeof DraftPublishedSchema>;
/** The detail of `DraftPublishFailed`. */
export type DraftPublishFailed = z.infer<typeof DraftPublishFailedSchema>;

/** Largest accepted exchange webhook body, checked on the raw bytes before any parsing. */
export const MAX_EXCHANGE_WEBHOOK_BODY_BYTES = 64 * 1024;

/** A time as webhooks send it: epoch milliseconds, or an ISO 8601 time with its offset; read as epoch ms. */
const WebhookTimeSchema = z.union([
  z.number().int().min(0),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);

/** A positive number, or one in a string (TradingView's placeholders are often quoted): read as a number. */
const WebhookAmountSchema = z.union([
  z.number().positive(),
  z
    .string()
    .regex(/^\d+(\.\d+)?([eE][+-]?\d+)?$/, { error: 'expected a positive number' })
    .transform(Number)
    .pipe(z.number().positive()),
]);

const webhookIdentity = {
  /** The event's id at its source: the replay check's key, and the stored entry's id (prefixed by the source). */
  id: z.string().min(1).max(128),
  strategy: z.string().min(1).max(128),
  /** The market as ccxt names it: `BTC/USDT`. */
  market: z.string().min(1).max(64),
};

/** An exchange webhook reporting a fill (an execution of an order). */
export const ExchangeFillPayloadSchema = z.object({
  type: z.literal('fill'),
  ...webhookIdentity,
  side: z.enum(['buy', 'sell']),
  quantity: WebhookAmountSchema,
  price: WebhookAmountSchema,
  /** In the quote currency. */
  fee: z.number().min(0).default(0),
  time: WebhookTimeSchema,
  orderId: z.string().min(1).max(128).optional(),
  clientOrderId: z.string().min(1).max(128).optional(),
});

/** An exchange webhook reporting a change of an order's status. */
export const ExchangeOrderUpdatePayloadSchema = z.object({
  type: z.literal('order-update'),
  ...webhookIdentity,
  side: z.enum(['buy', 'sell']),
  orderId: z.string().min(1).max(128),
  clientOrderId: z.string().min(1).max(128).optional(),
  status: z.enum(['open', 'partially-filled', 'filled', 'cancelled', 'rejected', 'expired']),
  quantity: WebhookAmountSchema,
  filledQuantity: z.number().min(0).default(0),
  price: WebhookAmountSchema.optional(),
  time: WebhookTimeSchema,
  reason: z.string().max(500).optional(),
});

/** A TradingView-style alert asking the strategy for a signal: buy, sell or close, at a price if it says one. */
export const TradingViewAlertPayloadSchema = z.object({
  type: z.literal('alert'),
  ...webhookIdentity,
  action: z.enum(['buy', 'sell', 'close']),
  price: WebhookAmountSchema.optional(),
  /** When the alert fired; default when it arrived. */
  time: WebhookTimeSchema.optional(),
  /** Free text from the alert (`{{strategy.order.comment}}`). */
  note: z.string().max(500).optional(),
});

/**
 * The body of POST /webhooks/exchange/{source}, told apart by `type`. Unknown fields are dropped, and so is the
 * body secret of the weaker mode, which is never stored.
 */
export const ExchangeWebhookPayloadSchema = z.discriminatedUnion('type', [
  ExchangeFillPayloadSchema,
  ExchangeOrderUpdatePayloadSchema,
  TradingViewAlertPayloadSchema,
]);

/** A verified exchange webhook body. */
export type ExchangeWebhookPayload = z.infer<typeof ExchangeWebhookPayloadSchema>;

/** detail-type `SignalRequested`: an authenticated alert asks a strategy to act on a market. */
export const SignalRequestedSchema = z.object({
  /** The webhook source it came through (`tradingview`). */
  source: z.string().min(1),
  /** The alert's id at its source. */
  alertId: z.string().min(1),
  strategy: z.string().min(1),
  market: z.string().min(1),
  action: z.enum(['buy', 'sell', 'close']),
  price: z.number().positive().optional(),
  /** When the alert fired (epoch ms). */
  time: z.number().int().min(0),
  note: z.string().optional(),
});

/** The detail of `SignalRequested`. */
export type SignalRequested = z.infer<typeof SignalRequestedSchema>;

// ---- Market data: candles stored by market-ingest. ----

/** detail-type `CandlesIngested`: new closed candles of one market and timeframe were stored (and any gap found). */
export const CandlesIngestedSchema = z.object({
  /** `<exchange>:<symbol>`, e.g. `binance:BTC/USDT`. */
  market: z.string().min(1),
  exchange: z.string().min(1),
  symbol: z.string().min(1),
  timeframe: z.string().min(1),
  /** Open times (epoch ms) of the first and last candle stored by this run. */
  firstCandleTime: z.number().int(),
  lastCandleTime: z.number().int(),
  /** Candles stored by this run. */
  count: z.number().int().min(1),
  /** Candles missing between stored ones, as open times of the first and last missing candle. */
  gaps: z.array(z.object({ from: z.number().int(), to: z.number().int(), missing: z.number().int().min(1) })),
});

/** The detail of `CandlesIngested`. */
export type CandlesIngested = z.infer<typeof CandlesIngestedSchema>;

// ---- Trading: the daily-loss kill switch. ----

/** detail-type `TradingHalted`: the daily-loss kill switch tripped; all trading stops until `flywheel trading resume`. */
export const TradingHaltedSchema = z.object({
  /** The strategy (name with parameters) whose account tripped it. */
  strategyId: z.string().min(1),
  market: z.string().min(1),
  haltedAt: z.number().int(),
  reason: z.string().min(1),
  /** Loss since the start of the UTC day, in quote currency. */
  dailyLoss: z.number(),
  maxDailyLoss: z.number().positive(),
});

/** The detail of `TradingHalted`. */
export type TradingHalted = z.infer<typeof TradingHaltedSchema>;

/** Every event on the bus by detail-type, with its schema. */
export const EVENT_CATALOG = {
  SweepCompleted: SweepCompletedSchema,
  StrategyPromoted: StrategyPromotedSchema,
  ContentSubmitted: ContentSubmittedSchema,
  DraftCreated: DraftCreatedSchema,
  DraftApproved: DraftApprovedSchema,
  DraftPublished: DraftPublishedSchema,
  DraftPublishFailed: DraftPublishFailedSchema,
  SignalRequested: SignalRequestedSchema,
  CandlesIngested: CandlesIngestedSchema,
  TradingHalted: TradingHaltedSchema,
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
