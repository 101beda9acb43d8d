import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  parseReplaySpeed,
  ReplayFeed,
  ReplaySpeedError,
  replayFile,
} from '../../../local/market/replay-feed';
import { SAMPLE_DATA_DIR } from '../../../local/paths';
import { barsFrom } from '../../support/bars';

const HOUR = 3_600_000;
const hourly = (count: number) =>
  barsFrom(
    Array.from({ length: count }, (_, index) => 100 + index),
    { stepMs: HOUR },
  );

describe('parseReplaySpeed', () => {
  it('reads max, a multiple of real time and bars per second', () => {
    expect(parseReplaySpeed('max')).toEqual({ kind: 'max' });
    expect(parseReplaySpeed('60x')).toEqual({ kind: 'multiplier', factor: 60 });
    expect(parseReplaySpeed('2.5')).toEqual({ kind: 'bars-per-second', rate: 2.5 });
  });

  it('refuses anything else, saying what it accepts', () => {
    expect(() => parseReplaySpeed('fast')).toThrow(ReplaySpeedError);
    expect(() => parseReplaySpeed('0')).toThrow(/use max, a multiple of real time such as 60x/);
  });
});

describe('ReplayFeed', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('at max speed hands over every bar in order without waiting', async () => {
    // Prepare
    const closes: number[] = [];
    const feed = new ReplayFeed({
      bars: hourly(5),
      speed: { kind: 'max' },
      onBar: ({ candle }) => {
        closes.push(candle.close);
      },
    });

    // Act
    const outcome = await feed.play();

    // Assess
    expect(closes).toEqual([100, 101, 102, 103, 104]);
    expect(outcome).toEqual({ played: 5, stopped: false });
  });

  it('at 60x real time hands an hourly bar over every minute', async () => {
    // Prepare
    const seen: number[] = [];
    const feed = new ReplayFeed({
      bars: hourly(3),
      speed: parseReplaySpeed('60x'),
      onBar: ({ index }) => {
        seen.push(index);
      },
    });

    // Act
    const playing = feed.play();
    await jest.advanceTimersByTimeAsync(0);
    const afterStart = [...seen];
    await jest.advanceTimersByTimeAsync(59_999);
    const beforeMinute = [...seen];
    await jest.advanceTimersByTimeAsync(1);
    const afterMinute = [...seen];
    await jest.advanceTimersByTimeAsync(60_000);

    // Assess
    expect(afterStart).toEqual([0]);
    expect(beforeMinute).toEqual([0]);
    expect(afterMinute).toEqual([0, 1]);
    expect(await playing).toEqual({ played: 3, stopped: false });
  });

  it('at bars per second paces the bars evenly, and stop() ends it at once', async () => {
    // Prepare
    const seen: number[] = [];
    const feed = new ReplayFeed({
      bars: hourly(10),
      speed: parseReplaySpeed('4'),
      onBar: ({ index }) => {
        seen.push(index);
      },
    });

    // Act
    const playing = feed.play();
    await jest.advanceTimersByTimeAsync(500);
    feed.stop();
    const outcome = await playing;
    await jest.advanceTimersByTimeAsync(10_000);

    // Assess
    expect(outcome).toEqual({ played: 3, stopped: true });
    expect(seen).toEqual([0, 1, 2]);
  });

  it('waits for the consumer before the next bar', async () => {
    // Prepare
    const events: string[] = [];
    const feed = new ReplayFeed({
      bars: hourly(2),
      speed: { kind: 'max' },
      onBar: async ({ index }) => {
        events.push(`start ${index}`);
        await Promise.resolve();
        events.push(`end ${index}`);
      },
    });

    // Act
    await feed.play();

    // Assess
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
  });

  it('replays a bundled sample file', async () => {
    // Prepare
    jest.useRealTimers();
    let played = 0;
    const { readdirSync } = await import('node:fs');
    const sample = readdirSync(SAMPLE_DATA_DIR).find((name) => /\.(csv|json)$/.test(name))!;

    // Act
    const feed = await replayFile(`${SAMPLE_DATA_DIR}/${sample}`, {
      speed: { kind: 'max' },
      onBar: () => {
        played++;
      },
    });
    const outcome = await feed.play();

    // Assess
    expect(played).toBeGreaterThan(100);
    expect(outcome.played).toBe(played);
  });
});
