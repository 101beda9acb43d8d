import { relative, resolve } from 'node:path';
import type { BacktestResult } from '@shared/backtest/backtest';
import { type Dataset, prepareDataset } from '@shared/backtest/dataset';
import { computeIndicators, indicatorWarmup } from '@shared/backtest/decide';
import type { SimulationResult } from '@shared/backtest/engine';
import { type BacktestOptions, BacktestOptionsSchema } from '@shared/backtest/options';
import { computeStats } from '@shared/backtest/stats';
import type { Trade } from '@shared/backtest/trade';
import { TradeStatsAccumulator } from '@shared/backtest/trade-stats';
import { type Bars, sliceBars } from '@shared/market-data/bars';
import type { MarketConstraints } from '@shared/ports/broker';
import type { Clock } from '@shared/ports/clock';
import type { ParamSpecs, ParamValues, Strategy } from '@shared/strategies/api';
import { resolveParams } from '@shared/strategies/params';
import { type BarOutcome, StrategyExecutor } from '@shared/trading/executor';
import { PositionLedger, type RoundTrip } from '@shared/trading/ledger';
import { strategyIdentity } from '@shared/trading/orders';
import { PaperBroker } from '@shared/trading/paper-broker';
import type { Halt } from '@shared/trading/risk';
import type { RiskLimits } from '@shared/trading/settings';
import { StrategySignals } from '@shared/trading/signals';
import type { Command } from 'commander';
import { parseReplaySpeed, ReplayFeed, type ReplaySpeed } from '../../market/replay-feed';
import { loadBarsFile } from '../../market-data-file';
import { loadStrategy } from '../../strategy-loader';
import { addEngineFlags, type EngineFlags, engineOptionsFromFlags } from '../engine-flags';
import { InputError } from '../errors';
import type { CliIo } from '../io';
import { collectParam } from '../parse-arguments';
import { backtestToJson, renderBacktestText } from '../render/backtest-output';
import { parseOrExplain } from '../validation';
import { assertTradable } from './backtest';

interface PaperRunFlags extends EngineFlags {
  data: string;
  strategy: string;
  param?: Record<string, string>;
  symbol: string;
  speed: string;
  json?: boolean;
}

/** What a paper replay did besides its trades: orders, refusals with their reasons, halts. */
export interface PaperActivity {
  readonly ordersPlaced: number;
  readonly fills: number;
  readonly refusals: { readonly barTime: string; readonly code: string; readonly reason: string }[];
  readonly halts: Halt[];
  /** Orders placed on the last bar: no later bar exists to fill them. */
  readonly unfilledOrders: number;
}

/** A finished paper replay, in the backtest's result shape plus the execution activity. */
export interface PaperRun {
  readonly result: BacktestResult;
  readonly activity: PaperActivity;
}

/** The market a paper replay trades: `--long-only` makes it an unshortable spot market, `--lot-step` its step. */
function paperMarket(symbol: string, options: BacktestOptions): MarketConstraints {
  const [base = 'BASE', quote = 'QUOTE'] = symbol.split('/');
  return {
    symbol,
    base,
    quote,
    shortable: !options.longOnly,
    ...(options.lotStep === undefined ? {} : { lotStep: options.lotStep }),
  };
}

function toTrade(trip: RoundTrip, barOf: (time: number) => number): Trade {
  return {
    entryBar: barOf(trip.entryTime),
    exitBar: barOf(trip.exitTime),
    entryTime: trip.entryTime,
    exitTime: trip.exitTime,
    side: trip.side,
    size: trip.size,
    entryPrice: trip.entryPrice,
    exitPrice: trip.exitPrice,
    pnl: trip.pnl,
    returnPct: trip.returnPct,
    commission: trip.commission,
    exitReason: trip.exitReason,
  };
}

/**
 * Replays a dataset bar by bar through the executor and a PaperBroker at `speed` (the replay feed's pacing; `max`
 * by default): each bar first fills what was ordered on the previous close, then closes, then the executor
 * decides on it.
 */
export async function runPaperReplay(
  dataset: Dataset,
  strategy: Strategy,
  params: ParamValues<ParamSpecs>,
  options: BacktestOptions,
  symbol: string,
  limits: RiskLimits = {},
  speed: ReplaySpeed = { kind: 'max' },
): Promise<PaperRun> {
  const { bars, start, end } = dataset;
  const strategyId = strategyIdentity(strategy.name, params);
  const market = paperMarket(symbol, options);
  let now = bars.time[0] ?? 0;
  // The replay's clock is the bar being played, so pacing and daily-loss days follow the data.
  const clock: Clock = { now: () => now };
  const broker = new PaperBroker(
    {
      market,
      strategyId,
      cash: options.cash,
      commission: options.commission,
      spread: options.spread,
      slippageBps: options.slippageBps,
      fractional: options.fractional,
    },
    clock,
  );
  const halts: Halt[] = [];
  const protection = {
    ...(options.stopLossPct === undefined ? {} : { stopLossPct: options.stopLossPct }),
    ...(options.takeProfitPct === undefined ? {} : { takeProfitPct: options.takeProfitPct }),
  };
  const executor = new StrategyExecutor({
    strategyId,
    market,
    signals: new StrategySignals(strategy, params, options.longOnly),
    broker,
    clock,
    limits,
    protection,
    onHalt: (halt) => {
      halts.push(halt);
    },
  });
  const ledger = new PositionLedger();
  const equity = new Float64Array(end - start + 1);
  const outcomes: BarOutcome[] = [];
  let exposedBars = 0;
  const playBar = async (i: number) => {
    now = bars.time[i]!;
    const heldBefore = (await broker.position(symbol)).amount;
    const fills = broker.onBar({
      time: now,
      open: bars.open[i]!,
      high: bars.high[i]!,
      low: bars.low[i]!,
      close: bars.close[i]!,
    });
    for (const fill of fills) ledger.apply(fill);
    if (i < start) return;
    if (heldBefore !== 0 || fills.length > 0) exposedBars++;
    equity[i - start] = broker.equity(bars.close[i]!);
    outcomes.push(await executor.onClosedBar(sliceBars(bars, 0, i + 1)));
  };
  if (speed.kind === 'max') {
    for (let i = 0; i <= end; i++) await playBar(i);
  } else {
    await new ReplayFeed({
      bars: sliceBars(bars, 0, end + 1),
      speed,
      onBar: ({ index }) => playBar(index),
    }).play();
  }

  const indexByTime = new Map<number, number>();
  for (let i = 0; i <= end; i++) indexByTime.set(bars.time[i]!, i);
  const barOf = (time: number) => indexByTime.get(time) ?? -1;
  const trades = ledger.roundTrips().map((trip) => toTrade(trip, barOf));
  const tradeStats = new TradeStatsAccumulator();
  for (const trade of trades) tradeStats.add(trade.pnl, trade.returnPct, trade.entryTime, trade.exitTime);
  const open = ledger.markOpen(strategyId, symbol, bars.close[end]!, bars.time[end]!);
  // Reported like the backtest's warm-up: where every indicator first has a value over the tested bars.
  const warmupBar = indicatorWarmup(
    computeIndicators(strategy, bars, params, dataset.ta),
    bars.length,
    strategy.name,
  );
  const simulation: SimulationResult = {
    equity,
    trades,
    tradeStats: tradeStats.summary(),
    openTrade: open ? toTrade(open, barOf) : undefined,
    commissions: ledger.fees(),
    exposedBars,
    warmupBar,
  };
  const placed = outcomes.filter((outcome) => outcome.kind === 'placed');
  const activity: PaperActivity = {
    ordersPlaced: placed.reduce((sum, outcome) => sum + outcome.orders.length, 0),
    fills: broker.fills().length,
    refusals: outcomes.flatMap((outcome) =>
      outcome.kind === 'refused'
        ? [{ barTime: new Date(outcome.barTime).toISOString(), ...outcome.refusal }]
        : [],
    ),
    halts,
    unfilledOrders: (await broker.openOrders()).length,
  };
  return {
    result: {
      ...simulation,
      stats: computeStats(dataset, simulation, options.cash),
      strategy: strategy.name,
      params,
      dataset,
    },
    activity,
  };
}

/** `flywheel paper run`: replays a data file through the executor and the PaperBroker. */
export function registerPaperCommand(program: Command, io: CliIo): void {
  const paper = program.command('paper').description('Paper trading: trade a strategy with simulated fills');
  const run = paper
    .command('run')
    .description(
      'Replay an OHLCV file bar by bar through the live executor and the PaperBroker; same flags and JSON as `flywheel backtest`',
    )
    .requiredOption('--data <file>', 'OHLCV data: CSV or ccxt JSON rows, as for `flywheel backtest`')
    .requiredOption('--strategy <name|path>', 'a built-in strategy (see `flywheel strategies`) or a module')
    .option('--param <key=value>', 'set a strategy parameter; repeat for several', collectParam)
    .option('--symbol <symbol>', 'the market the paper account trades, as BASE/QUOTE', 'ASSET/CASH')
    .option(
      '--speed <speed>',
      'replay pace: max (every bar at once), 60x (sixty times real time) or 5 (bars per second)',
      'max',
    );
  addEngineFlags(run)
    .option('--json', 'print { stats, trades, paper } as JSON instead of a table')
    .addHelpText(
      'after',
      `
On the same inputs it gives the same trades as \`flywheel backtest\`: orders placed on a bar's close fill at
the next bar's open with the same spread, slippage, commission and sizing.

Examples:
  flywheel paper run --data data/ohlcv/GOOG.csv --strategy sma-cross --param fast=10 --param slow=30 --speed max
  flywheel paper run --data data/ohlcv/BTCUSD.csv --strategy rsi-reversion --fractional --long-only --json`,
    )
    .action(async (flags: PaperRunFlags) => {
      let speed: ReplaySpeed;
      try {
        speed = parseReplaySpeed(flags.speed);
      } catch (error) {
        throw new InputError(`--speed: ${(error as Error).message}`);
      }
      if (!/^[^/\s]+\/[^/\s]+$/.test(flags.symbol)) {
        throw new InputError(`--symbol must look like BASE/QUOTE (such as BTC/USDT), got "${flags.symbol}"`);
      }
      const strategy = loadStrategy(flags.strategy, io.cwd);
      const params = resolveParams(strategy, flags.param ?? {});
      const options = parseOrExplain(BacktestOptionsSchema, engineOptionsFromFlags(flags));
      const bars: Bars = await loadBarsFile(resolve(io.cwd, flags.data));
      const dataset = prepareDataset(bars, { from: options.from, to: options.to });
      if (speed.kind !== 'max')
        io.err(`Replaying ${dataset.end + 1} bars at ${flags.speed}; Ctrl-C stops.\n`);
      const { result, activity } = await runPaperReplay(
        dataset,
        strategy,
        params,
        options,
        flags.symbol,
        {},
        speed,
      );
      assertTradable(result);
      const dataName = relative(io.cwd, resolve(io.cwd, flags.data)) || flags.data;
      if (flags.json) {
        io.out(`${JSON.stringify({ ...backtestToJson(result, dataName), paper: activity }, null, 2)}\n`);
      } else {
        io.out(`${renderBacktestText(result, dataName)}\n`);
        io.out(
          `Paper: ${activity.ordersPlaced} orders placed, ${activity.fills} fills, ${activity.refusals.length} refused by risk controls.\n`,
        );
      }
    });
}
