/** Where a command writes: standard output for results, standard error for progress and errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Colour the results (standard output is a terminal, and NO_COLOR is not set; FORCE_COLOR forces it). */
  readonly colour?: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  colour:
    process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0'
      ? true
      : Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined,
};
