import { EmptyRangeError } from '@shared/backtest/dataset';
import { StrategyError } from '@shared/backtest/engine';
import { StrategyParamError } from '@shared/strategies/params';
import { Command, CommanderError } from 'commander';
import { ZodError } from 'zod';
import packageJson from '../../package.json';
import { registerBacktestCommand } from './commands/backtest';
import { registerDemoCommand } from './commands/demo';
import { registerStrategiesCommand } from './commands/strategies';
import { CliError, ExitCode } from './errors';
import { type CliIo, processIo } from './io';

/** Errors whose message is already written for the user and which mean bad input (exit code 2). */
const INPUT_ERRORS = [StrategyParamError, EmptyRangeError, StrategyError];

function buildProgram(io: CliIo): Command {
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
  for (const command of program.commands) command.exitOverride().showHelpAfterError('(add --help for usage)');
  return program;
}

/** Runs the flywheel CLI with the given arguments and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    io.err(program.helpInformation());
    return ExitCode.Usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.Success;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Success : ExitCode.Usage;
    if (error instanceof CliError) {
      io.err(`error: ${error.message}\n`);
      return error.exitCode;
    }
    if (INPUT_ERRORS.some((type) => error instanceof type) || error instanceof ZodError) {
      io.err(`error: ${(error as Error).message}\n`);
      return ExitCode.Usage;
    }
    io.err(`error: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.Failure;
  }
}
