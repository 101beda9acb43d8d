import type { BacktestResult } from '@shared/backtest/backtest';
import { describeRun } from '@shared/backtest/describe';
import { formatStat, STAT_CATALOG } from '@shared/backtest/stat-catalog';
import type { Trade } from '@shared/backtest/trade';
import { isoTime } from '@shared/market-data/parse-time';
import { renderTable } from './table';

const TRADE_COLUMNS = [
  'entryBar',
  'exitBar',
  'entryTime',
  'exitTime',
  'side',
  'size',
  'entryPrice',
  'exitPrice',
  'pnl',
  'returnPct',
  'commission',
  'exitReason',
] as const;

/** A trade as `--json` and `--trades-out` show it: times as ISO-8601. */
export function tradeToJson(trade: Trade) {
  return {
    entryBar: trade.entryBar,
    exitBar: trade.exitBar,
    entryTime: isoTime(trade.entryTime),
    exitTime: isoTime(trade.exitTime),
    side: trade.side,
    size: trade.size,
    entryPrice: trade.entryPrice,
    exitPrice: trade.exitPrice,
    pnl: trade.pnl,
    returnPct: trade.returnPct,
    commission: trade.commission,
    exitReason: trade.exitReason,
  };
}

/** The `--json` document of one backtest. */
export function backtestToJson(result: BacktestResult, dataName: string) {
  return {
    strategy: result.strategy,
    params: result.params,
    data: dataName,
    stats: result.stats,
    trades: result.trades.map(tradeToJson),
    openTrade: result.openTrade ? tradeToJson(result.openTrade) : null,
  };
}

/** The human output of one backtest: a title and an aligned statistics table. */
export function renderBacktestText(result: BacktestResult, dataName: string): string {
  const rows = STAT_CATALOG.map((entry) => [entry.label, formatStat(result.stats[entry.key], entry.unit)]);
  const won = result.trades.filter((trade) => trade.pnl > 0).length;
  const open = result.openTrade
    ? `; one ${result.openTrade.side} trade still open (marked at the last close, not counted)`
    : '';
  return [
    describeRun(result.strategy, result.params, dataName),
    '',
    renderTable(['Statistic', 'Value'], rows, ['left', 'right']),
    '',
    `${result.trades.length} closed trades, ${won} won${open}.`,
  ].join('\n');
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Closed trades as CSV with the same columns as the JSON trades. */
export function tradesCsv(trades: readonly Trade[]): string {
  const rows = trades.map(tradeToJson);
  const header = TRADE_COLUMNS.join(',');
  return `${[header, ...rows.map((row) => TRADE_COLUMNS.map((column) => csvCell(row[column])).join(','))].join('\n')}\n`;
}

/** The equity curve as CSV: one row per tested bar with time, equity and drawdown in percent. */
export function equityCsv(result: BacktestResult): string {
  const { bars, start } = result.dataset;
  const lines = ['time,equity,drawdownPct'];
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < result.equity.length; i++) {
    const value = result.equity[i]!;
    peak = Math.max(peak, value);
    lines.push(`${isoTime(bars.time[start + i]!)},${value},${(value / peak - 1) * 100}`);
  }
  return `${lines.join('\n')}\n`;
}
