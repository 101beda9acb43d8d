import { relative, resolve } from 'node:path';
import { type BacktestResult, neverTradable, runBacktest } from '@shared/backtest/backtest';
import { prepareDataset } from '@shared/backtest/dataset';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import { renderBacktestReport } from '@shared/backtest/report-html';
import { resolveParams } from '@shared/strategies/params';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../files';
import { loadBarsFile } from '../../market-data-file';
import { loadStrategy } from '../../strategy-loader';
import { addEngineFlags, type EngineFlags, engineOptionsFromFlags } from '../engine-flags';
import { InputError } from '../errors';
import type { CliIo } from '../io';
import { collectParam } from '../parse-arguments';
import { backtestToJson, equityCsv, renderBacktestText, tradesCsv } from '../render/backtest-output';
import { parseOrExplain } from '../validation';

interface BacktestFlags extends EngineFlags {
  data: string;
  strategy: string;
  param?: Record<string, string>;
  json?: boolean;
  tradesOut?: string;
  equityOut?: string;
  report?: string;
}

/** Rejects a run whose strategy never had all its indicators inside the tested range: nothing could trade. */
export function assertTradable(result: Pick<BacktestResult, 'warmupBar' | 'dataset' | 'strategy'>): void {
  if (!neverTradable(result)) return;
  const { dataset } = result;
  const when =
    result.warmupBar >= dataset.bars.length
      ? `never all have a value in the ${dataset.bars.length} bars up to the end of the tested range`
      : `first all have a value on bar ${result.warmupBar}, but the tested range ends on bar ${dataset.end}`;
  throw new InputError(
    `${result.strategy}'s indicators ${when}: there is nothing to trade. Use shorter periods, more data or an earlier --from.`,
  );
}

/** `flywheel backtest`: one strategy on one data file, as a table, JSON, CSV files and an HTML report. */
export function registerBacktestCommand(program: Command, io: CliIo): void {
  const command = program
    .command('backtest')
    .description('Backtest one strategy on one OHLCV file (CSV or ccxt JSON) and print its statistics')
    .requiredOption(
      '--data <file>',
      'OHLCV data: CSV with a time column and Open,High,Low,Close,Volume, or ccxt JSON rows',
    )
    .requiredOption(
      '--strategy <name|path>',
      'a built-in strategy (see `flywheel strategies`) or a module such as ./my-strategy.ts',
    )
    .option('--param <key=value>', 'set a strategy parameter; repeat for several', collectParam);
  addEngineFlags(command)
    .option('--json', 'print { stats, trades } as JSON instead of a table')
    .option('--trades-out <file>', 'write the closed trades as CSV')
    .option('--equity-out <file>', 'write the equity curve as CSV (time, equity, drawdownPct)')
    .option('--report <file>', 'write a self-contained HTML report (equity, drawdown, price with trades)')
    .addHelpText(
      'after',
      `
Examples:
  flywheel backtest --data data/ohlcv/GOOG.csv --strategy sma-cross --param fast=10 --param slow=30
  flywheel backtest --data data/ohlcv/ETH_BTC-5m.json --strategy rsi-reversion --fractional --long-only --json
  flywheel backtest --data prices.csv --strategy ./my-strategy.ts --stop-loss 5 --report report.html`,
    )
    .action(async (flags: BacktestFlags) => {
      const strategy = loadStrategy(flags.strategy, io.cwd);
      const params = resolveParams(strategy, flags.param ?? {});
      const options = parseOrExplain(BacktestOptionsSchema, engineOptionsFromFlags(flags));
      const bars = await loadBarsFile(resolve(io.cwd, flags.data));
      const dataset = prepareDataset(bars, { from: options.from, to: options.to });
      const result = runBacktest(dataset, strategy, params, options);
      assertTradable(result);
      const dataName = relative(io.cwd, resolve(io.cwd, flags.data)) || flags.data;
      const notice = (text: string) => (flags.json ? io.err(`${text}\n`) : io.out(`${text}\n`));
      if (flags.json) io.out(`${JSON.stringify(backtestToJson(result, dataName), null, 2)}\n`);
      else io.out(`${renderBacktestText(result, dataName)}\n`);
      if (flags.tradesOut)
        notice(
          `Trades written to ${await writeFileAtomic(resolve(io.cwd, flags.tradesOut), tradesCsv(result.trades))}`,
        );
      if (flags.equityOut)
        notice(
          `Equity curve written to ${await writeFileAtomic(resolve(io.cwd, flags.equityOut), equityCsv(result))}`,
        );
      if (flags.report) {
        const html = renderBacktestReport([{ dataName, result }], {
          title: `Backtest: ${strategy.name} on ${dataName}`,
          cash: options.cash,
          generatedAt: new Date(),
        });
        notice(`Report written to ${await writeFileAtomic(resolve(io.cwd, flags.report), html)}`);
      }
    });
}
