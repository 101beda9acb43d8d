import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { SqliteCandleStore } from '@shared/adapters/local/sqlite/candle-store';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { findGaps } from '@shared/market/gaps';
import { type IngestReport, ingestCandles, marketKey } from '@shared/market/ingest';
import { MemoryCandleStore } from '@shared/market/memory-candle-store';
import { TimeframeError, timeframeMs } from '@shared/market/timeframe';
import { parseTime } from '@shared/market-data/parse-time';
import type { CandleGap, CandleSeries, CandleStore } from '@shared/ports/candle-store';
import type { Candle } from '@shared/ports/market-data-source';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../files';
import { loadBarsFile } from '../../market-data-file';
import { flywheelHome } from '../../paths';
import { databasePath } from '../../runtime/local-adapters';
import { EXCHANGE_URL_VARIABLE, localMarketDataSource } from '../../runtime/local-market-dependencies';
import { ExitCode, InputError } from '../errors';
import type { CliIo } from '../io';

interface FetchFlags {
  exchange: string;
  symbol: string;
  timeframe: string;
  since: string;
  until?: string;
  out?: string;
  store?: boolean;
  json?: boolean;
}

interface ImportFlags {
  exchange: string;
  symbol: string;
  timeframe: string;
  json?: boolean;
}

const SYMBOL = /^[A-Z0-9._-]+\/[A-Z0-9._-]+(:[A-Z0-9._-]+)?$/i;

function checkSymbol(symbol: string): string {
  if (!SYMBOL.test(symbol))
    throw new InputError(`--symbol "${symbol}" is not a ccxt symbol: write BASE/QUOTE, e.g. BTC/USDT`);
  return symbol;
}

function checkTimeframe(timeframe: string): number {
  try {
    return timeframeMs(timeframe);
  } catch (error) {
    if (error instanceof TimeframeError) throw new InputError(`--timeframe: ${error.message}`);
    throw error;
  }
}

function checkTime(flag: string, text: string): number {
  const time = parseTime(text);
  if (time === undefined)
    throw new InputError(`${flag} "${text}" is not a date: write 2024-01-01 (UTC), an ISO time or epoch ms`);
  return time;
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

function gapsJson(gaps: readonly CandleGap[]) {
  return gaps.map((gap) => ({ from: iso(gap.from), to: iso(gap.to), missing: gap.missing }));
}

function describeGaps(gaps: readonly CandleGap[]): string {
  return gaps
    .map((gap) => `  gap: ${gap.missing} candle(s) missing from ${iso(gap.from)} to ${iso(gap.to)}\n`)
    .join('');
}

/** Opens the home folder's candle store (creating the database on first use); closing is the caller's. */
function openCandleStore(io: CliIo): { store: SqliteCandleStore; path: string; close: () => void } {
  const home = flywheelHome(io.env, io.cwd);
  mkdirSync(home, { recursive: true });
  const path = databasePath(home);
  const db = openDatabase(path);
  return { store: new SqliteCandleStore(db), path, close: () => db.close() };
}

/** `flywheel data fetch|import`: candles from an exchange (network) or a file (offline) into a file or the local store. */
export function registerDataCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const data = program
    .command('data')
    .description('Get market data: fetch candles from an exchange, or import a file');

  data
    .command('fetch')
    .description('Fetch OHLCV candles from an exchange through ccxt (needs network access)')
    .requiredOption('--symbol <symbol>', 'the market, as ccxt writes it, e.g. BTC/USDT')
    .requiredOption('--timeframe <timeframe>', 'candle length: 1m, 5m, 15m, 1h, 4h, 1d, 1w, …')
    .requiredOption('--since <date>', 'first candle: 2024-01-01 (UTC), an ISO time or epoch ms')
    .option('--exchange <id>', 'a ccxt exchange id', 'binance')
    .option('--until <date>', 'stop before this time (default: now); only closed candles are fetched')
    .option(
      '--out <file>',
      'write the candles as a ccxt JSON rows file ([time, open, high, low, close, volume])',
    )
    .option('--store', 'also store them in the local candle store (the default without --out)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Candles are paged forward from --since until --until (or now), with ccxt's rate limiter on; a rate limit is
waited out (Retry-After), a network failure retried, an exchange rejection reported (exit code 1).
Without --out the candles go to the local candle store in $FLYWHEEL_HOME (default ./.flywheel), where a
series resumes from its last stored candle; a candle already stored is never stored twice, and gaps
(missing candles between two stored ones) are recorded and reported.
Progress goes to standard error. ${EXCHANGE_URL_VARIABLE} sends every request to another origin (a test server).

Examples:
  flywheel data fetch --exchange binance --symbol BTC/USDT --timeframe 1h --since 2024-01-01
  flywheel data fetch --symbol ETH/USDT --timeframe 4h --since 2024-01-01 --until 2024-07-01 --out eth-4h.json
  flywheel backtest --data eth-4h.json --strategy sma-cross`,
    )
    .action(async (flags: FetchFlags) => {
      const symbol = checkSymbol(flags.symbol);
      checkTimeframe(flags.timeframe);
      const since = checkTime('--since', flags.since);
      const until = flags.until === undefined ? undefined : checkTime('--until', flags.until);
      if (until !== undefined && until <= since) throw new InputError('--until must be after --since');
      let source: ReturnType<typeof localMarketDataSource>;
      try {
        source = localMarketDataSource(flags.exchange, io.env);
      } catch (error) {
        throw new InputError(`--exchange: ${(error as Error).message}`);
      }
      const toStore = flags.store === true || flags.out === undefined;
      const local = toStore ? openCandleStore(io) : undefined;
      // A file holds exactly the range asked for, so it is fetched whole; the store resumes where it stopped.
      const store: CandleStore = flags.out ? new MemoryCandleStore() : local!.store;
      try {
        const report = await ingestCandles(
          {
            source,
            store,
            clock: { now: () => Date.now() },
            sleep: (ms) => {
              io.err(`waiting ${Math.ceil(ms / 1000)} s before asking ${flags.exchange} again\n`);
              return new Promise((done) => setTimeout(done, ms));
            },
          },
          {
            symbol,
            timeframe: flags.timeframe,
            start: since,
            resume: flags.out === undefined,
            ...(until === undefined ? {} : { until }),
            onPage: (progress) =>
              io.err(`fetched ${progress.fetched} candle(s), up to ${iso(progress.lastCandleTime)}\n`),
          },
        );
        let stored: IngestReport | { inserted: number; duplicates: number } = report;
        let outPath: string | undefined;
        if (flags.out) {
          const candles = await store.range(report.series, since, until ?? Number.MAX_SAFE_INTEGER);
          outPath = await writeFileAtomic(resolve(io.cwd, flags.out), rowsJson(candles));
          if (local) {
            for (const gap of report.gaps) await local.store.recordGap(report.series, gap);
            stored = await local.store.append(report.series, candles);
          }
        }
        const summary = {
          market: report.series.market,
          timeframe: report.series.timeframe,
          pages: report.pages,
          fetched: report.fetched,
          inserted: stored.inserted,
          duplicates: stored.duplicates,
          firstCandleTime: iso(report.firstCandleTime),
          lastCandleTime: iso(report.lastCandleTime),
          gaps: gapsJson(report.gaps),
          errors: report.errors,
          complete: report.complete,
          out: outPath ?? null,
          database: local?.path ?? null,
        };
        if (flags.json) io.out(`${JSON.stringify(summary, null, 2)}\n`);
        else {
          io.out(
            `${summary.market} ${summary.timeframe}: fetched ${report.fetched} closed candle(s)` +
              (report.firstCandleTime === null
                ? ''
                : ` from ${summary.firstCandleTime} to ${summary.lastCandleTime}`) +
              `\n${describeGaps(report.gaps)}` +
              (outPath ? `  written to ${outPath}\n` : '') +
              (local
                ? `  stored: ${stored.inserted} new, ${stored.duplicates} already stored (${local.path})\n`
                : '') +
              report.errors.map((error) => `  ${error.kind} error: ${error.message}\n`).join(''),
          );
        }
        if (report.errors.length) setExitCode(ExitCode.Failure);
      } finally {
        local?.close();
      }
    });

  data
    .command('import')
    .description('Store an OHLCV file (CSV or ccxt JSON) in the local candle store, with no network')
    .argument('<file>', 'a CSV (time,Open,High,Low,Close,Volume) or ccxt JSON rows file')
    .requiredOption('--symbol <symbol>', 'the market the file holds, e.g. BTC/USDT')
    .requiredOption('--timeframe <timeframe>', 'the candle length of the file: 1m, 1h, 1d, …')
    .option(
      '--exchange <id>',
      'the exchange the data comes from (the market key is <exchange>:<symbol>)',
      'binance',
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Candles already stored (same market, timeframe and open time) are left as they are and counted as duplicates.
Missing candles between two consecutive ones (the file's, or the last stored one and the file's first) are
recorded as gaps and listed. The store is the SQLite database in $FLYWHEEL_HOME (default ./.flywheel).

Examples:
  flywheel data import data/ohlcv/btc-usd-1d.csv --symbol BTC/USD --timeframe 1d
  flywheel data import btc-1h.json --symbol BTC/USDT --timeframe 1h --json`,
    )
    .action(async (file: string, flags: ImportFlags) => {
      const symbol = checkSymbol(flags.symbol);
      const intervalMs = checkTimeframe(flags.timeframe);
      const bars = await loadBarsFile(resolve(io.cwd, file));
      const candles: Candle[] = Array.from({ length: bars.length }, (_, index) => ({
        openTime: bars.time[index]!,
        open: bars.open[index]!,
        high: bars.high[index]!,
        low: bars.low[index]!,
        close: bars.close[index]!,
        volume: bars.volume[index]!,
      }));
      const series: CandleSeries = { market: marketKey(flags.exchange, symbol), timeframe: flags.timeframe };
      const local = openCandleStore(io);
      try {
        const last = await local.store.lastCandle(series);
        const first = candles[0]?.openTime ?? Number.POSITIVE_INFINITY;
        const gaps = findGaps(
          last && last.openTime < first ? last.openTime : undefined,
          candles.map((candle) => candle.openTime),
          intervalMs,
          Date.now(),
        );
        for (const gap of gaps) await local.store.recordGap(series, gap);
        const result = await local.store.append(series, candles);
        const summary = {
          market: series.market,
          timeframe: series.timeframe,
          candles: candles.length,
          inserted: result.inserted,
          duplicates: result.duplicates,
          firstCandleTime: iso(candles[0]?.openTime ?? null),
          lastCandleTime: iso(candles[candles.length - 1]?.openTime ?? null),
          gaps: gapsJson(gaps),
          database: local.path,
        };
        if (flags.json) io.out(`${JSON.stringify(summary, null, 2)}\n`);
        else
          io.out(
            `${summary.market} ${summary.timeframe}: ${candles.length} candle(s) from ${file}: ${result.inserted} new, ${result.duplicates} already stored\n${describeGaps(gaps)}  database: ${local.path}\n`,
          );
      } finally {
        local.close();
      }
    });
}

/** Candles as a ccxt JSON rows file: one `[time, open, high, low, close, volume]` row per line. */
function rowsJson(candles: readonly Candle[]): string {
  const rows = candles.map((c) => JSON.stringify([c.openTime, c.open, c.high, c.low, c.close, c.volume]));
  return `[\n${rows.join(',\n')}\n]\n`;
}
