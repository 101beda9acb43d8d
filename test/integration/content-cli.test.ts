import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PLATFORM_IDS } from '@shared/content/model';
import { type ChatRequestBody, FakeOpenAi } from '../support/fake-openai';
import { runFlywheel } from '../support/run-cli';
import { tempHome } from '../support/temp-home';

const ARTICLE = join(__dirname, '..', '..', 'data', 'articles', 'questdb-why-timeseries.md');

interface VersionJson {
  platform: string;
  text?: string;
  posts?: string[];
  count: number;
  limit: number;
  unit: string;
  checks: { name: string; ok: boolean }[];
  warnings: string[];
}

interface RepurposeJson {
  source: { kind: string; title: string; tone: string; words: number };
  versions: VersionJson[];
  generator: { name: string; model?: string };
}

describe('flywheel content repurpose', () => {
  it('prints every platform’s version of a real article with its count, limit and unit', async () => {
    const run = await runFlywheel(['content', 'repurpose', ARTICLE]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^What is time-series data, and why are we building a time-series database \(TSDB\)\? — \d+ words, markdown, tone educational; written by the offline generator/i,
    );
    for (const platform of PLATFORM_IDS) {
      expect(run.stdout).toMatch(
        new RegExp(
          `── ${platform} · \\d+/\\d+ (weighted characters|graphemes|UTF-16 code units|characters) ──`,
        ),
      );
    }
    expect(run.stdout).not.toContain('FAILED');
  });

  it('--json prints { source, versions } with text, or posts for x-thread, each within its limit', async () => {
    const run = await runFlywheel(['content', 'repurpose', ARTICLE, '--json']);

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as RepurposeJson;
    expect(result.source).toMatchObject({ kind: 'markdown', tone: 'educational' });
    expect(result.versions.map((version) => version.platform)).toEqual([...PLATFORM_IDS]);
    for (const version of result.versions) {
      expect(Object.keys(version).sort()).toEqual(
        [
          'checks',
          'count',
          'limit',
          'platform',
          version.platform === 'x-thread' ? 'posts' : 'text',
          'unit',
          'warnings',
        ].sort(),
      );
      expect(version.count).toBeLessThanOrEqual(version.limit);
      expect(version.checks.every((check) => check.ok)).toBe(true);
    }
    const units = Object.fromEntries(result.versions.map((version) => [version.platform, version.unit]));
    expect(units).toMatchObject({
      x: 'weighted-characters',
      bluesky: 'graphemes',
      mastodon: 'graphemes',
      telegram: 'utf16-code-units',
      linkedin: 'code-points',
    });
    expect(
      result.versions.find((version) => version.platform === 'bluesky')!.checks.map((check) => check.name),
    ).toContain('bytes');
    expect(
      result.versions.find((version) => version.platform === 'instagram')!.checks.map((check) => check.name),
    ).toContain('hashtags');
  });

  it('--platforms and --tone choose the versions and the tone', async () => {
    const run = await runFlywheel([
      'content',
      'repurpose',
      ARTICLE,
      '--platforms',
      'x-thread',
      'linkedin',
      '--tone',
      'bold',
      '--json',
    ]);

    const result = JSON.parse(run.stdout) as RepurposeJson;
    expect(result.versions.map((version) => version.platform)).toEqual(['x-thread', 'linkedin']);
    expect(result.source.tone).toBe('bold');
    expect(result.versions[0]!.posts!.length).toBeGreaterThan(1);
  });

  it('applies per-account limits and the brand voice from flywheel.config.yaml', async () => {
    const folder = tempHome('content-config');
    writeFileSync(
      join(folder, 'flywheel.config.yaml'),
      'content:\n  limits:\n    x: { limit: 25000 }\n  voice:\n    signature: "— The Flywheel desk"\n    emoji: none\n',
    );

    const run = await runFlywheel(['content', 'repurpose', ARTICLE, '--platforms', 'x,linkedin', '--json'], {
      cwd: folder,
    });

    expect(run.code).toBe(0);
    const [x, linkedin] = (JSON.parse(run.stdout) as RepurposeJson).versions;
    expect(x!.limit).toBe(25000);
    expect(linkedin!.text).toMatch(/— The Flywheel desk$/);
    expect(linkedin!.text).not.toMatch(/\p{Extended_Pictographic}/u);
  });

  it('rejects bad input with exit code 2 and a message that says what to fix', async () => {
    const folder = tempHome('content-bad');
    writeFileSync(join(folder, 'bad-tone.md'), '---\ntitle: T\ntone: shouty\n---\n\nA sentence.\n');
    writeFileSync(join(folder, 'flywheel.config.yaml'), 'content:\n  limits:\n    x: { limit: -1 }\n');

    const platform = await runFlywheel(['content', 'repurpose', ARTICLE, '--platforms', 'tiktok']);
    const missing = await runFlywheel(['content', 'repurpose', join(folder, 'nope.md')]);
    const tone = await runFlywheel(['content', 'repurpose', join(folder, 'bad-tone.md'), '--offline'], {
      cwd: tempHome('x'),
    });
    const config = await runFlywheel(['content', 'repurpose', ARTICLE], { cwd: folder });

    expect(platform.code).toBe(2);
    expect(platform.stderr).toContain('unknown platform "tiktok"; choose from x, x-thread, linkedin');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('content file not found');
    expect(tone.code).toBe(2);
    expect(tone.stderr).toMatch(/bad-tone\.md:3: .*shouty/);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('content.limits.x.limit');
  });
});

describe('flywheel content repurpose with OPENAI_API_KEY', () => {
  const server = new FakeOpenAi();
  beforeAll(() => server.start());
  afterAll(() => server.close());

  it('asks the configured OpenAI-compatible server, and --offline does not', async () => {
    server.respond({
      kind: 'json',
      value: (body: ChatRequestBody) =>
        body.response_format.json_schema.name === 'x_version'
          ? { text: 'QuestDB stores time-series data.' }
          : {},
      usage: { prompt_tokens: 900, completion_tokens: 20 },
      model: 'gpt-4.1-mini-2025-04-14',
    });
    const env = { OPENAI_API_KEY: server.apiKey, OPENAI_BASE_URL: server.url };

    const online = await runFlywheel(['content', 'repurpose', ARTICLE, '--platforms', 'x', '--json'], {
      env,
    });
    const offline = await runFlywheel(
      ['content', 'repurpose', ARTICLE, '--platforms', 'x', '--json', '--offline'],
      { env },
    );

    expect(online.code).toBe(0);
    const result = JSON.parse(online.stdout) as RepurposeJson;
    expect(result.generator).toMatchObject({ name: 'openai', model: 'gpt-4.1-mini-2025-04-14' });
    expect(result.versions[0]!.text).toBe('QuestDB stores time-series data.');
    expect(server.requests).toHaveLength(1);
    expect((JSON.parse(offline.stdout) as RepurposeJson).generator.name).toBe('offline');
    expect(server.requests).toHaveLength(1);
  });
});

describe('flywheel content submit|drafts|show|approve|reject', () => {
  it('stores a draft, lists it, publishes it to the outbox once, and rejects another with a reason', async () => {
    const home = tempHome('content-drafts');
    const env = { FLYWHEEL_HOME: home };
    const json = async (argv: string[]) => {
      const run = await runFlywheel([...argv, '--json'], { env });
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout);
    };

    const submitted = await json(['content', 'submit', ARTICLE, '--platforms', 'x,newsletter']);
    const again = await runFlywheel(['content', 'submit', ARTICLE, '--platforms', 'x,newsletter'], { env });
    const listed = await json(['content', 'drafts']);
    const shown = await runFlywheel(['content', 'show', submitted.id], { env });
    const approved = await json(['content', 'approve', submitted.id]);
    const twice = await runFlywheel(['content', 'approve', submitted.id], { env });
    const other = await json(['content', 'submit', ARTICLE, '--platforms', 'linkedin']);
    const rejected = await json(['content', 'reject', other.id, '--reason', 'off-brand']);
    const unknown = await runFlywheel(['content', 'reject', 'draft-nope', '--reason', 'x'], { env });

    expect(submitted).toMatchObject({ status: 'draft', origin: 'user', platforms: ['x', 'newsletter'] });
    expect(again.stdout).toContain(`Already stored draft ${submitted.id}`);
    expect(listed.drafts.map((draft: { id: string }) => draft.id)).toEqual([submitted.id]);
    expect(shown.stdout).toMatch(/── newsletter · \d+\/4000 characters ──/);
    expect(approved.draft.status).toBe('published');
    expect(approved.publishing.outcomes.map((outcome: { outcome: string }) => outcome.outcome)).toEqual([
      'published',
      'published',
    ]);
    const day = readdirSync(join(home, 'outbox'));
    const files = readdirSync(join(home, 'outbox', day[0]!)).sort();
    expect(files).toEqual([`${submitted.id}.newsletter.json`, `${submitted.id}.x.json`]);
    expect(readFileSync(join(home, 'outbox', day[0]!, `${submitted.id}.x.json`), 'utf8')).toContain(
      submitted.id,
    );
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('is published');
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'off-brand' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no draft has id draft-nope');
    expect(existsSync(join(home, 'flywheel.db'))).toBe(true);
  });
});

describe('the README', () => {
  it('shows exactly what `flywheel content repurpose data/articles/strata-overview.md --platforms x bluesky` prints', async () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const shown = /```\n(Strata Overview — [\s\S]*?)```/.exec(readme)?.[1];

    const run = await runFlywheel(
      ['content', 'repurpose', join('data', 'articles', 'strata-overview.md'), '--platforms', 'x', 'bluesky'],
      {
        cwd: join(__dirname, '..', '..'),
      },
    );

    expect(run.stdout).toBe(shown);
  });
});
