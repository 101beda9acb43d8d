import { readFile } from 'node:fs/promises';
import type { Bars } from '@shared/market-data/bars';
import { MarketDataError } from '@shared/market-data/errors';
import { parseOhlcv } from '@shared/market-data/parse-ohlcv';
import { InputError } from './cli/errors';
import { readInputFile } from './files';

/** Reads and validates an OHLCV file (CSV or ccxt JSON); any problem throws MarketDataError naming the file. */
export async function readBarsFile(path: string): Promise<Bars> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new MarketDataError(
      path,
      undefined,
      missing ? 'the data file was not found' : `the data file cannot be read (${(error as Error).message})`,
      'Check the path: relative paths start from the spec file’s folder (or the current folder for flags and HTTP).',
    );
  }
  return parseOhlcv(text, path);
}

/** Reads an OHLCV file for the CLI: bad data becomes an InputError (exit code 2) naming file and line. */
export async function loadBarsFile(path: string): Promise<Bars> {
  const text = await readInputFile(path, 'data file');
  try {
    return parseOhlcv(text, path);
  } catch (error) {
    if (error instanceof MarketDataError) throw new InputError(error.message);
    throw error;
  }
}
