import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { runBacktest } from '@shared/backtest/backtest';
import { prepareDataset } from '@shared/backtest/dataset';
import { BacktestOptionsSchema } from '@shared/backtest/options';
import { parseOhlcv } from '@shared/market-data/parse-ohlcv';
import { findBuiltinStrategy } from '@shared/strategies/builtin';
import { resolveParams } from '@shared/strategies/params';

// The backtest kernel alone, with nothing shared between threads: what this machine's cores give in parallel.
const { root, runs } = workerData as { root: string; runs: number };
const path = join(root, 'data', 'ohlcv', 'ETH_BTC-5m.json');
const bars = parseOhlcv(readFileSync(path, 'utf8'), path);
const strategy = findBuiltinStrategy('sma-cross')!;
const options = BacktestOptionsSchema.parse({ fractional: true });
const dataset = prepareDataset(bars);
const params = resolveParams(strategy, { fast: 10, slow: 40 });
const lean = { equity: new Float64Array(bars.length) };
for (let i = 0; i < 50; i++) runBacktest(dataset, strategy, params, options, lean);
const started = performance.now();
for (let i = 0; i < runs; i++) runBacktest(dataset, strategy, params, options, lean);
parentPort!.postMessage(performance.now() - started);
