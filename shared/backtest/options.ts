import { z } from 'zod';

/** Engine settings for one backtest; every field has the default the CLI documents. */
export const BacktestOptionsSchema = z
  .object({
    /** Starting cash. */
    cash: z.number().positive().finite().default(10_000),
    /** Commission as a fraction of traded value, charged on entry and again on exit. */
    commission: z.number().min(0).lt(1).default(0.002),
    /** Spread as a fraction of the price, paid on entry (longs buy higher, shorts sell lower). */
    spread: z.number().min(0).lt(1).default(0),
    /** Slippage in basis points, against the trader on every entry and exit fill. */
    slippageBps: z.number().min(0).lt(10_000).default(0),
    /** Allow fractional units (crypto); otherwise sizes are whole units. */
    fractional: z.boolean().default(false),
    /** Round sizes down to a multiple of this step. */
    lotStep: z.number().positive().finite().optional(),
    /** Spot markets: a short signal closes a long instead of opening a short. */
    longOnly: z.boolean().default(false),
    /** Stop-loss distance from the entry price, in percent. */
    stopLossPct: z.number().gt(0).lt(100).optional(),
    /** Take-profit distance from the entry price, in percent. */
    takeProfitPct: z.number().gt(0).finite().optional(),
    /** First tested bar time, epoch ms (inclusive); earlier bars only warm indicators up. */
    from: z.number().finite().optional(),
    /** Last tested bar time, epoch ms (inclusive); later bars are never read. */
    to: z.number().finite().optional(),
  })
  .refine((o) => o.fractional || o.lotStep === undefined || Number.isInteger(o.lotStep), {
    error: 'lotStep below 1 or with decimals needs fractional sizes (--fractional)',
    path: ['lotStep'],
  })
  .refine((o) => o.from === undefined || o.to === undefined || o.from <= o.to, {
    error: 'from must not be after to',
    path: ['from'],
  });

/** Validated engine settings. */
export type BacktestOptions = z.infer<typeof BacktestOptionsSchema>;

/** Engine settings as a caller writes them: any field left out takes its default. */
export type BacktestOptionsInput = z.input<typeof BacktestOptionsSchema>;
