import { parse } from 'csv-parse/sync';
import type { Bars } from './bars';
import { BarsBuilder } from './bars-builder';
import { MarketDataError } from './errors';
import { parseTime } from './parse-time';

/** Header names (lower case) accepted for the time column; an empty first header cell also is. */
export const TIME_COLUMN_NAMES = [
  'time',
  'timestamp',
  'date',
  'datetime',
  'date_time',
  'open_time',
  'opentime',
];
const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const TIME_FIX =
  'Write times as YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (UTC unless followed by Z or ±HH:MM) or epoch milliseconds.';

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Parses OHLCV CSV: a header with a time column (named, or the unnamed first column) and Open, High, Low,
 * Close and Volume in any case and order. Comma, semicolon or tab separated.
 */
export function parseOhlcvCsv(text: string, file: string): Bars {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let records: CsvRecord[];
  try {
    records = parse(source, {
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      delimiter: detectDelimiter(source),
    }) as unknown as CsvRecord[];
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new MarketDataError(
      file,
      lines,
      `the file is not valid CSV (${(error as Error).message})`,
      'Fix the quoting or separators on that line.',
    );
  }
  const header = records[0];
  if (!header) {
    throw new MarketDataError(
      file,
      undefined,
      'the file is empty',
      'Add a header line (time,Open,High,Low,Close,Volume) and at least one bar.',
    );
  }
  const columns = locateColumns(header.record, file, header.info.lines);
  const builder = new BarsBuilder(file, records.length - 1);
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const line = info.lines;
    if (record.length !== header.record.length) {
      throw new MarketDataError(
        file,
        line,
        `the row has ${record.length} fields but the header has ${header.record.length}`,
        'Give every row one value per header column.',
      );
    }
    const timeText = record[columns.time]!;
    const time = parseTime(timeText);
    if (time === undefined) {
      throw new MarketDataError(file, line, `time "${timeText}" is not a valid time`, TIME_FIX);
    }
    const values = PRICE_COLUMNS.map((name) => {
      const cell = record[columns[name]]!;
      if (!DECIMAL.test(cell)) {
        throw new MarketDataError(
          file,
          line,
          `column "${header.record[columns[name]]}" has "${cell}", which is not a number`,
          'Write a plain decimal number such as 101.25 (no thousands separators or currency signs).',
        );
      }
      return Number(cell);
    }) as [number, number, number, number, number];
    builder.add(line, time, ...values);
  }
  return builder.finish();
}

type ColumnIndex = Record<'time' | (typeof PRICE_COLUMNS)[number], number>;

function locateColumns(header: string[], file: string, line: number): ColumnIndex {
  const names = header.map((cell) => cell.trim().toLowerCase());
  const find = (name: string) => {
    const at = names.indexOf(name);
    if (at >= 0 && names.indexOf(name, at + 1) >= 0) {
      throw new MarketDataError(
        file,
        line,
        `the header has two "${name}" columns`,
        'Remove or rename one of them.',
      );
    }
    return at;
  };
  let time = TIME_COLUMN_NAMES.map(find).find((at) => at >= 0) ?? -1;
  if (time < 0 && names[0] === '') time = 0;
  if (time < 0) {
    throw new MarketDataError(
      file,
      line,
      `missing time column (header: ${header.join(',')})`,
      `Name the time column one of ${TIME_COLUMN_NAMES.join(', ')}, or leave the first header cell empty.`,
    );
  }
  const columns = { time } as ColumnIndex;
  for (const name of PRICE_COLUMNS) {
    const at = find(name);
    if (at < 0) {
      const title = name[0]!.toUpperCase() + name.slice(1);
      throw new MarketDataError(
        file,
        line,
        `missing column "${title}" (header: ${header.join(',')})`,
        `Add a ${title} column; column names are matched in any case.`,
      );
    }
    columns[name] = at;
  }
  return columns;
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes(';')) return ';';
  if (firstLine.includes('\t')) return '\t';
  return ',';
}
