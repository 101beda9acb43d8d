import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { EventBridgeBus, EventBusPutError } from '@shared/adapters/aws/eventbridge-bus';
import type { BusEvent } from '@shared/ports/event-bus';
import { mockClient } from 'aws-sdk-client-mock';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING = '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BUS_NAME = 'flywheel-bus';

/** A SweepCompleted event as the worker puts it. */
function sweepCompleted(index: number): BusEvent {
  return {
    source: 'flywheel',
    detailType: 'SweepCompleted',
    detail: { sweepId: `sweep-${index}`, total: 4, done: 3, failed: 1 },
  };
}

describe('EventBridgeBus (mocked EventBridge)', () => {
  const client = new EventBridgeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const eventBridge = mockClient(client);
  const bus = new EventBridgeBus({ client, busName: BUS_NAME });

  beforeEach(() => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, index) => ({ EventId: `event-${index}` })),
    }));
  });

  it('puts each event with its source, detail type, JSON detail and the bus name', async () => {
    // Prepare
    const promoted: BusEvent = {
      source: 'flywheel',
      detailType: 'StrategyPromoted',
      detail: { market: 'ETH/BTC', params: { fast: 5, slow: 20 }, note: 'Ünïcødé "quoted"' },
    };

    // Act
    await bus.put([sweepCompleted(1), promoted]);

    // Assess
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      Entries: [
        {
          Source: 'flywheel',
          DetailType: 'SweepCompleted',
          Detail: '{"sweepId":"sweep-1","total":4,"done":3,"failed":1}',
          EventBusName: BUS_NAME,
        },
        {
          Source: 'flywheel',
          DetailType: 'StrategyPromoted',
          Detail: '{"market":"ETH/BTC","params":{"fast":5,"slow":20},"note":"Ünïcødé \\"quoted\\""}',
          EventBusName: BUS_NAME,
        },
      ],
    });
  });

  it('puts 23 events in calls of 10, 10 and 3, in order', async () => {
    // Prepare
    const events = Array.from({ length: 23 }, (_, index) => sweepCompleted(index));

    // Act
    await bus.put(events);

    // Assess
    const entries = eventBridge
      .commandCalls(PutEventsCommand)
      .map((call) => call.args[0].input.Entries ?? []);
    expect(entries.map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(entries.flat().map((entry) => JSON.parse(entry.Detail ?? '{}').sweepId)).toEqual(
      events.map((event) => (event.detail as { sweepId: string }).sweepId),
    );
  });

  it('makes no call for no events', async () => {
    // Act
    await bus.put([]);

    // Assess
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('throws naming the failed entries and their error codes, after putting the other calls', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'event-0' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
          ...Array.from({ length: 7 }, (_, index) => ({ EventId: `event-${index + 2}` })),
          { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' },
        ],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-10' }] });
    const events = Array.from({ length: 11 }, (_, index) => sweepCompleted(index));

    // Act
    const putting = bus.put(events);

    // Assess
    await expect(putting).rejects.toThrow(EventBusPutError);
    await expect(putting).rejects.toThrow(
      '2 of 11 events were not put on bus "flywheel-bus": event 1 (SweepCompleted): ThrottlingException (Rate exceeded), ' +
        'event 9 (SweepCompleted): InternalFailure (Internal failure).',
    );
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    await expect(putting).rejects.toMatchObject({
      failures: [
        {
          index: 1,
          detailType: 'SweepCompleted',
          errorCode: 'ThrottlingException',
          errorMessage: 'Rate exceeded',
        },
        {
          index: 9,
          detailType: 'SweepCompleted',
          errorCode: 'InternalFailure',
          errorMessage: 'Internal failure',
        },
      ],
    });
  });
});
