import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isAuthorised } from './local-token';

/** One route of the local API, as the topology declares it. */
export interface LocalRoute {
  readonly method: string;
  /** API Gateway path, `{name}` marking a path parameter. */
  readonly path: string;
  readonly handle: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  /** `handler`: the route takes no local token; its function authenticates each request (a webhook signature). */
  readonly authenticatedBy?: 'api' | 'handler';
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;

function compile(route: LocalRoute) {
  const names: string[] = [];
  const segments = route.path.split('/').map((segment) => {
    const parameter = /^\{(\w+)\}$/.exec(segment);
    if (!parameter) return segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
    names.push(parameter[1]!);
    return '([^/]+)';
  });
  return { route, names, regex: new RegExp(`^${segments.join('/')}$`) };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RangeError(`request body over ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2) {
  response.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
  response.end(result.body ?? '');
}

function sendJson(response: ServerResponse, statusCode: number, body: unknown) {
  send(response, {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
}

/**
 * The local stand-in for API Gateway's HTTP API: listens on 127.0.0.1 only, requires the local token on every
 * route (as API Gateway requires IAM or a JWT) except those whose function authenticates requests itself, and
 * hands each function an API Gateway v2 event.
 */
export class LocalHttpServer {
  private readonly server: Server;
  private readonly routes;

  constructor(
    routes: readonly LocalRoute[],
    private readonly token: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.routes = routes.map(compile);
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error) => {
        this.onError(error);
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error; see the runtime log' });
      });
    });
  }

  /** Listens on 127.0.0.1 (`port` 0 picks a free one) and returns the base URL. */
  listen(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        const address = this.server.address() as AddressInfo;
        resolve(`http://127.0.0.1:${address.port}`);
      });
    });
  }

  /** Stops accepting connections and closes idle ones. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async serve(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const candidates = this.routes
      .map((entry) => ({ entry, match: entry.regex.exec(url.pathname) }))
      .filter((c) => c.match);
    if (candidates.length === 0) return sendJson(response, 404, { error: `no route for ${url.pathname}` });
    const found = candidates.find((c) => c.entry.route.method === method);
    if (!found) {
      response.setHeader('allow', candidates.map((c) => c.entry.route.method).join(', '));
      return sendJson(response, 405, { error: `${method} is not allowed on ${url.pathname}` });
    }
    const tokenless = found.entry.route.authenticatedBy === 'handler';
    if (!tokenless && !isAuthorised(request.headers.authorization, this.token)) {
      return sendJson(response, 401, {
        error: 'send the local token: Authorization: Bearer <contents of $FLYWHEEL_HOME/token>',
      });
    }
    let body: string;
    try {
      body = await readBody(request);
    } catch (error) {
      return sendJson(response, 413, { error: (error as Error).message });
    }
    const { route, names } = found.entry;
    const pathParameters = Object.fromEntries(
      names.map((name, index) => [name, decodeURIComponent(found.match![index + 1]!)]),
    );
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    );
    const now = new Date();
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: `${route.method} ${route.path}`,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
      ...(names.length ? { pathParameters } : {}),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: '127.0.0.1',
        domainPrefix: '127',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: request.headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: `${route.method} ${route.path}`,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
      },
      ...(body ? { body } : {}),
      isBase64Encoded: false,
    };
    send(response, await route.handle(event));
  }
}
