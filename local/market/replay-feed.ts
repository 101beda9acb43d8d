import type { Bars } from '@shared/market-data/bars';
import type { Candle } from '@shared/ports/market-data-source';
import { readBarsFile } from '../market-data-file';

/** How fast a replay plays: as fast as the consumer takes bars, a multiple of real time, or bars per second. */
export type ReplaySpeed =
  | { readonly kind: 'max' }
  | { readonly kind: 'multiplier'; readonly factor: number }
  | { readonly kind: 'bars-per-second'; readonly rate: number };

/** A replay speed Flywheel cannot read. */
export class ReplaySpeedError extends Error {
  override readonly name = 'ReplaySpeedError';
}

/** Reads `max`, `60x` (sixty times real time: an hour bar every minute) or `5` (five bars per second). */
export function parseReplaySpeed(text: string): ReplaySpeed {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'max') return { kind: 'max' };
  const multiplier = /^(\d+(?:\.\d+)?)x$/.exec(trimmed);
  if (multiplier && Number(multiplier[1]) > 0) return { kind: 'multiplier', factor: Number(multiplier[1]) };
  if (/^\d+(?:\.\d+)?$/.test(trimmed) && Number(trimmed) > 0)
    return { kind: 'bars-per-second', rate: Number(trimmed) };
  throw new ReplaySpeedError(
    `speed "${text}" is not understood: use max, a multiple of real time such as 60x, or bars per second such as 5`,
  );
}

/** One closed bar as the feed hands it over, with its place in the data. */
export interface ReplayBar {
  readonly index: number;
  readonly candle: Candle;
}

/** What a replay did. */
export interface ReplayOutcome {
  /** Bars handed to the callback. */
  readonly played: number;
  /** True when `stop()` ended it before the last bar. */
  readonly stopped: boolean;
}

/** Settings of a {@link ReplayFeed}. */
export interface ReplayFeedOptions {
  readonly bars: Bars;
  readonly speed: ReplaySpeed;
  /** Called once per closed bar, in order; the next bar waits for its promise. */
  readonly onBar: (bar: ReplayBar) => void | Promise<void>;
  /** Waits between bars; default a timer (which Jest's fake timers control). */
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function timerWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Plays market data bar by bar, so the local loop trades with no network: each bar is handed over as closed, at
 * the chosen speed, until the data ends or `stop()` is called.
 */
export class ReplayFeed {
  private readonly controller = new AbortController();
  private readonly options: ReplayFeedOptions;

  constructor(options: ReplayFeedOptions) {
    this.options = options;
  }

  /** Plays every bar (from the first); resolves when the data ends or the feed is stopped. */
  async play(): Promise<ReplayOutcome> {
    const { bars, onBar } = this.options;
    const wait = this.options.wait ?? timerWait;
    const signal = this.controller.signal;
    let played = 0;
    for (let index = 0; index < bars.length; index++) {
      if (signal.aborted) return { played, stopped: true };
      if (index > 0) {
        const delay = this.delayBefore(index);
        if (delay > 0) await wait(delay, signal);
        if (signal.aborted) return { played, stopped: true };
      }
      await onBar({
        index,
        candle: {
          openTime: bars.time[index]!,
          open: bars.open[index]!,
          high: bars.high[index]!,
          low: bars.low[index]!,
          close: bars.close[index]!,
          volume: bars.volume[index]!,
        },
      });
      played++;
    }
    return { played, stopped: false };
  }

  /** Stops the replay: no bar is handed over after this call. */
  stop(): void {
    this.controller.abort();
  }

  private delayBefore(index: number): number {
    const { bars, speed } = this.options;
    if (speed.kind === 'max') return 0;
    if (speed.kind === 'bars-per-second') return 1000 / speed.rate;
    return (bars.time[index]! - bars.time[index - 1]!) / speed.factor;
  }
}

/** A replay feed over an OHLCV file (CSV or ccxt JSON); a bad file throws MarketDataError naming it. */
export async function replayFile(
  path: string,
  options: Omit<ReplayFeedOptions, 'bars'>,
): Promise<ReplayFeed> {
  return new ReplayFeed({ ...options, bars: await readBarsFile(path) });
}
