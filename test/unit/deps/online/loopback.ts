import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the server saw. */
export interface SeenRequest {
  readonly method: string;
  /** Path and query, as sent (percent-encoding kept). */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** What to answer: JSON, raw text, a status, or nothing at all (to make the client time out). */
export interface Reply {
  readonly status?: number;
  readonly json?: unknown;
  readonly raw?: string;
  readonly hang?: boolean;
}

export interface Loopback {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Most requests in flight at once. */
  readonly peak: () => number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (a free port) answering with `route`; unrouted requests get PyPI's 404 body. */
export async function loopback(
  route: (request: SeenRequest) => Reply | undefined | Promise<Reply | undefined>,
): Promise<Loopback> {
  const requests: SeenRequest[] = [];
  let inFlight = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: text === '' ? undefined : JSON.parse(text),
      };
      requests.push(seen);
      const reply = (await route(seen)) ?? { status: 404, json: { message: 'Not Found' } };
      if (reply.hang) return;
      const body = reply.raw ?? JSON.stringify(reply.json ?? {});
      // Counted down before the answer leaves, so a client's next request can never overlap it in the count.
      inFlight--;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    peak: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A base URL nothing listens on: a server is started on a free port and closed again. */
export async function deadUrl(): Promise<string> {
  const server = await loopback(() => undefined);
  await server.close();
  return server.url;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
