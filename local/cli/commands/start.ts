import { join } from 'node:path';
import type { Command } from 'commander';
import { FUNCTIONS } from '../../../events/topology';
import { loadRuntimeConfig } from '../../config';
import { runStartGate } from '../../deps/start-gate';
import { flywheelHome, PROJECT_ROOT } from '../../paths';
import { startRuntime } from '../../runtime/runtime';
import { defaultWorkerCount } from '../../runtime/worker-pool';
import { OperationError } from '../errors';
import type { CliIo } from '../io';
import { numberArgument } from '../parse-arguments';
import { renderDepsText } from '../render/deps-output';
import type { SweepSummaryView } from '../render/sweep-output';
import { readSpecFile } from '../sweep-spec-input';

/** The sweep submitted on a fresh database, so the first start shows the loop working. */
export const DEMO_SWEEP = join(PROJECT_ROOT, 'examples', 'sweeps', 'demo.yaml');

interface StartFlags {
  port: number;
  workers: number;
  demo: boolean;
  skipDepsCheck?: boolean;
}

/** Runs the pre-start dependency check; errors stop start-up with the report, anything else is one line. */
async function dependencyGate(io: CliIo): Promise<void> {
  const gate = await runStartGate(io.cwd, io.env);
  if (!gate) return;
  const { result, errors, checked } = gate;
  const warnings = result.findings.length - errors;
  if (errors > 0) {
    io.err(renderDepsText(result, { colour: false, python: result.options.python }));
    throw new OperationError(
      `start-up stopped: the dependency check found ${errors} error${errors === 1 ? '' : 's'} in ${checked.join(', ')}. Fix them (flywheel deps fix can do some), or start with --skip-deps-check.`,
    );
  }
  io.err(
    `Dependency check: ${result.files.length} manifest${result.files.length === 1 ? '' : 's'} (${checked.join(', ')}), no errors${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'} or notes (flywheel deps check ${checked.join(' ')})` : ''}.\n`,
  );
}

/** The HTTP routes of the topology, a few per line, so the start-up banner never lists a stale set. */
function httpRouteLines(): string[] {
  const routes = Object.values(FUNCTIONS).flatMap((definition) =>
    definition.triggers.flatMap((trigger) =>
      trigger.type === 'http'
        ? [
            `${trigger.method} ${trigger.path}${'authenticatedBy' in trigger && trigger.authenticatedBy === 'handler' ? ' (signed, no token)' : ''}`,
          ]
        : [],
    ),
  );
  const lines: string[] = [];
  for (let index = 0; index < routes.length; index += 4) {
    lines.push(
      `  ${index === 0 ? 'Routes:    ' : '           '}${routes.slice(index, index + 4).join(', ')}`,
    );
  }
  return lines;
}

/** `flywheel start` (what `npm start` runs): the local runtime, serving the API until stopped. */
export function registerStartCommand(program: Command, io: CliIo, waitForStop: () => Promise<string>): void {
  program
    .command('start')
    .description('Start the local runtime: queues, workers, bus, scheduler and the HTTP API on 127.0.0.1')
    .option(
      '--port <port>',
      'HTTP port on 127.0.0.1 (0 picks a free one)',
      numberArgument({ min: 0, max: 65535, integer: true }),
      8787,
    )
    .option(
      '--workers <n>',
      'backtest worker threads',
      numberArgument({ min: 1, max: 256, integer: true }),
      defaultWorkerCount(),
    )
    .option('--no-demo', 'do not submit the demo sweep on a fresh database')
    .option('--skip-deps-check', 'start even if the dependency check finds errors (it does not run at all)')
    .addHelpText(
      'after',
      `
Data lives in $FLYWHEEL_HOME (default ./.flywheel): the SQLite database and the API token.
Recurring sweeps come from flywheel.config.yaml in the current folder (sweeps.schedules), candle
ingestion from market.ingest (FLYWHEEL_EXCHANGE_URL points ccxt at another origin).
Before starting, the manifests listed in deps.beforeStart (default: package.json, with its lockfile) are
checked as by \`flywheel deps check\`; an error stops start-up (--skip-deps-check bypasses it).
Stop with Ctrl-C; work under way finishes first, queued work resumes on the next start.`,
    )
    .action(async (flags: StartFlags) => {
      const home = flywheelHome(io.env, io.cwd);
      const { config, path: configPath } = await loadRuntimeConfig(io.cwd);
      if (!flags.skipDepsCheck) await dependencyGate(io);
      const runtime = await startRuntime({
        home,
        cwd: io.cwd,
        workers: flags.workers,
        httpPort: flags.port,
        schedules: config.sweeps.schedules,
        marketIngest: config.market.ingest,
        configDir: io.cwd,
        content: config.content,
        trading: config.trading,
        log: (line) => io.err(`${line}\n`),
      });
      const reportOutcome = async (sweepId: string) => {
        await runtime.idle();
        const summary = (await runtime.reader.get(sweepId))?.summary as SweepSummaryView | null | undefined;
        for (const market of summary?.markets ?? []) {
          const champion = market.champion
            ? `${summary!.strategy} ${Object.entries(market.champion.params)
                .map(([key, value]) => `${key}=${value}`)
                .join(' ')}`
            : 'none';
          io.out(
            `  ${market.market}: champion ${champion}; ${market.promotion.promoted ? 'PROMOTED' : 'not promoted'}: ${market.promotion.reason}\n`,
          );
        }
      };
      runtime.onEvent((event) => {
        if (event['detail-type'] !== 'SweepCompleted') return;
        const detail = event.detail as { sweepId: string; done: number; failed: number };
        io.out(
          `sweep ${detail.sweepId} finished its jobs (${detail.done} done, ${detail.failed} failed); aggregating\n`,
        );
        // Once aggregation has run (its delivery starts after this listener returns), say what it decided.
        setImmediate(() => void reportOutcome(detail.sweepId));
      });
      io.out(
        [
          `Flywheel is running (${runtime.workers} worker threads).`,
          `  API:       ${runtime.url}`,
          ...httpRouteLines(),
          `  Token:     ${runtime.tokenFile}  (send it as: Authorization: Bearer <token>)`,
          `  Database:  ${runtime.adapters.path}`,
          `  Drafts:    each sweep's insights become content drafts awaiting approval: npx flywheel content drafts`,
          `  Outbox:    ${runtime.outboxDir}  (published versions without a configured channel)`,
          '  Trades:    promoted strategies paper-trade on a replay of their data: npx flywheel trades, npx flywheel positions',
          `  Schedules: ${
            config.sweeps.schedules.length
              ? runtime.scheduler
                  .list()
                  .map((s) => `${s.name} ${s.expression}`)
                  .join(', ')
              : 'none'
          }${configPath ? ` (from ${configPath})` : ' (add flywheel.config.yaml to schedule sweeps)'}`,
          `  Try:       curl -H "Authorization: Bearer $(cat ${runtime.tokenFile})" ${runtime.url}/sweeps`,
          '',
        ].join('\n'),
      );
      if (flags.demo && (await runtime.adapters.sweeps.listSweeps(1)).length === 0) {
        const submitted = await runtime.planner.submit(
          await readSpecFile(DEMO_SWEEP),
          join(PROJECT_ROOT, 'examples', 'sweeps'),
          DEMO_SWEEP,
        );
        io.out(
          `First start: submitted the demo sweep ${submitted.sweepId} (${submitted.total} jobs). Follow it with: npx flywheel sweep status ${submitted.sweepId}\n`,
        );
      }
      io.out('Press Ctrl-C to stop.\n');
      const signal = await waitForStop();
      io.err(`${signal}: stopping; work under way finishes first…\n`);
      await runtime.stop();
      io.err('stopped.\n');
    });
}
