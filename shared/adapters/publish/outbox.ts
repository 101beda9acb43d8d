import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Publication, PublishError, type Publisher, type PublishReceipt } from '../../ports/publisher';

/** Settings of an {@link OutboxPublisher}. */
export interface OutboxOptions {
  /** The folder publications are written under, one subfolder per UTC day. */
  readonly dir: string;
  /** Epoch milliseconds; default Date.now. */
  readonly now?: () => number;
}

/** What one outbox file holds. */
export interface OutboxEntry {
  readonly draftId: string;
  readonly platform: string;
  readonly idempotencyKey: string;
  readonly text?: string;
  readonly posts?: readonly string[];
  /** ISO 8601. */
  readonly publishedAt: string;
}

/** A name safe in any file system (and S3 key): letters, digits, dot, dash and underscore; anything else becomes `_`. */
export function safeOutboxName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
}

/** The outbox document of a publication published at `now` (epoch milliseconds). */
export function outboxEntry(publication: Publication, now: number): OutboxEntry {
  return {
    draftId: publication.draftId,
    platform: publication.platform,
    idempotencyKey: publication.idempotencyKey,
    ...(publication.text !== undefined ? { text: publication.text } : {}),
    ...(publication.posts !== undefined ? { posts: publication.posts } : {}),
    publishedAt: new Date(now).toISOString(),
  };
}

/** An outbox document as the outbox stores it: indented JSON with a final newline. */
export function outboxDocument(entry: OutboxEntry): string {
  return `${JSON.stringify(entry, null, 2)}\n`;
}

/**
 * The default channel, needing no credentials: each publication becomes `<dir>/<YYYY-MM-DD>/<draftId>.<platform>.json`
 * for a person (or another tool) to post by hand. Files appear whole (written to a temporary name, then linked in
 * place, which fails if the name exists), and a publication already in the outbox, on any day, is never written
 * again: `deduplicates` is true.
 */
export class OutboxPublisher implements Publisher {
  readonly channel = 'outbox';
  readonly deduplicates = true;

  constructor(private readonly options: OutboxOptions) {}

  async publish(publication: Publication): Promise<PublishReceipt> {
    const fileName = `${safeOutboxName(publication.draftId)}.${safeOutboxName(publication.platform)}.json`;
    try {
      const earlier = await this.find(fileName);
      if (earlier) return earlier;
      const now = (this.options.now ?? Date.now)();
      const day = new Date(now).toISOString().slice(0, 10);
      const folder = join(this.options.dir, day);
      await fs.mkdir(folder, { recursive: true });
      const target = join(folder, fileName);
      const temporary = join(folder, `.${fileName}.${randomUUID()}.tmp`);
      await fs.writeFile(temporary, outboxDocument(outboxEntry(publication, now)), { flag: 'wx' });
      try {
        await fs.link(temporary, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return (await this.receiptOf(target))!;
        // File systems without hard links: rename is still atomic, only not exclusive.
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
        await fs.rename(temporary, target);
      } finally {
        await fs.unlink(temporary).catch(() => undefined);
      }
      return this.receipt(target, now);
    } catch (error) {
      if (error instanceof PublishError) throw error;
      const cause = error as NodeJS.ErrnoException;
      throw new PublishError(
        `outbox: could not write ${fileName} under ${this.options.dir} (${cause.code ?? cause.message}); check that the folder is writable`,
        cause.code === 'EBUSY' || cause.code === 'EAGAIN' || cause.code === 'EMFILE',
      );
    }
  }

  /** The receipt of the same file written on any earlier day. */
  private async find(fileName: string): Promise<PublishReceipt | undefined> {
    let days: string[];
    try {
      days = await fs.readdir(this.options.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    for (const day of days.sort()) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
      const receipt = await this.receiptOf(join(this.options.dir, day, fileName));
      if (receipt) return receipt;
    }
    return undefined;
  }

  private async receiptOf(path: string): Promise<PublishReceipt | undefined> {
    let text: string;
    try {
      text = await fs.readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const publishedAt = Date.parse((JSON.parse(text) as Partial<OutboxEntry>).publishedAt ?? '');
    const stat = Number.isFinite(publishedAt) ? undefined : await fs.stat(path);
    return this.receipt(path, Number.isFinite(publishedAt) ? publishedAt : stat!.mtimeMs);
  }

  private receipt(path: string, publishedAt: number): PublishReceipt {
    return {
      channel: this.channel,
      externalId: relative(this.options.dir, path).split('\\').join('/'),
      url: pathToFileURL(path).href,
      publishedAt,
    };
  }
}
