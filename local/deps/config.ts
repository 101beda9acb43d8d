import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type CheckOptions, DEFAULT_PYTHON } from '@shared/deps/check/options';
import { RULE_IDS } from '@shared/deps/model';
import { isValidName, normalizeName } from '@shared/deps/pep508';
import { parsePyproject } from '@shared/deps/pyproject';
import { issueList } from '@shared/validation/zod-issues';
import { z } from 'zod';
import { InputError } from '../cli/errors';
import { readSpecFile } from '../cli/sweep-spec-input';
import { CONFIG_FILES } from '../config';
import { readInputFile } from '../files';

const CATEGORIES = [
  'FAILS',
  'NOT-FOUND',
  'WRONG-PKG',
  'DUMMY-OK',
  'RENAMED',
  'DEPRECATED',
  'ABANDONED',
  'BACKPORT',
  'ARTIFACT',
] as const;

const packageName = z.string().refine(isValidName, { error: 'is not a valid package name' });

/** The dependency guard's settings: `deps:` in flywheel.config.*, or `[tool.flywheel]` in pyproject.toml. */
export const DepsConfigSchema = z
  .object({
    /** Findings you accept: a rule, for one package or all, with the reason (kept in review). */
    ignore: z
      .array(
        z
          .object({
            rule: z.enum(RULE_IDS),
            package: packageName.optional(),
            reason: z.string().min(1, 'give the reason'),
          })
          .strict(),
      )
      .default([]),
    /** Your own deprecated names, checked like the built-in table. */
    deprecated: z
      .array(
        z
          .object({
            name: packageName,
            replacement: packageName.nullable().default(null),
            category: z.enum(CATEGORIES).default('DEPRECATED'),
            reason: z.string().min(1).default('deprecated by this project'),
          })
          .strict(),
      )
      .default([]),
    /** Globs (relative to the config's folder) that directory searches skip. */
    exclude: z.array(z.string().min(1)).default([]),
    /** The target Python when --python is not given. */
    python: z
      .string()
      .regex(/^\d+\.\d+$/, 'write X.Y, e.g. "3.12"')
      .optional(),
    /** As --require-pins. */
    requirePins: z.boolean().optional(),
    /** What `flywheel start` checks before it starts (relative to the current folder); absent files are skipped. */
    beforeStart: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type DepsConfig = z.infer<typeof DepsConfigSchema>;

/** Where the settings came from, for messages. */
export interface LoadedDepsConfig {
  readonly config: DepsConfig;
  readonly sources: readonly string[];
}

function parseConfig(value: unknown, where: string): DepsConfig {
  const parsed = DepsConfigSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new InputError(
    `${where} is invalid:\n${issueList(parsed.error)}\nSee flywheel deps check --help for the settings.`,
  );
}

/**
 * Reads the settings from `--config FILE`, else from flywheel.config.(yaml|yml|json) `deps:` and
 * `[tool.flywheel]` of pyproject.toml in `cwd`, merged (lists concatenated; flywheel.config wins for python and
 * requirePins).
 */
export async function loadDepsConfig(cwd: string, explicit?: string): Promise<LoadedDepsConfig> {
  const parts: { config: DepsConfig; source: string }[] = [];
  const fromFlywheelConfig = async (path: string) => {
    const document = (await readSpecFile(path, 'configuration file')) as Record<string, unknown> | null;
    if (document !== null && (typeof document !== 'object' || Array.isArray(document)))
      throw new InputError(`${path} is invalid: expected a mapping at the top level`);
    parts.push({
      config: parseConfig(document?.deps, `${relative(cwd, path) || path} (deps)`),
      source: path,
    });
  };
  const fromPyproject = async (path: string) => {
    const pyproject = parsePyproject(await readInputFile(path, 'pyproject.toml'), path);
    const table = pyproject.toolFlywheel as Record<string, unknown> | null;
    if (table === null || typeof table !== 'object') return;
    // [tool.flywheel.deps] when the table holds other Flywheel settings too, else [tool.flywheel] itself.
    const value = 'deps' in table ? table.deps : table;
    parts.push({
      config: parseConfig(value, `${relative(cwd, path) || path} [tool.flywheel]`),
      source: path,
    });
  };
  if (explicit) {
    const path = join(cwd, explicit);
    if (!existsSync(path))
      throw new InputError(`config file not found: ${explicit} (relative paths start from ${cwd})`);
    if (path.endsWith('.toml')) await fromPyproject(path);
    else await fromFlywheelConfig(path);
  } else {
    const flywheelConfig = CONFIG_FILES.map((name) => join(cwd, name)).find((candidate) =>
      existsSync(candidate),
    );
    if (flywheelConfig) await fromFlywheelConfig(flywheelConfig);
    const pyproject = join(cwd, 'pyproject.toml');
    if (existsSync(pyproject)) await fromPyproject(pyproject);
  }
  const merged: DepsConfig = {
    ignore: parts.flatMap((part) => part.config.ignore),
    deprecated: parts.flatMap((part) => part.config.deprecated),
    exclude: parts.flatMap((part) => part.config.exclude),
  };
  const python = parts.find((part) => part.config.python)?.config.python;
  const requirePins = parts.find((part) => part.config.requirePins !== undefined)?.config.requirePins;
  const beforeStart = parts.find((part) => part.config.beforeStart)?.config.beforeStart;
  return {
    config: {
      ...merged,
      ...(python ? { python } : {}),
      ...(requirePins !== undefined ? { requirePins } : {}),
      ...(beforeStart ? { beforeStart } : {}),
    },
    sources: parts.map((part) => part.source),
  };
}

/** The check's options from the settings and the command line (flags win). */
export function checkOptions(
  config: DepsConfig,
  flags: { python?: string; requirePins?: boolean },
): CheckOptions {
  return {
    python: flags.python ?? config.python ?? DEFAULT_PYTHON,
    requirePins: flags.requirePins ?? config.requirePins ?? false,
    deprecated: config.deprecated.map((own) => ({ ...own, name: normalizeName(own.name) })),
    ignore: config.ignore.map((rule) => ({
      ...rule,
      ...(rule.package ? { package: normalizeName(rule.package) } : {}),
    })),
  };
}
