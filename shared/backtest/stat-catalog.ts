import type { BacktestStats } from './stats';

/** How a statistic is shown to people: percent, money, days, a ratio, a count or a time. */
export type StatUnit = 'pct' | 'money' | 'days' | 'ratio' | 'count' | 'time';

/** One statistic's label and unit, in the order tables show them. */
export interface StatEntry {
  readonly key: keyof BacktestStats;
  readonly label: string;
  readonly unit: StatUnit;
}

/** Every statistic with its human label; the CLI table and the HTML report both read this. */
export const STAT_CATALOG: readonly StatEntry[] = [
  { key: 'start', label: 'Start', unit: 'time' },
  { key: 'end', label: 'End', unit: 'time' },
  { key: 'durationDays', label: 'Duration', unit: 'days' },
  { key: 'bars', label: 'Bars', unit: 'count' },
  { key: 'exposurePct', label: 'Exposure time', unit: 'pct' },
  { key: 'equityFinal', label: 'Equity final', unit: 'money' },
  { key: 'equityPeak', label: 'Equity peak', unit: 'money' },
  { key: 'commissions', label: 'Commissions', unit: 'money' },
  { key: 'returnPct', label: 'Return', unit: 'pct' },
  { key: 'buyHoldReturnPct', label: 'Buy & hold return', unit: 'pct' },
  { key: 'returnAnnPct', label: 'Return (ann.)', unit: 'pct' },
  { key: 'volatilityAnnPct', label: 'Volatility (ann.)', unit: 'pct' },
  { key: 'cagrPct', label: 'CAGR', unit: 'pct' },
  { key: 'sharpe', label: 'Sharpe ratio', unit: 'ratio' },
  { key: 'sortino', label: 'Sortino ratio', unit: 'ratio' },
  { key: 'calmar', label: 'Calmar ratio', unit: 'ratio' },
  { key: 'maxDrawdownPct', label: 'Max. drawdown', unit: 'pct' },
  { key: 'avgDrawdownPct', label: 'Avg. drawdown', unit: 'pct' },
  { key: 'maxDrawdownDurationDays', label: 'Max. drawdown duration', unit: 'days' },
  { key: 'avgDrawdownDurationDays', label: 'Avg. drawdown duration', unit: 'days' },
  { key: 'trades', label: 'Trades', unit: 'count' },
  { key: 'winRatePct', label: 'Win rate', unit: 'pct' },
  { key: 'bestTradePct', label: 'Best trade', unit: 'pct' },
  { key: 'worstTradePct', label: 'Worst trade', unit: 'pct' },
  { key: 'avgTradePct', label: 'Avg. trade (geometric)', unit: 'pct' },
  { key: 'maxTradeDurationDays', label: 'Max. trade duration', unit: 'days' },
  { key: 'avgTradeDurationDays', label: 'Avg. trade duration', unit: 'days' },
  { key: 'profitFactor', label: 'Profit factor', unit: 'ratio' },
  { key: 'expectancyPct', label: 'Expectancy', unit: 'pct' },
  { key: 'sqn', label: 'SQN', unit: 'ratio' },
  { key: 'kelly', label: 'Kelly criterion', unit: 'ratio' },
];

const grouped = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Formats a statistic for people: "12.50%", "10,234.12", "31.5 days", "1.234"; null shows as "n/a". */
export function formatStat(value: string | number | null, unit: StatUnit): string {
  if (value === null) return 'n/a';
  if (typeof value === 'string') return unit === 'time' ? readableTime(value) : value;
  switch (unit) {
    case 'pct':
      return `${value.toFixed(2)}%`;
    case 'money':
      return grouped.format(value);
    case 'days':
      return `${Number.isInteger(value) ? value : value.toFixed(1)} days`;
    case 'ratio':
      return Math.abs(value) >= 1e6 ? value.toExponential(2) : value.toFixed(3);
    default:
      return String(value);
  }
}

/** "2004-08-19T00:00:00.000Z" → "2004-08-19"; "2017-04-19T09:00:00.000Z" → "2017-04-19 09:00". */
function readableTime(iso: string): string {
  return iso
    .replace(/T00:00:00\.000Z$/, '')
    .replace(/:00\.000Z$/, '')
    .replace(/\.000Z$/, '')
    .replace('T', ' ');
}
