import type { TradingStateStore } from '@shared/ports/trading-state-store';
import type { Command } from 'commander';
import {
  ResumeConflictError,
  type ResumeResult,
  type ResumeTarget,
  resumeHalts,
  TradingStateNotFoundError,
  type TradingStatusEntry,
  tradingStatus,
} from '../../../functions/trading-control/app';
import { flywheelHome } from '../../paths';
import { openLocalAdapters } from '../../runtime/local-adapters';
import { InputError, OperationError } from '../errors';
import type { CliIo } from '../io';
import { renderTable } from '../render/table';

/** Runs `work` on the trading-state table of the local database (the one `flywheel start` writes), closing it after. */
async function withTradingStates<T>(io: CliIo, work: (states: TradingStateStore) => Promise<T>): Promise<T> {
  const adapters = openLocalAdapters(flywheelHome(io.env, io.cwd), `${process.pid}:cli`);
  try {
    return await work(adapters.tradingStates);
  } catch (error) {
    if (error instanceof TradingStateNotFoundError || error instanceof ResumeConflictError)
      throw new OperationError(error.message);
    throw error;
  } finally {
    adapters.close();
  }
}

const time = (iso: string) => iso.replace('.000Z', 'Z');

/** The text table of `flywheel trading status`. */
export function renderTradingStatus(entries: readonly TradingStatusEntry[]): string {
  if (entries.length === 0) {
    return 'Nothing is trading yet: the executor stores a state per strategy and market once a promoted strategy trades.\n';
  }
  const table = renderTable(
    ['strategy', 'market', 'status', 'halted at', 'daily loss', 'last bar'],
    entries.map((entry) => [
      entry.strategyId,
      entry.market,
      entry.halted ? 'HALTED' : 'trading',
      entry.halt ? time(entry.halt.haltedAt) : '-',
      entry.halt ? `${entry.halt.dailyLoss.toFixed(2)} / ${entry.halt.maxDailyLoss}` : '-',
      entry.lastBarTime ? time(entry.lastBarTime) : '-',
    ]),
    ['left', 'left', 'left', 'left', 'right', 'left'],
  );
  const halted = entries.filter((entry) => entry.halted).length;
  const hint = halted
    ? `\n${halted} halted: flywheel trading resume --strategy ID --market M (or --all) lets them trade again.\n`
    : '';
  const refusals = entries.flatMap((entry) =>
    entry.refusals
      .slice(-5)
      .map(
        (refusal) =>
          `  ${time(refusal.barTime)}  ${entry.strategyId} on ${entry.market}: refused (${refusal.code}) ${refusal.reason}`,
      ),
  );
  const refused = refusals.length
    ? `\nLatest refusals (--json lists up to 50 per strategy):\n${refusals.join('\n')}\n`
    : '';
  return `${table}\n${hint}${refused}`;
}

/** The text of `flywheel trading resume`. */
export function renderResume(result: ResumeResult): string {
  const lines = [
    ...result.resumed.map(
      (entry) =>
        `Resumed ${entry.strategyId} on ${entry.market} (halted ${time(entry.halt.haltedAt)}: ${entry.halt.reason}).`,
    ),
    ...result.notHalted.map((entry) => `${entry.strategyId} on ${entry.market} was not halted.`),
  ];
  if (lines.length === 0) lines.push('Nothing is trading yet: there is no halt to lift.');
  else if (result.resumed.length === 0) lines.push('Nothing to resume.');
  return `${lines.join('\n')}\n`;
}

/** The target of a resume from its flags; bad combinations are usage errors. */
function resumeTarget(flags: { strategy?: string; market?: string; all?: boolean }): ResumeTarget {
  const named = flags.strategy !== undefined || flags.market !== undefined;
  if (flags.all && named) throw new InputError('give either --all or --strategy with --market, not both');
  if (flags.all) return { all: true };
  if (!named) throw new InputError('say what to resume: --strategy ID --market M, or --all');
  if (!flags.strategy?.trim() || !flags.market?.trim())
    throw new InputError('--strategy and --market go together: a halt is per strategy and market');
  return { strategyId: flags.strategy.trim(), market: flags.market.trim() };
}

/** `flywheel trading status` and `flywheel trading resume`: the kill switch's halts in the local database. */
export function registerTradingCommand(program: Command, io: CliIo): void {
  const trading = program
    .command('trading')
    .description('See and lift kill-switch halts (the maximum daily loss stops a strategy until resumed)');

  trading
    .command('status')
    .description('List every strategy the executor trades, per market, and whether it is halted')
    .option('--json', 'print { strategies: [...] } as JSON')
    .addHelpText(
      'after',
      `
Examples:
  flywheel trading status
  flywheel trading status --json`,
    )
    .action(async (flags: { json?: boolean }) => {
      await withTradingStates(io, async (states) => {
        const strategies = await tradingStatus(states);
        io.out(flags.json ? `${JSON.stringify({ strategies }, null, 2)}\n` : renderTradingStatus(strategies));
      });
    });

  trading
    .command('resume')
    .description('Lift the halt of one strategy on one market, or every halt, so trading starts again')
    .option('--strategy <id>', 'the strategy id as `flywheel trading status` shows it (name with parameters)')
    .option('--market <market>', 'the market it trades (BTC/USDT, GOOG)')
    .option('--all', 'lift every halt')
    .option('--json', 'print { resumed: [...], notHalted: [...] } as JSON')
    .addHelpText(
      'after',
      `
Examples:
  flywheel trading resume --strategy 'sma-cross(fast=10,slow=30)' --market BTC/USDT
  flywheel trading resume --all --json

The day's loss is measured again from the next bar. Resuming a strategy that is not halted changes nothing.
On AWS, POST /trading/resume does the same: {"strategy": "…", "market": "…"} or {"all": true}.
Exit codes: 0 done (or nothing to resume), 1 nothing trades that strategy on that market, 2 bad usage.`,
    )
    .action(async (flags: { strategy?: string; market?: string; all?: boolean; json?: boolean }) => {
      const target = resumeTarget(flags);
      await withTradingStates(io, async (states) => {
        const result = await resumeHalts(states, target);
        io.out(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderResume(result));
      });
    });
}
