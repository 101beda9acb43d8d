/** A core piece that cannot be read: says which file, which line, what is wrong and how to fix it. */
export class SourceParseError extends Error {
  override readonly name = 'SourceParseError';
  constructor(
    readonly file: string,
    /** 1-based line in the file, or undefined when the problem is the whole file. */
    readonly line: number | undefined,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${problem}. ${fix}`);
  }
}
