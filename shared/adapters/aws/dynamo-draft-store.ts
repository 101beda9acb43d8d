import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  DraftConflictError,
  DraftNotFoundError,
  type DraftRecord,
  type DraftStatus,
  type DraftStore,
  type DraftTransition,
} from '../../ports/draft-store';
import type { Json } from '../../ports/json';

/** Every status a draft can be in: `list` without a status queries each one. */
const STATUSES: readonly DraftStatus[] = [
  'draft',
  'approved',
  'scheduled',
  'published',
  'failed',
  'rejected',
];

/** How many drafts `list` returns when the caller names no limit. */
const DEFAULT_LIST_LIMIT = 50;

/**
 * The `drafts` table's global secondary indexes (events/topology.ts declares the same names): drafts of one
 * status newest first, and scheduled drafts by due time (sparse: only drafts with `scheduledFor` are in it).
 */
export const DRAFT_INDEXES = {
  byStatus: { name: 'status-createdAt', partitionKey: 'status', sortKey: 'createdAt' },
  byDue: { name: 'status-scheduledFor', partitionKey: 'status', sortKey: 'scheduledFor' },
} as const;

/** A drafts item that lacks a field every draft has. */
export class DraftItemError extends Error {
  override readonly name = 'DraftItemError';
  constructor(table: string, problem: string) {
    super(
      `An item in DynamoDB table "${table}" ${problem}; it was not written by DynamoDraftStore. Fix or delete the item.`,
    );
  }
}

/** Settings of one {@link DynamoDraftStore}. */
export interface DynamoDraftStoreOptions {
  /** The document client (lib-dynamodb); its owner configures the underlying DynamoDB client. */
  readonly documents: DynamoDBDocumentClient;
  /** The `drafts` table: partition key `draftId` (S), with the {@link DRAFT_INDEXES}. */
  readonly table: string;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException';
}

/** The message of a refused transition: which status the draft is in, and which the change needed. */
function conflictMessage(id: string, current: DraftStatus, change: DraftTransition): string {
  return `draft ${id} is ${current}, so it cannot become ${change.to} (only a draft that is ${change.expected.join(' or ')} can)`;
}

/**
 * Drafts in DynamoDB, one item per draft. Create is a conditional put (a repeat returns the stored draft), a
 * transition a conditional update on the status; lists and due drafts are Queries on the status indexes, never a
 * Scan.
 */
export class DynamoDraftStore implements DraftStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoDraftStoreOptions) {
    this.documents = options.documents;
    this.table = options.table;
  }

  async create(draft: Omit<DraftRecord, 'revision' | 'updatedAt'>): Promise<DraftRecord> {
    const record: DraftRecord = { ...draft, updatedAt: draft.createdAt, revision: 1 };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: this.toItem(record),
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': 'draftId' },
        }),
      );
      return record;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const stored = await this.get(draft.id);
      if (!stored) throw error;
      return stored;
    }
  }

  async get(id: string): Promise<DraftRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { draftId: id }, ConsistentRead: true }),
    );
    return Item ? this.toRecord(Item) : undefined;
  }

  /** Newest first: one Query on the status index, or one per status merged when no status is named. */
  async list(filter: { status?: DraftStatus; limit?: number } = {}): Promise<DraftRecord[]> {
    const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
    const statuses = filter.status === undefined ? STATUSES : [filter.status];
    const pages = await Promise.all(
      statuses.map(async (status) => {
        const { Items } = await this.documents.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: DRAFT_INDEXES.byStatus.name,
            KeyConditionExpression: '#status = :status',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status },
            ScanIndexForward: false,
            Limit: limit,
          }),
        );
        return (Items ?? []).map((item) => this.toRecord(item));
      }),
    );
    return pages
      .flat()
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit);
  }

  async due(now: number): Promise<DraftRecord[]> {
    const drafts: DraftRecord[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.table,
        IndexName: DRAFT_INDEXES.byDue.name,
        KeyConditionExpression: '#status = :scheduled AND #scheduledFor <= :now',
        ExpressionAttributeNames: { '#status': 'status', '#scheduledFor': 'scheduledFor' },
        ExpressionAttributeValues: { ':scheduled': 'scheduled', ':now': now },
      },
    );
    for await (const page of pages) drafts.push(...(page.Items ?? []).map((item) => this.toRecord(item)));
    // The index is eventually consistent: a draft read there may have moved on since, so each is read again.
    const current = await Promise.all(drafts.map((draft) => this.get(draft.id)));
    return current.filter(
      (draft): draft is DraftRecord =>
        draft?.status === 'scheduled' && draft.scheduledFor !== null && draft.scheduledFor <= now,
    );
  }

  async transition(id: string, change: DraftTransition): Promise<DraftRecord> {
    const names: Record<string, string> = {
      '#id': 'draftId',
      '#status': 'status',
      '#updatedAt': 'updatedAt',
      '#revision': 'revision',
    };
    const values: Record<string, unknown> = { ':to': change.to, ':at': change.at, ':one': 1 };
    const expected = change.expected.map((status, index) => {
      values[`:expected${index}`] = status;
      return `:expected${index}`;
    });
    const sets = ['#status = :to', '#updatedAt = :at', '#revision = #revision + :one'];
    const removes: string[] = [];
    const optional = (attribute: 'scheduledFor' | 'reason', value: number | string | null | undefined) => {
      if (value === undefined) return;
      names[`#${attribute}`] = attribute;
      if (value === null) removes.push(`#${attribute}`);
      else {
        values[`:${attribute}`] = value;
        sets.push(`#${attribute} = :${attribute}`);
      }
    };
    optional('scheduledFor', change.scheduledFor);
    optional('reason', change.reason);
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { draftId: id },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: `attribute_exists(#id) AND #status IN (${expected.join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return this.toRecord(Attributes ?? {});
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = await this.get(id);
      if (!current) throw new DraftNotFoundError(`no draft has id ${id}`);
      throw new DraftConflictError(conflictMessage(id, current.status, change));
    }
  }

  private toItem(record: DraftRecord): Record<string, unknown> {
    return {
      draftId: record.id,
      status: record.status,
      origin: record.origin,
      sourceRef: record.sourceRef,
      // As a string: DynamoDB would refuse empty strings in sets and turn numbers into its own type.
      content: JSON.stringify(record.content),
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      // Absent rather than null, so the sparse due index holds scheduled drafts only.
      ...(record.scheduledFor === null ? {} : { scheduledFor: record.scheduledFor }),
      ...(record.reason === null ? {} : { reason: record.reason }),
      revision: record.revision,
    };
  }

  private toRecord(item: Record<string, unknown>): DraftRecord {
    const { draftId, status, origin, sourceRef, content, createdAt, updatedAt, revision } = item;
    if (typeof draftId !== 'string') throw new DraftItemError(this.table, 'has no draftId');
    if (
      typeof status !== 'string' ||
      (origin !== 'user' && origin !== 'system') ||
      typeof sourceRef !== 'string' ||
      typeof content !== 'string' ||
      typeof createdAt !== 'number' ||
      typeof updatedAt !== 'number' ||
      typeof revision !== 'number'
    ) {
      throw new DraftItemError(
        this.table,
        `(draft ${draftId}) lacks status, origin, sourceRef, content, times or revision`,
      );
    }
    return {
      id: draftId,
      status: status as DraftStatus,
      origin,
      sourceRef,
      content: JSON.parse(content) as Json,
      createdAt,
      updatedAt,
      scheduledFor: typeof item.scheduledFor === 'number' ? item.scheduledFor : null,
      reason: typeof item.reason === 'string' ? item.reason : null,
      revision,
    };
  }
}
