import type { Bars } from './bars';
import { MarketDataError } from './errors';
import { parseOhlcvCsv } from './parse-csv';
import { parseOhlcvJson } from './parse-json';

/** The two OHLCV file formats Flywheel reads. */
export type OhlcvFormat = 'csv' | 'json';

/** Picks the format from the file extension, or from the first character when the extension says nothing. */
export function detectOhlcvFormat(file: string, text: string): OhlcvFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  return text.trimStart().startsWith('[') ? 'json' : 'csv';
}

/** Parses OHLCV text from a CSV or ccxt-style JSON file into validated bars. */
export function parseOhlcv(text: string, file: string, format = detectOhlcvFormat(file, text)): Bars {
  if (text.trim() === '') {
    throw new MarketDataError(
      file,
      undefined,
      'the file is empty',
      format === 'json'
        ? 'Write a JSON array of [timestampMs, open, high, low, close, volume] rows.'
        : 'Add a header line (time,Open,High,Low,Close,Volume) and at least one bar.',
    );
  }
  return format === 'json' ? parseOhlcvJson(text, file) : parseOhlcvCsv(text, file);
}
