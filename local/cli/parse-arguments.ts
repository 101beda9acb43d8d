import { isDateOnly, parseTime } from '@shared/market-data/parse-time';
import { InvalidArgumentError } from 'commander';

const DAY_MS = 86_400_000;
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A commander argument parser for a number within bounds; the error says what is accepted. */
export function numberArgument(bounds: {
  min?: number;
  max?: number;
  above?: number;
  below?: number;
  integer?: boolean;
}) {
  const parts: string[] = [];
  if (bounds.integer) parts.push('a whole number');
  else parts.push('a number');
  if (bounds.min !== undefined) parts.push(`≥ ${bounds.min}`);
  if (bounds.above !== undefined) parts.push(`> ${bounds.above}`);
  if (bounds.max !== undefined) parts.push(`≤ ${bounds.max}`);
  if (bounds.below !== undefined) parts.push(`< ${bounds.below}`);
  const expected = parts.join(' ');
  return (text: string): number => {
    const value = Number(text);
    const ok =
      DECIMAL.test(text) &&
      Number.isFinite(value) &&
      (!bounds.integer || Number.isInteger(value)) &&
      (bounds.min === undefined || value >= bounds.min) &&
      (bounds.above === undefined || value > bounds.above) &&
      (bounds.max === undefined || value <= bounds.max) &&
      (bounds.below === undefined || value < bounds.below);
    if (!ok) throw new InvalidArgumentError(`expected ${expected}.`);
    return value;
  };
}

/** Parses `--from`: the first moment of the given date or time (UTC unless a zone is given). */
export function fromDateArgument(text: string): number {
  const time = parseTime(text);
  if (time === undefined)
    throw new InvalidArgumentError('expected a date such as 2010-01-31 or 2010-01-31T12:00:00Z.');
  return time;
}

/** Parses `--to`: a date alone means through the end of that day, so its bars are included. */
export function toDateArgument(text: string): number {
  const time = fromDateArgument(text);
  return isDateOnly(text) ? time + DAY_MS - 1 : time;
}

/** Collects repeated `--param key=value` options into an object. */
export function collectParam(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError('expected key=value, for example --param fast=10.');
  const key = text.slice(0, equals).trim();
  if (key in previous) throw new InvalidArgumentError(`parameter "${key}" is given twice.`);
  return { ...previous, [key]: text.slice(equals + 1) };
}
