import { type Publishers, publishVersion } from '@shared/content/publish';
import type { Clock } from '@shared/ports/clock';
import type { PublicationLog } from '@shared/ports/draft-store';
import type { Json } from '@shared/ports/json';
import {
  TradingStateConflictError,
  type TradingStateKey,
  type TradingStateStore,
} from '@shared/ports/trading-state-store';
import { loadTradingState } from '@shared/trading/execution-run';
import { haltAnnouncement, haltAnnouncementKey, opsChannel } from '@shared/trading/halt-announcement';
import { type Halt, resumeTrading } from '@shared/trading/risk';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, EventBridgeEvent } from 'aws-lambda';
import { z } from 'zod';
import { TradingHaltedSchema } from '../../events/catalog';
import { BadRequestError, jsonBody, jsonResponse, problem } from '../lib/http';

/** Nobody is trading the strategy and market a resume named: the message says what is stored. */
export class TradingStateNotFoundError extends Error {
  override readonly name = 'TradingStateNotFoundError';
}

/** The resume kept losing the race with executor runs writing the same state; trying again will do. */
export class ResumeConflictError extends Error {
  override readonly name = 'ResumeConflictError';
}

/** Announcing a halt failed on its ops channel; the event is delivered again, and the log lets it post then. */
export class HaltAnnouncementError extends Error {
  override readonly name = 'HaltAnnouncementError';
}

/** A halt as status and resume report it. */
export interface HaltView {
  /** ISO 8601. */
  readonly haltedAt: string;
  readonly reason: string;
  readonly dailyLoss: number;
  readonly maxDailyLoss: number;
}

/** One strategy's trading on one market, as `GET /trading/status` lists it. */
export interface TradingStatusEntry extends TradingStateKey {
  readonly halted: boolean;
  readonly halt: HaltView | null;
  /** When the executor last decided on a bar, ISO 8601; null before its first. */
  readonly lastBarTime: string | null;
  /** When the state was last written, ISO 8601. */
  readonly updatedAt: string;
  /** The latest decisions risk control refused, with their reasons, oldest first. */
  readonly refusals: readonly { readonly barTime: string; readonly code: string; readonly reason: string }[];
}

/** Which halts to lift: one strategy on one market, or every halt. */
export type ResumeTarget = TradingStateKey | { readonly all: true };

/** What a resume did. */
export interface ResumeResult {
  /** The halts lifted. */
  readonly resumed: readonly (TradingStateKey & { readonly halt: HaltView })[];
  /** Named (or, with `all`, stored) strategies that were trading already: nothing to lift. */
  readonly notHalted: readonly TradingStateKey[];
}

/** The body of POST /trading/resume: `{"strategy": "…", "market": "…"}` or `{"all": true}`. */
export const ResumeRequestSchema = z.union([
  z.object({ strategy: z.string().trim().min(1), market: z.string().trim().min(1) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

function haltView(halt: Halt): HaltView {
  return {
    haltedAt: new Date(halt.haltedAt).toISOString(),
    reason: halt.reason,
    dailyLoss: halt.dailyLoss,
    maxDailyLoss: halt.maxDailyLoss,
  };
}

/** Every stored strategy's trading state, halted or not, ordered by market then strategy. */
export async function tradingStatus(states: TradingStateStore): Promise<TradingStatusEntry[]> {
  const documents = await states.list();
  const entries: TradingStatusEntry[] = [];
  for (const { strategyId, market, updatedAt } of documents) {
    const { state } = await loadTradingState(states, { strategyId, market });
    entries.push({
      strategyId,
      market,
      halted: state.risk.halt !== null,
      halt: state.risk.halt ? haltView(state.risk.halt) : null,
      lastBarTime: state.lastBarTime === null ? null : new Date(state.lastBarTime).toISOString(),
      refusals: (state.refusals ?? []).map((refusal) => ({
        barTime: new Date(refusal.barTime).toISOString(),
        code: refusal.code,
        reason: refusal.reason,
      })),
      updatedAt: new Date(updatedAt).toISOString(),
    });
  }
  return entries;
}

// A resume races only the executor's runs, which each write once; a few tries always get through.
const RESUME_ATTEMPTS = 5;

/** Lifts one strategy's halt on one market over the revision read; undefined when it was not halted. */
async function resumeOne(states: TradingStateStore, key: TradingStateKey): Promise<Halt | undefined> {
  for (let attempt = 1; attempt <= RESUME_ATTEMPTS; attempt++) {
    const { state, revision } = await loadTradingState(states, key);
    if (revision === 0) {
      throw new TradingStateNotFoundError(
        `nothing trades ${key.strategyId} on ${key.market}: no trading state is stored for it (flywheel trading status lists them)`,
      );
    }
    const halt = state.risk.halt;
    if (!halt) return undefined;
    try {
      await states.put(key, { ...state, risk: resumeTrading(state.risk) } as unknown as Json, revision);
      return halt;
    } catch (error) {
      if (!(error instanceof TradingStateConflictError)) throw error;
    }
  }
  throw new ResumeConflictError(
    `the trading state of ${key.strategyId} on ${key.market} changed ${RESUME_ATTEMPTS} times while resuming; try again`,
  );
}

/**
 * Lifts kill-switch halts in the trading-state store (risk.ts's resumeTrading: the day's loss is measured again
 * from the next equity seen). Resuming a strategy that is not halted changes nothing, so a resume can be retried.
 */
export async function resumeHalts(states: TradingStateStore, target: ResumeTarget): Promise<ResumeResult> {
  const keys: TradingStateKey[] =
    'all' in target
      ? (await states.list()).map(({ strategyId, market }) => ({ strategyId, market }))
      : [{ strategyId: target.strategyId, market: target.market }];
  const resumed: (TradingStateKey & { halt: HaltView })[] = [];
  const notHalted: TradingStateKey[] = [];
  for (const key of keys) {
    const halt = await resumeOne(states, key);
    if (halt) resumed.push({ ...key, halt: haltView(halt) });
    else notHalted.push(key);
  }
  return { resumed, notHalted };
}

/** What `trading-control` needs from the world. */
export interface TradingControlDependencies {
  readonly states: TradingStateStore;
  /** Where announcements are logged, one key per halt, so a redelivered `TradingHalted` posts nothing. */
  readonly publications: PublicationLog;
  /** The configured channels (publisher credentials); the ops channel is chosen among them. */
  readonly publishers: () => Promise<Publishers>;
  readonly clock: Clock;
  /** How announcing waits between attempts (tests pass one that does not wait). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What announcing one halt did. */
export type AnnouncementResult =
  | {
      readonly status: 'announced';
      readonly channel: string;
      readonly key: string;
      /** True when an earlier delivery of the same halt announced it and nothing was posted now. */
      readonly earlier: boolean;
    }
  | { readonly status: 'no-channel'; readonly key: string; readonly reason: string }
  | {
      readonly status: 'outcome-unknown';
      readonly channel: string;
      readonly key: string;
      readonly reason: string;
    };

// Attempts per delivery; a failed announcement is tried again when the event is redelivered.
const ANNOUNCE_ATTEMPTS = 3;

/**
 * `trading-control`: GET /trading/status lists every strategy's trading state with its halt, POST /trading/resume
 * lifts halts, and each `TradingHalted` is announced once on the ops channel (Slack, else Discord, else Telegram,
 * else the outbox), keyed by strategy, market and time of the halt.
 */
export function createTradingControl(deps: TradingControlDependencies) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function announce(event: EventBridgeEvent<string, unknown>): Promise<AnnouncementResult> {
    const halt = TradingHaltedSchema.parse(event.detail);
    const key = haltAnnouncementKey(halt);
    const publishers = await deps.publishers();
    const channel = opsChannel(Object.keys(publishers));
    const publisher = channel ? publishers[channel] : undefined;
    if (!publisher) {
      return {
        status: 'no-channel',
        key,
        reason:
          'no ops channel is configured: set SLACK_WEBHOOK_URL (or DISCORD_WEBHOOK_URL, or TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID) in the publisher credentials',
      };
    }
    const outcome = await publishVersion(haltAnnouncement(halt), publisher, deps.publications, {
      now: () => deps.clock.now(),
      sleep,
      maxAttempts: ANNOUNCE_ATTEMPTS,
    });
    if (outcome.status === 'published')
      return { status: 'announced', channel: publisher.channel, key, earlier: outcome.earlier };
    if (outcome.status === 'failed' && outcome.outcomeUnknown) {
      // Posting again could announce twice; the log keeps it claimed and a person checks the channel.
      return { status: 'outcome-unknown', channel: publisher.channel, key, reason: outcome.reason };
    }
    throw new HaltAnnouncementError(
      `announcing the halt of ${halt.strategyId} on ${halt.market} on ${publisher.channel} failed: ${outcome.reason}`,
    );
  }

  /** GET /trading/status and POST /trading/resume. */
  async function http(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const route = event.routeKey;
    try {
      if (route === 'GET /trading/status') {
        return jsonResponse(200, { strategies: await tradingStatus(deps.states) });
      }
      if (route === 'POST /trading/resume') {
        const parsed = ResumeRequestSchema.safeParse(jsonBody(event) ?? {});
        if (!parsed.success) {
          return problem(
            400,
            'send {"strategy": "<strategy id>", "market": "<market>"} to resume one strategy, or {"all": true} to resume every halt',
          );
        }
        const target: ResumeTarget =
          'all' in parsed.data
            ? { all: true }
            : { strategyId: parsed.data.strategy, market: parsed.data.market };
        return jsonResponse(200, await resumeHalts(deps.states, target));
      }
      return problem(404, `trading-control has no route ${route}`);
    } catch (error) {
      if (error instanceof BadRequestError) return problem(400, error.message);
      if (error instanceof TradingStateNotFoundError) return problem(404, error.message);
      if (error instanceof ResumeConflictError) return problem(409, error.message);
      throw error;
    }
  }

  return { announce, http };
}
