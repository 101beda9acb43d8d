import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GitHubRepository } from '@shared/adapters/github/github-repository';
import { SourceRepositoryError } from '@shared/ports/source-repository';
import { FakeGitHub } from '../support/fake-github';

const SHA = '9b2f1c0e4d5a6b7c8d9e0f1a2b3c4d5e6f708192';
const REPO = { owner: 'quant-lab', name: 'signal-lab' };

describe('GitHubRepository against a loopback GitHub', () => {
  let github: FakeGitHub;
  let repository: GitHubRepository;

  beforeAll(async () => {
    github = await new FakeGitHub().start();
    repository = new GitHubRepository({ token: async () => github.token, baseUrl: `${github.url}/` });
  });

  afterAll(() => github.close());

  beforeEach(() => github.reset());

  it('reads a file at a commit from the contents API, with the token, media type and API version', async () => {
    github.setFile(
      'quant-lab/signal-lab',
      SHA,
      'requirements/dev tools.txt',
      '\ufeffpytest==8.3.3\nruff==0.6.9\n',
    );

    const text = await repository.readFile(REPO, 'requirements/dev tools.txt', SHA);

    expect(text).toBe('pytest==8.3.3\nruff==0.6.9\n');
    expect(github.requests).toHaveLength(1);
    const [request] = github.requests;
    expect(request!.url).toBe(`/repos/quant-lab/signal-lab/contents/requirements/dev%20tools.txt?ref=${SHA}`);
    expect(request!.headers).toMatchObject({
      authorization: `Bearer ${github.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'flywheel-deps',
    });
  });

  it('answers undefined for a path the commit does not have, and for a folder', async () => {
    github.setFile('quant-lab/signal-lab', SHA, 'requirements/base.txt', 'numpy==2.1.2\n');

    expect(await repository.readFile(REPO, 'requirements.txt', SHA)).toBeUndefined();
    expect(await repository.readFile(REPO, 'requirements', SHA)).toBeUndefined();
    expect(await repository.readFile(REPO, 'requirements/base.txt', 'another-ref')).toBeUndefined();
  });

  it('fetches a file over 1 MB, which the contents API sends without content, with the raw media type', async () => {
    const big = `${'# pinned by pip-compile\n'.repeat(50_000)}numpy==2.1.2\n`;
    github.setFile('quant-lab/signal-lab', SHA, 'requirements.txt', big, { large: true });

    expect(await repository.readFile(REPO, 'requirements.txt', SHA)).toBe(big);
    expect(github.requests.map((request) => request.headers.accept)).toEqual([
      'application/vnd.github+json',
      'application/vnd.github.raw+json',
    ]);
  });

  it('throws SourceRepositoryError with the status and GitHub’s message when GitHub fails', async () => {
    github.failContents = { status: 503 };

    const error = await repository.readFile(REPO, 'requirements.txt', SHA).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SourceRepositoryError);
    expect(error).toMatchObject({ status: 503 });
    expect((error as Error).message).toBe(
      `GitHub answered 503 to GET /repos/quant-lab/signal-lab/contents/requirements.txt?ref=${SHA} (Server Error): GitHub failed; the webhook can be redelivered from its settings page`,
    );
  });

  it('says the token is invalid on a 401, and never puts the token in the message', async () => {
    const wrong = new GitHubRepository({ token: async () => 'github_pat_expired', baseUrl: github.url });

    const error = (await wrong
      .readFile(REPO, 'requirements.txt', SHA)
      .catch((caught: unknown) => caught)) as Error;

    expect(error.message).toMatch(
      /answered 401 .*\(Bad credentials\): the GitHub token is invalid or expired/,
    );
    expect(error.message).not.toContain('github_pat_expired');
  });

  it('posts a commit status, cutting the description at 140 characters', async () => {
    await repository.setCommitStatus(REPO, SHA, {
      state: 'failure',
      description: `2 errors ${'x'.repeat(200)}`,
      context: 'flywheel/deps',
    });

    expect(github.statuses).toEqual([
      {
        repository: 'quant-lab/signal-lab',
        sha: SHA,
        body: { state: 'failure', description: `2 errors ${'x'.repeat(131)}`, context: 'flywheel/deps' },
      },
    ]);
    expect(github.requests[0]).toMatchObject({
      method: 'POST',
      url: `/repos/quant-lab/signal-lab/statuses/${SHA}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${github.token}` },
    });
  });

  it('throws SourceRepositoryError when GitHub refuses a status', async () => {
    github.failStatuses = 502;

    await expect(
      repository.setCommitStatus(REPO, SHA, {
        state: 'success',
        description: 'ok',
        context: 'flywheel/deps',
      }),
    ).rejects.toThrow(/^GitHub answered 502 to POST \/repos\/quant-lab\/signal-lab\/statuses\//);
  });

  it('throws SourceRepositoryError when GitHub cannot be reached', async () => {
    const closed = await new FakeGitHub().start();
    await closed.close();
    const unreachable = new GitHubRepository({ token: async () => 't', baseUrl: closed.url });

    await expect(unreachable.readFile(REPO, 'requirements.txt', SHA)).rejects.toThrow(
      new RegExp(
        `^GET ${closed.url}/repos/quant-lab/signal-lab/contents/requirements.txt\\?ref=${SHA} failed: .*\\(is GitHub reachable\\?\\)$`,
      ),
    );
  });
});
