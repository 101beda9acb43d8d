import { isoTime } from '../market-data/parse-time';
import type { BacktestResult } from './backtest';
import { describeRun } from './describe';
import { formatStat, STAT_CATALOG } from './stat-catalog';
import type { Trade } from './trade';

/** One backtest to show in a report, with the name of the data it ran on. */
export interface ReportRun {
  readonly dataName: string;
  readonly result: BacktestResult;
}

const WIDTH = 960;
const MARGIN = { left: 64, right: 12, top: 10, bottom: 22 };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Scale {
  x: (bar: number) => number;
  y: (value: number) => number;
}

function makeScale(start: number, end: number, low: number, high: number, height: number): Scale {
  const span = Math.max(end - start, 1);
  const range = high - low || Math.abs(high) || 1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  return {
    x: (bar) => MARGIN.left + ((bar - start) / span) * plotWidth,
    y: (value) => MARGIN.top + (1 - (value - low) / range) * plotHeight,
  };
}

/** The series as an SVG path, reduced to the first, lowest, highest and last point of each pixel column. */
function linePath(values: (bar: number) => number, start: number, end: number, scale: Scale): string {
  const columns = WIDTH - MARGIN.left - MARGIN.right;
  const perColumn = Math.max(1, Math.floor((end - start + 1) / columns));
  const points: string[] = [];
  for (let first = start; first <= end; first += perColumn) {
    const last = Math.min(end, first + perColumn - 1);
    let lowBar = first;
    let highBar = first;
    for (let bar = first; bar <= last; bar++) {
      if (values(bar) < values(lowBar)) lowBar = bar;
      if (values(bar) > values(highBar)) highBar = bar;
    }
    const picked = [...new Set([first, Math.min(lowBar, highBar), Math.max(lowBar, highBar), last])];
    for (const bar of picked) points.push(`${scale.x(bar).toFixed(1)},${scale.y(values(bar)).toFixed(1)}`);
  }
  return `M${points.join('L')}`;
}

function axes(
  time: Float64Array,
  start: number,
  end: number,
  low: number,
  high: number,
  height: number,
  scale: Scale,
  unit: (v: number) => string,
): string {
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const value = low + ((high - low) * k) / 4;
    const y = scale.y(value).toFixed(1);
    parts.push(`<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}"/>`);
    parts.push(
      `<text class="tick" x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dy="4">${escapeHtml(unit(value))}</text>`,
    );
  }
  for (let k = 0; k <= 5; k++) {
    const bar = Math.round(start + ((end - start) * k) / 5);
    const x = scale.x(bar).toFixed(1);
    const label = isoTime(time[bar]!).slice(0, 10);
    const anchor = k === 0 ? 'start' : k === 5 ? 'end' : 'middle';
    parts.push(`<text class="tick" x="${x}" y="${height - 6}" text-anchor="${anchor}">${label}</text>`);
  }
  return parts.join('');
}

function extent(
  values: (bar: number) => number,
  start: number,
  end: number,
  extra: number[] = [],
): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let bar = start; bar <= end; bar++) {
    const value = values(bar);
    if (value < low) low = value;
    if (value > high) high = value;
  }
  for (const value of extra) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return [low, high];
}

function tradeTitle(trade: Trade): string {
  return `${trade.side} ${Math.abs(trade.size)} @ ${trade.entryPrice.toFixed(4)} → ${trade.exitPrice.toFixed(4)} (${trade.exitReason}), PnL ${trade.pnl.toFixed(2)} (${trade.returnPct.toFixed(2)}%)`;
}

function priceChart(run: ReportRun): string {
  const { bars, start, end } = run.result.dataset;
  const trades = [...run.result.trades, ...(run.result.openTrade ? [run.result.openTrade] : [])];
  const close = (bar: number) => bars.close[bar]!;
  const [low, high] = extent(
    close,
    start,
    end,
    trades.flatMap((t) => [t.entryPrice, t.exitPrice]),
  );
  const height = 320;
  const scale = makeScale(start, end, low, high, height);
  const markers = trades.map((trade) => {
    const x1 = scale.x(trade.entryBar).toFixed(1);
    const y1 = scale.y(trade.entryPrice).toFixed(1);
    const x2 = scale.x(trade.exitBar).toFixed(1);
    const y2 = scale.y(trade.exitPrice).toFixed(1);
    const outcome = trade.pnl >= 0 ? 'win' : 'loss';
    const entryShape =
      trade.side === 'long'
        ? `M${x1},${(Number(y1) - 6).toFixed(1)}l-5,9h10z`
        : `M${x1},${(Number(y1) + 6).toFixed(1)}l-5,-9h10z`;
    const exitClass = trade.exitReason === 'end' ? 'open' : outcome;
    return `<g class="trade"><title>${escapeHtml(tradeTitle(trade))}</title><line class="link ${outcome}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/><path class="entry ${trade.side}" d="${entryShape}"/><circle class="exit ${exitClass}" cx="${x2}" cy="${y2}" r="3.5"/></g>`;
  });
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Price with trades">${axes(bars.time, start, end, low, high, height, scale, (v) => v.toPrecision(5))}<path class="price" d="${linePath(close, start, end, scale)}"/>${markers.join('')}</svg>`;
}

function equityChart(run: ReportRun, cash: number): string {
  const { bars, start, end } = run.result.dataset;
  const equity = run.result.equity;
  const value = (bar: number) => equity[bar - start]!;
  const [low, high] = extent(value, start, end, [cash]);
  const height = 200;
  const scale = makeScale(start, end, low, high, height);
  const baseline = scale.y(cash).toFixed(1);
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Equity">${axes(bars.time, start, end, low, high, height, scale, (v) => v.toFixed(0))}<line class="baseline" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${baseline}" y2="${baseline}"/><path class="equity" d="${linePath(value, start, end, scale)}"/></svg>`;
}

function drawdownChart(run: ReportRun): string {
  const { bars, start, end } = run.result.dataset;
  const equity = run.result.equity;
  const drawdown = new Float64Array(equity.length);
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < equity.length; i++) {
    peak = Math.max(peak, equity[i]!);
    drawdown[i] = (equity[i]! / peak - 1) * 100;
  }
  const value = (bar: number) => drawdown[bar - start]!;
  const [low] = extent(value, start, end, [0]);
  const height = 140;
  const scale = makeScale(start, end, Math.min(low, -1e-9), 0, height);
  const zero = scale.y(0).toFixed(1);
  const line = linePath(value, start, end, scale);
  const area = `${line}L${scale.x(end).toFixed(1)},${zero}L${scale.x(start).toFixed(1)},${zero}Z`;
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Drawdown">${axes(bars.time, start, end, Math.min(low, -1e-9), 0, height, scale, (v) => `${v.toFixed(1)}%`)}<path class="drawdown" d="${area}"/></svg>`;
}

function statsTable(run: ReportRun): string {
  const stats = run.result.stats;
  const rows = STAT_CATALOG.map(
    (entry) =>
      `<tr><th>${escapeHtml(entry.label)}</th><td>${escapeHtml(formatStat(stats[entry.key], entry.unit))}</td></tr>`,
  );
  return `<table class="stats">${rows.join('')}</table>`;
}

function tradesTable(run: ReportRun): string {
  const trades = [...run.result.trades, ...(run.result.openTrade ? [run.result.openTrade] : [])];
  if (trades.length === 0) return '<p class="muted">No trades.</p>';
  const rows = trades.map(
    (t, index) =>
      `<tr class="${t.pnl >= 0 ? 'win' : 'loss'}"><td>${index + 1}</td><td>${t.side}</td><td>${isoTime(t.entryTime).slice(0, 16).replace('T', ' ')}</td><td>${t.exitReason === 'end' ? 'open' : isoTime(t.exitTime).slice(0, 16).replace('T', ' ')}</td><td>${t.size}</td><td>${t.entryPrice.toFixed(4)}</td><td>${t.exitPrice.toFixed(4)}</td><td>${t.pnl.toFixed(2)}</td><td>${t.returnPct.toFixed(2)}%</td><td>${t.exitReason}</td></tr>`,
  );
  return `<details><summary>${run.result.trades.length} closed trades${run.result.openTrade ? ' and one still open' : ''}</summary><table class="trades"><thead><tr><th>#</th><th>Side</th><th>Entry</th><th>Exit</th><th>Size</th><th>Entry price</th><th>Exit price</th><th>PnL</th><th>Return</th><th>Exit reason</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function runSection(run: ReportRun, index: number, cash: number, open: boolean): string {
  return `<section id="run-${index}"><details${open ? ' open' : ''}><summary><h2>${escapeHtml(describeRun(run.result.strategy, run.result.params, run.dataName))}</h2></summary><div class="layout">${statsTable(run)}<div class="charts"><h3>Price and trades</h3>${priceChart(run)}<h3>Equity</h3>${equityChart(run, cash)}<h3>Drawdown</h3>${drawdownChart(run)}</div></div>${tradesTable(run)}</details></section>`;
}

function summaryTable(runs: readonly ReportRun[]): string {
  const pct = (v: number | null) => formatStat(v, 'pct');
  const ratio = (v: number | null) => formatStat(v, 'ratio');
  const rows = runs.map((run, index) => {
    const s = run.result.stats;
    return `<tr><td><a href="#run-${index}">${escapeHtml(run.result.strategy)}</a></td><td>${escapeHtml(run.dataName)}</td><td>${pct(s.returnPct)}</td><td>${pct(s.buyHoldReturnPct)}</td><td>${ratio(s.sharpe)}</td><td>${pct(s.maxDrawdownPct)}</td><td>${s.trades}</td><td>${pct(s.winRatePct)}</td><td>${ratio(s.sqn)}</td></tr>`;
  });
  return `<table class="summary"><thead><tr><th>Strategy</th><th>Data</th><th>Return</th><th>Buy &amp; hold</th><th>Sharpe</th><th>Max. drawdown</th><th>Trades</th><th>Win rate</th><th>SQN</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1280px;padding:0 16px;color:#1d2330;background:#fafbfc}
h1{font-size:22px;margin:0 0 4px}h2{display:inline;font-size:17px}h3{font-size:13px;margin:10px 0 2px;color:#555}
.muted{color:#6b7280}section{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:12px 16px;margin:14px 0}
summary{cursor:pointer}.layout{display:grid;grid-template-columns:290px 1fr;gap:20px;margin-top:10px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:2px 8px;text-align:right}
.stats th{text-align:left;font-weight:500;color:#444}.stats td,.stats th{white-space:nowrap}.summary,.trades{width:100%;margin-top:8px}
.summary th,.trades th{border-bottom:1px solid #ccd;background:#f2f4f7}.summary td:first-child,.summary td:nth-child(2),.summary th:first-child,.summary th:nth-child(2){text-align:left}
tr.win td:nth-child(8){color:#11804a}tr.loss td:nth-child(8){color:#c0362c}
.chart{width:100%;height:auto;display:block}.grid{stroke:#eceef2}.tick{font-size:10px;fill:#6b7280}
.price{fill:none;stroke:#3b5bdb;stroke-width:1}.equity{fill:none;stroke:#0b7a75;stroke-width:1.3}
.baseline{stroke:#999;stroke-dasharray:4 3}.drawdown{fill:#f3c1bd;stroke:#c0362c;stroke-width:.8}
.entry.long{fill:#11804a}.entry.short{fill:#c0362c}.exit{stroke:#fff;stroke-width:1}.exit.win{fill:#11804a}.exit.loss{fill:#c0362c}.exit.open{fill:#f08c00}
.link{stroke-width:1;stroke-dasharray:2 2}.link.win{stroke:#11804a}.link.loss{stroke:#c0362c}
@media (max-width:900px){.layout{grid-template-columns:1fr}}`;

/**
 * Renders backtests as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched):
 * a summary when there are several runs, then per run its statistics, price with entries and exits marked,
 * the equity curve, the drawdown and the trade list.
 */
export function renderBacktestReport(
  runs: readonly ReportRun[],
  options: { title: string; cash: number; generatedAt: Date },
): string {
  const sections = runs.map((run, index) =>
    runSection(run, index, options.cash, runs.length === 1 || index === 0),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(options.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(options.title)}</h1><p class="muted">Generated ${escapeHtml(options.generatedAt.toISOString())} by flywheel. Entries: ▲ long, ▼ short; exits: ● green win, red loss, orange still open. Hover a trade for details.</p>
${runs.length > 1 ? summaryTable(runs) : ''}
${sections.join('\n')}
</body></html>
`;
}
