import { type ParseError, parse as parseLenient, printParseErrorCode } from 'jsonc-parser';
import type { Bars } from './bars';
import { BarsBuilder } from './bars-builder';
import { MarketDataError } from './errors';

const ROW_SHAPE = '[timestampMs, open, high, low, close, volume]';

/** Parses a JSON array of `[timestampMs, open, high, low, close, volume]` rows, as ccxt's fetchOHLCV returns. */
export function parseOhlcvJson(text: string, file: string): Bars {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    const { line, problem } = describeJsonError(text);
    throw new MarketDataError(file, line, problem, `Write a JSON array of ${ROW_SHAPE} rows.`);
  }
  if (!Array.isArray(rows)) {
    throw new MarketDataError(
      file,
      1,
      `expected a JSON array of ${ROW_SHAPE} rows, found ${rows === null ? 'null' : typeof rows}`,
      'Save the array that ccxt fetchOHLCV returns, as it is.',
    );
  }
  let rowLines: number[] | undefined;
  return barsFromRows(rows, file, (row) => {
    rowLines ??= jsonRowLines(text);
    return rowLines[row] ?? 1;
  });
}

/**
 * Validates ccxt-style rows already parsed (from a file or a request body) into bars. `lineOf` names the line a
 * row came from; without it errors name the row number.
 */
export function barsFromRows(
  rows: readonly unknown[],
  file: string,
  lineOf: (row: number) => number = (row) => row + 1,
): Bars {
  const builder = new BarsBuilder(file, rows.length, lineOf);
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (!Array.isArray(row) || row.length < 6) {
      throw new MarketDataError(
        file,
        lineOf(r),
        `row ${r} is ${JSON.stringify(row)?.slice(0, 80)}, not ${ROW_SHAPE}`,
        'Give every row six numbers.',
      );
    }
    for (let c = 0; c < 6; c++) {
      const value: unknown = row[c];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new MarketDataError(
          file,
          lineOf(r),
          `row ${r} has ${JSON.stringify(value) ?? 'nothing'} as ${['timestampMs', 'open', 'high', 'low', 'close', 'volume'][c]}, which is not a number`,
          'Write every value as a JSON number (no quotes, no null).',
        );
      }
    }
    const [time, open, high, low, close, volume] = row as number[];
    builder.add(r, time!, open!, high!, low!, close!, volume!);
  }
  return builder.finish();
}

/** 1-based line of each top-level row, found by scanning only when an error must name one. */
function jsonRowLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) line++;
    else if (inString) {
      if (code === 92) i++;
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 91 || code === 123) {
      depth++;
      if (depth === 2) lines.push(line);
    } else if (code === 93 || code === 125) depth--;
  }
  return lines;
}

/** Locates a JSON syntax error (V8's own message gives no position) with a tolerant parser. */
function describeJsonError(text: string): { line: number | undefined; problem: string } {
  const errors: ParseError[] = [];
  parseLenient(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return { line: undefined, problem: 'the file is not valid JSON' };
  let line = 1;
  for (let i = 0; i < first.offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  const near = JSON.stringify(text.slice(first.offset, first.offset + 12));
  return { line, problem: `the file is not valid JSON (${printParseErrorCode(first.error)} at ${near})` };
}
