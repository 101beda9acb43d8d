/**
 * Announcing a kill-switch halt to the operators: which publishing channel is the ops channel, the message, and the
 * idempotency key that makes a halt announced once however often its event is delivered. Pure: the channels come
 * in by name, the posting is shared/content/publish.ts's publishVersion with its publication log.
 */
import type { Publication } from '../ports/publisher';

/** The channels an ops message may go to, most preferred first: Slack, then a chat, then the file outbox. */
export const OPS_CHANNEL_PREFERENCE = ['slack', 'discord', 'telegram', 'outbox'] as const;

/** A channel ops messages may go to. */
export type OpsChannel = (typeof OPS_CHANNEL_PREFERENCE)[number];

/**
 * The ops channel among the configured ones: Slack's incoming webhook when configured, else Discord, else
 * Telegram, else the outbox; undefined when none is configured. Social channels (Mastodon, Bluesky) never are.
 */
export function opsChannel(configured: Iterable<string>): OpsChannel | undefined {
  const names = new Set(configured);
  return OPS_CHANNEL_PREFERENCE.find((channel) => names.has(channel));
}

/** A halt as the `TradingHalted` event carries it (events/catalog.ts; domain code may not import events/). */
export interface HaltNotice {
  readonly strategyId: string;
  readonly market: string;
  /** Epoch ms. */
  readonly haltedAt: number;
  readonly reason: string;
  readonly dailyLoss: number;
  readonly maxDailyLoss: number;
}

/** The publication log's key of a halt's announcement: one per strategy, market and moment of the halt. */
export function haltAnnouncementKey(halt: Pick<HaltNotice, 'strategyId' | 'market' | 'haltedAt'>): string {
  // Encoded so that a `/` or `#` in a strategy id or market (BTC/USDT) cannot make two halts share a key.
  return `trading-halted#${encodeURIComponent(halt.strategyId)}#${encodeURIComponent(halt.market)}#${halt.haltedAt}`;
}

/** The platform name announcements are logged under (publishVersion reports it). */
export const HALT_ANNOUNCEMENT_PLATFORM = 'ops';

/** The message operators read: what stopped, why, and the command that resumes it. */
export function haltAnnouncementText(halt: HaltNotice): string {
  const at = new Date(halt.haltedAt).toISOString().replace('.000Z', 'Z');
  return [
    `Trading halted: ${halt.strategyId} on ${halt.market} at ${at}.`,
    `Why: ${halt.reason}.`,
    'No order is placed until someone resumes it: ' +
      `flywheel trading resume --strategy '${halt.strategyId}' --market '${halt.market}' ` +
      '(or POST /trading/resume).',
  ].join('\n');
}

/** The publication announcing a halt, keyed so a second delivery of the same halt posts nothing. */
export function haltAnnouncement(halt: HaltNotice): Publication {
  const key = haltAnnouncementKey(halt);
  return {
    draftId: key,
    platform: HALT_ANNOUNCEMENT_PLATFORM,
    text: haltAnnouncementText(halt),
    idempotencyKey: key,
  };
}
