import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MarketDataError } from '@shared/market-data/errors';
import { parseOhlcv } from '@shared/market-data/parse-ohlcv';

function failure(text: string, file = 'prices.csv'): MarketDataError {
  try {
    parseOhlcv(text, file);
  } catch (error) {
    if (error instanceof MarketDataError) return error;
    throw error;
  }
  throw new Error('expected parseOhlcv to fail');
}

describe('CSV', () => {
  it('reads an unnamed first time column and OHLCV headers in any case', () => {
    const bars = parseOhlcv(
      ',open,HIGH,Low,close,Volume\n2004-08-19,100,104.06,95.96,100.34,22351900\n2004-08-20,101.01,109.08,100.5,108.31,11428600',
      'x.csv',
    );
    expect(bars.length).toBe(2);
    expect(bars.time[0]).toBe(Date.parse('2004-08-19T00:00:00Z'));
    expect(Array.from(bars.close)).toEqual([100.34, 108.31]);
    expect(bars.volume[1]).toBe(11428600);
  });

  it('reads a named time column anywhere, in any column order, with times, zones and epoch values', () => {
    const text = [
      'Close;Volume;Timestamp;Open;High;Low',
      '10;1;2024-01-01 09:30:00;9;11;8',
      '10;1;2024-01-01T11:30:00+01:00;9;11;8',
      '10;1;1704106800000;9;11;8',
      '10;1;1704110400;9;11;8',
    ].join('\n');
    const bars = parseOhlcv(text, 'x.csv');
    expect(Array.from(bars.time)).toEqual([
      Date.parse('2024-01-01T09:30:00Z'),
      Date.parse('2024-01-01T10:30:00Z'),
      Date.parse('2024-01-01T11:00:00Z'),
      Date.parse('2024-01-01T12:00:00Z'),
    ]);
  });

  it('accepts a last line without a newline, blank lines and CRLF', () => {
    const bars = parseOhlcv(
      'date,open,high,low,close,volume\r\n2024-01-01,1,2,1,1,0\r\n\r\n2024-01-02,1,2,1,2,0',
      'x.csv',
    );
    expect(bars.length).toBe(2);
  });

  it.each([
    ['a missing column', 'time,open,high,low,volume\n2024-01-01,1,2,1,0', 1, 'missing column "Close"'],
    [
      'a missing time column',
      'when,open,high,low,close,volume\n2024-01-01,1,2,1,1,0',
      1,
      'missing time column',
    ],
    [
      'a non-numeric value',
      'time,open,high,low,close,volume\n2024-01-01,1,2,1,1,0\n2024-01-02,1,2,1,abc,0',
      3,
      'column "close" has "abc", which is not a number',
    ],
    [
      'an empty value',
      'time,open,high,low,close,volume\n2024-01-01,1,2,,1,0',
      2,
      'column "low" has "", which is not a number',
    ],
    [
      'high below low',
      'time,open,high,low,close,volume\n2024-01-01,1,0.5,1,1,0',
      2,
      'high 0.5 is below low 1',
    ],
    [
      'a close above the high',
      'time,open,high,low,close,volume\n2024-01-01,1,2,1,3,0',
      2,
      'close 3 is above high 2',
    ],
    [
      'a repeated time',
      'time,open,high,low,close,volume\n2024-01-01,1,2,1,1,0\n2024-01-01,1,2,1,1,0',
      3,
      'is not after the previous bar',
    ],
    [
      'a time going back',
      'time,open,high,low,close,volume\n2024-01-02,1,2,1,1,0\n2024-01-01,1,2,1,1,0',
      3,
      'times must be strictly increasing',
    ],
    [
      'an invalid date',
      'time,open,high,low,close,volume\n2024-02-30,1,2,1,1,0',
      2,
      'time "2024-02-30" is not a valid time',
    ],
    [
      'a short row',
      'time,open,high,low,close,volume\n2024-01-01,1,2,1,1',
      2,
      'the row has 5 fields but the header has 6',
    ],
    ['a negative volume', 'time,open,high,low,close,volume\n2024-01-01,1,2,1,1,-5', 2, 'volume is -5'],
  ])('rejects %s, naming the file and line', (_name, text, line, problem) => {
    const error = failure(text);
    expect(error.file).toBe('prices.csv');
    expect(error.line).toBe(line);
    expect(error.message).toContain(problem);
    expect(error.message).toMatch(new RegExp(`^prices\\.csv:${line}: `));
  });

  it('rejects an empty file and a header without bars', () => {
    expect(failure('').message).toBe(
      'prices.csv: the file is empty. Add a header line (time,Open,High,Low,Close,Volume) and at least one bar.',
    );
    expect(failure('time,open,high,low,close,volume\n').problem).toBe('the file has no bars');
  });
});

describe('JSON (ccxt fetchOHLCV rows)', () => {
  it('reads [timestampMs, open, high, low, close, volume] rows', () => {
    const bars = parseOhlcv('[[1515560100000, 0.0984, 0.0994766, 0.09828605, 0.0994766, 1820.5]]', 'x.json');
    expect(bars.length).toBe(1);
    expect(bars.time[0]).toBe(1515560100000);
    expect(bars.high[0]).toBe(0.0994766);
  });

  it('names the line of a bad row in a pretty-printed file', () => {
    const error = failure('[\n  [1, 2, 3, 1, 2, 3],\n  [2, 2, 3, 1, null, 3]\n]', 'rows.json');
    expect(error.line).toBe(3);
    expect(error.message).toContain('row 1 has null as close, which is not a number');
  });

  it('names the line of a syntax error', () => {
    const error = failure('[\n  [1, 2, 3, 1, 2, 3],\n  [2, 2, 3, 1, 2, 3],\n]', 'rows.json');
    expect(error.line).toBe(4);
    expect(error.problem).toContain('not valid JSON');
  });

  it('rejects rows of the wrong shape and a non-array document', () => {
    expect(failure('[[1, 2, 3]]', 'rows.json').message).toContain(
      'row 0 is [1,2,3], not [timestampMs, open, high, low, close, volume]',
    );
    expect(failure('{"candles": []}', 'rows.json').problem).toContain('expected a JSON array');
    expect(failure('[[2,1,1,1,1,1],[1,1,1,1,1,1]]', 'rows.json').problem).toContain(
      'times must be strictly increasing',
    );
    expect(failure('[]', 'rows.json').problem).toBe('the file has no bars');
  });
});

describe('the sample data', () => {
  const dir = join(__dirname, '../../../data/ohlcv');
  it.each([
    ['GOOG.csv', 2148],
    ['EURUSD.csv', 5000],
    ['BTCUSD.csv', 156],
    ['ETH_BTC-5m.json', 5760],
    ['LTC_BTC-5m.json', 5760],
    ['XRP_USDT_USDT-5m-futures.json', 1999],
    ['XRP_USDT_USDT-1h-futures.json', 100],
  ])('loads %s completely (%i bars)', (name, rows) => {
    const bars = parseOhlcv(readFileSync(join(dir, name), 'utf8'), name);
    expect(bars.length).toBe(rows);
  });
});
