import {
  type CommitStatus,
  type RepositoryId,
  type SourceRepository,
  SourceRepositoryError,
} from '../../ports/source-repository';

/** GitHub's REST API on github.com; GitHub Enterprise Server serves it at `https://HOST/api/v3`. */
export const GITHUB_API_URL = 'https://api.github.com';

/** Settings of one {@link GitHubRepository}. */
export interface GitHubRepositoryOptions {
  /** The token (a fine-grained PAT with Contents: read and Commit statuses: write), asked for on each request. */
  readonly token: () => Promise<string>;
  /** Default https://api.github.com. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /** Milliseconds before a request is abandoned; default 8 s, inside GitHub's 10 s for a webhook answer. */
  readonly timeoutMs?: number;
}

/** What GET /repos/{owner}/{repo}/contents/{path} answers for a file (a folder answers with an array). */
interface ContentsFile {
  readonly type?: string;
  readonly encoding?: string;
  readonly content?: string;
}

const API_VERSION = '2022-11-28';

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * A repository on GitHub through its REST API (version 2022-11-28): files from the contents API at a commit,
 * statuses through the statuses API. Errors name the request and GitHub's message, never the token.
 */
export class GitHubRepository implements SourceRepository {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: GitHubRepositoryOptions) {
    this.baseUrl = (options.baseUrl ?? GITHUB_API_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 8_000;
  }

  async readFile(repository: RepositoryId, path: string, ref: string): Promise<string | undefined> {
    const resource = `/repos/${repoPath(repository)}/contents/${path.split('/').map(encodeURIComponent).join('/')}?ref=${encodeURIComponent(ref)}`;
    const response = await this.request('GET', resource);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw await failure('GET', resource, response);
    const body = (await response.json()) as ContentsFile | ContentsFile[];
    if (Array.isArray(body) || body.type !== 'file') return undefined;
    if (body.encoding === 'base64' && typeof body.content === 'string') {
      return stripBom(Buffer.from(body.content, 'base64').toString('utf8'));
    }
    // Files of 1 to 100 MB come without content; the raw media type returns them.
    const raw = await this.request('GET', resource, 'application/vnd.github.raw+json');
    if (raw.status !== 200) throw await failure('GET', resource, raw);
    return stripBom(await raw.text());
  }

  async setCommitStatus(repository: RepositoryId, sha: string, status: CommitStatus): Promise<void> {
    const resource = `/repos/${repoPath(repository)}/statuses/${encodeURIComponent(sha)}`;
    const body = {
      state: status.state,
      description: status.description.slice(0, 140),
      context: status.context,
      ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
    };
    const response = await this.request('POST', resource, undefined, body);
    if (response.status !== 201 && response.status !== 200) throw await failure('POST', resource, response);
    await response.arrayBuffer();
  }

  private async request(
    method: string,
    resource: string,
    accept?: string,
    body?: unknown,
  ): Promise<Response> {
    const token = await this.options.token();
    try {
      return await this.fetch(`${this.baseUrl}${resource}`, {
        method,
        headers: {
          accept: accept ?? 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'x-github-api-version': API_VERSION,
          'user-agent': 'flywheel-deps',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SourceRepositoryError(
        `${method} ${this.baseUrl}${resource} failed: ${(error as Error).message} (is GitHub reachable?)`,
      );
    }
  }
}

function repoPath(repository: RepositoryId): string {
  return `${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.name)}`;
}

/** The error for an answer GitHub should not have given, with its message and what usually causes it. */
async function failure(method: string, resource: string, response: Response): Promise<SourceRepositoryError> {
  let message = '';
  try {
    const text = await response.text();
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // No body, or not JSON: the status says enough.
  }
  const cause =
    response.status === 401
      ? ': the GitHub token is invalid or expired; set a new one'
      : response.status === 403
        ? ': the token lacks the permission (Contents: read, Commit statuses: write) or hit a rate limit'
        : response.status >= 500
          ? ': GitHub failed; the webhook can be redelivered from its settings page'
          : '';
  return new SourceRepositoryError(
    `GitHub answered ${response.status} to ${method} ${resource}${message ? ` (${message.slice(0, 200)})` : ''}${cause}`,
    response.status,
  );
}
