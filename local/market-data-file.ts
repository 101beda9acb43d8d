import type { Bars } from '@shared/market-data/bars';
import { MarketDataError } from '@shared/market-data/errors';
import { parseOhlcv } from '@shared/market-data/parse-ohlcv';
import { InputError } from './cli/errors';
import { readInputFile } from './files';

/** Reads and validates an OHLCV file (CSV or ccxt JSON); bad data becomes an InputError naming file and line. */
export async function loadBarsFile(path: string): Promise<Bars> {
  const text = await readInputFile(path, 'data file');
  try {
    return parseOhlcv(text, path);
  } catch (error) {
    if (error instanceof MarketDataError) throw new InputError(error.message);
    throw error;
  }
}
