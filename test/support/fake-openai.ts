import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat completion request the fake received, with its parsed body. */
export interface ChatRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: ChatRequestBody;
}

/** The parts of a Chat Completions request body the fake checks and tests read. */
export interface ChatRequestBody {
  readonly model: string;
  readonly messages: readonly { role: string; content: string }[];
  readonly response_format: {
    type: string;
    json_schema: { name: string; strict?: boolean; schema: Record<string, unknown> };
  };
  readonly [key: string]: unknown;
}

/** Token counts a scripted completion reports. */
export interface FakeUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
}

/** What the fake answers to one request, in order of arrival. */
export type ScriptedAnswer =
  /** A completion whose content is `value` as JSON (or what the function makes of the request). */
  | {
      readonly kind: 'json';
      readonly value: unknown | ((body: ChatRequestBody) => unknown);
      readonly usage?: FakeUsage;
      readonly model?: string;
    }
  /** A structured-outputs refusal: `refusal` set, `content` null. */
  | { readonly kind: 'refusal'; readonly refusal: string }
  /** A completion whose content is this text, as is (not JSON, or JSON of the wrong shape). */
  | { readonly kind: 'content'; readonly content: string; readonly finishReason?: string }
  /** An error status with OpenAI's error body; `retryAfter` (seconds) is sent as Retry-After. */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly message?: string;
      readonly code?: string;
      readonly retryAfter?: number;
    }
  /** No answer for this long (past the client's timeout). */
  | { readonly kind: 'hang'; readonly ms: number };

const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 100, completion_tokens: 20 };

/**
 * OpenAI's Chat Completions API (`POST /v1/chat/completions`) as far as structured outputs use it, on 127.0.0.1.
 * It checks the bearer key (401 with OpenAI's error body, which quotes the key, otherwise), the model, the
 * messages and a strict `json_schema` response format (400 otherwise), then answers what the test scripted, in
 * order: a completion with `usage`, a refusal, raw content, an error status, or silence. Requests are recorded.
 */
export class FakeOpenAi {
  readonly requests: ChatRequest[] = [];
  private readonly script: ScriptedAnswer[] = [];
  private readonly server: Server;
  private readonly hanging = new Set<NodeJS.Timeout>();
  url = '';

  constructor(readonly apiKey = 'sk-test-0123456789abcdefFAKEKEY') {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () =>
        this.answer(request.method ?? '', request.url ?? '', request.headers, chunks, response),
      );
    });
  }

  /** Starts listening on a free loopback port; `url` is then the `/v1` base URL. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  close(): Promise<void> {
    for (const timer of this.hanging) clearTimeout(timer);
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Queues answers for the next requests. With nothing queued, a request gets a 500 saying so. */
  respond(...answers: ScriptedAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
  }

  private answer(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
    chunks: Buffer[],
    response: ServerResponse,
  ): void {
    if (method !== 'POST' || url.split('?')[0] !== '/v1/chat/completions') {
      send(response, 404, errorBody(`Unknown path ${method} ${url}`, 'invalid_request_error', null));
      return;
    }
    if (headers.authorization !== `Bearer ${this.apiKey}`) {
      const given = (headers.authorization ?? '').replace(/^Bearer\s+/, '');
      send(
        response,
        401,
        errorBody(`Incorrect API key provided: ${given}.`, 'invalid_request_error', 'invalid_api_key'),
      );
      return;
    }
    let body: ChatRequestBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
    } catch {
      send(response, 400, errorBody('We could not parse the JSON body.', 'invalid_request_error', null));
      return;
    }
    this.requests.push({ headers, body });
    const problem = invalidRequest(body);
    if (problem) {
      send(response, 400, errorBody(problem, 'invalid_request_error', null));
      return;
    }

    const next = this.script.shift();
    if (!next) {
      send(response, 500, errorBody('Nothing scripted for this request.', 'server_error', null));
      return;
    }
    switch (next.kind) {
      case 'json': {
        const value =
          typeof next.value === 'function'
            ? (next.value as (body: ChatRequestBody) => unknown)(body)
            : next.value;
        send(
          response,
          200,
          completion(next.model ?? body.model, { content: JSON.stringify(value) }, next.usage),
        );
        return;
      }
      case 'content':
        send(
          response,
          200,
          completion(body.model, { content: next.content }, DEFAULT_USAGE, next.finishReason ?? 'stop'),
        );
        return;
      case 'refusal':
        send(response, 200, completion(body.model, { refusal: next.refusal }, DEFAULT_USAGE));
        return;
      case 'status': {
        const extra: Record<string, string> =
          next.retryAfter === undefined ? {} : { 'retry-after': String(next.retryAfter) };
        const type =
          next.status === 429 ? 'requests' : next.status >= 500 ? 'server_error' : 'invalid_request_error';
        send(
          response,
          next.status,
          errorBody(next.message ?? `Scripted ${next.status}.`, type, next.code ?? null),
          extra,
        );
        return;
      }
      case 'hang': {
        const timer = setTimeout(() => {
          this.hanging.delete(timer);
          if (!response.destroyed) send(response, 500, errorBody('Too late.', 'server_error', null));
        }, next.ms);
        this.hanging.add(timer);
        return;
      }
    }
  }
}

/** What OpenAI would answer 400 to, or undefined for a request structured outputs accept. */
function invalidRequest(body: ChatRequestBody): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return "Missing required parameter: 'model'.";
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return "Invalid 'messages': empty array. Expected an array with minimum length 1.";
  }
  for (const [index, message] of body.messages.entries()) {
    if (!['system', 'developer', 'user', 'assistant'].includes(message.role)) {
      return `Invalid value: '${message.role}'. Supported values are: 'system', 'assistant', 'user' (messages[${index}].role).`;
    }
    if (typeof message.content !== 'string') return `Invalid type for 'messages[${index}].content'.`;
  }
  const format = body.response_format;
  if (format?.type !== 'json_schema') return "Expected response_format.type 'json_schema'.";
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(format.json_schema?.name ?? '')) {
    return "Invalid 'response_format.json_schema.name': letters, digits, '_' and '-' only, at most 64.";
  }
  if (format.json_schema.strict !== true) return 'This test server only accepts strict JSON schemas.';
  return strictSchemaProblem(format.json_schema.schema, 'schema');
}

/** Structured outputs' strict rules: every object closes its properties and requires all of them. */
function strictSchemaProblem(schema: unknown, path: string): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object') {
    if (node.additionalProperties !== false) {
      return `Invalid schema: In context=(${path}), 'additionalProperties' is required to be supplied and to be false.`;
    }
    const properties = Object.keys((node.properties as Record<string, unknown> | undefined) ?? {});
    const required = (node.required as string[] | undefined) ?? [];
    const missing = properties.filter((name) => !required.includes(name));
    if (missing.length > 0) {
      return `Invalid schema: In context=(${path}), 'required' is required to include every key; missing '${missing[0]}'.`;
    }
  }
  for (const [key, child] of Object.entries(node)) {
    if (Array.isArray(child)) {
      for (const [index, item] of child.entries()) {
        const problem = strictSchemaProblem(item, `${path}.${key}[${index}]`);
        if (problem) return problem;
      }
    } else if (child && typeof child === 'object') {
      const problem = strictSchemaProblem(child, `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

function completion(
  model: string,
  message: { content?: string; refusal?: string },
  usage: FakeUsage = DEFAULT_USAGE,
  finishReason = 'stop',
): unknown {
  return {
    id: `chatcmpl-fake${Math.random().toString(36).slice(2, 12)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: message.content ?? null,
          refusal: message.refusal ?? null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

function errorBody(message: string, type: string, code: string | null): unknown {
  return { error: { message, type, param: null, code } };
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fake', ...headers });
  response.end(JSON.stringify(body));
}
