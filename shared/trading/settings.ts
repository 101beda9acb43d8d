import { z } from 'zod';

/** Risk limits checked before every decision; a limit left out is not enforced. */
export const RiskLimitsSchema = z
  .object({
    /** Largest position value a decision may leave open, in quote currency. */
    maxPositionNotional: z.number().positive().finite().optional(),
    /** Largest value one order may trade, in quote currency. */
    maxOrderNotional: z.number().positive().finite().optional(),
    /** Most orders that may be open at once; a decision is refused when this many are already open. */
    maxOpenOrders: z.number().int().min(1).optional(),
    /** Least time between two decisions that place orders, in seconds. */
    minSecondsBetweenOrders: z.number().min(0).finite().optional(),
    /** Loss since the start of the UTC day, in quote currency, at which all trading halts until resumed. */
    maxDailyLoss: z.number().positive().finite().optional(),
  })
  .strict();

/** The `trading:` section of flywheel.config.yaml. */
export const TradingSettingsSchema = z
  .object({
    /** `paper` (the default) fills with the PaperBroker; `live` also needs FLYWHEEL_LIVE_TRADING=1 and keys. */
    mode: z.enum(['paper', 'live']).default('paper'),
    risk: RiskLimitsSchema.default({}),
  })
  .strict();

/** Validated risk limits. */
export type RiskLimits = z.infer<typeof RiskLimitsSchema>;
/** Validated trading settings. */
export type TradingSettings = z.infer<typeof TradingSettingsSchema>;
/** Trading settings as written in the config file. */
export type TradingSettingsInput = z.input<typeof TradingSettingsSchema>;
