import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../paths';

const ENTRY = join(PROJECT_ROOT, 'local', 'runtime', 'backtest-worker-thread.ts');
// Inside node_modules, so the bundle's require() finds the packages it leaves external.
const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'flywheel');
const BUNDLE = join(CACHE_DIR, 'backtest-worker-thread.cjs');
const MANIFEST = join(CACHE_DIR, 'backtest-worker-thread.inputs.json');

interface Manifest {
  readonly inputs: Record<string, number>;
}

function upToDate(): boolean {
  if (!existsSync(BUNDLE) || !existsSync(MANIFEST)) return false;
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    return Object.entries(manifest.inputs).every(
      ([file, mtime]) => statSync(join(PROJECT_ROOT, file)).mtimeMs === mtime,
    );
  } catch {
    return false;
  }
}

/**
 * The worker thread's code as one CommonJS file, rebuilt with esbuild when a source changed. Loading it takes a
 * fraction of what compiling each TypeScript module through tsx takes in every new thread, which matters to a
 * sweep's total time. Native and loader packages stay external and load from node_modules as usual.
 */
export async function workerBundle(): Promise<string> {
  if (upToDate()) return BUNDLE;
  mkdirSync(CACHE_DIR, { recursive: true });
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Everything but native or loader packages goes in: one file loads far faster than many modules.
    external: ['better-sqlite3', 'tsx', 'tsx/*', 'esbuild', 'piscina'],
    mainFields: ['module', 'main'],
    tsconfig: join(PROJECT_ROOT, 'tsconfig.json'),
    outfile: BUNDLE,
    metafile: true,
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'silent',
  });
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs).map((file) => [file, statSync(join(PROJECT_ROOT, file)).mtimeMs]),
  );
  writeFileSync(MANIFEST, JSON.stringify({ inputs } satisfies Manifest));
  return BUNDLE;
}
