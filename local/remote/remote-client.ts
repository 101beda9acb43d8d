import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { OperationError } from '../cli/errors';

/** How to authenticate against a deployed stack (or a local runtime). */
export type RemoteAuth = { type: 'bearer'; token: string } | { type: 'iam'; region: string };

/** A sweep as GET /sweeps/{id} returns it. */
export interface RemoteSweep {
  sweepId: string;
  status: string;
  jobs: { total: number; done: number; failed: number };
  summary: unknown;
}

/** The AWS region of an API Gateway URL (…execute-api.<region>.amazonaws.com), if it is one. */
export function regionOfApiUrl(url: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(new URL(url).hostname)?.[1];
}

/**
 * A client for a deployed Flywheel HTTP API: POST /sweeps and GET /sweeps/{id}, signed with SigV4 from the AWS
 * credential chain (IAM stages) or carrying a bearer token (JWT stages, or the local runtime's token).
 */
export class RemoteClient {
  private readonly base: URL;
  private readonly signer: SignatureV4 | undefined;

  constructor(
    url: string,
    private readonly auth: RemoteAuth,
  ) {
    this.base = new URL(url.endsWith('/') ? url : `${url}/`);
    this.signer =
      auth.type === 'iam'
        ? new SignatureV4({
            service: 'execute-api',
            region: auth.region,
            credentials: defaultProvider(),
            sha256: Hash.bind(null, 'sha256'),
          })
        : undefined;
  }

  /** Submits a sweep spec; returns what sweep-plan answered (202). */
  async submit(spec: unknown): Promise<{ sweepId: string; total: number; queued: number }> {
    return this.request('POST', 'sweeps', JSON.stringify(spec));
  }

  /** Reads one sweep. */
  async sweep(sweepId: string): Promise<RemoteSweep> {
    return this.request('GET', `sweeps/${encodeURIComponent(sweepId)}`);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: string): Promise<T> {
    const url = new URL(path, this.base);
    let headers: Record<string, string> = { 'content-type': 'application/json', host: url.host };
    if (this.auth.type === 'bearer') headers.authorization = `Bearer ${this.auth.token}`;
    if (this.signer) {
      const signed = await this.signer.sign({
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        ...(body === undefined ? {} : { body }),
      });
      headers = signed.headers as Record<string, string>;
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    } catch (error) {
      throw new OperationError(`cannot reach ${url.origin}: ${(error as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const reason =
        (parsed as { error?: string; message?: string } | undefined)?.error ??
        (parsed as { message?: string } | undefined)?.message ??
        text.slice(0, 200);
      throw new RemoteRequestError(
        response.status,
        `${method} ${url.pathname} answered ${response.status}: ${reason}`,
      );
    }
    return parsed as T;
  }
}

/** The API refused a request; `status` is its HTTP status (4xx: fix the request, 5xx: the service failed). */
export class RemoteRequestError extends Error {
  override readonly name = 'RemoteRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
