import type { SweepPlan } from '@shared/sweep/plan';
import { OBJECTIVES } from '@shared/sweep/spec';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { createSweepReader } from '../../../functions/sweep-read/app';
import { flywheelHome } from '../../paths';
import { RemoteClient, RemoteRequestError, regionOfApiUrl } from '../../remote/remote-client';
import { specForRemote } from '../../remote/remote-sweep';
import { openLocalAdapters } from '../../runtime/local-adapters';
import { startRuntime } from '../../runtime/runtime';
import { defaultWorkerCount } from '../../runtime/worker-pool';
import { addEngineFlags } from '../engine-flags';
import { ExitCode, InputError, OperationError } from '../errors';
import type { CliIo } from '../io';
import { numberArgument } from '../parse-arguments';
import { renderSweepText, type SweepSummaryView } from '../render/sweep-output';
import { renderTable } from '../render/table';
import { type SweepFlags, sweepSpecFromInput } from '../sweep-spec-input';

interface RunFlags extends SweepFlags {
  workers: number;
  json?: boolean;
  top: number;
  remote?: string;
  token?: string;
  region?: string;
  pollSeconds: number;
}

/** Where a sweep stands, as the progress bar follows it. */
interface Snapshot {
  status: string;
  total: number;
  done: number;
  failed: number;
  summary: unknown;
}

/** Backtests one job runs on average (each combination: the full period and every fold), for the rate shown. */
function backtestsPerJob(plan: SweepPlan, jobs: number): number {
  return (plan.combinations * plan.datasets.length * (1 + plan.walkForward.folds)) / Math.max(1, jobs);
}

const FINAL = new Set(['completed', 'completed-with-failures']);
const collect = (value: string, previous: string[] = []) => [...previous, value];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `flywheel sweep run|list|status`: parameter sweeps with walk-forward validation and promotion. */
export function registerSweepCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const sweep = program
    .command('sweep')
    .description('Run parameter sweeps through the durable queue and read them back');

  const run = sweep
    .command('run')
    .description(
      'Run a sweep (a JSON or YAML spec, or flags), rank it, validate walk-forward and decide promotion',
    )
    .argument('[spec]', 'sweep spec file (JSON or YAML); flags given as well override its fields')
    .option('--data <file>', 'OHLCV data set, one market each; repeat for several', collect)
    .option(
      '--market <symbol>',
      'market of the --data at the same position (default: from the file name)',
      collect,
    )
    .option('--strategy <name|path>', 'a built-in strategy or a strategy module')
    .option(
      '--grid <name=range>',
      'parameter range: name=start:stop:step (ends included), name=a,b,c, or name=value; repeat',
      collect,
    )
    .option('--constraint <expr>', "combinations must satisfy it, e.g. 'fast<slow'")
    .option(
      '--random <n>',
      'sample n combinations of the grid at random',
      numberArgument({ min: 1, integer: true }),
    )
    .option('--seed <n>', 'seed for --random (default 1)', numberArgument({ integer: true }))
    .addOption(new Option('--objective <name>', 'rank by this statistic (default sqn)').choices(OBJECTIVES))
    .addOption(
      new Option('--walk-forward <mode>', 'walk-forward folds (default rolling)').choices([
        'rolling',
        'anchored',
      ]),
    )
    .option(
      '--folds <n>',
      'walk-forward folds (default 4)',
      numberArgument({ min: 1, max: 50, integer: true }),
    )
    .option(
      '--in-sample <fraction>',
      'in-sample share of a fold (default 0.7)',
      numberArgument({ above: 0, below: 1 }),
    )
    .option(
      '--promote-threshold <value>',
      'walk-forward objective needed for promotion (default 0; cash for equityFinal)',
      numberArgument({}),
    )
    .option(
      '--promote-margin <fraction>',
      'must beat the promoted strategy by this fraction (default 0.05)',
      numberArgument({ min: 0 }),
    )
    .option(
      '--min-trades <n>',
      'fewest out-of-sample trades for promotion (default 10)',
      numberArgument({ min: 0, integer: true }),
    )
    .option(
      '--chunk-size <n>',
      'combinations per job (default 25)',
      numberArgument({ min: 1, max: 5000, integer: true }),
    );
  addEngineFlags(run)
    .option(
      '--remote <url>',
      'submit to a deployed stack (its ApiUrl) instead of running here, and follow it',
    )
    .option(
      '--token <token>',
      'with --remote: send this bearer token (JWT stage, or the local runtime token) instead of SigV4',
    )
    .option(
      '--region <region>',
      'with --remote: AWS region to sign for (default: from the URL or AWS_REGION)',
    )
    .option(
      '--poll-seconds <s>',
      'with --remote: seconds between progress checks',
      numberArgument({ above: 0 }),
      2,
    )
    .option(
      '--workers <n>',
      'worker threads',
      numberArgument({ min: 1, max: 256, integer: true }),
      defaultWorkerCount(),
    )
    .option('--top <n>', 'rows of the ranking to print', numberArgument({ min: 1, integer: true }), 10)
    .option('--json', 'print { sweepId, elapsedMs, results, walkForward, champion, promotion, ... } as JSON')
    .addHelpText(
      'after',
      `
Examples:
  flywheel sweep run examples/sweep.yaml
  flywheel sweep run --data data/ohlcv/GOOG.csv --strategy sma-cross --grid fast=5:50:5 --grid slow=10:100:10 \\
    --constraint 'fast<slow' --objective equityFinal --workers 1 --json

Running the same sweep again reuses every stored result; a killed run resumes where it stopped.
Exit code 1 when jobs failed (the sweep is "completed with failures").`,
    )
    .action(async (specPath: string | undefined, flags: RunFlags, command: Command) => {
      const started = performance.now();
      const { spec, baseDir, source } = await sweepSpecFromInput(specPath, flags, command, io.cwd);
      const finished = flags.remote
        ? await runRemote(spec, baseDir, flags)
        : await runLocal(spec, baseDir, source, flags);
      if (!finished) {
        setExitCode(ExitCode.Failure);
        return;
      }
      const elapsedMs = Math.round(performance.now() - started);
      if (flags.json) io.out(`${JSON.stringify({ ...finished, elapsedMs }, null, 2)}\n`);
      else io.out(`${renderSweepText(finished, elapsedMs, flags.top)}\n`);
      if (finished.status === 'completed-with-failures') setExitCode(ExitCode.Failure);
    });

  /** Polls until the sweep is finished, with a progress bar (jobs/s when backtestsPerJob is unknown, 0); undefined when interrupted. */
  async function follow(
    read: () => Promise<Snapshot>,
    first: Snapshot,
    backtestsPerJob: number,
    pollMs: number,
  ) {
    let interrupted = false;
    const onSignal = () => {
      interrupted = true;
    };
    process.once('SIGINT', onSignal);
    try {
      const bar = new SingleBar({
        stream: process.stderr,
        format: `jobs {value}/{total} |{bar}| {rate} ${backtestsPerJob > 0 ? 'backtests' : 'jobs'}/s | ETA {eta_formatted}`,
        noTTYOutput: true,
        notTTYSchedule: 2000,
        hideCursor: false,
        clearOnComplete: false,
      });
      let snapshot = first;
      const initial = snapshot.done + snapshot.failed;
      const loopStart = performance.now();
      if (!FINAL.has(snapshot.status)) bar.start(snapshot.total, initial, { rate: '0' });
      while (!FINAL.has(snapshot.status) && !interrupted) {
        await sleep(pollMs);
        snapshot = await read();
        const finished = snapshot.done + snapshot.failed;
        const seconds = (performance.now() - loopStart) / 1000;
        bar.update(finished, {
          rate:
            seconds > 0
              ? (((finished - initial) * (backtestsPerJob || 1)) / seconds).toFixed(backtestsPerJob ? 0 : 1)
              : '0',
        });
      }
      bar.stop();
      return interrupted ? undefined : snapshot;
    } finally {
      process.removeListener('SIGINT', onSignal);
    }
  }

  async function runLocal(spec: Record<string, unknown>, baseDir: string, source: string, flags: RunFlags) {
    const home = flywheelHome(io.env, io.cwd);
    const runtime = await startRuntime({
      home,
      cwd: io.cwd,
      workers: flags.workers,
      log: (line) => io.err(`${line}\n`),
    });
    try {
      const submitted = await runtime.planner.submit(spec, baseDir, source);
      io.err(
        `Sweep ${submitted.sweepId}: ${submitted.total} jobs (${submitted.queued} queued, ${submitted.total - submitted.queued} already stored) on ${runtime.workers} worker thread(s); home ${home}\n`,
      );
      const read = async (): Promise<Snapshot> => {
        const record = (await runtime.adapters.sweeps.getSweep(submitted.sweepId))!;
        return {
          status: record.status,
          total: record.total,
          done: record.done,
          failed: record.failed,
          summary: record.summary,
        };
      };
      const first = await read();
      const plan = (await runtime.adapters.sweeps.getSweep(submitted.sweepId))!.spec as unknown as SweepPlan;
      const snapshot = await follow(read, first, backtestsPerJob(plan, first.total), 100);
      if (!snapshot) {
        io.err(
          `Interrupted. Stored results are kept: run the same command again to resume sweep ${submitted.sweepId}.\n`,
        );
        return undefined;
      }
      return snapshot.summary as unknown as SweepSummaryView;
    } finally {
      await runtime.stop();
    }
  }

  async function runRemote(spec: Record<string, unknown>, baseDir: string, flags: RunFlags) {
    const url = flags.remote!;
    const region = flags.region ?? regionOfApiUrl(url) ?? io.env.AWS_REGION;
    if (!flags.token && !region) {
      throw new InputError(
        `give --region (or AWS_REGION) to sign requests to ${url}, or --token for a JWT or local runtime`,
      );
    }
    const client = new RemoteClient(
      url,
      flags.token ? { type: 'bearer', token: flags.token } : { type: 'iam', region: region! },
    );
    try {
      const submitted = await client.submit(await specForRemote(spec, baseDir));
      io.err(
        `Sweep ${submitted.sweepId} submitted to ${url}: ${submitted.total} jobs (${submitted.queued} queued).\n`,
      );
      const read = async (): Promise<Snapshot> => {
        const sweep = await client.sweep(submitted.sweepId);
        return { status: sweep.status, ...sweep.jobs, summary: sweep.summary };
      };
      const first = await read();
      const snapshot = await follow(read, first, 0, flags.pollSeconds * 1000);
      if (!snapshot) {
        io.err(
          `Interrupted. The sweep goes on running remotely: npx flywheel sweep run --remote ${url} … follows it again.\n`,
        );
        return undefined;
      }
      return snapshot.summary as SweepSummaryView;
    } catch (error) {
      if (error instanceof RemoteRequestError && error.status >= 400 && error.status < 500)
        throw new InputError(error.message);
      if (error instanceof RemoteRequestError) throw new OperationError(error.message);
      throw error;
    }
  }

  sweep
    .command('list')
    .description('List stored sweeps, newest first')
    .option('--limit <n>', 'how many', numberArgument({ min: 1, max: 1000, integer: true }), 20)
    .option('--json', 'print as JSON')
    .action(async (flags: { limit: number; json?: boolean }) => {
      const adapters = openLocalAdapters(flywheelHome(io.env, io.cwd), String(process.pid));
      try {
        const sweeps = await createSweepReader(adapters).list(flags.limit);
        if (flags.json) {
          io.out(`${JSON.stringify({ sweeps }, null, 2)}\n`);
          return;
        }
        if (sweeps.length === 0) {
          io.out('No sweeps yet. Run one with: flywheel sweep run --help\n');
          return;
        }
        io.out(
          `${renderTable(
            ['sweep', 'status', 'strategy', 'markets', 'combinations', 'jobs done/failed/total', 'created'],
            sweeps.map((s) => [
              s.sweepId,
              s.status,
              s.strategy ?? '?',
              s.markets.join(' '),
              String(s.combinations ?? '?'),
              `${s.jobs.done}/${s.jobs.failed}/${s.jobs.total}`,
              s.createdAt.replace('T', ' ').slice(0, 19),
            ]),
          )}\n`,
        );
      } finally {
        adapters.close();
      }
    });

  sweep
    .command('status')
    .description('Show one sweep: progress, failed jobs with their errors, and its outcome when complete')
    .argument('<id>', 'sweep id (from sweep run or sweep list)')
    .option('--json', 'print as JSON')
    .option('--top <n>', 'rows of the ranking to print', numberArgument({ min: 1, integer: true }), 10)
    .action(async (id: string, flags: { json?: boolean; top: number }) => {
      const adapters = openLocalAdapters(flywheelHome(io.env, io.cwd), String(process.pid));
      try {
        const sweep = await createSweepReader(adapters).get(id);
        if (!sweep) throw new InputError(`no sweep has id ${id}; list them with: flywheel sweep list`);
        if (flags.json) {
          io.out(`${JSON.stringify(sweep, null, 2)}\n`);
        } else {
          io.out(
            `Sweep ${sweep.sweepId}: ${sweep.status}; ${sweep.strategy} on ${sweep.markets.join(', ')}; jobs ${sweep.jobs.done} done, ${sweep.jobs.failed} failed of ${sweep.jobs.total}; created ${sweep.createdAt}.\n`,
          );
          if (sweep.summary)
            io.out(
              `\n${renderSweepText(sweep.summary as unknown as SweepSummaryView, 0, flags.top)
                .split('\n')
                .slice(1)
                .join('\n')}\n`,
            );
          else if (sweep.failedJobs.length) {
            for (const job of sweep.failedJobs)
              io.out(`  failed job ${job.jobId} after ${job.attempts} attempt(s): ${job.error}\n`);
          }
        }
        if (sweep.status === 'completed-with-failures') setExitCode(ExitCode.Failure);
      } finally {
        adapters.close();
      }
    });
}
