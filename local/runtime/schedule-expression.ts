import { Cron } from 'croner';

/** A schedule expression EventBridge Scheduler would refuse; the message names the expression, the problem and a valid example. */
export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
  constructor(
    readonly expression: string,
    problem: string,
    example: string,
  ) {
    super(`Schedule expression "${expression}" is invalid: ${problem}. A valid example: ${example}`);
  }
}

/** A time zone that is not an IANA name such as "Europe/Berlin". */
export class ScheduleTimezoneError extends Error {
  override readonly name = 'ScheduleTimezoneError';
  constructor(readonly timezone: string) {
    super(
      `Time zone "${timezone}" is not an IANA time zone name: use e.g. "UTC", "Europe/Berlin" or "America/New_York"`,
    );
  }
}

interface ScheduleBase {
  /** The expression as written, e.g. `cron(0 12 ? * MON-FRI *)`. */
  readonly expression: string;
  /** The IANA time zone cron and at() expressions are read in; rate() ignores it. */
  readonly timezone: string;
  /**
   * The first run strictly after `after`, or undefined if there is none. For rate(), which has no calendar anchor,
   * this is one period after `after`: pass the previous run (or the start) to get the next one.
   */
  nextRun(after: Date): Date | undefined;
}

/** `rate(value unit)`: runs every fixed period (a day is always 24 hours, as on EventBridge Scheduler). */
export interface RateSchedule extends ScheduleBase {
  readonly kind: 'rate';
  readonly periodMilliseconds: number;
}

/** `cron(minutes hours day-of-month month day-of-week year)` in AWS syntax, evaluated in `timezone`. */
export interface CronSchedule extends ScheduleBase {
  readonly kind: 'cron';
  /** The equivalent croner pattern (seconds first, days of the week numbered 0–6 from Sunday). */
  readonly cronerPattern: string;
}

/** `at(yyyy-mm-ddThh:mm:ss)`: runs once, at that wall-clock time in `timezone`. */
export interface OneTimeSchedule extends ScheduleBase {
  readonly kind: 'at';
  readonly runAt: Date;
}

/** A parsed EventBridge Scheduler expression. */
export type ParsedSchedule = RateSchedule | CronSchedule | OneTimeSchedule;

const RATE_EXAMPLE = 'rate(5 minutes)';
const CRON_EXAMPLE = 'cron(0 12 ? * MON-FRI *)';
const AT_EXAMPLE = 'at(2025-06-01T09:30:00)';

/**
 * Parses an EventBridge Scheduler expression — `rate(value unit)`, `cron(fields)` or `at(yyyy-mm-ddThh:mm:ss)` —
 * with cron and at() read in `timezone` (an IANA name). Throws `ScheduleExpressionError` or `ScheduleTimezoneError`.
 */
export function parseScheduleExpression(expression: string, timezone = 'UTC'): ParsedSchedule {
  validateTimezone(timezone);
  if (expression.startsWith('rate(')) return parseRate(expression, timezone);
  if (expression.startsWith('cron(')) return parseCron(expression, timezone);
  if (expression.startsWith('at(')) return parseAt(expression, timezone);
  throw new ScheduleExpressionError(
    expression,
    'it must be rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)',
    `${RATE_EXAMPLE}, ${CRON_EXAMPLE} or ${AT_EXAMPLE}`,
  );
}

function validateTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ScheduleTimezoneError(timezone);
  }
}

const UNIT_MILLISECONDS: Readonly<Record<string, number>> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

function parseRate(expression: string, timezone: string): RateSchedule {
  const match = /^rate\(\s*(\S+)\s+(\S+)\s*\)$/.exec(expression);
  const [, valueText = '', unit = ''] = match ?? [];
  if (!match) {
    throw new ScheduleExpressionError(
      expression,
      'a rate needs a value and a unit, rate(value unit)',
      RATE_EXAMPLE,
    );
  }
  if (!/^\d+$/.test(valueText) || Number(valueText) < 1) {
    throw new ScheduleExpressionError(
      expression,
      `the value "${valueText}" is not a positive whole number`,
      RATE_EXAMPLE,
    );
  }
  const unitMilliseconds = UNIT_MILLISECONDS[unit];
  if (unitMilliseconds === undefined) {
    throw new ScheduleExpressionError(
      expression,
      `the unit "${unit}" is not one of minute, minutes, hour, hours, day, days`,
      RATE_EXAMPLE,
    );
  }
  const value = Number(valueText);
  const singular = !unit.endsWith('s');
  if (value === 1 && !singular) {
    throw new ScheduleExpressionError(
      expression,
      `a value of 1 takes the singular unit "${unit.slice(0, -1)}"`,
      'rate(1 hour)',
    );
  }
  if (value > 1 && singular) {
    throw new ScheduleExpressionError(
      expression,
      `a value above 1 takes the plural unit "${unit}s"`,
      `rate(${value} ${unit}s)`,
    );
  }
  const periodMilliseconds = value * unitMilliseconds;
  return {
    kind: 'rate',
    expression,
    timezone,
    periodMilliseconds,
    nextRun: (after) => new Date(after.getTime() + periodMilliseconds),
  };
}

function parseAt(expression: string, timezone: string): OneTimeSchedule {
  const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (!match) {
    throw new ScheduleExpressionError(
      expression,
      'a one-time schedule is at(yyyy-mm-ddThh:mm:ss)',
      AT_EXAMPLE,
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wallClock);
  const sameFields =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  if (!sameFields) {
    throw new ScheduleExpressionError(
      expression,
      'that date or time does not exist on the calendar',
      AT_EXAMPLE,
    );
  }
  const runAt = new Date(wallClockToInstant(wallClock, timezone));
  return {
    kind: 'at',
    expression,
    timezone,
    runAt,
    nextRun: (after) => (runAt.getTime() > after.getTime() ? runAt : undefined),
  };
}

interface CronField {
  readonly label: string;
  readonly minimum: number;
  readonly maximum: number;
  readonly names?: readonly string[];
  /** Whether `/` increments are allowed (AWS: everywhere but day-of-week). */
  readonly steps: boolean;
  /** Whether a range may wrap past the maximum, as hours 20-2 does (AWS allows it; years cannot wrap). */
  readonly wraps: boolean;
}

const MINUTES: CronField = { label: 'minutes', minimum: 0, maximum: 59, steps: true, wraps: true };
const HOURS: CronField = { label: 'hours', minimum: 0, maximum: 23, steps: true, wraps: true };
const DAY_OF_MONTH: CronField = { label: 'day-of-month', minimum: 1, maximum: 31, steps: true, wraps: true };
const MONTH: CronField = {
  label: 'month',
  minimum: 1,
  maximum: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  steps: true,
  wraps: true,
};
// AWS numbers the days of the week 1-7 from Sunday.
const DAY_OF_WEEK: CronField = {
  label: 'day-of-week',
  minimum: 1,
  maximum: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  steps: false,
  wraps: true,
};
const YEAR: CronField = { label: 'year', minimum: 1970, maximum: 2199, steps: true, wraps: false };

function parseCron(expression: string, timezone: string): CronSchedule {
  const match = /^cron\((.*)\)$/.exec(expression);
  const fields = (match?.[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(
      expression,
      `cron takes six fields (minutes hours day-of-month month day-of-week year), got ${fields.filter(Boolean).length}`,
      CRON_EXAMPLE,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const fail = (problem: string): never => {
    throw new ScheduleExpressionError(expression, problem, CRON_EXAMPLE);
  };
  const dayOfMonthAny = dayOfMonth === '?';
  const dayOfWeekAny = dayOfWeek === '?';
  if (dayOfMonthAny === dayOfWeekAny) {
    fail(
      dayOfMonthAny
        ? 'day-of-month and day-of-week are both "?"; give one of them a value or *'
        : 'day-of-month and day-of-week are both set; put ? in one of them',
    );
  }
  for (const [field, text] of [
    [MINUTES, minutes],
    [HOURS, hours],
    [MONTH, month],
    [YEAR, year],
  ] as const) {
    if (text.includes('?')) fail(`? is only allowed in day-of-month or day-of-week, not in ${field.label}`);
  }
  const cronerPattern = [
    '0',
    listToCroner(parseList(minutes, MINUTES, fail), MINUTES),
    listToCroner(parseList(hours, HOURS, fail), HOURS),
    dayOfMonthAny ? '*' : dayOfMonthToCroner(dayOfMonth, fail),
    listToCroner(parseList(month, MONTH, fail), MONTH),
    dayOfWeekAny ? '*' : dayOfWeekToCroner(dayOfWeek, fail),
    listToCroner(parseList(year, YEAR, fail), YEAR),
  ].join(' ');
  let cron: Cron;
  try {
    cron = new Cron(cronerPattern, { paused: true, timezone, mode: '7-part' });
  } catch (error) {
    // Our own checks should catch everything croner refuses; if not, still name the expression.
    return fail(`croner refused it as "${cronerPattern}": ${(error as Error).message}`);
  }
  return {
    kind: 'cron',
    expression,
    timezone,
    cronerPattern,
    nextRun: (after) => nextCronRun(cron, after, timezone),
  };
}

/**
 * croner's next run, adjusted to EventBridge Scheduler's daylight-saving rules: a time skipped when clocks go forward
 * does not run (croner would run it after the gap), and a time repeated when clocks go back runs once (croner would
 * run interval patterns twice).
 */
function nextCronRun(cron: Cron, after: Date, timezone: string): Date | undefined {
  let candidate = cron.nextRun(after);
  while (candidate) {
    if (cron.match(candidate) && !isRepeatedWallClockTime(candidate.getTime(), timezone)) return candidate;
    candidate = cron.nextRun(candidate);
  }
  return undefined;
}

function dayOfMonthToCroner(text: string, fail: (problem: string) => never): string {
  if (text === 'L' || text === 'LW') return text;
  const weekday = /^(\d{1,2})W$/.exec(text);
  if (weekday) {
    const day = Number(weekday[1]);
    if (day < 1 || day > 31) fail(`day-of-month "${text}": W needs a day from 1 to 31`);
    return `${day}W`;
  }
  if (/[LW]/.test(text)) fail(`day-of-month "${text}": L, LW and nW must stand alone, e.g. L or 15W`);
  return listToCroner(parseList(text, DAY_OF_MONTH, fail), DAY_OF_MONTH);
}

function dayOfWeekToCroner(text: string, fail: (problem: string) => never): string {
  // AWS counts Sunday as 1; croner counts it as 0.
  const toCroner = (day: number) => day - 1;
  if (text === 'L') return String(toCroner(7));
  const last = /^([A-Za-z]{3}|\d)L$/.exec(text);
  if (last) return `${toCroner(parseValue(last[1] as string, DAY_OF_WEEK, fail))}#L`;
  const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(text);
  if (nth) {
    const occurrence = Number(nth[2]);
    if (occurrence < 1 || occurrence > 5)
      fail(`day-of-week "${text}": the occurrence after # must be 1 to 5`);
    return `${toCroner(parseValue(nth[1] as string, DAY_OF_WEEK, fail))}#${occurrence}`;
  }
  if (text.includes('#'))
    fail(`day-of-week "${text}": # takes one day and one occurrence, e.g. 2#1; lists are not allowed`);
  if (text.includes('L')) fail(`day-of-week "${text}": L must stand alone or follow one day, e.g. L or 6L`);
  const days = parseList(text, DAY_OF_WEEK, fail);
  return days.length === 7 ? '*' : days.map(toCroner).join(',');
}

/** A croner field for the values: `*` when they cover the whole field, else the list. */
function listToCroner(values: readonly number[], field: CronField): string {
  return values.length === field.maximum - field.minimum + 1 ? '*' : values.join(',');
}

/** Expands a field of `*`, values, ranges and increments into the sorted values it allows. */
function parseList(text: string, field: CronField, fail: (problem: string) => never): number[] {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [rangeText = '', stepText, ...extra] = item.split('/');
    if (extra.length > 0) fail(`${field.label} "${item}" has more than one /`);
    if (stepText !== undefined && !field.steps) fail(`${field.label} does not allow / increments`);
    const step = stepText === undefined ? 1 : parseStep(stepText, item, field, fail);
    let start: number;
    let end: number;
    if (rangeText === '*') {
      start = field.minimum;
      end = field.maximum;
    } else if (rangeText.includes('-')) {
      const [startText = '', endText = '', ...more] = rangeText.split('-');
      if (more.length > 0) fail(`${field.label} "${item}" is not a range like 1-5`);
      start = parseValue(startText, field, fail);
      end = parseValue(endText, field, fail);
      if (start > end && !field.wraps) fail(`${field.label} range "${rangeText}" must go from low to high`);
    } else {
      start = parseValue(rangeText, field, fail);
      // "a/step" runs from a to the end of the field, as in 0/15.
      end = stepText === undefined ? start : field.maximum;
    }
    const size = field.maximum - field.minimum + 1;
    const length = ((end - start + size) % size) + 1;
    for (let offset = 0; offset < length; offset += step) {
      values.add(field.minimum + ((start - field.minimum + offset) % size));
    }
  }
  return [...values].sort((left, right) => left - right);
}

function parseStep(text: string, item: string, field: CronField, fail: (problem: string) => never): number {
  const step = Number(text);
  if (!/^\d+$/.test(text) || step < 1 || step > field.maximum - field.minimum + 1) {
    fail(
      `${field.label} "${item}": the increment must be a whole number from 1 to ${field.maximum - field.minimum + 1}`,
    );
  }
  return step;
}

function parseValue(text: string, field: CronField, fail: (problem: string) => never): number {
  const nameIndex = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (nameIndex >= 0) return field.minimum + nameIndex;
  if (!/^\d+$/.test(text)) {
    const names = field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : '';
    fail(`${field.label} "${text}" is not a number from ${field.minimum} to ${field.maximum}${names}`);
  }
  const value = Number(text);
  if (value < field.minimum || value > field.maximum) {
    fail(`${field.label} ${value} is out of range ${field.minimum}-${field.maximum}`);
  }
  return value;
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading in `timezone` at an instant, as epoch milliseconds of that reading taken as UTC. */
function wallClockAt(instant: number, timezone: string): number {
  let format = wallClockFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClockFormats.set(timezone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function utcOffsetAt(instant: number, timezone: string): number {
  return wallClockAt(instant, timezone) - Math.floor(instant / 1000) * 1000;
}

const DAY = 86_400_000;

/**
 * The instant a wall-clock time names in `timezone`. A time that occurs twice (clocks going back) is its first
 * occurrence; a time skipped by clocks going forward is moved forward by the gap, as JavaScript's Temporal does.
 */
function wallClockToInstant(wallClock: number, timezone: string): number {
  const offsetBefore = utcOffsetAt(wallClock - DAY, timezone);
  const offsetAfter = utcOffsetAt(wallClock + DAY, timezone);
  const candidates = [wallClock - offsetBefore, wallClock - offsetAfter]
    .filter((instant) => wallClockAt(instant, timezone) === wallClock)
    .sort((left, right) => left - right);
  return candidates[0] ?? wallClock - offsetBefore;
}

/** Whether an instant is the second time its wall-clock reading occurs, after clocks went back. */
function isRepeatedWallClockTime(instant: number, timezone: string): boolean {
  const shift = utcOffsetAt(instant - DAY, timezone) - utcOffsetAt(instant, timezone);
  return shift > 0 && wallClockAt(instant - shift, timezone) === wallClockAt(instant, timezone);
}
