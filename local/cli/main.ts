import { Command, CommanderError } from 'commander';
import { ZodError } from 'zod';
import { isInputError } from '../../functions/lib/input-errors';
import packageJson from '../../package.json';
import { RuntimeStartError } from '../runtime/runtime';
import { registerBacktestCommand } from './commands/backtest';
import { registerContentCommand } from './commands/content';
import { registerDataCommand } from './commands/data';
import { registerDemoCommand } from './commands/demo';
import { registerDepsCommand } from './commands/deps';
import { registerPaperCommand } from './commands/paper';
import { registerStartCommand } from './commands/start';
import { registerStrategiesCommand } from './commands/strategies';
import { registerSweepCommand } from './commands/sweep';
import { registerTradesCommands } from './commands/trades';
import { registerTradingCommand } from './commands/trading';
import { CliError, ExitCode } from './errors';
import { type CliIo, processIo } from './io';

/** Resolves with the name of the first SIGINT or SIGTERM the process receives. */
function waitForStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('flywheel')
    .description('Flywheel: backtest, promote and publish trading strategies, locally or on AWS.')
    .version(packageJson.version, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 problems found or an operation failed, 2 bad usage or invalid input.',
    );
  registerBacktestCommand(program, io);
  registerStrategiesCommand(program, io);
  registerDemoCommand(program, io);
  registerSweepCommand(program, io, setExitCode);
  registerDepsCommand(program, io, setExitCode);
  registerPaperCommand(program, io);
  registerContentCommand(program, io, setExitCode);
  registerDataCommand(program, io, setExitCode);
  registerTradesCommands(program, io);
  registerTradingCommand(program, io);
  registerStartCommand(program, io, waitForStopSignal);
  const configure = (command: Command) => {
    command.exitOverride().showHelpAfterError('(add --help for usage)');
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/** Runs the flywheel CLI with the given arguments and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode: number = ExitCode.Success;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    io.err(program.helpInformation());
    return ExitCode.Usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Success : ExitCode.Usage;
    if (error instanceof CliError) {
      io.err(`error: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof RuntimeStartError) {
      io.err(`error: ${error.message}\n`);
      return ExitCode.Failure;
    }
    if (isInputError(error) || error instanceof ZodError) {
      io.err(`error: ${(error as Error).message}\n`);
      return ExitCode.Usage;
    }
    io.err(`error: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.Failure;
  }
}
