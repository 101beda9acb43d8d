import type { Json } from './json';

/** Where a draft is in its life: draft → approved → scheduled → published or failed; or rejected. */
export type DraftStatus = 'draft' | 'approved' | 'scheduled' | 'published' | 'failed' | 'rejected';

/** A stored draft: the versions generated from one source, and what happened to them. */
export interface DraftRecord {
  /** Deterministic for insights (from the event), so a redelivered event stores one draft. */
  readonly id: string;
  readonly status: DraftStatus;
  /** `user`: submitted by someone; `system`: generated from an insight event (needs approval by default). */
  readonly origin: 'user' | 'system';
  /** Where the source came from, for people: `POST /content`, `SweepCompleted sweep-1`, `article.md`. */
  readonly sourceRef: string;
  /** The repurposing result (source summary, versions, generator) as JSON. */
  readonly content: Json;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When a scheduled draft is due (epoch ms). */
  readonly scheduledFor: number | null;
  /** Why it was rejected or failed. */
  readonly reason: string | null;
  /** Bumped by every change; a transition names the revision it read. */
  readonly revision: number;
}

/** A change of status; `expected` is the status the caller read, so two racing approvals cannot both win. */
export interface DraftTransition {
  readonly to: DraftStatus;
  readonly expected: readonly DraftStatus[];
  readonly at: number;
  readonly scheduledFor?: number | null;
  readonly reason?: string | null;
}

/** The draft is not in a status the transition accepts; the message says which status it is in. */
export class DraftConflictError extends Error {
  override readonly name = 'DraftConflictError';
}

/** No draft has this id. */
export class DraftNotFoundError extends Error {
  override readonly name = 'DraftNotFoundError';
}

/** Drafts: SQLite locally, DynamoDB on AWS. */
export interface DraftStore {
  /** Stores a new draft; a draft with the same id already stored is returned unchanged (idempotent create). */
  create(draft: Omit<DraftRecord, 'revision' | 'updatedAt'>): Promise<DraftRecord>;
  get(id: string): Promise<DraftRecord | undefined>;
  /** Newest first, optionally in one status. */
  list(filter?: { status?: DraftStatus; limit?: number }): Promise<DraftRecord[]>;
  /** Scheduled drafts due at `now`. */
  due(now: number): Promise<DraftRecord[]>;
  /** Changes status atomically when the draft is in one of `expected`; DraftConflictError otherwise. */
  transition(id: string, change: DraftTransition): Promise<DraftRecord>;
}

/** What the publication log knows of one key (one draft on one platform). */
export type PublicationState =
  | { readonly state: 'publishing'; readonly since: number; readonly attempts: number }
  | { readonly state: 'published'; readonly receipt: Json }
  | { readonly state: 'failed'; readonly reason: string; readonly attempts: number };

/** One record per draft and platform, so a retried publish never posts twice. */
export interface PublicationLog {
  /**
   * Takes the key for an attempt: `claimed` when nobody holds it (new, or failed before), otherwise what the log
   * knows (an earlier `published` receipt, or an attempt `publishing` whose outcome is unknown).
   */
  claim(key: string, at: number): Promise<{ claimed: true } | { claimed: false; current: PublicationState }>;
  /** Records the receipt of a claimed key. */
  published(key: string, receipt: Json): Promise<void>;
  /** Records the failure of a claimed key; a later claim may try again. */
  failed(key: string, reason: string): Promise<void>;
  get(key: string): Promise<PublicationState | undefined>;
}
