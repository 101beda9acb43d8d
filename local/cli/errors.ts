/** Exit codes shared by every flywheel command. */
export const ExitCode = {
  /** The command did what was asked. */
  Success: 0,
  /** The command ran and found problems, or an operation failed. */
  Failure: 1,
  /** Bad usage, or input that cannot be read or is invalid. */
  Usage: 2,
} as const;

/** An error that ends a command with a chosen exit code and a message meant for the user. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Bad usage or invalid input: exit code 2. */
export class InputError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Usage);
  }
}

/** An operation that failed while the input was fine (a file could not be written): exit code 1. */
export class OperationError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Failure);
  }
}
