import { describe, expect, it } from '@jest/globals';
import {
  haltAnnouncement,
  haltAnnouncementKey,
  haltAnnouncementText,
  opsChannel,
} from '@shared/trading/halt-announcement';

const HALT = {
  strategyId: 'sma-cross(fast=10,slow=30)',
  market: 'BTC/USDT',
  haltedAt: Date.UTC(2026, 2, 2, 14),
  reason: 'the loss since the start of the UTC day (512.40) reached the maximum daily loss (500)',
  dailyLoss: 512.4,
  maxDailyLoss: 500,
};

describe('the ops channel of halt announcements', () => {
  it('prefers Slack, then Discord, then Telegram, then the outbox, and never a social channel', () => {
    expect(opsChannel(['outbox', 'telegram', 'discord', 'slack', 'mastodon'])).toBe('slack');
    expect(opsChannel(['outbox', 'telegram', 'discord', 'bluesky'])).toBe('discord');
    expect(opsChannel(['outbox', 'telegram'])).toBe('telegram');
    expect(opsChannel(['mastodon', 'outbox'])).toBe('outbox');
    expect(opsChannel(['mastodon', 'bluesky'])).toBeUndefined();
  });
});

describe('a halt announcement', () => {
  it('is keyed by strategy, market and time of the halt, so the same halt always has the same key', () => {
    // Act
    const key = haltAnnouncementKey(HALT);

    // Assess
    expect(haltAnnouncement(HALT).idempotencyKey).toBe(key);
    expect(haltAnnouncementKey({ ...HALT })).toBe(key);
    expect(haltAnnouncementKey({ ...HALT, haltedAt: HALT.haltedAt + 1 })).not.toBe(key);
    expect(haltAnnouncementKey({ ...HALT, market: 'ETH/USDT' })).not.toBe(key);
    expect(haltAnnouncementKey({ ...HALT, strategyId: 'rsi(period=14)' })).not.toBe(key);
  });

  it('cannot give two halts one key through a separator in a strategy id or market', () => {
    expect(haltAnnouncementKey({ strategyId: 'a#b', market: 'c', haltedAt: 1 })).not.toBe(
      haltAnnouncementKey({ strategyId: 'a', market: 'b#c', haltedAt: 1 }),
    );
  });

  it('tells operators what stopped, why, and the command that resumes it', () => {
    // Act
    const text = haltAnnouncementText(HALT);

    // Assess
    expect(text).toBe(
      [
        'Trading halted: sma-cross(fast=10,slow=30) on BTC/USDT at 2026-03-02T14:00:00Z.',
        'Why: the loss since the start of the UTC day (512.40) reached the maximum daily loss (500).',
        "No order is placed until someone resumes it: flywheel trading resume --strategy 'sma-cross(fast=10,slow=30)' --market 'BTC/USDT' (or POST /trading/resume).",
      ].join('\n'),
    );
  });
});
