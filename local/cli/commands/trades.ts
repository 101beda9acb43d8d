import type { TradeEntry } from '@shared/ports/trade-store';
import { type Position, positionsIn } from '@shared/trade-ledger/positions';
import { type Command, InvalidArgumentError } from 'commander';
import { flywheelHome } from '../../paths';
import { type LocalAdapters, openLocalAdapters } from '../../runtime/local-adapters';
import type { CliIo } from '../io';
import { renderTable } from '../render/table';

function limitArgument(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError('expected a whole number ≥ 1.');
  return limit;
}

function nonEmpty(what: string) {
  return (value: string): string => {
    const trimmed = value.trim();
    if (!trimmed) throw new InvalidArgumentError(`expected a ${what}.`);
    return trimmed;
  };
}

/** Runs `work` on the local database (the one `flywheel start` writes), closing it after. */
async function withLocalTrades<T>(io: CliIo, work: (adapters: LocalAdapters) => Promise<T>): Promise<T> {
  const adapters = openLocalAdapters(flywheelHome(io.env, io.cwd), `${process.pid}:cli`);
  try {
    return await work(adapters);
  } finally {
    adapters.close();
  }
}

// Up to 8 significant digits: prices and sizes of crypto markets span many orders of magnitude.
const number = (value: number) => String(Number(value.toPrecision(8)));
const money = (value: number) => value.toFixed(2);
const time = (epochMs: number) => new Date(epochMs).toISOString().replace('.000Z', 'Z');

/** The text table of `flywheel trades`: fills, or order updates with `--orders`. */
export function renderTrades(entries: readonly TradeEntry[]): string {
  if (entries.length === 0) {
    return 'No trades recorded. The paper broker, the live broker and the exchange webhook (POST /webhooks/exchange/{source}) record them.\n';
  }
  if (entries[0]!.kind === 'order-update') {
    const rows = entries.flatMap((entry) =>
      entry.kind === 'order-update'
        ? [
            [
              time(entry.time),
              entry.strategy,
              entry.market,
              entry.side,
              entry.status,
              `${number(entry.filledQuantity)}/${number(entry.quantity)}`,
              entry.price === undefined ? 'market' : number(entry.price),
              entry.orderId,
              entry.source,
            ],
          ]
        : [],
    );
    return `${renderTable(
      ['time', 'strategy', 'market', 'side', 'status', 'filled', 'price', 'order', 'source'],
      rows,
      ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'left', 'left'],
    )}\n`;
  }
  const rows = entries.flatMap((entry) =>
    entry.kind === 'fill'
      ? [
          [
            time(entry.time),
            entry.strategy,
            entry.market,
            entry.side,
            number(entry.quantity),
            number(entry.price),
            money(entry.fee),
            entry.source,
            entry.id,
          ],
        ]
      : [],
  );
  return `${renderTable(
    ['time', 'strategy', 'market', 'side', 'quantity', 'price', 'fee', 'source', 'id'],
    rows,
    ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'left', 'left'],
  )}\n`;
}

/** The text table of `flywheel positions`. */
export function renderPositions(positions: readonly Position[]): string {
  if (positions.length === 0)
    return 'No positions: no fills are recorded yet (flywheel trades lists them).\n';
  return `${renderTable(
    ['strategy', 'market', 'size', 'avg entry', 'realized PnL', 'fees', 'net PnL', 'fills', 'last fill'],
    positions.map((position) => [
      position.strategy,
      position.market,
      number(position.size),
      position.averageEntryPrice === null ? '-' : number(position.averageEntryPrice),
      money(position.realizedPnl),
      money(position.fees),
      money(position.netRealizedPnl),
      String(position.fills),
      time(position.lastFillAt),
    ]),
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  )}\n`;
}

/** `flywheel trades` and `flywheel positions`: the trades table of the local database. */
export function registerTradesCommands(program: Command, io: CliIo): void {
  program
    .command('trades')
    .description('List recorded trades (fills), newest first')
    .option('--strategy <name>', 'only this strategy', nonEmpty('strategy name'))
    .option('--market <symbol>', 'only this market, as ccxt names it (BTC/USDT)', nonEmpty('market'))
    .option('--limit <n>', 'at most this many', limitArgument, 50)
    .option('--orders', 'list order updates (reported by exchange webhooks) instead of fills')
    .option('--json', 'print { trades: [...] } as JSON')
    .addHelpText(
      'after',
      `
Examples:
  flywheel trades
  flywheel trades --strategy sma-cross --market BTC/USDT --limit 10
  flywheel trades --orders --json

Trades come from the paper and live brokers and from POST /webhooks/exchange/{source}, in $FLYWHEEL_HOME/flywheel.db.`,
    )
    .action(
      async (flags: {
        strategy?: string;
        market?: string;
        limit: number;
        orders?: boolean;
        json?: boolean;
      }) => {
        await withLocalTrades(io, async (adapters) => {
          const entries = await adapters.trades.list({
            kind: flags.orders ? 'order-update' : 'fill',
            ...(flags.strategy ? { strategy: flags.strategy } : {}),
            ...(flags.market ? { market: flags.market } : {}),
            limit: flags.limit,
          });
          io.out(flags.json ? `${JSON.stringify({ trades: entries }, null, 2)}\n` : renderTrades(entries));
        });
      },
    );

  program
    .command('positions')
    .description('List positions and realized PnL per strategy and market, derived from the recorded fills')
    .option('--strategy <name>', 'only this strategy', nonEmpty('strategy name'))
    .option('--json', 'print { positions: [...] } as JSON')
    .addHelpText(
      'after',
      `
Examples:
  flywheel positions
  flywheel positions --strategy sma-cross --json

Size is signed (negative: short); PnL and fees are in the quote currency; realized PnL is before fees.`,
    )
    .action(async (flags: { strategy?: string; json?: boolean }) => {
      await withLocalTrades(io, async (adapters) => {
        const positions = await positionsIn(
          adapters.trades,
          flags.strategy ? { strategy: flags.strategy } : {},
        );
        io.out(flags.json ? `${JSON.stringify({ positions }, null, 2)}\n` : renderPositions(positions));
      });
    });
}
