import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type Publication, PublishError, type Publisher } from '@shared/ports/publisher';
import { createContentGenerator } from '../../../functions/content-generate/app';
import { createContentPublisher } from '../../../functions/content-publish/app';
import { createContentReviewer } from '../../../functions/content-review/app';
import { ARTICLE, busEvent, type ContentHarness, openContentHarness } from './content-harness';

let harness: ContentHarness;

afterEach(() => harness.close());

/** A Mastodon stand-in that refuses the token until `fixed`, counting what it was sent. */
class RefusingMastodon implements Publisher {
  readonly channel = 'mastodon';
  readonly deduplicates = true;
  readonly posted: Publication[] = [];
  fixed = false;

  async publish(publication: Publication) {
    if (!this.fixed) throw new PublishError('mastodon answered 401: The access token is invalid', false, 401);
    this.posted.push(publication);
    return {
      channel: 'mastodon',
      externalId: '113',
      url: 'https://fosstodon.org/@flywheel/113',
      publishedAt: Date.now(),
    };
  }
}

/** The outbox files written so far, as `<draftId>.<platform>.json` names. */
function outboxFiles(): string[] {
  let days: string[];
  try {
    days = readdirSync(harness.outboxDir);
  } catch {
    return [];
  }
  return days
    .flatMap((day) => readdirSync(join(harness.outboxDir, day)).filter((name) => !name.startsWith('.')))
    .sort();
}

/** Submits a piece for x and linkedin (and mastodon when asked) and approves it; returns the draft id. */
async function approvedDraft(platforms = ['x', 'linkedin'], scheduleAt?: number): Promise<string> {
  const { draft } = await createContentGenerator(harness.deps).submit({
    format: 'markdown',
    body: ARTICLE,
    platforms,
  });
  await createContentReviewer(harness.deps).approve(draft.id, scheduleAt);
  return draft.id;
}

describe('content-publish on DraftApproved', () => {
  it('publishes every version to its channel, marks the draft published and announces it', async () => {
    // Prepare
    harness = openContentHarness();
    const id = await approvedDraft();
    const publisher = createContentPublisher(harness.deps);

    // Act
    const run = await publisher.handle(busEvent('DraftApproved', { draftId: id }));

    // Assess
    expect(run.status).toBe('published');
    expect(outboxFiles()).toEqual([`${id}.linkedin.json`, `${id}.x.json`]);
    const day = readdirSync(harness.outboxDir)[0]!;
    const x = JSON.parse(readFileSync(join(harness.outboxDir, day, `${id}.x.json`), 'utf8')) as {
      text: string;
    };
    const stored = (await harness.drafts.get(id))!;
    expect(x.text).toBe((stored.content as { versions: { text: string }[] }).versions[0]!.text);
    expect(stored.status).toBe('published');
    expect(harness.bus.ofType('DraftPublished')).toEqual([
      {
        source: 'flywheel',
        detailType: 'DraftPublished',
        detail: {
          draftId: id,
          outcomes: [
            {
              platform: 'x',
              outcome: 'published',
              channel: 'outbox',
              url: expect.stringMatching(/^file:/),
              reason: null,
            },
            {
              platform: 'linkedin',
              outcome: 'published',
              channel: 'outbox',
              url: expect.stringMatching(/^file:/),
              reason: null,
            },
          ],
        },
      },
    ]);
    expect(harness.metrics.get('VersionsPublished')).toBe(2);
  });

  it('does nothing for a redelivered DraftApproved: no second post, no second announcement', async () => {
    // Prepare
    harness = openContentHarness();
    const id = await approvedDraft();
    const publisher = createContentPublisher(harness.deps);
    await publisher.handle(busEvent('DraftApproved', { draftId: id }));

    // Act
    const again = await publisher.handle(busEvent('DraftApproved', { draftId: id }));

    // Assess
    expect(again).toMatchObject({ status: 'skipped', reason: 'the draft is published, not approved' });
    expect(outboxFiles()).toHaveLength(2);
    expect(harness.bus.ofType('DraftPublished')).toHaveLength(1);
  });

  it('marks the draft failed with the channel’s reason, and a new approval retries only what failed', async () => {
    // Prepare
    const mastodon = new RefusingMastodon();
    harness = openContentHarness({ publishers: (outbox) => ({ outbox, mastodon }) });
    const id = await approvedDraft(['x', 'mastodon']);
    const publisher = createContentPublisher(harness.deps);

    // Act
    const failed = await publisher.handle(busEvent('DraftApproved', { draftId: id }));
    mastodon.fixed = true;
    await createContentReviewer(harness.deps).approve(id);
    const retried = await publisher.handle(busEvent('DraftApproved', { draftId: id }, 'second-approval'));

    // Assess
    expect(failed.status).toBe('failed');
    expect(harness.bus.ofType('DraftPublishFailed')).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({
          draftId: id,
          reason: expect.stringMatching(/^mastodon: .*401/),
          outcomes: [
            expect.objectContaining({ platform: 'x', outcome: 'published' }),
            expect.objectContaining({ platform: 'mastodon', outcome: 'failed', channel: 'mastodon' }),
          ],
        }),
      }),
    ]);
    expect(retried.status).toBe('published');
    expect(mastodon.posted.map((publication) => publication.platform)).toEqual(['mastodon']);
    expect(outboxFiles()).toEqual([`${id}.x.json`]);
    expect(await harness.drafts.get(id)).toMatchObject({ status: 'published' });
  });
});

describe('content-publish on its schedule', () => {
  it('publishes a scheduled draft once due, not before, and not on its DraftApproved', async () => {
    // Prepare
    harness = openContentHarness();
    const due = harness.clock.now() + 30 * 60_000;
    const id = await approvedDraft(['x'], due);
    const publisher = createContentPublisher(harness.deps);

    // Act
    const onApproval = await publisher.handle(busEvent('DraftApproved', { draftId: id, scheduledFor: due }));
    const early = await publisher.publishDue();
    harness.clock.advance(30 * 60_000);
    const onTime = await publisher.publishDue();
    const after = await publisher.publishDue();

    // Assess
    expect(onApproval.status).toBe('skipped');
    expect(early).toEqual([]);
    expect(onTime).toEqual([expect.objectContaining({ draftId: id, status: 'published' })]);
    expect(after).toEqual([]);
    expect(outboxFiles()).toEqual([`${id}.x.json`]);
  });

  it('does not publish a scheduled draft rejected before it was due', async () => {
    // Prepare
    harness = openContentHarness();
    const id = await approvedDraft(['x'], harness.clock.now() + 60_000);
    await createContentReviewer(harness.deps).reject(id, 'the market moved');
    harness.clock.advance(120_000);

    // Act
    const runs = await createContentPublisher(harness.deps).publishDue();

    // Assess
    expect(runs).toEqual([]);
    expect(outboxFiles()).toEqual([]);
    expect(await harness.drafts.get(id)).toMatchObject({ status: 'rejected', reason: 'the market moved' });
  });
});
