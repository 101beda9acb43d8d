import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake GitHub received. */
export interface GitHubRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A commit status the fake GitHub accepted. */
export interface PostedStatus {
  readonly repository: string;
  readonly sha: string;
  readonly body: { state: string; description?: string; context?: string; target_url?: string };
}

/**
 * GitHub's REST API as far as the webhook uses it, on 127.0.0.1: the contents API (files by repository, commit
 * and path, base64 in lines of 60 as GitHub sends them; folders as arrays; files marked large answer without
 * content unless asked for the raw media type) and the statuses API. It checks the bearer token.
 */
export class FakeGitHub {
  readonly requests: GitHubRequest[] = [];
  readonly statuses: PostedStatus[] = [];
  /** When set, the contents API answers this status (with GitHub's JSON error body) for these paths, or all. */
  failContents?: { status: number; paths?: readonly string[] };
  /** When set, the statuses API answers this status. */
  failStatuses?: number;
  private readonly files = new Map<string, { content: string; large: boolean }>();
  private readonly server: Server;
  url = '';

  constructor(readonly token = 'github_pat_11AAAAAAA0123456789_abcdefghijklmnopqrstuvwxyz') {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body,
        });
        const answer = this.answer(request.method ?? '', request.url ?? '/', request.headers, body);
        response.writeHead(answer.status, {
          'content-type': answer.raw ? 'application/vnd.github.raw+json' : 'application/json; charset=utf-8',
        });
        response.end(answer.raw ?? JSON.stringify(answer.body));
      });
    });
  }

  /** Starts listening on a free loopback port. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Puts a file in a repository (`owner/name`) at a commit. */
  setFile(
    repository: string,
    sha: string,
    path: string,
    content: string,
    options: { large?: boolean } = {},
  ): void {
    this.files.set(`${repository}@${sha}:${path}`, { content, large: options.large ?? false });
  }

  /** The paths whose contents were asked for, in order. */
  contentRequests(): string[] {
    return this.requests
      .filter((request) => request.method === 'GET' && request.url.includes('/contents/'))
      .map((request) =>
        decodeURIComponent(new URL(request.url, 'http://x').pathname.replace(/^.*?\/contents\//, '')),
      );
  }

  reset(): void {
    this.requests.length = 0;
    this.statuses.length = 0;
    this.failContents = undefined;
    this.failStatuses = undefined;
  }

  private answer(
    method: string,
    rawUrl: string,
    headers: IncomingHttpHeaders,
    body: string,
  ): { status: number; body?: unknown; raw?: string } {
    if (headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, body: { message: 'Bad credentials', status: '401' } };
    }
    const url = new URL(rawUrl, 'http://x');
    const contents = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(url.pathname);
    if (method === 'GET' && contents) {
      const repository = `${decodeURIComponent(contents[1]!)}/${decodeURIComponent(contents[2]!)}`;
      const path = contents[3]!.split('/').map(decodeURIComponent).join('/');
      if (this.failContents && (!this.failContents.paths || this.failContents.paths.includes(path))) {
        return { status: this.failContents.status, body: { message: 'Server Error' } };
      }
      const ref = url.searchParams.get('ref') ?? '';
      const file = this.files.get(`${repository}@${ref}:${path}`);
      if (!file) {
        const prefix = `${repository}@${ref}:${path}/`;
        const entries = [...this.files.keys()].filter((key) => key.startsWith(prefix));
        if (entries.length > 0)
          return {
            status: 200,
            body: entries.map((key) => ({ type: 'file', path: key.slice(prefix.length) })),
          };
        return { status: 404, body: { message: 'Not Found', status: '404' } };
      }
      if (headers.accept === 'application/vnd.github.raw+json') return { status: 200, raw: file.content };
      if (file.large) return { status: 200, body: { type: 'file', path, encoding: 'none', content: '' } };
      const base64 = Buffer.from(file.content, 'utf8').toString('base64');
      return {
        status: 200,
        body: {
          type: 'file',
          path,
          encoding: 'base64',
          content: `${base64.match(/.{1,60}/g)?.join('\n') ?? ''}\n`,
        },
      };
    }
    const statuses = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]+)$/.exec(url.pathname);
    if (method === 'POST' && statuses) {
      if (this.failStatuses) return { status: this.failStatuses, body: { message: 'Server Error' } };
      const status = JSON.parse(body) as PostedStatus['body'];
      this.statuses.push({ repository: `${statuses[1]}/${statuses[2]}`, sha: statuses[3]!, body: status });
      return { status: 201, body: { id: this.statuses.length, ...status } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }
}
