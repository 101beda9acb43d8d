import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createContentGenerator } from '../../../functions/content-generate/app';
import { createContentReviewer } from '../../../functions/content-review/app';
import { httpEvent, responseJson } from '../../support/sweep-functions';
import { ARTICLE, type ContentHarness, openContentHarness } from './content-harness';

let harness: ContentHarness;

beforeEach(() => {
  harness = openContentHarness();
});

afterEach(() => harness.close());

/** Submits a piece and returns its draft id. */
async function submit(body: string, platforms = ['x', 'linkedin']): Promise<string> {
  const { draft } = await createContentGenerator(harness.deps).submit({
    format: 'markdown',
    body,
    platforms,
  });
  return draft.id;
}

const list = (query?: Record<string, string>) =>
  httpEvent({
    method: 'GET',
    path: '/content/drafts',
    routeKey: 'GET /content/drafts',
    ...(query ? { queryStringParameters: query } : {}),
  });
const show = (id: string) =>
  httpEvent({
    method: 'GET',
    path: `/content/drafts/${id}`,
    routeKey: 'GET /content/drafts/{id}',
    pathParameters: { id },
  });
const act = (id: string, action: 'approve' | 'reject', body?: unknown) =>
  httpEvent({
    method: 'POST',
    path: `/content/drafts/${id}/${action}`,
    routeKey: `POST /content/drafts/{id}/${action}`,
    pathParameters: { id },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('content-review GET /content/drafts', () => {
  it('lists drafts newest first, or those in one status', async () => {
    // Prepare
    const older = await submit(ARTICLE);
    harness.clock.advance(60_000);
    const newer = await submit('# Spreads\n\nSpreads widen when liquidity leaves the book.');
    const reviewer = createContentReviewer(harness.deps);
    await reviewer.reject(older, 'off-topic');

    // Act
    const all = await reviewer.http(list());
    const drafts = await reviewer.http(list({ status: 'draft' }));
    const wrong = await reviewer.http(list({ status: 'pending' }));

    // Assess
    expect((responseJson(all).drafts as { id: string }[]).map((draft) => draft.id)).toEqual([newer, older]);
    expect(responseJson(drafts).drafts).toEqual([
      expect.objectContaining({
        id: newer,
        status: 'draft',
        title: 'Spreads',
        platforms: ['x', 'linkedin'],
        generator: 'offline',
      }),
    ]);
    expect(wrong.statusCode).toBe(400);
    expect(responseJson(wrong).error).toMatch(/status must be one of draft, approved/);
  });

  it('shows one draft with its versions, and 404 for an unknown id', async () => {
    // Prepare
    const id = await submit(ARTICLE);
    const reviewer = createContentReviewer(harness.deps);

    // Act
    const found = await reviewer.http(show(id));
    const missing = await reviewer.http(show('draft-nope'));

    // Assess
    expect(found.statusCode).toBe(200);
    const body = responseJson(found) as {
      content: { versions: { platform: string; text: string }[] };
      createdAt: string;
    };
    expect(body.content.versions.map((version) => version.platform)).toEqual(['x', 'linkedin']);
    expect(body.createdAt).toBe('2026-03-02T09:00:00.000Z');
    expect(missing.statusCode).toBe(404);
  });
});

describe('content-review approve and reject', () => {
  it('approves a draft once: DraftApproved goes out, a second approval gets 409 with the current status', async () => {
    // Prepare
    const id = await submit(ARTICLE);
    const reviewer = createContentReviewer(harness.deps);

    // Act
    const first = await reviewer.http(act(id, 'approve'));
    const second = await reviewer.http(act(id, 'approve'));

    // Assess
    expect(first.statusCode).toBe(200);
    expect(responseJson(first)).toMatchObject({ id, status: 'approved', scheduledFor: null });
    expect(second.statusCode).toBe(409);
    expect(responseJson(second)).toEqual({ error: expect.stringMatching(/is approved/), status: 'approved' });
    expect(harness.bus.ofType('DraftApproved')).toEqual([
      { source: 'flywheel', detailType: 'DraftApproved', detail: { draftId: id } },
    ]);
  });

  it('schedules a draft approved for a later time, and approves at once one for a time already past', async () => {
    // Prepare
    const later = await submit(ARTICLE);
    const past = await submit('# Fees\n\nMaker fees are lower than taker fees on most venues.');
    const reviewer = createContentReviewer(harness.deps);

    // Act
    const scheduled = await reviewer.http(act(later, 'approve', { scheduleAt: '2026-03-02T17:30:00+01:00' }));
    const now = await reviewer.http(act(past, 'approve', { scheduleAt: '2026-03-01T09:00:00Z' }));

    // Assess
    expect(responseJson(scheduled)).toMatchObject({
      status: 'scheduled',
      scheduledFor: '2026-03-02T16:30:00.000Z',
    });
    expect(responseJson(now)).toMatchObject({ status: 'approved', scheduledFor: null });
    expect(harness.bus.ofType('DraftApproved').map((event) => event.detail)).toEqual([
      { draftId: later, scheduledFor: Date.parse('2026-03-02T16:30:00Z') },
      { draftId: past },
    ]);
  });

  it('refuses a schedule time that is not ISO 8601 with an offset', async () => {
    // Prepare
    const id = await submit(ARTICLE);
    const reviewer = createContentReviewer(harness.deps);

    // Act
    const response = await reviewer.http(act(id, 'approve', { scheduleAt: 'tomorrow at nine' }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(responseJson(response).error).toMatch(/- scheduleAt: /);
    expect((await harness.drafts.get(id))?.status).toBe('draft');
  });

  it('rejects a draft with a reason, requires the reason, and refuses to reject an approved draft', async () => {
    // Prepare
    const rejected = await submit(ARTICLE);
    const approved = await submit('# Fees\n\nMaker fees are lower than taker fees on most venues.');
    const reviewer = createContentReviewer(harness.deps);
    await reviewer.approve(approved);

    // Act
    const withoutReason = await reviewer.http(act(rejected, 'reject', {}));
    const withReason = await reviewer.http(act(rejected, 'reject', { reason: 'too technical for LinkedIn' }));
    const late = await reviewer.http(act(approved, 'reject', { reason: 'changed my mind' }));
    const unknown = await reviewer.http(act('draft-nope', 'reject', { reason: 'x' }));

    // Assess
    expect(withoutReason.statusCode).toBe(400);
    expect(responseJson(withReason)).toMatchObject({
      status: 'rejected',
      reason: 'too technical for LinkedIn',
    });
    expect(late.statusCode).toBe(409);
    expect(responseJson(late).status).toBe('approved');
    expect(unknown.statusCode).toBe(404);
    expect(harness.metrics.get('DraftsRejected')).toBe(1);
  });
});
