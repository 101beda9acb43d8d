import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..');

function bundle(): string {
  const outfile = join(ROOT, 'node_modules', '.cache', 'flywheel', 'ceiling-worker.cjs');
  mkdirSync(join(ROOT, 'node_modules', '.cache', 'flywheel'), { recursive: true });
  buildSync({
    entryPoints: [join(__dirname, 'ceiling-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    mainFields: ['module', 'main'],
    tsconfig: join(ROOT, 'tsconfig.json'),
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

async function wall(file: string, threads: number, runs: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(file, { workerData: { root: ROOT, runs }, execArgv: [] });
          worker.once('message', () => {
            void worker.terminate();
            resolve();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return performance.now() - started;
}

/**
 * The machine's own parallel ceiling for the backtest kernel: threads × (time of 1 thread doing 1 unit) / (time
 * of `threads` threads doing 1 unit each), best of three. Two vCPUs that are hyperthreads of one core, or a busy
 * host, give well under 2.
 */
export async function parallelCeiling(threads: number, runs = 1500): Promise<number> {
  const file = bundle();
  let best = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const one = await wall(file, 1, runs);
    const many = await wall(file, threads, runs);
    best = Math.max(best, (threads * one) / many);
  }
  return best;
}
