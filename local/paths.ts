import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest folder at or above `start` holding Flywheel's package.json (a bundled worker lives in node_modules). */
function findProjectRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'flywheel'
    )
      return folder;
    if (dirname(folder) === folder) return resolve(start, '..');
  }
}

/** The repository root, where the bundled sample data lives. */
export const PROJECT_ROOT = findProjectRoot(__dirname);

/** The bundled sample OHLCV files. */
export const SAMPLE_DATA_DIR = resolve(PROJECT_ROOT, 'data', 'ohlcv');

/** Flywheel's working folder: FLYWHEEL_HOME, or .flywheel under the current folder. */
export function flywheelHome(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  return resolve(cwd, env.FLYWHEEL_HOME ?? '.flywheel');
}
