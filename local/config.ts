import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ContentSettingsSchema, DEFAULT_CONTENT_SETTINGS } from '@shared/content/settings';
import { MarketSettingsSchema } from '@shared/market/settings';
import { issueList } from '@shared/validation/zod-issues';
import { z } from 'zod';
import { InputError } from './cli/errors';
import { readSpecFile } from './cli/sweep-spec-input';
import { LocalTradingSettingsSchema } from './trading/settings';

/** File names the runtime looks for, in this order, in the folder it starts in. */
export const CONFIG_FILES = ['flywheel.config.yaml', 'flywheel.config.yml', 'flywheel.config.json'];

const ScheduleSchema = z
  .object({
    /** 1–64 letters, digits, -, _ or . (EventBridge Scheduler's rule). */
    name: z.string().min(1),
    /** rate(1 day), cron(0 2 * * ? *) or at(2026-12-01T09:00:00). */
    expression: z.string().min(1),
    timezone: z.string().default('UTC'),
    /** A sweep spec file (relative to the config file) or the spec itself. */
    spec: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  })
  .strict();

/** The local runtime's configuration file. */
export const RuntimeConfigSchema = z
  .object({
    sweeps: z
      .object({
        /** Recurring sweeps: on AWS, EventBridge Scheduler schedules targeting sweep-plan. */
        schedules: z.array(ScheduleSchema).default([]),
      })
      .strict()
      .default({ schedules: [] }),
    /** The dependency guard's settings (local/deps/config.ts validates them). */
    deps: z.unknown().optional(),
    /** Content repurposing: tone, brand voice, per-account limits, approval, publishing routes. */
    content: ContentSettingsSchema.default(DEFAULT_CONTENT_SETTINGS),
    /** Market data: `ingest` schedules, each bringing candle series up to date from an exchange (market-ingest). */
    market: MarketSettingsSchema.default({ ingest: [] }),
    /** Trading: paper or live, risk limits, and the replay feed promoted strategies paper-trade on locally. */
    trading: LocalTradingSettingsSchema.prefault({}),
  })
  .strict();

/** A validated runtime configuration. */
export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;
/** One recurring sweep. */
export type SweepSchedule = z.infer<typeof ScheduleSchema>;

/** Loads flywheel.config.(yaml|yml|json) from `cwd`, or the defaults when there is none. */
export async function loadRuntimeConfig(
  cwd: string,
): Promise<{ config: RuntimeConfig; path: string | undefined }> {
  const path = CONFIG_FILES.map((name) => join(cwd, name)).find((candidate) => existsSync(candidate));
  if (!path) return { config: RuntimeConfigSchema.parse({}), path: undefined };
  const parsed = RuntimeConfigSchema.safeParse((await readSpecFile(path, 'configuration file')) ?? {});
  if (!parsed.success) {
    throw new InputError(`${path} is invalid:\n${issueList(parsed.error)}`);
  }
  return { config: parsed.data, path };
}

/** The spec a schedule runs, read afresh at every run so edits to the file apply, and the folder its paths start from. */
export async function scheduledSpec(
  schedule: SweepSchedule,
  configDir: string,
): Promise<{ spec: unknown; baseDir: string }> {
  if (typeof schedule.spec !== 'string') return { spec: schedule.spec, baseDir: configDir };
  const path = resolve(configDir, schedule.spec);
  return { spec: await readSpecFile(path), baseDir: dirname(path) };
}
