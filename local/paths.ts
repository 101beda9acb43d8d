import { resolve } from 'node:path';

/** The repository root, where the bundled sample data lives. */
export const PROJECT_ROOT = resolve(__dirname, '..');

/** The bundled sample OHLCV files. */
export const SAMPLE_DATA_DIR = resolve(PROJECT_ROOT, 'data', 'ohlcv');

/** Flywheel's working folder: FLYWHEEL_HOME, or .flywheel under the current folder. */
export function flywheelHome(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  return resolve(cwd, env.FLYWHEEL_HOME ?? '.flywheel');
}
