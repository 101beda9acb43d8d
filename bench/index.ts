/**
 * `npm run bench`: backtest speed against a plain reference engine, and sweep throughput end to end with one
 * worker thread and with every core, each baseline measured in the same run. `npm run bench -- --json` prints JSON.
 */
import { backtestBenchmark } from './backtest';
import { contentBenchmark, renderContent } from './content';
import { depsBenchmark } from './deps';
import { sweepBenchmark } from './sweep';

const json = process.argv.includes('--json');
const log = (text: string) => {
  if (!json) process.stderr.write(`${text}\n`);
};

/** Right-aligned columns, the first one left-aligned. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => cells[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main() {
  const backtests = backtestBenchmark(log);
  const sweep = await sweepBenchmark(log);
  const deps = await depsBenchmark(log);
  const content = contentBenchmark(log);
  const overheadPct = Math.max(...sweep.results.map((result) => result.overheadPct));
  if (json) {
    const document = {
      node: process.version,
      backtest: { baseline: 'test/support/reference-backtest.ts', results: backtests },
      sweep: { ...sweep, targets: { speedup: 1.8, overheadPct: 5 }, overheadPct },
      deps: { baseline: 'split lines + one name regex', results: deps },
      content: { baseline: 'split sentences + count', results: content },
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `${table(
      ['benchmark', 'bars', 'runs', 'flywheel ms', 'baseline ms', 'speed-up', 'bars/s', 'target'],
      backtests.map((row) => [
        row.benchmark,
        String(row.bars),
        String(row.runs),
        row.flywheelMs.toFixed(3),
        row.baselineMs.toFixed(3),
        `${row.speedup.toFixed(1)}×`,
        `${(row.barsPerSecond / 1e6).toFixed(1)}M`,
        row.targetMs === undefined ? '' : `< ${row.targetMs} ms ${row.meetsTarget ? 'met' : 'MISSED'}`,
      ]),
    )}\n\nNode ${process.version}; median of repeated runs; baseline = plain reference engine (test/support/reference-backtest.ts).\n`,
  );
  process.stdout.write(
    `\nSweep end to end (runtime start with its worker threads, planning, durable queue, aggregation):\n${table(
      [
        'workers',
        'combinations',
        'jobs',
        'total ms',
        'backtests/s',
        'bar evals/s',
        'planning ms',
        'queue ms',
        'overhead',
      ],
      sweep.results.map((result) => [
        String(result.workers),
        String(result.combinations),
        String(result.jobs),
        result.totalMs.toFixed(0),
        result.backtestsPerSecond.toFixed(0),
        `${(result.barEvaluationsPerSecond / 1e6).toFixed(1)}M`,
        result.planningMs.toFixed(1),
        result.queueMs.toFixed(1),
        `${result.overheadPct.toFixed(2)}%`,
      ]),
    )}\n`,
  );
  process.stdout.write(
    `speed-up, ${sweep.cores} workers vs 1: ${sweep.speedup.toFixed(2)}× (target ≥ 1.8× on 2 cores: ${sweep.speedup >= 1.8 ? 'met' : 'MISSED'}); this machine's own ceiling for the kernel on ${sweep.cores} threads, measured in this run: ${sweep.ceiling.toFixed(2)}× (parallel efficiency ${((100 * sweep.speedup) / sweep.ceiling).toFixed(0)}% of it)\n` +
      `planning + queueing overhead at most ${overheadPct.toFixed(2)}% of the total (target < 5%: ${overheadPct < 5 ? 'met' : 'MISSED'})\n`,
  );
  process.stdout.write(renderDeps(deps));
  process.stdout.write(renderContent(content, table));
}

function renderDeps(rows: Awaited<ReturnType<typeof depsBenchmark>>): string {
  return `\nDependency guard on a generated ${rows[0]!.lines}-line requirements tree (10 files, pip-compile style):\n${table(
    ['benchmark', 'lines', 'flywheel ms', 'baseline ms', 'ratio', 'lines/s', 'target'],
    rows.map((row) => [
      row.benchmark,
      String(row.lines),
      row.flywheelMs.toFixed(2),
      row.baselineMs.toFixed(2),
      `${row.ratio.toFixed(1)}×`,
      `${(row.linesPerSecond / 1000).toFixed(0)}k`,
      row.target === undefined ? '' : `≥ ${row.target / 1000}k ${row.meetsTarget ? 'met' : 'MISSED'}`,
    ]),
  )}\nbaseline = splitting every line and matching a name with one regular expression (the floor of any checker); ratio = flywheel ÷ baseline.\n`;
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
