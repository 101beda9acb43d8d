import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../../ports/clock';
import type { BusEvent, EventBus } from '../../ports/event-bus';
import {
  type EventBridgeEnvelope,
  type EventPattern,
  matchesEventPattern,
  validateEventPattern,
} from './event-pattern';

/** A rule on the in-process bus: the events its pattern matches are delivered to its target. */
export interface InProcessEventRule {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly target: (event: EventBridgeEnvelope) => Promise<void>;
}

/** An event a rule's target kept failing on, handed over once every attempt is spent. */
export interface DeadLetter {
  readonly event: EventBridgeEnvelope;
  readonly ruleName: string;
  readonly error: unknown;
  readonly attempts: number;
}

/** Settings for the in-process bus; every one has a default. */
export interface InProcessEventBusOptions {
  /** Stamps each envelope's `time`. Default: the system clock. */
  readonly clock?: Clock;
  /** Tries per target and event, the first included. Default 3. */
  readonly maxAttempts?: number;
  /** Wait before the first retry; each later retry waits twice as long. Default 200 ms. */
  readonly retryBaseDelayMs?: number;
  /** Receives events whose target failed every attempt. Default: one line on stderr. */
  readonly onDeadLetter?: (deadLetter: DeadLetter) => void;
  /** Sees every accepted event, matched or not, e.g. for logging. */
  readonly onEvent?: (event: EventBridgeEnvelope) => void;
}

/** An event `put` refuses before accepting any, as PutEvents would. */
export class BusEventError extends Error {
  override readonly name = 'BusEventError';
}

/** A rule `addRule` refuses: a bad name, a name already taken, or an invalid pattern. */
export class EventRuleError extends Error {
  override readonly name = 'EventRuleError';
}

// EventBridge rule names: 1–64 characters of letters, digits, dot, hyphen and underscore.
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/**
 * The local stand-in for an EventBridge bus: rules with EventBridge event patterns, asynchronous delivery to every
 * matching rule's target, retries with exponential backoff and a dead-letter callback.
 */
export class InProcessEventBus implements EventBus {
  private readonly rules = new Map<string, InProcessEventRule>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly retryBaseDelayMs: number;
  private readonly onDeadLetter: (deadLetter: DeadLetter) => void;
  private readonly onEvent: ((event: EventBridgeEnvelope) => void) | undefined;

  constructor(options: InProcessEventBusOptions = {}) {
    const maxAttempts = options.maxAttempts ?? 3;
    const retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(
        `maxAttempts must be a whole number of at least 1, got ${maxAttempts}; use e.g. 3`,
      );
    }
    if (!Number.isFinite(retryBaseDelayMs) || retryBaseDelayMs < 0) {
      throw new RangeError(
        `retryBaseDelayMs must be zero or more milliseconds, got ${retryBaseDelayMs}; use e.g. 200`,
      );
    }
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = maxAttempts;
    this.retryBaseDelayMs = retryBaseDelayMs;
    this.onDeadLetter = options.onDeadLetter ?? writeDeadLetterToStderr;
    this.onEvent = options.onEvent;
  }

  /** Adds a rule; its pattern is validated now, so a bad pattern fails at wiring time rather than per event. */
  addRule(rule: InProcessEventRule): void {
    if (!RULE_NAME.test(rule.name)) {
      throw new EventRuleError(
        `Rule name "${rule.name}" is invalid: use 1-64 letters, digits, ".", "-" or "_", e.g. "backtest-finished-to-promoter"`,
      );
    }
    if (this.rules.has(rule.name)) {
      throw new EventRuleError(
        `Rule "${rule.name}" already exists on this bus: give each rule a unique name`,
      );
    }
    try {
      validateEventPattern(rule.pattern);
    } catch (error) {
      throw new EventRuleError(`Rule "${rule.name}" has an invalid pattern: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.rules.set(rule.name, rule);
  }

  /**
   * Accepts the events and returns; delivery to matching targets happens afterwards, as with PutEvents.
   * Throws `BusEventError` (accepting none) if any event lacks a source or detail type or has a non-object detail.
   */
  async put(events: readonly BusEvent[]): Promise<void> {
    const envelopes = events.map((event, index) => this.wrap(event, index));
    for (const envelope of envelopes) {
      this.observe(envelope);
      for (const rule of this.rules.values()) {
        if (matchesEventPattern(rule.pattern, envelope)) this.track(this.deliver(rule, envelope));
      }
    }
  }

  /** Resolves once every delivery in flight, retries included, has finished (or gone to the dead-letter callback). */
  async idle(): Promise<void> {
    // Targets may put further events while we wait, so keep waiting until nothing is left in flight.
    while (this.deliveries.size > 0) {
      await Promise.all([...this.deliveries]);
    }
  }

  private wrap(event: BusEvent, index: number): EventBridgeEnvelope {
    if (typeof event.source !== 'string' || event.source === '') {
      throw new BusEventError(`Event ${index} has no source: set source, e.g. "flywheel.backtest"`);
    }
    if (typeof event.detailType !== 'string' || event.detailType === '') {
      throw new BusEventError(`Event ${index} has no detailType: set detailType, e.g. "Backtest Finished"`);
    }
    if (typeof event.detail !== 'object' || event.detail === null || Array.isArray(event.detail)) {
      throw new BusEventError(
        `Event ${index} (${event.detailType}) has a detail that is not a JSON object: wrap the value, e.g. { "value": ... }`,
      );
    }
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': event.detailType,
      source: event.source,
      account: 'local',
      // EventBridge stamps events to the second, e.g. 2017-12-22T18:43:48Z.
      time: new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'local',
      resources: [],
      detail: toWireJson(event.detail, index, event.detailType),
    };
  }

  private observe(envelope: EventBridgeEnvelope): void {
    if (!this.onEvent) return;
    try {
      this.onEvent(envelope);
    } catch (error) {
      // An observer is for logging; its failure must not lose the event.
      process.stderr.write(`[event-bus] onEvent failed for event ${envelope.id}: ${describeError(error)}\n`);
    }
  }

  private track(delivery: Promise<void>): void {
    this.deliveries.add(delivery);
    void delivery.finally(() => this.deliveries.delete(delivery));
  }

  private async deliver(rule: InProcessEventRule, envelope: EventBridgeEnvelope): Promise<void> {
    // Start after put has returned, so a target never runs inside the caller's put.
    await pause(0);
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      try {
        await rule.target(structuredClone(envelope));
        return;
      } catch (error) {
        lastError = error;
      }
      if (attempt < this.maxAttempts) await pause(this.retryBaseDelayMs * 2 ** (attempt - 1));
    }
    try {
      this.onDeadLetter({
        event: envelope,
        ruleName: rule.name,
        error: lastError,
        attempts: this.maxAttempts,
      });
    } catch (error) {
      process.stderr.write(
        `[event-bus] onDeadLetter failed for event ${envelope.id}: ${describeError(error)}\n`,
      );
    }
  }
}

/** A JSON round trip gives targets what the wire would: no shared references, no non-JSON values. */
function toWireJson(detail: unknown, index: number, detailType: string): unknown {
  try {
    return JSON.parse(JSON.stringify(detail));
  } catch (error) {
    throw new BusEventError(
      `Event ${index} (${detailType}) has a detail that cannot be sent as JSON (${describeError(error)}): use plain objects, strings, numbers, booleans and null`,
      { cause: error },
    );
  }
}

function writeDeadLetterToStderr({ event, ruleName, error, attempts }: DeadLetter): void {
  process.stderr.write(
    `[event-bus] dead letter: rule ${ruleName} failed ${attempts} times on event ${event.id} (${event['detail-type']}): ${describeError(error)}\n`,
  );
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
