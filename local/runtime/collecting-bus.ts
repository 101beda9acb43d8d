import type { BusEvent, EventBus } from '@shared/ports/event-bus';

/** A bus for a worker thread: it keeps the events a handler puts, for the main thread to publish. */
export class CollectingEventBus implements EventBus {
  private events: BusEvent[] = [];

  async put(events: readonly BusEvent[]): Promise<void> {
    this.events.push(...events);
  }

  /** The events put since the last call. */
  take(): BusEvent[] {
    const taken = this.events;
    this.events = [];
    return taken;
  }
}
