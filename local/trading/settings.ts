import { TradingSettingsSchema } from '@shared/trading/settings';
import { z } from 'zod';
import { parseReplaySpeed, type ReplaySpeed } from '../market/replay-feed';

/** The replay feed the local runtime trades promoted strategies on, with no network. */
export const ReplaySettingsSchema = z
  .object({
    /** Replay a market's data when a strategy is promoted for it; false: only ingested candles trade. */
    enabled: z.boolean().default(true),
    /**
     * The data file per market (`GOOG: data/ohlcv/GOOG.csv`), relative to the configuration file; a market
     * not listed replays the data set its promotion was validated on.
     */
    files: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** `max` (every bar at once, yielding between bars), `60x` (sixty times real time) or bars per second. */
    speed: z
      .string()
      .default('max')
      .transform((text, context): ReplaySpeed => {
        try {
          return parseReplaySpeed(text);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
  })
  .strict();

/** `trading:` of flywheel.config.yaml: mode and risk limits (as on AWS), plus the local replay. */
export const LocalTradingSettingsSchema = TradingSettingsSchema.extend({
  replay: ReplaySettingsSchema.prefault({}),
}).strict();

/** Validated local trading settings. */
export type LocalTradingSettings = z.infer<typeof LocalTradingSettingsSchema>;

/** The settings when the configuration has no `trading:` section: paper, no limits, replay at max speed. */
export const DEFAULT_LOCAL_TRADING_SETTINGS: LocalTradingSettings = LocalTradingSettingsSchema.parse({});
