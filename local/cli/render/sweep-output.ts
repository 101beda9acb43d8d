import { formatStat } from '@shared/backtest/stat-catalog';
import type { BacktestStats } from '@shared/backtest/stats';
import { renderTable } from './table';

/** The stored sweep summary, as far as the CLI reads it. */
export interface SweepSummaryView {
  sweepId: string;
  status: string;
  strategy: string;
  objective: keyof BacktestStats;
  combinations: number;
  jobs: { total: number; done: number; failed: number };
  results: { market: string; params: Record<string, number | boolean>; stats: BacktestStats }[];
  markets: {
    market: string;
    walkForward: {
      mode: string;
      folds: {
        index: number;
        inSample: { start: string; end: string };
        outOfSample: { start: string; end: string };
        winner: Record<string, number | boolean> | null;
        inSampleObjective: number | null;
        outOfSampleObjective: number | null;
        outOfSampleTrades: number;
      }[];
      inSampleObjective: number | null;
      walkForwardObjective: number | null;
      ratio: number | null;
    };
    champion: {
      params: Record<string, number | boolean>;
      walkForwardObjective: number | null;
      outOfSampleTrades: number;
    } | null;
    promotion: { promoted: boolean; reason: string };
  }[];
  failedJobs: { jobId: string; error: string; attempts: number }[];
}

const params = (values: Record<string, number | boolean> | null) =>
  values
    ? Object.entries(values)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')
    : '(none)';
const number = (value: number | null) => formatStat(value, 'ratio');
const day = (iso: string) => iso.slice(0, 10);

/** The human report of a finished sweep: ranking, walk-forward per market, champion and promotion. */
export function renderSweepText(summary: SweepSummaryView, elapsedMs: number, top: number): string {
  const { objective } = summary;
  const markets = summary.markets.map((market) => market.market).join(', ');
  const lines: string[] = [
    `Sweep ${summary.sweepId}: ${summary.strategy} on ${markets}, ${summary.combinations} combinations, ranked by ${objective}; ${summary.status} in ${(elapsedMs / 1000).toFixed(1)} s.`,
    '',
    `Top ${Math.min(top, summary.results.length)} of ${summary.results.length} by ${objective} over the full period:`,
    renderTable(
      ['#', 'market', 'params', objective, 'return', 'sharpe', 'max. DD', 'trades'],
      summary.results
        .slice(0, top)
        .map((result, index) => [
          String(index + 1),
          result.market,
          params(result.params),
          number(result.stats[objective] as number | null),
          formatStat(result.stats.returnPct, 'pct'),
          number(result.stats.sharpe),
          formatStat(result.stats.maxDrawdownPct, 'pct'),
          String(result.stats.trades),
        ]),
      ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
    ),
  ];
  for (const market of summary.markets) {
    const wf = market.walkForward;
    lines.push(
      '',
      `Walk-forward for ${market.market} (${wf.mode}, ${wf.folds.length} folds): optimise in-sample, trade the winner out-of-sample.`,
      renderTable(
        ['fold', 'in-sample', 'out-of-sample', 'winner', `IS ${objective}`, `OOS ${objective}`, 'OOS trades'],
        wf.folds.map((fold) => [
          String(fold.index + 1),
          `${day(fold.inSample.start)} → ${day(fold.inSample.end)}`,
          `${day(fold.outOfSample.start)} → ${day(fold.outOfSample.end)}`,
          params(fold.winner),
          number(fold.inSampleObjective),
          number(fold.outOfSampleObjective),
          String(fold.outOfSampleTrades),
        ]),
        ['right', 'left', 'left', 'left', 'right', 'right', 'right'],
      ),
      `Walk-forward ${objective} ${number(wf.walkForwardObjective)} (out-of-sample slices joined) vs in-sample ${number(wf.inSampleObjective)}: ratio ${number(wf.ratio)}.`,
      market.champion
        ? `Champion for ${market.market}: ${summary.strategy} ${params(market.champion.params)} (last fold's winner), walk-forward ${objective} ${number(market.champion.walkForwardObjective)} over ${market.champion.outOfSampleTrades} out-of-sample trades.`
        : `No champion for ${market.market}: no combination had an in-sample value in the last fold.`,
      `Promotion for ${market.market}: ${market.promotion.promoted ? 'PROMOTED' : 'not promoted'}: ${market.promotion.reason}.`,
    );
  }
  if (summary.failedJobs.length) {
    lines.push('', `${summary.failedJobs.length} job(s) failed and went to the dead-letter queue:`);
    for (const job of summary.failedJobs)
      lines.push(`  ${job.jobId} after ${job.attempts} attempt(s): ${job.error}`);
  }
  return lines.join('\n');
}
