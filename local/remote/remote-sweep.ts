import { isAbsolute, resolve } from 'node:path';
import { findBuiltinStrategy } from '@shared/strategies/builtin';
import { marketFromFileName } from '@shared/sweep/spec';
import { InputError } from '../cli/errors';
import { loadBarsFile } from '../market-data-file';

/**
 * A spec ready for a deployed stack, which cannot read this machine's files: each file data set becomes inline
 * ccxt rows with its market. The strategy must be a built-in (deployed functions load no modules).
 */
export async function specForRemote(
  spec: Record<string, unknown>,
  baseDir: string,
): Promise<Record<string, unknown>> {
  const strategy = spec.strategy;
  if (typeof strategy === 'string' && !findBuiltinStrategy(strategy)) {
    throw new InputError(
      `a deployed stack runs built-in strategies only; "${strategy}" is not one. Run it locally (without --remote), or use a built-in (flywheel strategies).`,
    );
  }
  const datasets = Array.isArray(spec.datasets) ? spec.datasets : [];
  const inlined = await Promise.all(
    datasets.map(async (entry: unknown) => {
      const dataset = typeof entry === 'string' ? { file: entry } : (entry as Record<string, unknown>);
      if (typeof dataset.file !== 'string') return dataset;
      const path = isAbsolute(dataset.file) ? dataset.file : resolve(baseDir, dataset.file);
      const bars = await loadBarsFile(path);
      const candles: number[][] = [];
      for (let i = 0; i < bars.length; i++) {
        candles.push([
          bars.time[i]!,
          bars.open[i]!,
          bars.high[i]!,
          bars.low[i]!,
          bars.close[i]!,
          bars.volume[i]!,
        ]);
      }
      const { file: _file, ...rest } = dataset;
      return {
        ...rest,
        market: (dataset.market as string | undefined) ?? marketFromFileName(dataset.file),
        candles,
      };
    }),
  );
  return { ...spec, datasets: inlined };
}
