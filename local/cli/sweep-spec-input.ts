import { dirname, resolve } from 'node:path';
import { parseGridFlag } from '@shared/sweep/param-space';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { readInputFile } from '../files';
import type { EngineFlags } from './engine-flags';
import { InputError } from './errors';

/** The sweep flags as commander hands them over. */
export interface SweepFlags extends EngineFlags {
  data?: string[];
  market?: string[];
  strategy?: string;
  grid?: string[];
  constraint?: string;
  random?: number;
  seed?: number;
  objective?: string;
  walkForward?: string;
  folds?: number;
  inSample?: number;
  promoteThreshold?: number;
  promoteMargin?: number;
  minTrades?: number;
  chunkSize?: number;
}

const ENGINE_KEYS: [keyof EngineFlags, string][] = [
  ['cash', 'cash'],
  ['commission', 'commission'],
  ['spread', 'spread'],
  ['slippageBps', 'slippageBps'],
  ['fractional', 'fractional'],
  ['lotStep', 'lotStep'],
  ['longOnly', 'longOnly'],
  ['stopLoss', 'stopLossPct'],
  ['takeProfit', 'takeProfitPct'],
  ['from', 'from'],
  ['to', 'to'],
];

/** Reads a JSON or YAML spec file; a syntax error names the file, line and column. */
export async function readSpecFile(path: string, what = 'sweep spec'): Promise<unknown> {
  const text = await readInputFile(path, what);
  const document = parseDocument(text, { prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const position = error.linePos?.[0];
    const where = position ? `${path}:${position.line}:${position.col}` : path;
    throw new InputError(
      `${where}: the ${what} is not valid YAML or JSON (${error.message.split('\n')[0]}). Fix the syntax at that spot.`,
    );
  }
  return document.toJS();
}

/**
 * Builds the spec a sweep runs: the spec file when given, then every flag given on the command line on top of
 * it (flags left at their defaults do not override the file). Returns the spec and the folder relative paths
 * start from.
 */
export async function sweepSpecFromInput(
  specPath: string | undefined,
  flags: SweepFlags,
  command: Command,
  cwd: string,
): Promise<{ spec: Record<string, unknown>; baseDir: string; source: string }> {
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  let spec: Record<string, unknown> = {};
  let baseDir = cwd;
  let source = 'the sweep flags';
  if (specPath) {
    const path = resolve(cwd, specPath);
    const parsed = await readSpecFile(path);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError(
        `${specPath}: a sweep spec is a mapping (strategy:, params:, datasets:, …), not ${Array.isArray(parsed) ? 'a list' : typeof parsed}.`,
      );
    }
    spec = { ...(parsed as Record<string, unknown>) };
    baseDir = dirname(path);
    source = specPath;
  } else if (!flags.data?.length || !flags.strategy) {
    throw new InputError(
      'give a spec file (flywheel sweep run sweep.yaml) or at least --data FILE and --strategy NAME.',
    );
  }
  if (flags.strategy) spec.strategy = flags.strategy;
  if (flags.data?.length) {
    const markets = flags.market ?? [];
    if (markets.length > flags.data.length)
      throw new InputError(
        '--market is given more often than --data; give one --market per --data, in order.',
      );
    spec.datasets = flags.data.map((file, index) => ({
      file: resolve(cwd, file),
      ...(markets[index] ? { market: markets[index] } : {}),
    }));
  }
  if (flags.grid?.length) {
    const params: Record<string, unknown> = {
      ...((spec.params as Record<string, unknown> | undefined) ?? {}),
    };
    for (const text of flags.grid) {
      const [name, value] = parseGridFlag(text);
      params[name] = value;
    }
    spec.params = params;
  }
  if (flags.constraint !== undefined) spec.constraint = flags.constraint;
  if (flags.random !== undefined) spec.random = flags.random;
  if (flags.seed !== undefined) spec.seed = flags.seed;
  if (flags.objective !== undefined) spec.objective = flags.objective;
  if (flags.chunkSize !== undefined) spec.chunkSize = flags.chunkSize;
  const engine: Record<string, unknown> = { ...((spec.engine as Record<string, unknown> | undefined) ?? {}) };
  for (const [flag, key] of ENGINE_KEYS) {
    if (given(flag)) engine[key] = flags[flag];
  }
  if (Object.keys(engine).length) spec.engine = engine;
  const walkForward: Record<string, unknown> = {
    ...((spec.walkForward as Record<string, unknown> | undefined) ?? {}),
  };
  if (flags.walkForward !== undefined) walkForward.mode = flags.walkForward;
  if (flags.folds !== undefined) walkForward.folds = flags.folds;
  if (flags.inSample !== undefined) walkForward.inSample = flags.inSample;
  if (Object.keys(walkForward).length) spec.walkForward = walkForward;
  const promotion: Record<string, unknown> = {
    ...((spec.promotion as Record<string, unknown> | undefined) ?? {}),
  };
  if (flags.promoteThreshold !== undefined) promotion.threshold = flags.promoteThreshold;
  if (flags.promoteMargin !== undefined) promotion.margin = flags.promoteMargin;
  if (flags.minTrades !== undefined) promotion.minTrades = flags.minTrades;
  if (Object.keys(promotion).length) spec.promotion = promotion;
  return { spec, baseDir, source };
}
