import type { PublicationLog, PublicationState } from '@shared/ports/draft-store';
import type { Json } from '@shared/ports/json';

/** The publication log in memory, with the port's semantics, for unit tests of publishing. */
export class MemoryPublicationLog implements PublicationLog {
  readonly states = new Map<string, PublicationState>();

  async claim(
    key: string,
    at: number,
  ): Promise<{ claimed: true } | { claimed: false; current: PublicationState }> {
    const current = this.states.get(key);
    if (current && current.state !== 'failed') return { claimed: false, current };
    const attempts = current?.state === 'failed' ? current.attempts + 1 : 1;
    this.states.set(key, { state: 'publishing', since: at, attempts });
    return { claimed: true };
  }

  async published(key: string, receipt: Json): Promise<void> {
    this.states.set(key, { state: 'published', receipt });
  }

  async failed(key: string, reason: string): Promise<void> {
    const current = this.states.get(key);
    const attempts = current && current.state !== 'published' ? current.attempts : 1;
    this.states.set(key, { state: 'failed', reason, attempts });
  }

  async get(key: string): Promise<PublicationState | undefined> {
    return this.states.get(key);
  }
}
