import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { type BacktestResult, neverTradable, runBacktest } from '@shared/backtest/backtest';
import { prepareDataset } from '@shared/backtest/dataset';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import { renderBacktestReport } from '@shared/backtest/report-html';
import { formatStat } from '@shared/backtest/stat-catalog';
import { builtinStrategies } from '@shared/strategies/builtin';
import { resolveParams } from '@shared/strategies/params';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../files';
import { loadBarsFile } from '../../market-data-file';
import { flywheelHome, SAMPLE_DATA_DIR } from '../../paths';
import { InputError } from '../errors';
import type { CliIo } from '../io';
import { renderTable } from '../render/table';

interface DemoFlags {
  dataDir: string;
  report?: string;
  json?: boolean;
}

interface DemoRun {
  dataName: string;
  result: BacktestResult;
}

/** Crypto markets trade fractional units: ccxt JSON files, and files named after a crypto asset. */
function isCryptoFile(file: string): boolean {
  return file.toLowerCase().endsWith('.json') || /BTC|ETH|XRP|LTC|USDT/i.test(file);
}

/** Crypto spot markets cannot be shorted; perpetual futures (named "futures") can. */
function isSpotCryptoFile(file: string): boolean {
  return isCryptoFile(file) && !/futures|perp/i.test(file);
}

/** `flywheel demo` (what `npm start` runs for now): every built-in strategy on every sample file. */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description(
      'Backtest every built-in strategy on every sample data file, print the table and write an HTML report',
    )
    .option('--data-dir <dir>', 'folder of OHLCV files (.csv, .json)', SAMPLE_DATA_DIR)
    .option(
      '--report <file>',
      'where to write the HTML report (default: $FLYWHEEL_HOME/reports/demo-report.html)',
    )
    .option('--json', 'print the statistics of every run as JSON')
    .action(async (flags: DemoFlags) => {
      const dataDir = resolve(io.cwd, flags.dataDir);
      let files: string[];
      try {
        files = (await readdir(dataDir)).filter((name) => /\.(csv|json)$/i.test(name)).sort();
      } catch (error) {
        throw new InputError(`cannot read the data folder ${dataDir}: ${(error as Error).message}`);
      }
      if (files.length === 0) throw new InputError(`${dataDir} holds no .csv or .json OHLCV files.`);
      io.err(
        `Backtesting ${builtinStrategies.length} strategies on ${files.length} data files from ${dataDir}\n`,
      );
      const runs: DemoRun[] = [];
      const started = performance.now();
      for (const file of files) {
        const bars = await loadBarsFile(join(dataDir, file));
        const options = BacktestOptionsSchema.parse({
          fractional: isCryptoFile(file),
          longOnly: isSpotCryptoFile(file),
        });
        const dataset = prepareDataset(bars);
        for (const strategy of builtinStrategies) {
          const result = runBacktest(dataset, strategy, resolveParams(strategy), options);
          if (!neverTradable(result)) runs.push({ dataName: file, result });
        }
        io.err(`  ${file}: ${bars.length} bars, ${builtinStrategies.length} strategies done\n`);
      }
      const elapsedMs = performance.now() - started;
      const reportPath = resolve(
        io.cwd,
        flags.report ?? join(flywheelHome(io.env, io.cwd), 'reports', 'demo-report.html'),
      );
      const html = renderBacktestReport(runs, {
        title: 'Flywheel demo: built-in strategies on the sample data',
        cash: BacktestOptionsSchema.parse({}).cash,
        generatedAt: new Date(),
      });
      const written = await writeFileAtomic(reportPath, html);
      if (flags.json) {
        const list = runs.map(({ dataName, result }) => ({
          data: dataName,
          strategy: result.strategy,
          params: result.params,
          stats: result.stats,
        }));
        io.out(`${JSON.stringify({ runs: list, report: written }, null, 2)}\n`);
        return;
      }
      const pct = (value: number | null) => formatStat(value, 'pct');
      const ratio = (value: number | null) => formatStat(value, 'ratio');
      const rows = runs.map(({ dataName, result: { strategy, stats } }) => [
        basename(dataName),
        strategy,
        pct(stats.returnPct),
        pct(stats.buyHoldReturnPct),
        ratio(stats.sharpe),
        pct(stats.maxDrawdownPct),
        String(stats.trades),
        pct(stats.winRatePct),
        ratio(stats.sqn),
      ]);
      io.out(
        `${renderTable(['Data', 'Strategy', 'Return', 'Buy & hold', 'Sharpe', 'Max. DD', 'Trades', 'Win rate', 'SQN'], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'])}\n\n`,
      );
      io.out(
        `${runs.length} backtests in ${elapsedMs.toFixed(0)} ms: default parameters; crypto markets trade fractional units, spot crypto long-only.\n`,
      );
      const shortFiles = [
        ...new Set(runs.filter((run) => run.result.stats.durationDays < 90).map((run) => run.dataName)),
      ];
      if (shortFiles.length > 0) {
        io.out(
          `Sharpe is annualised from daily returns, so it means little for files spanning under 90 days (${shortFiles.join(', ')}).\n`,
        );
      }
      io.out(`Report: ${written}\n`);
      io.out(
        'Next: flywheel strategies, or flywheel backtest --data data/ohlcv/GOOG.csv --strategy sma-cross --report goog.html\n',
      );
    });
}
