import type { TradeEntry, TradeStore } from '@shared/ports/trade-store';
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

/**
 * When a --strategy filter matched nothing, the recorded strategy ids it probably meant: traded strategies are
 * stored with their parameters (`sma-cross(fast=50,slow=100)`), so a bare name matches none of them exactly.
 */
async function strategyHint(trades: TradeStore, name: string): Promise<string> {
  const recent = await trades.list({ kind: 'fill', limit: 1000 });
  const ids = [...new Set(recent.map((entry) => entry.strategy))];
  const meant = ids.filter(
    (id) => id.startsWith(`${name}(`) || id.toLowerCase().includes(name.toLowerCase()),
  );
  if (meant.length === 0) return `No trades for strategy "${name}".\n`;
  return `No trades for strategy "${name}". Strategy ids are recorded with their parameters; did you mean ${meant
    .slice(0, 5)
    .map((id) => `--strategy '${id}'`)
    .join(' or ')}?\n`;
}

/** `flywheel trades` and `flywheel positions`: the trades table of the local database. */
export function registerTradesCommands(program: Command, io: CliIo): void {
  program
    .command('trades')
    .description('List recorded trades (fills), newest first')
    .option(
      '--strategy <id>',
      'only this strategy, as recorded: name(params), e.g. sma-cross(fast=50,slow=100)',
      nonEmpty('strategy id'),
    )
    .option('--market <symbol>', 'only this market, as ccxt names it (BTC/USDT)', nonEmpty('market'))
    .option('--limit <n>', 'at most this many', limitArgument, 50)
    .option('--orders', 'list order updates (reported by exchange webhooks) instead of fills')
    .option('--json', 'print { trades: [...] } as JSON')
    .addHelpText(
      'after',
      `
Examples:
  flywheel trades
  flywheel trades --strategy 'sma-cross(fast=50,slow=100)' --market GOOG --limit 10
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
          if (entries.length === 0 && flags.strategy)
            io.err(await strategyHint(adapters.trades, flags.strategy));
        });
      },
    );

  program
    .command('positions')
    .description('List positions and realized PnL per strategy and market, derived from the recorded fills')
    .option(
      '--strategy <id>',
      'only this strategy, as recorded: name(params), e.g. sma-cross(fast=50,slow=100)',
      nonEmpty('strategy id'),
    )
    .option('--json', 'print { positions: [...] } as JSON')
    .addHelpText(
      'after',
      `
Examples:
  flywheel positions
  flywheel positions --strategy 'sma-cross(fast=50,slow=100)' --json

Size is signed (negative: short); PnL and fees are in the quote currency; realized PnL is before fees.`,
    )
    .action(async (flags: { strategy?: string; json?: boolean }) => {
      await withLocalTrades(io, async (adapters) => {
        const positions = await positionsIn(
          adapters.trades,
          flags.strategy ? { strategy: flags.strategy } : {},
        );
        io.out(flags.json ? `${JSON.stringify({ positions }, null, 2)}\n` : renderPositions(positions));
        if (positions.length === 0 && flags.strategy)
          io.err(await strategyHint(adapters.trades, flags.strategy));
      });
    });
}
