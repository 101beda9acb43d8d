import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type Publication, PublishError, type Publisher, type PublishReceipt } from '../../ports/publisher';
import { type OutboxEntry, outboxDocument, outboxEntry, safeOutboxName } from '../publish/outbox';

/** Settings of an {@link S3OutboxPublisher}. */
export interface S3OutboxOptions {
  /** The S3 client; its owner configures region, endpoint and credentials. */
  readonly s3: S3Client;
  /** The artifacts bucket. */
  readonly bucket: string;
  /** Epoch milliseconds; default Date.now. */
  readonly now?: () => number;
}

/** The S3 key of a publication: `outbox/<draftId>/<platform>.json`, no date, so one key per draft and platform ever. */
export function s3OutboxKey(draftId: string, platform: string): string {
  return `outbox/${safeOutboxName(draftId)}/${safeOutboxName(platform)}.json`;
}

/** S3 error names that mean "slow down or try again": S3 throttling and timeouts answer with these. */
const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);

/** Node's network error codes: the request may not have reached S3, so trying again may succeed. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/**
 * The outbox on AWS, where a Lambda's disk does not last: each publication becomes one JSON object in the artifacts
 * bucket, the same document the file outbox writes. PutObject with `IfNoneMatch: '*'` writes it only if the key is
 * new; a 412 means it was written before (on any day), so the first write's receipt is read back and returned:
 * `deduplicates` is true without listing the bucket.
 */
export class S3OutboxPublisher implements Publisher {
  readonly channel = 'outbox';
  readonly deduplicates = true;

  constructor(private readonly options: S3OutboxOptions) {}

  async publish(publication: Publication): Promise<PublishReceipt> {
    const key = s3OutboxKey(publication.draftId, publication.platform);
    const now = (this.options.now ?? Date.now)();
    try {
      await this.options.s3.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Body: outboxDocument(outboxEntry(publication, now)),
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      );
      return this.receipt(key, now);
    } catch (error) {
      const status = statusOf(error);
      // 412: the key exists; 409: a concurrent conditional write to it, which may have finished by now.
      if (status === 412 || status === 409) return this.earlier(key, status);
      throw this.failure('write', key, error);
    }
  }

  /** The receipt of the object a first publish wrote. */
  private async earlier(key: string, status: number): Promise<PublishReceipt> {
    let text: string;
    let lastModified: Date | undefined;
    try {
      const response = await this.options.s3.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: key }),
      );
      text = (await response.Body?.transformToString('utf-8')) ?? '';
      lastModified = response.LastModified;
    } catch (error) {
      if (isNotFound(error)) {
        throw new PublishError(
          `outbox: ${this.where(key)} is being written by another attempt (S3 answered ${status}); try again`,
          true,
          status,
        );
      }
      throw this.failure('read back', key, error);
    }
    let publishedAt = Number.NaN;
    try {
      publishedAt = Date.parse((JSON.parse(text) as Partial<OutboxEntry>).publishedAt ?? '');
    } catch {
      // Not the outbox's JSON (edited by hand?): the object's own date stands in for the publish time.
    }
    if (!Number.isFinite(publishedAt))
      publishedAt = lastModified?.getTime() ?? (this.options.now ?? Date.now)();
    return this.receipt(key, publishedAt);
  }

  private receipt(key: string, publishedAt: number): PublishReceipt {
    return { channel: this.channel, externalId: key, url: this.where(key), publishedAt };
  }

  private where(key: string): string {
    return `s3://${this.options.bucket}/${key}`;
  }

  /** A PublishError naming the error's code and status only: S3 messages can echo request details. */
  private failure(action: string, key: string, error: unknown): PublishError {
    if (error instanceof PublishError) return error;
    const status = statusOf(error);
    const name = nameOf(error);
    const code = (error as { code?: unknown } | undefined)?.code;
    const what = [name, typeof code === 'string' ? code : undefined, status ? `HTTP ${status}` : undefined]
      .filter((part) => part !== undefined && part !== 'Error')
      .join(', ');
    const prefix = `outbox: could not ${action} ${this.where(key)} (${what || 'unknown error'})`;
    if (status === 403 || name === 'AccessDenied' || name === 'Forbidden') {
      return new PublishError(
        `${prefix}; S3 denied access: grant the function buckets: { artifacts: 'readWrite' } in events/topology.ts and deploy again`,
        false,
        status,
      );
    }
    if (name === 'NoSuchBucket') {
      return new PublishError(
        `${prefix}; the bucket does not exist: check the bucket name the function was deployed with`,
        false,
        status,
      );
    }
    const retryable =
      (status !== undefined && (status >= 500 || status === 429)) ||
      RETRYABLE_NAMES.has(name ?? '') ||
      (typeof code === 'string' && NETWORK_CODES.has(code)) ||
      (error as { $retryable?: unknown } | undefined)?.$retryable !== undefined;
    return new PublishError(retryable ? `${prefix}; try again later` : prefix, retryable, status);
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function nameOf(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

function isNotFound(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(error) === 404 && name !== 'NoSuchBucket');
}
