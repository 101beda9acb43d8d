import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '@shared/ports/clock';
import { type ParsedSchedule, parseScheduleExpression } from './schedule-expression';

/**
 * What a schedule hands its target each time it fires: the values EventBridge Scheduler exposes to a target as the
 * context attributes `<aws.scheduler.schedule-arn>` (here the schedule's name), `<aws.scheduler.scheduled-time>` and
 * `<aws.scheduler.execution-id>`, plus the expression and time zone that produced the run.
 */
export interface ScheduledEvent {
  readonly scheduleName: string;
  /** The time the run was planned for, to the second, e.g. `2025-01-06T12:00:00Z` (not when the target started). */
  readonly scheduledTime: string;
  /** Unique per run: an idempotency key for whatever the target writes. */
  readonly executionId: string;
  readonly expression: string;
  readonly timezone: string;
}

/** A schedule to add: an EventBridge Scheduler expression, its time zone (default UTC) and the target to call. */
export interface ScheduleDefinition {
  readonly name: string;
  readonly expression: string;
  readonly timezone?: string;
  readonly target: (event: ScheduledEvent) => Promise<void>;
}

/** A target's failure on one run, as reported to `onError`. */
export interface ScheduleFailure {
  readonly scheduleName: string;
  readonly scheduledTime: string;
  readonly error: unknown;
}

/** One line of `list()`: a schedule and when it runs next (undefined once an at() schedule has run). */
export interface ScheduleSummary {
  readonly name: string;
  readonly expression: string;
  readonly timezone: string;
  readonly nextRun: Date | undefined;
}

/** Settings for the local scheduler; every one has a default. */
export interface LocalSchedulerOptions {
  /** Receives a target's failure; the schedule keeps running. Default: one line on stderr. */
  readonly onError?: (failure: ScheduleFailure) => void;
  /** The current time. Default: the system clock (which Jest's modern fake timers also control). */
  readonly clock?: Clock;
}

/** A schedule `add` refuses: a name EventBridge Scheduler would refuse, or one already taken. */
export class ScheduleDefinitionError extends Error {
  override readonly name = 'ScheduleDefinitionError';
}

interface ScheduleEntry {
  readonly definition: ScheduleDefinition;
  readonly schedule: ParsedSchedule;
  timer: ReturnType<typeof setTimeout> | undefined;
  plannedRun: Date | undefined;
}

// EventBridge Scheduler schedule names: 1-64 letters, digits, "-", "_" and ".".
const SCHEDULE_NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

// setTimeout holds at most 2^31-1 ms (about 24.8 days); longer waits are taken in steps.
const LONGEST_TIMER_MILLISECONDS = 2 ** 31 - 1;

/**
 * The local stand-in for EventBridge Scheduler: fires rate(), cron() and at() schedules on one machine and calls each
 * schedule's target with a `ScheduledEvent`. As on AWS with no start date, a rate schedule first fires when started,
 * then once every period; an at() schedule fires once.
 */
export class LocalScheduler {
  private readonly entries = new Map<string, ScheduleEntry>();
  private readonly running = new Set<Promise<void>>();
  private readonly onError: (failure: ScheduleFailure) => void;
  private readonly clock: Clock;
  private started = false;

  constructor(options: LocalSchedulerOptions = {}) {
    this.onError = options.onError ?? writeFailureToStderr;
    this.clock = options.clock ?? systemClock;
  }

  /** Adds a schedule, validating its name, expression and time zone at once; it starts firing with `start()`. */
  add(definition: ScheduleDefinition): void {
    if (!SCHEDULE_NAME.test(definition.name)) {
      throw new ScheduleDefinitionError(
        `Schedule name "${definition.name}" is invalid: use 1-64 letters, digits, "-", "_" or ".", e.g. "nightly-sweep"`,
      );
    }
    if (this.entries.has(definition.name)) {
      throw new ScheduleDefinitionError(
        `Schedule "${definition.name}" already exists: give each schedule a unique name`,
      );
    }
    const schedule = parseScheduleExpression(definition.expression, definition.timezone ?? 'UTC');
    const entry: ScheduleEntry = { definition, schedule, timer: undefined, plannedRun: undefined };
    this.entries.set(definition.name, entry);
    if (this.started) this.arm(entry, this.firstRun(entry));
  }

  /** Starts firing every schedule; calling it again while started does nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const entry of this.entries.values()) this.arm(entry, this.firstRun(entry));
  }

  /** Stops firing and clears every timer; targets already running finish on their own (see `idle`). */
  stop(): void {
    this.started = false;
    for (const entry of this.entries.values()) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
      entry.plannedRun = undefined;
    }
  }

  /** Resolves once every target call in progress has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running]);
    }
  }

  /** Every schedule with its next run: the planned one while started, otherwise the one `start()` would plan now. */
  list(): ScheduleSummary[] {
    return [...this.entries.values()].map((entry) => ({
      name: entry.definition.name,
      expression: entry.definition.expression,
      timezone: entry.schedule.timezone,
      nextRun: this.started ? entry.plannedRun : this.firstRun(entry),
    }));
  }

  private firstRun(entry: ScheduleEntry): Date | undefined {
    const now = this.clock.now();
    // With no start date, EventBridge Scheduler invokes a rate schedule's target immediately.
    if (entry.schedule.kind === 'rate') return new Date(now);
    // A run due at this very millisecond still counts.
    return entry.schedule.nextRun(new Date(now - 1));
  }

  private arm(entry: ScheduleEntry, run: Date | undefined): void {
    entry.plannedRun = run;
    entry.timer = undefined;
    if (run === undefined) return;
    const wait = Math.min(Math.max(run.getTime() - this.clock.now(), 0), LONGEST_TIMER_MILLISECONDS);
    entry.timer = setTimeout(() => this.onTimer(entry), wait);
  }

  private onTimer(entry: ScheduleEntry): void {
    const planned = entry.plannedRun;
    if (!this.started || planned === undefined) return;
    const now = this.clock.now();
    if (now < planned.getTime()) {
      this.arm(entry, planned);
      return;
    }
    this.invoke(entry, planned);
    this.arm(entry, this.runAfter(entry.schedule, planned, now));
  }

  /** The run after `planned`, skipping any that passed while the process could not fire them (e.g. asleep). */
  private runAfter(schedule: ParsedSchedule, planned: Date, now: number): Date | undefined {
    const next = schedule.nextRun(planned);
    if (next === undefined || next.getTime() >= now) return next;
    if (schedule.kind === 'rate') {
      const missedPeriods = Math.ceil((now - next.getTime()) / schedule.periodMilliseconds);
      return new Date(next.getTime() + missedPeriods * schedule.periodMilliseconds);
    }
    return schedule.nextRun(new Date(now - 1));
  }

  private invoke(entry: ScheduleEntry, planned: Date): void {
    const event: ScheduledEvent = {
      scheduleName: entry.definition.name,
      scheduledTime: planned.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      executionId: randomUUID(),
      expression: entry.definition.expression,
      timezone: entry.schedule.timezone,
    };
    const call = (async () => {
      try {
        await entry.definition.target(event);
      } catch (error) {
        this.report({ scheduleName: event.scheduleName, scheduledTime: event.scheduledTime, error });
      }
    })();
    this.running.add(call);
    void call.finally(() => this.running.delete(call));
  }

  private report(failure: ScheduleFailure): void {
    try {
      this.onError(failure);
    } catch (error) {
      // A failing error reporter must not break the schedule either.
      process.stderr.write(
        `[scheduler] onError failed for ${failure.scheduleName}: ${describeError(error)}\n`,
      );
    }
  }
}

function writeFailureToStderr({ scheduleName, scheduledTime, error }: ScheduleFailure): void {
  process.stderr.write(
    `[scheduler] ${scheduleName} failed for its run at ${scheduledTime}: ${describeError(error)}\n`,
  );
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
