/**
 * `npm run bench`: backtest speed of the typed-array kernel against the plain reference engine (objects per
 * bar, test/support/reference-backtest.ts), both measured in this run. `npm run bench -- --json` prints JSON.
 */
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

interface Row {
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

const json = process.argv.includes('--json');
const log = (text: string) => {
  if (!json) process.stderr.write(`${text}\n`);
};
const DATA = join(__dirname, '..', 'data', 'ohlcv');
const load = (name: string): Bars => parseOhlcv(readFileSync(join(DATA, name), 'utf8'), name);
const rows: Row[] = [];

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

if (json) {
  process.stdout.write(
    `${JSON.stringify({ node: process.version, baseline: 'test/support/reference-backtest.ts', results: rows }, null, 2)}\n`,
  );
} else {
  const header = ['benchmark', 'bars', 'runs', 'flywheel ms', 'baseline ms', 'speed-up', 'bars/s', 'target'];
  const body = rows.map((row) => [
    row.benchmark,
    String(row.bars),
    String(row.runs),
    row.flywheelMs.toFixed(3),
    row.baselineMs.toFixed(3),
    `${row.speedup.toFixed(1)}×`,
    `${(row.barsPerSecond / 1e6).toFixed(1)}M`,
    row.targetMs === undefined ? '' : `< ${row.targetMs} ms ${row.meetsTarget ? 'met' : 'MISSED'}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => cells[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  process.stdout.write(`${[line(header), ...body.map(line)].join('\n')}\n`);
  process.stdout.write(
    `\nNode ${process.version}; median of repeated runs; baseline = plain reference engine (test/support/reference-backtest.ts).\n`,
  );
}
