/** An event as EventBridge carries it: a source, a detail type naming its schema, and the detail. */
export interface BusEvent<Detail = unknown> {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Detail;
}

/** Puts events on the bus; rules route them to their targets. */
export interface EventBus {
  put(events: readonly BusEvent[]): Promise<void>;
}
