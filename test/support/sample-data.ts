import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bars } from '@shared/market-data/bars';
import { parseOhlcv } from '@shared/market-data/parse-ohlcv';

/** The bundled sample data folder. */
export const SAMPLE_DIR = join(__dirname, '../../data/ohlcv');

/** Names of every bundled sample file. */
export const SAMPLE_FILES = readdirSync(SAMPLE_DIR)
  .filter((name) => /\.(csv|json)$/.test(name))
  .sort();

const cache = new Map<string, Bars>();

/** Loads (once) a bundled sample file. */
export function loadSample(name: string): Bars {
  let bars = cache.get(name);
  if (!bars) {
    const path = join(SAMPLE_DIR, name);
    bars = parseOhlcv(readFileSync(path, 'utf8'), path);
    cache.set(name, bars);
  }
  return bars;
}
