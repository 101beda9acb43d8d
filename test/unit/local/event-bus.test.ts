import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  BusEventError,
  type DeadLetter,
  EventRuleError,
  InProcessEventBus,
} from '@shared/adapters/local/event-bus';
import type { EventBridgeEnvelope } from '@shared/adapters/local/event-pattern';
import type { BusEvent } from '@shared/ports/event-bus';

const fixedClock = { now: () => Date.parse('2025-01-06T12:00:00.250Z') };

const backtestFinished: BusEvent = {
  source: 'flywheel.backtest',
  detailType: 'Backtest Finished',
  detail: { strategy: 'sma-cross', sharpe: 1.4 },
};
const tradeAnomaly: BusEvent = {
  source: 'flywheel.trading',
  detailType: 'Trade Anomaly',
  detail: { symbol: 'BTC/USDT', severity: 'high' },
};

/** A target that records what it receives. */
function recordingTarget() {
  const received: EventBridgeEnvelope[] = [];
  const target = async (event: EventBridgeEnvelope) => {
    received.push(event);
  };
  return { received, target };
}

/** A promise the test settles by hand, to hold a target mid-delivery. */
function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

afterEach(() => {
  jest.useRealTimers();
});

describe('InProcessEventBus routing', () => {
  it('delivers each event to the rule whose detail-type it matches, in an EventBridge envelope', async () => {
    // Prepare
    const bus = new InProcessEventBus({ clock: fixedClock });
    const backtests = recordingTarget();
    const anomalies = recordingTarget();
    bus.addRule({
      name: 'backtests',
      pattern: { 'detail-type': ['Backtest Finished'] },
      target: backtests.target,
    });
    bus.addRule({
      name: 'anomalies',
      pattern: { 'detail-type': ['Trade Anomaly'] },
      target: anomalies.target,
    });

    // Act
    await bus.put([backtestFinished, tradeAnomaly]);
    await bus.idle();

    // Assess
    expect(backtests.received).toEqual([
      {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        'detail-type': 'Backtest Finished',
        source: 'flywheel.backtest',
        account: 'local',
        time: '2025-01-06T12:00:00Z',
        region: 'local',
        resources: [],
        detail: { strategy: 'sma-cross', sharpe: 1.4 },
      },
    ]);
    expect(anomalies.received.map((event) => event['detail-type'])).toEqual(['Trade Anomaly']);
  });

  it('routes by detail content', async () => {
    // Prepare
    const bus = new InProcessEventBus();
    const severe = recordingTarget();
    bus.addRule({
      name: 'severe-anomalies',
      pattern: { detail: { severity: ['high', 'critical'] } },
      target: severe.target,
    });

    // Act
    await bus.put([
      tradeAnomaly,
      { ...tradeAnomaly, detail: { symbol: 'ETH/USDT', severity: 'low' } },
      { ...tradeAnomaly, detail: { symbol: 'SOL/USDT', severity: 'critical' } },
    ]);
    await bus.idle();

    // Assess
    expect(severe.received.map((event) => event.detail)).toEqual([
      { symbol: 'BTC/USDT', severity: 'high' },
      { symbol: 'SOL/USDT', severity: 'critical' },
    ]);
  });

  it('delivers nothing when no rule matches, yet still reports the event to onEvent', async () => {
    // Prepare
    const observed: EventBridgeEnvelope[] = [];
    const bus = new InProcessEventBus({ onEvent: (event) => observed.push(event) });
    const content = recordingTarget();
    bus.addRule({ name: 'content', pattern: { source: ['flywheel.content'] }, target: content.target });

    // Act
    await bus.put([backtestFinished, tradeAnomaly]);
    await bus.idle();

    // Assess
    expect(content.received).toEqual([]);
    expect(observed.map((event) => event['detail-type'])).toEqual(['Backtest Finished', 'Trade Anomaly']);
  });

  it('delivers an event to every rule it matches, each with its own copy', async () => {
    // Prepare
    const bus = new InProcessEventBus();
    const byType: EventBridgeEnvelope[] = [];
    const bySource = recordingTarget();
    bus.addRule({
      name: 'by-type',
      pattern: { 'detail-type': ['Backtest Finished'] },
      target: async (event) => {
        byType.push(event);
        (event.detail as { strategy: string }).strategy = 'changed by a target';
      },
    });
    bus.addRule({
      name: 'by-source',
      pattern: { source: [{ prefix: 'flywheel.' }] },
      target: bySource.target,
    });

    // Act
    await bus.put([backtestFinished]);
    await bus.idle();

    // Assess
    expect(byType).toHaveLength(1);
    expect(bySource.received.map((event) => event.detail)).toEqual([{ strategy: 'sma-cross', sharpe: 1.4 }]);
    expect(byType[0]?.id).toBe(bySource.received[0]?.id);
  });
});

describe('InProcessEventBus delivery', () => {
  it('resolves put before a slow target finishes', async () => {
    // Prepare
    const bus = new InProcessEventBus();
    const release = deferred();
    let finished = false;
    bus.addRule({
      name: 'slow',
      pattern: { source: ['flywheel.backtest'] },
      target: async () => {
        await release.promise;
        finished = true;
      },
    });

    // Act
    await bus.put([backtestFinished]);
    const finishedWhenPutResolved = finished;
    release.resolve();
    await bus.idle();

    // Assess
    expect(finishedWhenPutResolved).toBe(false);
    expect(finished).toBe(true);
  });

  it('retries a failing target and stops once it succeeds', async () => {
    // Prepare
    const deadLetters: DeadLetter[] = [];
    const bus = new InProcessEventBus({
      retryBaseDelayMs: 1,
      onDeadLetter: (letter) => deadLetters.push(letter),
    });
    let attempts = 0;
    bus.addRule({
      name: 'flaky',
      pattern: { source: ['flywheel.backtest'] },
      target: async () => {
        attempts += 1;
        if (attempts < 2) throw new Error('database busy');
      },
    });

    // Act
    await bus.put([backtestFinished]);
    await bus.idle();

    // Assess
    expect(attempts).toBe(2);
    expect(deadLetters).toEqual([]);
  });

  it('hands the event, rule name and last error to onDeadLetter after the last attempt', async () => {
    // Prepare
    const deadLetters: DeadLetter[] = [];
    const bus = new InProcessEventBus({
      maxAttempts: 3,
      retryBaseDelayMs: 1,
      onDeadLetter: (letter) => deadLetters.push(letter),
    });
    let attempts = 0;
    bus.addRule({
      name: 'always-failing',
      pattern: { 'detail-type': ['Trade Anomaly'] },
      target: async () => {
        attempts += 1;
        throw new Error(`attempt ${attempts} failed`);
      },
    });

    // Act
    await bus.put([tradeAnomaly]);
    await bus.idle();

    // Assess
    expect(attempts).toBe(3);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({
      ruleName: 'always-failing',
      attempts: 3,
      event: { 'detail-type': 'Trade Anomaly', detail: { symbol: 'BTC/USDT', severity: 'high' } },
    });
    expect(deadLetters[0]?.error).toEqual(new Error('attempt 3 failed'));
  });

  it('writes one line to stderr for a dead letter when no callback is given', async () => {
    // Prepare
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const bus = new InProcessEventBus({ maxAttempts: 1 });
    bus.addRule({
      name: 'broken',
      pattern: { source: ['flywheel.backtest'] },
      target: async () => {
        throw new Error('no table promotions');
      },
    });

    // Act
    await bus.put([backtestFinished]);
    await bus.idle();
    const lines = stderr.mock.calls.map(([text]) => String(text));
    stderr.mockRestore();

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/rule broken failed 1 times .*Backtest Finished.*no table promotions\n$/);
  });

  it('waits twice as long before each further retry', async () => {
    // Prepare
    jest.useFakeTimers();
    const bus = new InProcessEventBus({ maxAttempts: 3, retryBaseDelayMs: 100, onDeadLetter: () => {} });
    let attempts = 0;
    bus.addRule({
      name: 'failing',
      pattern: { source: ['flywheel.backtest'] },
      target: async () => {
        attempts += 1;
        throw new Error('down');
      },
    });

    // Act
    await bus.put([backtestFinished]);
    await jest.advanceTimersByTimeAsync(0);
    const afterFirstTry = attempts;
    await jest.advanceTimersByTimeAsync(99);
    const justBeforeFirstRetry = attempts;
    await jest.advanceTimersByTimeAsync(1);
    const afterFirstRetry = attempts;
    await jest.advanceTimersByTimeAsync(199);
    const justBeforeSecondRetry = attempts;
    await jest.advanceTimersByTimeAsync(1);
    const afterSecondRetry = attempts;

    // Assess
    expect([
      afterFirstTry,
      justBeforeFirstRetry,
      afterFirstRetry,
      justBeforeSecondRetry,
      afterSecondRetry,
    ]).toEqual([1, 1, 2, 2, 3]);
  });

  it('makes idle wait for retries still pending', async () => {
    // Prepare
    const bus = new InProcessEventBus({ maxAttempts: 3, retryBaseDelayMs: 20 });
    let attempts = 0;
    let delivered = false;
    bus.addRule({
      name: 'recovering',
      pattern: { source: ['flywheel.backtest'] },
      target: async () => {
        attempts += 1;
        if (attempts < 3) throw new Error('not yet');
        delivered = true;
      },
    });

    // Act
    await bus.put([backtestFinished]);
    await bus.idle();

    // Assess
    expect(attempts).toBe(3);
    expect(delivered).toBe(true);
  });

  it('makes idle wait for events that targets put while it waits', async () => {
    // Prepare
    const bus = new InProcessEventBus();
    const anomalies = recordingTarget();
    bus.addRule({
      name: 'backtest-to-anomaly',
      pattern: { 'detail-type': ['Backtest Finished'] },
      target: async () => bus.put([tradeAnomaly]),
    });
    bus.addRule({
      name: 'anomalies',
      pattern: { 'detail-type': ['Trade Anomaly'] },
      target: anomalies.target,
    });

    // Act
    await bus.put([backtestFinished]);
    await bus.idle();

    // Assess
    expect(anomalies.received).toHaveLength(1);
  });
});

describe('InProcessEventBus validation', () => {
  it('refuses a batch with an invalid event and accepts none of it', async () => {
    // Prepare
    const bus = new InProcessEventBus();
    const everything = recordingTarget();
    bus.addRule({ name: 'everything', pattern: { source: [{ prefix: '' }] }, target: everything.target });

    // Act
    const put = bus.put([backtestFinished, { source: '', detailType: 'Orphan', detail: {} }]);

    // Assess
    await expect(put).rejects.toThrow(BusEventError);
    await expect(put).rejects.toThrow(/Event 1 has no source/);
    await bus.idle();
    expect(everything.received).toEqual([]);
  });

  it('refuses a detail that is not a JSON object', async () => {
    // Prepare
    const bus = new InProcessEventBus();

    // Act
    const put = bus.put([{ source: 'flywheel.backtest', detailType: 'Backtest Finished', detail: [1, 2] }]);

    // Assess
    await expect(put).rejects.toThrow(/detail that is not a JSON object/);
  });

  it('refuses a rule with an invalid pattern, naming the rule and the bad part', () => {
    // Prepare
    const bus = new InProcessEventBus();

    // Act
    const addRule = () =>
      bus.addRule({
        name: 'bad',
        pattern: { detail: { n: [{ numeric: ['>>', 1] }] } },
        target: async () => {},
      });

    // Assess
    expect(addRule).toThrow(EventRuleError);
    expect(addRule).toThrow(
      /Rule "bad" has an invalid pattern: Invalid event pattern at detail\.n\[0\]\.numeric\[0\]/,
    );
  });

  it('refuses a second rule with the same name and a name EventBridge would refuse', () => {
    // Prepare
    const bus = new InProcessEventBus();
    bus.addRule({ name: 'promoter', pattern: { source: ['a'] }, target: async () => {} });

    // Act
    const duplicate = () =>
      bus.addRule({ name: 'promoter', pattern: { source: ['b'] }, target: async () => {} });
    const badName = () =>
      bus.addRule({ name: 'has spaces', pattern: { source: ['b'] }, target: async () => {} });

    // Assess
    expect(duplicate).toThrow(/Rule "promoter" already exists/);
    expect(badName).toThrow(/Rule name "has spaces" is invalid/);
  });
});
