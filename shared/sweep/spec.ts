import { z } from 'zod';
import { isDateOnly, parseTime } from '../market-data/parse-time';
import { issueList } from '../validation/zod-issues';

const DAY_MS = 86_400_000;

/** The objectives a sweep can rank by; larger is better for each. */
export const OBJECTIVES = ['sqn', 'sharpe', 'returnPct', 'calmar', 'equityFinal'] as const;

/** A statistic a sweep ranks by. */
export type Objective = (typeof OBJECTIVES)[number];

const dateField = (name: string, endOfDay: boolean) =>
  z.union([z.number(), z.string()]).transform((value, context) => {
    if (typeof value === 'number') return value;
    const time = parseTime(value);
    if (time === undefined) {
      context.addIssue({
        code: 'custom',
        message: `${name} "${value}" is not a date; write YYYY-MM-DD or an ISO time`,
      });
      return z.NEVER;
    }
    return endOfDay && isDateOnly(value) ? time + DAY_MS - 1 : time;
  });

const RangeSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.number(), z.boolean()])).min(1),
  z.object({ start: z.number(), stop: z.number(), step: z.number() }).strict(),
]);

const DatasetSchema = z.union([
  z
    .string()
    .min(1)
    .transform((file) => ({ file })),
  z
    .object({
      /** A CSV or ccxt JSON file, relative to the spec file (or the current folder for flags and HTTP). */
      file: z.string().min(1).optional(),
      /** The hash of a data set already stored by the runtime. */
      hash: z.string().min(1).optional(),
      /** Inline ccxt rows, for HTTP clients without a shared file system. */
      candles: z.array(z.array(z.number())).min(1).optional(),
      /** The market's symbol; by default derived from the file name (ETH_BTC-5m.json → ETH/BTC). */
      market: z.string().min(1).optional(),
    })
    .strict()
    .refine((d) => [d.file, d.hash, d.candles].filter((x) => x !== undefined).length === 1, {
      message: 'give exactly one of file, hash or candles',
    })
    .refine((d) => d.file !== undefined || d.market !== undefined, {
      message: 'a data set given by hash or candles needs a market',
    }),
]);

/** Engine flags as a spec writes them: the same as `flywheel backtest`, dates as text or epoch ms. */
export const SweepEngineSchema = z
  .object({
    cash: z.number().positive().default(10_000),
    commission: z.number().min(0).lt(1).default(0.002),
    spread: z.number().min(0).lt(1).default(0),
    slippageBps: z.number().min(0).lt(10_000).default(0),
    fractional: z.boolean().default(false),
    lotStep: z.number().positive().optional(),
    longOnly: z.boolean().default(false),
    stopLossPct: z.number().gt(0).lt(100).optional(),
    takeProfitPct: z.number().gt(0).optional(),
    from: dateField('from', false).optional(),
    to: dateField('to', true).optional(),
  })
  .strict();

/**
 * A sweep: a strategy, a parameter space and data sets (one market each), ranked by an objective with
 * walk-forward validation, then promoted per market when the champion earns it.
 */
export const SweepSpecSchema = z
  .object({
    /** A built-in strategy name or the path of a strategy module. */
    strategy: z.string().min(1),
    /** Grid ranges `start:stop:step`, lists, or single values, by parameter; the rest take their defaults. */
    params: z.record(z.string(), RangeSchema).default({}),
    /** An expression over parameters that every combination must satisfy, such as `fast<slow`. */
    constraint: z.string().min(1).optional(),
    /** Sample this many combinations of the grid at random instead of all of them. */
    random: z.number().int().positive().optional(),
    seed: z.number().int().default(1),
    datasets: z.array(DatasetSchema).min(1),
    objective: z.enum(OBJECTIVES).default('sqn'),
    engine: SweepEngineSchema.default(SweepEngineSchema.parse({})),
    walkForward: z
      .object({
        mode: z.enum(['rolling', 'anchored']).default('rolling'),
        folds: z.number().int().min(1).max(50).default(4),
        inSample: z.number().gt(0).lt(1).default(0.7),
      })
      .strict()
      .default({ mode: 'rolling', folds: 4, inSample: 0.7 }),
    promotion: z
      .object({
        /** The walk-forward objective must reach this (default: 0, or the starting cash for equityFinal). */
        threshold: z.number().optional(),
        /** ...and beat the promoted strategy's by this fraction of its absolute value. */
        margin: z.number().min(0).default(0.05),
        /** ...with at least this many closed out-of-sample trades. */
        minTrades: z.number().int().min(0).default(10),
      })
      .strict()
      .default({ margin: 0.05, minTrades: 10 }),
    /** Combinations per job. */
    chunkSize: z.number().int().min(1).max(5000).default(25),
  })
  .strict();

/** A sweep spec as written (defaults not yet applied). */
export type SweepSpecInput = z.input<typeof SweepSpecSchema>;
/** A validated sweep spec with defaults applied. */
export type SweepSpec = z.infer<typeof SweepSpecSchema>;
/** One data set entry of a validated spec. */
export type SweepDatasetEntry = SweepSpec['datasets'][number];

/** A spec failed validation; the message names each field at fault. */
export class SweepSpecError extends Error {
  override readonly name = 'SweepSpecError';
}

/** Validates a parsed spec (from JSON, YAML or flags); throws SweepSpecError naming every bad field. */
export function parseSweepSpec(input: unknown, source = 'sweep spec'): SweepSpec {
  const parsed = SweepSpecSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new SweepSpecError(`${source} is invalid:\n${issueList(parsed.error)}`);
}

/**
 * The market symbol a file name implies, following ccxt: `GOOG.csv` → GOOG, `ETH_BTC-5m.json` → ETH/BTC,
 * `XRP_USDT_USDT-5m-futures.json` → XRP/USDT:USDT.
 */
export function marketFromFileName(fileName: string): string {
  const base = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]+$/, '')
    .replace(/-(futures|perp|spot)$/i, '')
    .replace(/-\d+[smhdwM]$/, '');
  const parts = base.split('_').filter(Boolean);
  if (parts.length === 2) return `${parts[0]}/${parts[1]}`;
  if (parts.length === 3) return `${parts[0]}/${parts[1]}:${parts[2]}`;
  return base;
}
