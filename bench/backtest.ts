/** Backtest speed of the typed-array kernel against the plain reference engine, both measured in one run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBacktest } from '@shared/backtest/backtest';
import { prepareDataset } from '@shared/backtest/dataset';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import type { Bars } from '@shared/market-data/bars';
import { parseOhlcv } from '@shared/market-data/parse-ohlcv';
import { syntheticBars } from '@shared/market-data/synthetic';
import type { Strategy } from '@shared/strategies/api';
import { builtinStrategies, findBuiltinStrategy } from '@shared/strategies/builtin';
import { resolveParams } from '@shared/strategies/params';
import { referenceBacktest } from '../test/support/reference-backtest';
import { medianMs } from './measure';

/** One row of the backtest table. */
export interface BacktestRow {
  benchmark: string;
  bars: number;
  runs: number;
  flywheelMs: number;
  baselineMs: number;
  speedup: number;
  barsPerSecond: number;
  targetMs?: number;
  meetsTarget?: boolean;
}

/** Runs every backtest benchmark; `log` reports progress. */
export function backtestBenchmark(log: (line: string) => void): BacktestRow[] {
  const DATA = join(__dirname, '..', 'data', 'ohlcv');
  const load = (name: string): Bars => parseOhlcv(readFileSync(join(DATA, name), 'utf8'), name);
  const rows: BacktestRow[] = [];

  function record(
    benchmark: string,
    bars: number,
    runs: number,
    flywheelMs: number,
    baselineMs: number,
    targetMs?: number,
  ) {
    rows.push({
      benchmark,
      bars,
      runs,
      flywheelMs,
      baselineMs,
      speedup: baselineMs / flywheelMs,
      barsPerSecond: (bars * runs) / (flywheelMs / 1000),
      ...(targetMs === undefined ? {} : { targetMs, meetsTarget: flywheelMs < targetMs }),
    });
  }

  /** One full backtest: fresh indicators (no cache carried between runs), simulation and statistics. */
  function benchStrategy(
    label: string,
    bars: Bars,
    strategy: Strategy,
    fractional: boolean,
    budgetMs: number,
    targetMs?: number,
  ) {
    const options = BacktestOptionsSchema.parse({ fractional });
    const params = resolveParams(strategy);
    const flywheelMs = medianMs(() => runBacktest(prepareDataset(bars), strategy, params, options), budgetMs);
    const baselineMs = medianMs(() => referenceBacktest(bars, strategy, params, options), budgetMs);
    record(label, bars.length, 1, flywheelMs, baselineMs, targetMs);
  }

  const smaCross = findBuiltinStrategy('sma-cross')!;
  const goog = load('GOOG.csv');

  log('GOOG sma-cross, one run…');
  benchStrategy('GOOG sma-cross (one run)', goog, smaCross, false, 500, 1);

  log('GOOG sma-cross grid of 75 combinations…');
  const grid: { fast: number; slow: number }[] = [];
  for (let fast = 5; fast <= 50; fast += 5)
    for (let slow = 10; slow <= 100; slow += 10) if (fast < slow) grid.push({ fast, slow });
  const gridOptions = BacktestOptionsSchema.parse({});
  const gridParams = grid.map((combination) =>
    resolveParams(smaCross, { fast: String(combination.fast), slow: String(combination.slow) }),
  );
  const gridFlywheel = medianMs(() => {
    // One dataset for the whole grid: each SMA period is computed once and shared.
    const dataset = prepareDataset(goog);
    for (const params of gridParams) runBacktest(dataset, smaCross, params, gridOptions);
  }, 1000);
  const gridBaseline = medianMs(() => {
    for (const params of gridParams) referenceBacktest(goog, smaCross, params, gridOptions);
  }, 1000);
  record(
    `GOOG sma-cross grid (${grid.length} combinations)`,
    goog.length,
    grid.length,
    gridFlywheel,
    gridBaseline,
    25,
  );

  const samples = [
    'GOOG.csv',
    'EURUSD.csv',
    'BTCUSD.csv',
    'ETH_BTC-5m.json',
    'LTC_BTC-5m.json',
    'XRP_USDT_USDT-5m-futures.json',
    'XRP_USDT_USDT-1h-futures.json',
  ];
  for (const file of samples) {
    log(`${file}: every strategy…`);
    const bars = load(file);
    for (const strategy of builtinStrategies)
      benchStrategy(`${file} ${strategy.name}`, bars, strategy, file.endsWith('.json'), 150);
  }

  log('generated 1,000,000-bar series: every strategy…');
  const million = syntheticBars(1_000_000);
  for (const strategy of builtinStrategies)
    benchStrategy(`1M generated ${strategy.name}`, million, strategy, true, 1500);
  return rows;
}
