import type { BacktestOptionsInput } from '@shared/backtest/options';
import type { Command } from 'commander';
import { fromDateArgument, numberArgument, toDateArgument } from './parse-arguments';

/** The engine flags as commander hands them over. */
export interface EngineFlags {
  cash: number;
  commission: number;
  spread?: number;
  slippageBps?: number;
  fractional?: boolean;
  lotStep?: number;
  longOnly?: boolean;
  stopLoss?: number;
  takeProfit?: number;
  from?: number;
  to?: number;
}

/** Adds every engine flag of `flywheel backtest` to a command, so other commands accept the same ones. */
export function addEngineFlags(command: Command): Command {
  return command
    .option('--cash <amount>', 'starting cash', numberArgument({ above: 0 }), 10_000)
    .option(
      '--commission <fraction>',
      'commission per fill as a fraction of traded value (0.002 = 0.2%)',
      numberArgument({ min: 0, below: 1 }),
      0.002,
    )
    .option(
      '--spread <fraction>',
      'spread paid on entry, as a fraction of the price',
      numberArgument({ min: 0, below: 1 }),
    )
    .option(
      '--slippage-bps <bps>',
      'slippage against you on every entry and exit fill, in basis points',
      numberArgument({ min: 0, below: 10_000 }),
    )
    .option('--fractional', 'allow fractional units (crypto); default is whole units')
    .option('--lot-step <step>', 'round sizes down to a multiple of this step', numberArgument({ above: 0 }))
    .option('--long-only', 'spot markets: a short signal closes the long instead of opening a short')
    .option(
      '--stop-loss <pct>',
      'stop-loss distance from the entry price, in percent',
      numberArgument({ above: 0, below: 100 }),
    )
    .option(
      '--take-profit <pct>',
      'take-profit distance from the entry price, in percent',
      numberArgument({ above: 0 }),
    )
    .option(
      '--from <date>',
      'first bar to trade (YYYY-MM-DD or ISO time, UTC); earlier bars warm indicators up',
      fromDateArgument,
    )
    .option('--to <date>', 'last bar to trade (a date includes that whole day)', toDateArgument);
}

/** Converts parsed engine flags into engine options. */
export function engineOptionsFromFlags(flags: EngineFlags): BacktestOptionsInput {
  return {
    cash: flags.cash,
    commission: flags.commission,
    spread: flags.spread ?? 0,
    slippageBps: flags.slippageBps ?? 0,
    fractional: flags.fractional ?? false,
    lotStep: flags.lotStep,
    longOnly: flags.longOnly ?? false,
    stopLossPct: flags.stopLoss,
    takeProfitPct: flags.takeProfit,
    from: flags.from,
    to: flags.to,
  };
}
