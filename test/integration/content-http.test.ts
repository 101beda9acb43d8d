import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Runtime, startRuntime } from '../../local/runtime/runtime';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');
const ARTICLE = readFileSync(join(ROOT, 'data/articles/strata-overview.md'), 'utf8');

describe('content through the local HTTP API', () => {
  let runtime: Runtime;
  let token: string;
  const call = (path: string, init: { method?: string; body?: unknown } = {}, auth = true) =>
    fetch(`${runtime.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const outboxFiles = () =>
    existsSync(runtime.outboxDir)
      ? readdirSync(runtime.outboxDir)
          .flatMap((day) => readdirSync(join(runtime.outboxDir, day)))
          .sort()
      : [];

  beforeAll(async () => {
    runtime = await startRuntime({
      home: tempHome('content-http'),
      cwd: ROOT,
      workers: 1,
      httpPort: 0,
      log: () => {},
      env: {},
    });
    token = readFileSync(runtime.tokenFile, 'utf8').trim();
  });

  afterAll(async () => {
    await runtime.stop();
  });

  it('refuses the content routes without the local token', async () => {
    // Act
    const response = await call('/content/drafts', {}, false);

    // Assess
    expect(response.status).toBe(401);
  });

  it('takes a piece, lists its draft, and publishes it to the outbox once approved', async () => {
    // Act: submit, list, approve, then wait for content-publish (a bus rule) to finish.
    const submitted = await call('/content', {
      method: 'POST',
      body: {
        format: 'markdown',
        body: ARTICLE,
        platforms: ['x', 'linkedin', 'newsletter'],
        origin: 'strata-overview.md',
      },
    });
    const { draft } = (await submitted.json()) as { draft: { id: string } };
    const listed = (await (await call('/content/drafts?status=draft')).json()) as {
      drafts: { id: string }[];
    };
    const approved = await call(`/content/drafts/${draft.id}/approve`, { method: 'POST' });
    await runtime.idle();
    const detail = (await (await call(`/content/drafts/${draft.id}`)).json()) as { status: string };

    // Assess
    expect(submitted.status).toBe(201);
    expect(listed.drafts.map((entry) => entry.id)).toEqual([draft.id]);
    expect(approved.status).toBe(200);
    expect(detail.status).toBe('published');
    expect(outboxFiles()).toEqual([
      `${draft.id}.linkedin.json`,
      `${draft.id}.newsletter.json`,
      `${draft.id}.x.json`,
    ]);
  });

  it('rejects a draft, which is then never published and cannot be approved', async () => {
    // Prepare
    const submitted = await call('/content', {
      method: 'POST',
      body: {
        format: 'text',
        body: 'Funding rates flipped negative on three venues overnight.\n\nShorts are paying longs.',
        platforms: ['x'],
      },
    });
    const { draft } = (await submitted.json()) as { draft: { id: string } };

    // Act
    const rejected = await call(`/content/drafts/${draft.id}/reject`, {
      method: 'POST',
      body: { reason: 'stale news' },
    });
    const approval = await call(`/content/drafts/${draft.id}/approve`, { method: 'POST' });
    await runtime.idle();

    // Assess
    expect(rejected.status).toBe(200);
    expect(approval.status).toBe(409);
    expect(await approval.json()).toMatchObject({ status: 'rejected' });
    expect(outboxFiles().filter((name) => name.startsWith(draft.id))).toEqual([]);
    const rejectedList = (await (await call('/content/drafts?status=rejected')).json()) as {
      drafts: { id: string; reason: string }[];
    };
    expect(rejectedList.drafts).toEqual([expect.objectContaining({ id: draft.id, reason: 'stale news' })]);
  });
});
