/** Bad market data: says which file, which line, what is wrong and how to fix it. */
export class MarketDataError extends Error {
  override readonly name = 'MarketDataError';
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
