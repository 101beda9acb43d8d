import { PublishError } from '../../ports/publisher';

/**
 * Posts a thread's posts in order and remembers, per idempotency key, the ones that went out, so a retry by the
 * same publisher continues with the first post that did not instead of posting the others again.
 */
export class ThreadProgress<T> {
  private readonly sent = new Map<string, T[]>();

  async postAll(
    key: string,
    posts: readonly string[],
    send: (post: string, index: number, earlier: readonly T[]) => Promise<T>,
  ): Promise<T[]> {
    const done = this.sent.get(key) ?? [];
    for (let index = done.length; index < posts.length; index++) {
      try {
        done.push(await send(posts[index]!, index, done));
      } catch (error) {
        if (done.length > 0) this.sent.set(key, done);
        if (index === 0 || !(error instanceof PublishError)) throw error;
        throw new PublishError(
          `${error.message} (after ${index} of ${posts.length} posts went out; a retry continues with post ${index + 1})`,
          error.retryable,
          error.status,
          error.retryAfterMs,
        );
      }
    }
    this.sent.delete(key);
    return done;
  }
}
