import { describe, expect, it } from '@jest/globals';
import {
  parseScheduleExpression,
  ScheduleExpressionError,
  ScheduleTimezoneError,
} from '../../../local/runtime/schedule-expression';

/** The next `count` runs after `from`, as ISO strings; stops early when the schedule has no more runs. */
function nextRuns(expression: string, from: string, count: number, timezone?: string): string[] {
  const schedule = parseScheduleExpression(expression, timezone);
  const runs: string[] = [];
  let after = new Date(from);
  for (let index = 0; index < count; index += 1) {
    const next = schedule.nextRun(after);
    if (next === undefined) break;
    runs.push(next.toISOString());
    after = next;
  }
  return runs;
}

function parseError(expression: string): ScheduleExpressionError {
  try {
    parseScheduleExpression(expression);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) return error;
    throw error;
  }
  throw new Error(`expected "${expression}" to be rejected`);
}

describe('parseScheduleExpression: rate()', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(12 hours)', 43_200_000],
    ['rate(1 day)', 86_400_000],
    ['rate(7 days)', 604_800_000],
  ])('reads %s as a period of %i ms', (expression, periodMilliseconds) => {
    // Act
    const schedule = parseScheduleExpression(expression);

    // Assess
    expect(schedule).toMatchObject({ kind: 'rate', expression, timezone: 'UTC', periodMilliseconds });
  });

  it('runs one period after the previous run, a day being 24 hours even across a clock change', () => {
    // Prepare
    const schedule = parseScheduleExpression('rate(1 day)', 'Europe/Berlin');

    // Act
    const next = schedule.nextRun(new Date('2025-03-29T12:00:00Z'));

    // Assess
    expect(next?.toISOString()).toBe('2025-03-30T12:00:00.000Z');
  });

  it.each([
    ['rate(1 minutes)', /value of 1 takes the singular unit "minute"/],
    ['rate(5 hour)', /value above 1 takes the plural unit "hours"/],
    ['rate(0 minutes)', /"0" is not a positive whole number/],
    ['rate(-5 minutes)', /"-5" is not a positive whole number/],
    ['rate(2.5 hours)', /"2.5" is not a positive whole number/],
    ['rate(2 weeks)', /unit "weeks" is not one of minute, minutes, hour, hours, day, days/],
    ['rate(5minutes)', /needs a value and a unit/],
  ])('rejects %s', (expression, problem) => {
    // Act
    const error = parseError(expression);

    // Assess
    expect(error.expression).toBe(expression);
    expect(error.message).toContain(`"${expression}" is invalid`);
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(/A valid example: rate\(/);
  });
});

describe('parseScheduleExpression: cron()', () => {
  it('runs at noon on weekdays only: cron(0 12 ? * MON-FRI *)', () => {
    // Act (Friday 3 January 2025, after noon)
    const runs = nextRuns('cron(0 12 ? * MON-FRI *)', '2025-01-03T13:00:00Z', 6);

    // Assess (the weekend is skipped)
    expect(runs).toEqual([
      '2025-01-06T12:00:00.000Z',
      '2025-01-07T12:00:00.000Z',
      '2025-01-08T12:00:00.000Z',
      '2025-01-09T12:00:00.000Z',
      '2025-01-10T12:00:00.000Z',
      '2025-01-13T12:00:00.000Z',
    ]);
  });

  it('runs on the last day of each month: cron(15 10 L * ? *)', () => {
    // Act
    const runs = nextRuns('cron(15 10 L * ? *)', '2024-01-15T00:00:00Z', 4);

    // Assess (2024 is a leap year)
    expect(runs).toEqual([
      '2024-01-31T10:15:00.000Z',
      '2024-02-29T10:15:00.000Z',
      '2024-03-31T10:15:00.000Z',
      '2024-04-30T10:15:00.000Z',
    ]);
  });

  it('runs every 15 minutes from minute 0: cron(0/15 * * * ? *)', () => {
    // Act
    const runs = nextRuns('cron(0/15 * * * ? *)', '2025-01-06T11:37:20Z', 4);

    // Assess
    expect(runs).toEqual([
      '2025-01-06T11:45:00.000Z',
      '2025-01-06T12:00:00.000Z',
      '2025-01-06T12:15:00.000Z',
      '2025-01-06T12:30:00.000Z',
    ]);
  });

  it('counts increments from the given start: cron(1/20 9 * * ? *)', () => {
    // Act
    const runs = nextRuns('cron(1/20 9 * * ? *)', '2025-01-06T00:00:00Z', 4);

    // Assess
    expect(runs).toEqual([
      '2025-01-06T09:01:00.000Z',
      '2025-01-06T09:21:00.000Z',
      '2025-01-06T09:41:00.000Z',
      '2025-01-07T09:01:00.000Z',
    ]);
  });

  it('numbers days of the week from Sunday = 1: cron(0 8 ? * 2#1 *) is the first Monday', () => {
    // Act
    const runs = nextRuns('cron(0 8 ? * 2#1 *)', '2025-01-01T00:00:00Z', 4);

    // Assess
    expect(runs).toEqual([
      '2025-01-06T08:00:00.000Z',
      '2025-02-03T08:00:00.000Z',
      '2025-03-03T08:00:00.000Z',
      '2025-04-07T08:00:00.000Z',
    ]);
  });

  it('reads 1 as Sunday and 7 as Saturday', () => {
    // Act
    const sundays = nextRuns('cron(0 6 ? * 1 *)', '2025-01-01T00:00:00Z', 2);
    const saturdays = nextRuns('cron(0 6 ? * 7 *)', '2025-01-01T00:00:00Z', 2);

    // Assess
    expect(sundays).toEqual(['2025-01-05T06:00:00.000Z', '2025-01-12T06:00:00.000Z']);
    expect(saturdays).toEqual(['2025-01-04T06:00:00.000Z', '2025-01-11T06:00:00.000Z']);
  });

  it('reads L in day-of-week as Saturday and 6L as the last Friday of the month', () => {
    // Act
    const lastDayOfWeek = nextRuns('cron(0 9 ? * L *)', '2025-01-01T00:00:00Z', 2);
    const lastFridays = nextRuns('cron(15 10 ? * 6L *)', '2025-01-01T00:00:00Z', 3);

    // Assess
    expect(lastDayOfWeek).toEqual(['2025-01-04T09:00:00.000Z', '2025-01-11T09:00:00.000Z']);
    expect(lastFridays).toEqual([
      '2025-01-31T10:15:00.000Z',
      '2025-02-28T10:15:00.000Z',
      '2025-03-28T10:15:00.000Z',
    ]);
  });

  it('runs on the weekday nearest a day: cron(0 9 15W * ? *)', () => {
    // Act (15 February and 15 March 2025 are Saturdays)
    const runs = nextRuns('cron(0 9 15W * ? *)', '2025-02-01T00:00:00Z', 3);

    // Assess
    expect(runs).toEqual([
      '2025-02-14T09:00:00.000Z',
      '2025-03-14T09:00:00.000Z',
      '2025-04-15T09:00:00.000Z',
    ]);
  });

  it('accepts month and day names in any case, and lists of them', () => {
    // Act
    const runs = nextRuns('cron(30 7 ? jan,Jul sat *)', '2025-01-20T00:00:00Z', 3);

    // Assess
    expect(runs).toEqual([
      '2025-01-25T07:30:00.000Z',
      '2025-07-05T07:30:00.000Z',
      '2025-07-12T07:30:00.000Z',
    ]);
  });

  it('lets an hour range wrap past midnight, as AWS documents for 20-2', () => {
    // Act (Friday 3 January 2025; Saturday early morning is not a weekday)
    const runs = nextRuns('cron(0 20-2 ? * MON-FRI *)', '2025-01-03T19:00:00Z', 8);

    // Assess
    expect(runs).toEqual([
      '2025-01-03T20:00:00.000Z',
      '2025-01-03T21:00:00.000Z',
      '2025-01-03T22:00:00.000Z',
      '2025-01-03T23:00:00.000Z',
      '2025-01-06T00:00:00.000Z',
      '2025-01-06T01:00:00.000Z',
      '2025-01-06T02:00:00.000Z',
      '2025-01-06T20:00:00.000Z',
    ]);
  });

  it('runs only in the listed years, and not at all once they have passed', () => {
    // Act
    const listed = nextRuns('cron(0 9 1 1 ? 2027,2029)', '2025-06-01T00:00:00Z', 5);
    const ranged = nextRuns('cron(15 10 ? * 6L 2019-2022)', '2022-10-01T00:00:00Z', 5);
    const past = nextRuns('cron(0 9 1 1 ? 2020-2024)', '2025-06-01T00:00:00Z', 1);

    // Assess
    expect(listed).toEqual(['2027-01-01T09:00:00.000Z', '2029-01-01T09:00:00.000Z']);
    expect(ranged).toEqual([
      '2022-10-28T10:15:00.000Z',
      '2022-11-25T10:15:00.000Z',
      '2022-12-30T10:15:00.000Z',
    ]);
    expect(past).toEqual([]);
  });

  it('reads the fields in the time zone, following its summer time', () => {
    // Act
    const winter = nextRuns('cron(0 9 * * ? *)', '2025-01-10T00:00:00Z', 1, 'Europe/Berlin');
    const summer = nextRuns('cron(0 9 * * ? *)', '2025-07-10T00:00:00Z', 1, 'Europe/Berlin');

    // Assess
    expect(winter).toEqual(['2025-01-10T08:00:00.000Z']);
    expect(summer).toEqual(['2025-07-10T07:00:00.000Z']);
  });

  it('skips a time that does not exist when clocks go forward', () => {
    // Act (New York skips 02:00-03:00 local on 9 March 2025)
    const runs = nextRuns('cron(30 2 * * ? *)', '2025-03-08T00:00:00Z', 3, 'America/New_York');

    // Assess
    expect(runs).toEqual([
      '2025-03-08T07:30:00.000Z',
      '2025-03-10T06:30:00.000Z',
      '2025-03-11T06:30:00.000Z',
    ]);
  });

  it('runs a repeated time only once when clocks go back', () => {
    // Act (New York repeats 01:00-02:00 local on 2 November 2025)
    const runs = nextRuns('cron(0/30 1 * * ? *)', '2025-11-02T04:00:00Z', 4, 'America/New_York');

    // Assess (01:00 and 01:30 EDT run; their repeats in EST do not)
    expect(runs).toEqual([
      '2025-11-02T05:00:00.000Z',
      '2025-11-02T05:30:00.000Z',
      '2025-11-03T06:00:00.000Z',
      '2025-11-03T06:30:00.000Z',
    ]);
  });

  it('shows the croner pattern it evaluates, with days of the week counted from Sunday = 0', () => {
    // Act
    const schedule = parseScheduleExpression('cron(0 12 ? * MON-FRI *)');

    // Assess
    expect(schedule).toMatchObject({ kind: 'cron', cronerPattern: '0 0 12 * * 1,2,3,4,5 *' });
  });

  it.each([
    ['cron(0 12 * * *)', /six fields .* got 5/],
    ['cron(0 12 * * * *)', /day-of-month and day-of-week are both set; put \? in one of them/],
    ['cron(0 12 ? * ? *)', /both "\?"/],
    ['cron(0 12 1 * MON *)', /both set/],
    ['cron(60 12 * * ? *)', /minutes 60 is out of range 0-59/],
    ['cron(0 24 * * ? *)', /hours 24 is out of range 0-23/],
    ['cron(0 12 32 * ? *)', /day-of-month 32 is out of range 1-31/],
    ['cron(0 12 * 13 ? *)', /month 13 is out of range 1-12/],
    ['cron(0 12 ? * 0 *)', /day-of-week 0 is out of range 1-7/],
    ['cron(0 12 ? * FUN *)', /day-of-week "FUN" is not a number from 1 to 7 or SUN-SAT/],
    ['cron(0 12 * * ? 1969)', /year 1969 is out of range 1970-2199/],
    ['cron(0 12 * * ? 2030-2025)', /year range "2030-2025" must go from low to high/],
    ['cron(0 ? * * ? *)', /\? is only allowed in day-of-month or day-of-week, not in hours/],
    ['cron(0/0 12 * * ? *)', /increment must be a whole number from 1 to 60/],
    ['cron(0 12 ? * MON/2 *)', /day-of-week does not allow \/ increments/],
    ['cron(0 12 ? * 3#1,6#3 *)', /# takes one day and one occurrence/],
    ['cron(0 12 ? * 2#6 *)', /occurrence after # must be 1 to 5/],
    ['cron(0 12 L,15 * ? *)', /L, LW and nW must stand alone/],
    ['cron(0 12 1,,2 * ? *)', /day-of-month "" is not a number/],
  ])('rejects %s', (expression, problem) => {
    // Act
    const error = parseError(expression);

    // Assess
    expect(error.expression).toBe(expression);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain('A valid example: cron(0 12 ? * MON-FRI *)');
  });
});

describe('parseScheduleExpression: at()', () => {
  it('runs once, at the wall-clock time in the time zone', () => {
    // Prepare
    const schedule = parseScheduleExpression('at(2025-06-01T09:30:00)', 'Europe/Berlin');

    // Act
    const before = schedule.nextRun(new Date('2025-05-01T00:00:00Z'));
    const atTheTime = schedule.nextRun(new Date('2025-06-01T07:30:00Z'));

    // Assess
    expect(schedule).toMatchObject({ kind: 'at', timezone: 'Europe/Berlin' });
    expect(before?.toISOString()).toBe('2025-06-01T07:30:00.000Z');
    expect(atTheTime).toBeUndefined();
  });

  it('reads a time skipped by the clocks going forward as the same time after the gap', () => {
    // Act
    const schedule = parseScheduleExpression('at(2025-03-09T02:30:00)', 'America/New_York');

    // Assess (03:30 EDT)
    expect(schedule.kind === 'at' && schedule.runAt.toISOString()).toBe('2025-03-09T07:30:00.000Z');
  });

  it('reads a time repeated by the clocks going back as its first occurrence', () => {
    // Act
    const schedule = parseScheduleExpression('at(2025-11-02T01:30:00)', 'America/New_York');

    // Assess (01:30 EDT)
    expect(schedule.kind === 'at' && schedule.runAt.toISOString()).toBe('2025-11-02T05:30:00.000Z');
  });

  it.each([
    ['at(2025-02-30T09:00:00)', /does not exist on the calendar/],
    ['at(2025-06-01T24:00:00)', /does not exist on the calendar/],
    ['at(2025-06-01 09:00:00)', /at\(yyyy-mm-ddThh:mm:ss\)/],
    ['at(2025-06-01T09:00)', /at\(yyyy-mm-ddThh:mm:ss\)/],
  ])('rejects %s', (expression, problem) => {
    // Act
    const error = parseError(expression);

    // Assess
    expect(error.message).toMatch(problem);
    expect(error.message).toContain('A valid example: at(2025-06-01T09:30:00)');
  });
});

describe('parseScheduleExpression: other input', () => {
  it('rejects an expression of no known form, showing all three', () => {
    // Act
    const error = parseError('every day at noon');

    // Assess
    expect(error.message).toMatch(/must be rate\(value unit\), cron\(.*\) or at\(yyyy-mm-ddThh:mm:ss\)/);
  });

  it('rejects a time zone that is not an IANA name', () => {
    // Act
    const parse = () => parseScheduleExpression('cron(0 9 * * ? *)', 'Mars/Olympus_Mons');

    // Assess
    expect(parse).toThrow(ScheduleTimezoneError);
    expect(parse).toThrow(/"Mars\/Olympus_Mons" is not an IANA time zone name/);
  });
});
