import type { Bars } from '@shared/market-data/bars';
import { MarketDataError } from '@shared/market-data/errors';
import { parseOhlcv } from '@shared/market-data/parse-ohlcv';
import { InputError } from './cli/errors';
import { readInputFile } from './files';

/** Reads and validates an OHLCV file (CSV or ccxt JSON); bad data throws MarketDataError naming file and line. */
export async function readBarsFile(path: string): Promise<Bars> {
  return parseOhlcv(await readInputFile(path, 'data file'), path);
}

/** Reads an OHLCV file for the CLI: bad data becomes an InputError (exit code 2) naming file and line. */
export async function loadBarsFile(path: string): Promise<Bars> {
  try {
    return await readBarsFile(path);
  } catch (error) {
    if (error instanceof MarketDataError) throw new InputError(error.message);
    throw error;
  }
}
