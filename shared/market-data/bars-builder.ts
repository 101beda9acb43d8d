import { allocateBars, type Bars } from './bars';
import { MarketDataError } from './errors';
import { isoTime } from './parse-time';

const SORT_FIX =
  'Sort the file by time and remove duplicate bars; Flywheel never reorders or drops bars itself.';
const ROW_FIX = 'Correct the row (columns may be swapped or mistyped); Flywheel never drops bars itself.';

/** Collects validated bars row by row; every rejection names the file, the line and the fix. */
export class BarsBuilder {
  private bars: Bars;
  private count = 0;
  private previousRow = 0;

  /** `lineOf` turns a row reference into a 1-based line, only when an error needs it. */
  constructor(
    private readonly file: string,
    expectedRows: number,
    private readonly lineOf: (row: number) => number = (line) => line,
  ) {
    this.bars = allocateBars(Math.max(expectedRows, 1));
  }

  /** Validates one bar and appends it. `row` is its line, or whatever reference `lineOf` resolves. */
  add(row: number, time: number, open: number, high: number, low: number, close: number, volume: number) {
    // One comparison chain for the common case; the error path works out which check failed.
    const valid =
      open > 0 &&
      high > 0 &&
      low > 0 &&
      close > 0 &&
      high < Number.POSITIVE_INFINITY &&
      volume >= 0 &&
      volume < Number.POSITIVE_INFINITY &&
      high >= low &&
      open <= high &&
      open >= low &&
      close <= high &&
      close >= low;
    if (!valid) this.reject(row, this.problemOf(open, high, low, close, volume));
    const index = this.count;
    if (index > 0) {
      const previous = this.bars.time[index - 1]!;
      if (!(time > previous)) {
        this.reject(
          row,
          `time ${isoTime(time)} is not after the previous bar's ${isoTime(previous)} (line ${this.lineOf(this.previousRow)}); times must be strictly increasing`,
          SORT_FIX,
        );
      }
    }
    if (index === this.bars.length) this.grow();
    const bars = this.bars;
    bars.time[index] = time;
    bars.open[index] = open;
    bars.high[index] = high;
    bars.low[index] = low;
    bars.close[index] = close;
    bars.volume[index] = volume;
    this.count = index + 1;
    this.previousRow = row;
  }

  private reject(row: number, problem: string, fix = ROW_FIX): never {
    throw new MarketDataError(this.file, this.lineOf(row), problem, fix);
  }

  private problemOf(open: number, high: number, low: number, close: number, volume: number): string {
    for (const [name, value] of [
      ['open', open],
      ['high', high],
      ['low', low],
      ['close', close],
    ] as const) {
      if (!(value > 0) || !Number.isFinite(value))
        return `${name} is ${value}; prices must be finite and above zero`;
    }
    if (!(volume >= 0) || !Number.isFinite(volume))
      return `volume is ${volume}; it must be finite and not negative`;
    if (high < low) return `high ${high} is below low ${low}`;
    if (open > high) return `open ${open} is above high ${high}`;
    if (open < low) return `open ${open} is below low ${low}`;
    if (close > high) return `close ${close} is above high ${high}`;
    return `close ${close} is below low ${low}`;
  }

  /** The bars collected so far; an empty file is an error. */
  finish(): Bars {
    if (this.count === 0) {
      throw new MarketDataError(
        this.file,
        undefined,
        'the file has no bars',
        'Add at least one bar (for CSV, a header line and one data line).',
      );
    }
    const { time, open, high, low, close, volume } = this.bars;
    const n = this.count;
    return {
      time: time.slice(0, n),
      open: open.slice(0, n),
      high: high.slice(0, n),
      low: low.slice(0, n),
      close: close.slice(0, n),
      volume: volume.slice(0, n),
      length: n,
    };
  }

  private grow() {
    const bigger = allocateBars(this.bars.length * 2);
    for (const key of ['time', 'open', 'high', 'low', 'close', 'volume'] as const)
      bigger[key].set(this.bars[key]);
    this.bars = bigger;
  }
}
