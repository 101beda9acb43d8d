/** A timeframe Flywheel cannot turn into a fixed duration (a typo, or months, which vary in length). */
export class TimeframeError extends Error {
  override readonly name = 'TimeframeError';
}

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** The length of a ccxt timeframe (`1m`, `15m`, `1h`, `4h`, `1d`, `1w`) in milliseconds. */
export function timeframeMs(timeframe: string): number {
  const match = /^([1-9]\d*)([smhdw])$/.exec(timeframe);
  const unit = match ? UNIT_MS[match[2]!] : undefined;
  if (!match || unit === undefined) {
    throw new TimeframeError(
      `timeframe "${timeframe}" is not supported: use a number and one of s, m, h, d, w (e.g. 1m, 15m, 1h, 4h, 1d, 1w)`,
    );
  }
  return Number(match[1]) * unit;
}
