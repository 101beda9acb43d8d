import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { BusEvent, EventBus } from '../../ports/event-bus';

/** The most entries EventBridge takes in one PutEvents call. */
const ENTRIES_PER_CALL = 10;

/** One event EventBridge refused, by its position in the array given to `put`. */
export interface BusEntryFailure {
  readonly index: number;
  readonly detailType: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** EventBridge refused some events of a `put`; the others were put on the bus. */
export class EventBusPutError extends Error {
  override readonly name = 'EventBusPutError';
  constructor(
    readonly busName: string,
    readonly failures: readonly BusEntryFailure[],
    readonly attempted: number,
  ) {
    super(
      `${failures.length} of ${attempted} events were not put on bus "${busName}": ` +
        failures
          .map(
            (failure) =>
              `event ${failure.index} (${failure.detailType}): ${failure.errorCode}` +
              (failure.errorMessage ? ` (${failure.errorMessage})` : ''),
          )
          .join(', ') +
        '. The other events were delivered; put the failed ones again (ThrottlingException and ' +
        'InternalFailure are transient; AccessDeniedException means the role may not use this bus).',
    );
  }
}

/** Settings of one {@link EventBridgeBus}. */
export interface EventBridgeBusOptions {
  /** The EventBridge client; its owner configures region and credentials. */
  readonly client: EventBridgeClient;
  /** The custom bus's name (or ARN). */
  readonly busName: string;
}

/** The port's event bus on an Amazon EventBridge custom bus: PutEvents in calls of 10 entries. */
export class EventBridgeBus implements EventBus {
  private readonly client: EventBridgeClient;
  private readonly busName: string;

  constructor(options: EventBridgeBusOptions) {
    this.client = options.client;
    this.busName = options.busName;
  }

  /** Puts the events in order, 10 a call, with the detail as JSON; throws naming every refused entry. */
  async put(events: readonly BusEvent[]): Promise<void> {
    const failures: BusEntryFailure[] = [];
    for (let start = 0; start < events.length; start += ENTRIES_PER_CALL) {
      const chunk = events.slice(start, start + ENTRIES_PER_CALL);
      const entries: PutEventsRequestEntry[] = chunk.map((event) => ({
        Source: event.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
        EventBusName: this.busName,
      }));
      const response = await this.client.send(new PutEventsCommand({ Entries: entries }));
      if ((response.FailedEntryCount ?? 0) === 0) continue;
      const failedBefore = failures.length;
      // Result entries line up with the request entries; a failed one carries an error code instead of an id.
      (response.Entries ?? []).forEach((result, offset) => {
        if (result.ErrorCode === undefined && result.EventId !== undefined) return;
        failures.push({
          index: start + offset,
          detailType: chunk[offset]?.detailType ?? 'unknown',
          errorCode: result.ErrorCode ?? 'unknown',
          errorMessage: result.ErrorMessage ?? '',
        });
      });
      if (failures.length === failedBefore) {
        failures.push({
          index: start,
          detailType: chunk.map((event) => event.detailType).join(', '),
          errorCode: 'unknown',
          errorMessage: `PutEvents reported ${response.FailedEntryCount} failed entries without naming them`,
        });
      }
    }
    if (failures.length > 0) throw new EventBusPutError(this.busName, failures, events.length);
  }
}
