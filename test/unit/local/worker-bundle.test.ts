import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PROJECT_ROOT } from '../../../local/paths';
import { workerBundle } from '../../../local/runtime/worker-bundle';

describe('the backtest worker threads’ bundle', () => {
  it('builds, and carries the sweep code only: no exchange, language-model or NLP library', async () => {
    // A worker thread loads this file at start; ccxt (60 MB) once broke the build and slowed every sweep.
    const bundle = await workerBundle();
    const manifest = JSON.parse(
      readFileSync(
        join(PROJECT_ROOT, 'node_modules', '.cache', 'flywheel', 'backtest-worker-thread.inputs.json'),
        'utf8',
      ),
    ) as { inputs: Record<string, number> };

    const heavy = Object.keys(manifest.inputs).filter((file) =>
      /node_modules\/(ccxt|openai|wink-nlp|wink-eng-lite-web-model|twitter-text)\//.test(file),
    );
    expect(bundle.endsWith('backtest-worker-thread.cjs')).toBe(true);
    expect(heavy).toEqual([]);
  }, 60_000);
});
