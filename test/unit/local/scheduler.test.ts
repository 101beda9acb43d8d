import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ScheduleExpressionError } from '../../../local/runtime/schedule-expression';
import {
  LocalScheduler,
  ScheduleDefinitionError,
  type ScheduledEvent,
  type ScheduleFailure,
} from '../../../local/runtime/scheduler';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A target that records the events it receives. */
function recordingTarget() {
  const received: ScheduledEvent[] = [];
  const target = async (event: ScheduledEvent) => {
    received.push(event);
  };
  return { received, target };
}

let scheduler: LocalScheduler;

beforeEach(() => {
  // Monday 6 January 2025, 90 seconds before noon.
  jest.useFakeTimers({ now: new Date('2025-01-06T11:58:30Z') });
  scheduler = new LocalScheduler();
});

afterEach(() => {
  scheduler.stop();
  jest.useRealTimers();
});

describe('LocalScheduler firing', () => {
  it('fires a cron schedule at each matching minute, with the scheduled time and an execution id', async () => {
    // Prepare
    const quarterly = recordingTarget();
    scheduler.add({ name: 'quarter-hour', expression: 'cron(0/15 * * * ? *)', target: quarterly.target });
    scheduler.start();

    // Act
    await jest.advanceTimersByTimeAsync(89_999);
    const beforeNoon = quarterly.received.length;
    await jest.advanceTimersByTimeAsync(1 + 15 * MINUTE);

    // Assess
    expect(beforeNoon).toBe(0);
    expect(quarterly.received).toEqual([
      {
        scheduleName: 'quarter-hour',
        scheduledTime: '2025-01-06T12:00:00Z',
        executionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        expression: 'cron(0/15 * * * ? *)',
        timezone: 'UTC',
      },
      expect.objectContaining({ scheduledTime: '2025-01-06T12:15:00Z' }),
    ]);
    expect(quarterly.received[0]?.executionId).not.toBe(quarterly.received[1]?.executionId);
  });

  it('fires a rate schedule when started and then once every period', async () => {
    // Prepare
    const sweeps = recordingTarget();
    scheduler.add({ name: 'sweep', expression: 'rate(5 minutes)', target: sweeps.target });

    // Act
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);
    const atStart = sweeps.received.length;
    await jest.advanceTimersByTimeAsync(10 * MINUTE);

    // Assess
    expect(atStart).toBe(1);
    expect(sweeps.received.map((event) => event.scheduledTime)).toEqual([
      '2025-01-06T11:58:30Z',
      '2025-01-06T12:03:30Z',
      '2025-01-06T12:08:30Z',
    ]);
  });

  it('fires an at() schedule once, then lists no next run', async () => {
    // Prepare
    const launch = recordingTarget();
    scheduler.add({ name: 'launch', expression: 'at(2025-01-06T12:00:00)', target: launch.target });
    scheduler.start();

    // Act
    await jest.advanceTimersByTimeAsync(3 * DAY);

    // Assess
    expect(launch.received.map((event) => event.scheduledTime)).toEqual(['2025-01-06T12:00:00Z']);
    expect(scheduler.list()).toEqual([
      { name: 'launch', expression: 'at(2025-01-06T12:00:00)', timezone: 'UTC', nextRun: undefined },
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not fire an at() schedule whose time passed before it started', async () => {
    // Prepare
    const missed = recordingTarget();
    scheduler.add({ name: 'missed', expression: 'at(2025-01-06T11:00:00)', target: missed.target });

    // Act
    scheduler.start();
    await jest.advanceTimersByTimeAsync(DAY);

    // Assess
    expect(missed.received).toEqual([]);
  });

  it('reads cron fields in the schedule time zone', async () => {
    // Prepare
    const morning = recordingTarget();
    scheduler.add({
      name: 'tokyo-morning',
      expression: 'cron(0 9 * * ? *)',
      timezone: 'Asia/Tokyo',
      target: morning.target,
    });
    scheduler.start();

    // Act (09:00 in Tokyo is 00:00 UTC)
    await jest.advanceTimersByTimeAsync(DAY);

    // Assess
    expect(morning.received.map((event) => [event.scheduledTime, event.timezone])).toEqual([
      ['2025-01-07T00:00:00Z', 'Asia/Tokyo'],
    ]);
  });

  it('waits more than the longest setTimeout for a far-off run', async () => {
    // Prepare
    const yearly = recordingTarget();
    scheduler.add({ name: 'new-year', expression: 'cron(0 0 1 1 ? *)', target: yearly.target });
    scheduler.start();

    // Act
    await jest.advanceTimersByTimeAsync(300 * DAY);
    const afterTenMonths = yearly.received.length;
    await jest.advanceTimersByTimeAsync(100 * DAY);

    // Assess
    expect(afterTenMonths).toBe(0);
    expect(yearly.received.map((event) => event.scheduledTime)).toEqual(['2026-01-01T00:00:00Z']);
  });

  it('arms a schedule added while running', async () => {
    // Prepare
    const late = recordingTarget();
    scheduler.start();

    // Act
    scheduler.add({ name: 'late', expression: 'cron(0 12 * * ? *)', target: late.target });
    await jest.advanceTimersByTimeAsync(2 * MINUTE);

    // Assess
    expect(late.received.map((event) => event.scheduledTime)).toEqual(['2025-01-06T12:00:00Z']);
  });
});

describe('LocalScheduler failures', () => {
  it('reports a failing target through onError and keeps the schedule running', async () => {
    // Prepare
    const failures: ScheduleFailure[] = [];
    scheduler = new LocalScheduler({ onError: (failure) => failures.push(failure) });
    let calls = 0;
    scheduler.add({
      name: 'flaky',
      expression: 'rate(1 minute)',
      target: async () => {
        calls += 1;
        if (calls === 1) throw new Error('exchange unreachable');
      },
    });
    scheduler.start();

    // Act
    await jest.advanceTimersByTimeAsync(2 * MINUTE);

    // Assess
    expect(calls).toBe(3);
    expect(failures).toEqual([
      {
        scheduleName: 'flaky',
        scheduledTime: '2025-01-06T11:58:30Z',
        error: new Error('exchange unreachable'),
      },
    ]);
  });

  it('writes one line to stderr for a failure when no onError is given', async () => {
    // Prepare
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    scheduler.add({
      name: 'broken',
      expression: 'at(2025-01-06T12:00:00)',
      target: async () => {
        throw new Error('disk full');
      },
    });
    scheduler.start();

    // Act
    await jest.advanceTimersByTimeAsync(2 * MINUTE);
    const lines = stderr.mock.calls.map(([text]) => String(text));
    stderr.mockRestore();

    // Assess
    expect(lines).toEqual(['[scheduler] broken failed for its run at 2025-01-06T12:00:00Z: disk full\n']);
  });
});

describe('LocalScheduler stop and idle', () => {
  it('leaves no timers behind and fires nothing after stop', async () => {
    // Prepare
    const ticks = recordingTarget();
    scheduler.add({ name: 'ticks', expression: 'cron(0/15 * * * ? *)', target: ticks.target });
    scheduler.add({ name: 'rate', expression: 'rate(1 hour)', target: ticks.target });
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);
    const firedBeforeStop = ticks.received.length;

    // Act
    scheduler.stop();
    const timersAfterStop = jest.getTimerCount();
    await jest.advanceTimersByTimeAsync(DAY);

    // Assess
    expect(firedBeforeStop).toBe(1);
    expect(timersAfterStop).toBe(0);
    expect(ticks.received).toHaveLength(1);
  });

  it('lets idle wait for a target still running', async () => {
    // Prepare
    let finished = false;
    scheduler.add({
      name: 'slow',
      expression: 'rate(1 hour)',
      target: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30_000));
        finished = true;
      },
    });
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);

    // Act
    const idle = scheduler.idle();
    await jest.advanceTimersByTimeAsync(30_000);
    await idle;

    // Assess
    expect(finished).toBe(true);
  });
});

describe('LocalScheduler add and list', () => {
  it('lists each schedule with the run start() would plan, then the planned run', () => {
    // Prepare
    scheduler.add({ name: 'noon', expression: 'cron(0 12 ? * MON-FRI *)', target: async () => {} });
    scheduler.add({
      name: 'berlin',
      expression: 'cron(0 9 * * ? *)',
      timezone: 'Europe/Berlin',
      target: async () => {},
    });
    scheduler.add({ name: 'sweep', expression: 'rate(5 minutes)', target: async () => {} });

    // Act
    const beforeStart = scheduler.list();
    scheduler.start();
    const started = scheduler.list();

    // Assess
    expect(beforeStart).toEqual([
      {
        name: 'noon',
        expression: 'cron(0 12 ? * MON-FRI *)',
        timezone: 'UTC',
        nextRun: new Date('2025-01-06T12:00:00Z'),
      },
      {
        name: 'berlin',
        expression: 'cron(0 9 * * ? *)',
        timezone: 'Europe/Berlin',
        nextRun: new Date('2025-01-07T08:00:00Z'),
      },
      {
        name: 'sweep',
        expression: 'rate(5 minutes)',
        timezone: 'UTC',
        nextRun: new Date('2025-01-06T11:58:30Z'),
      },
    ]);
    expect(started).toEqual(beforeStart);
  });

  it('validates a schedule when it is added', () => {
    // Prepare
    scheduler.add({ name: 'sweep', expression: 'rate(5 minutes)', target: async () => {} });

    // Act
    const badExpression = () =>
      scheduler.add({ name: 'bad', expression: 'cron(0 12 * * * *)', target: async () => {} });
    const duplicate = () =>
      scheduler.add({ name: 'sweep', expression: 'rate(1 hour)', target: async () => {} });
    const badName = () =>
      scheduler.add({ name: 'nightly sweep', expression: 'rate(1 day)', target: async () => {} });

    // Assess
    expect(badExpression).toThrow(ScheduleExpressionError);
    expect(duplicate).toThrow(ScheduleDefinitionError);
    expect(duplicate).toThrow(/Schedule "sweep" already exists/);
    expect(badName).toThrow(/Schedule name "nightly sweep" is invalid/);
    expect(scheduler.list().map((summary) => summary.name)).toEqual(['sweep']);
  });
});
