/**
 * Event ids a webhook has accepted, kept until they expire, so a replayed request is recognised: SQLite locally,
 * DynamoDB (a conditional put, with TTL) on AWS.
 */
export interface WebhookReplayStore {
  /**
   * Remembers `key` until `expiresAt` (epoch ms) and returns true, unless it is remembered already and not
   * expired at `now`, in which case it changes nothing and returns false. Of two racing calls, one returns true.
   */
  remember(key: string, expiresAt: number, now: number): Promise<boolean>;
  /** Forgets `key`, so that a request whose processing failed after `remember` can be retried. */
  forget(key: string): Promise<void>;
}
