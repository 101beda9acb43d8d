import { z } from 'zod';
import { parseTime } from '../market-data/parse-time';
import { TimeframeError, timeframeMs } from './timeframe';

const TimeframeSchema = z.string().refine(
  (timeframe) => {
    try {
      timeframeMs(timeframe);
      return true;
    } catch (error) {
      if (error instanceof TimeframeError) return false;
      throw error;
    }
  },
  { error: 'expected a timeframe such as 1m, 15m, 1h, 4h, 1d or 1w' },
);

/** What one ingestion run covers: an exchange, its symbols and timeframes, and where history starts. */
export const MarketIngestRunSchema = z
  .object({
    /** A ccxt exchange id. */
    exchange: z.string().min(1).default('binance'),
    /** Unified symbols, e.g. `BTC/USDT`. */
    symbols: z.array(z.string().min(1)).min(1),
    timeframes: z.array(TimeframeSchema).min(1),
    /** Where history starts when nothing is stored yet: `2024-01-01`, an ISO time or epoch ms. */
    start: z.string().refine((text) => parseTime(text) !== undefined, {
      error: 'expected a date such as 2024-01-01 (UTC), an ISO time or epoch milliseconds',
    }),
  })
  .strict();

/** `market.ingest` in the configuration: schedules, each bringing some series up to date when it fires. */
export const MarketIngestScheduleSchema = MarketIngestRunSchema.extend({
  /** 1–64 letters, digits, -, _ or . (EventBridge Scheduler's rule). */
  name: z.string().regex(/^[0-9a-zA-Z\-_.]{1,64}$/, {
    error: 'use 1-64 letters, digits, "-", "_" or "."',
  }),
  /** `rate(1 hour)`, `cron(5 * * * ? *)`. */
  expression: z.string().min(1),
  timezone: z.string().default('UTC'),
}).strict();

/** `market:` of the configuration. */
export const MarketSettingsSchema = z
  .object({ ingest: z.array(MarketIngestScheduleSchema).default([]) })
  .strict();

/** The series one run brings up to date. */
export type MarketIngestRun = z.infer<typeof MarketIngestRunSchema>;
/** One configured ingestion schedule. */
export type MarketIngestSchedule = z.infer<typeof MarketIngestScheduleSchema>;
/** `market:` of the configuration. */
export type MarketSettings = z.infer<typeof MarketSettingsSchema>;

/** The payload a schedule hands market-ingest: the run without the schedule's own fields, plus its name. */
export function scheduledIngestRun(schedule: MarketIngestSchedule): MarketIngestRun & { schedule: string } {
  const { name, expression: _expression, timezone: _timezone, ...run } = schedule;
  return { ...run, schedule: name };
}
