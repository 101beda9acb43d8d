import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import {
  type LanguageModel,
  LanguageModelError,
  type StructuredCompletion,
  type StructuredRequest,
} from '../../ports/language-model';
import { issueLines } from '../../validation/zod-issues';

/** The model used when none is configured: cheap, fast, and good at following length limits. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4.1-mini';

/**
 * Per attempt. The longest single answer Flywheel asks for (a 4,000-character newsletter section, about 1,000
 * output tokens) takes about 15 s at gpt-4.1-mini's usual speed: 30 s leaves room without letting one stuck
 * request eat a Lambda's whole budget.
 */
export const DEFAULT_OPENAI_TIMEOUT_MS = 30_000;

/**
 * Retries after the first attempt, with the client's backoff and the server's Retry-After: enough to ride out a
 * rate-limit burst or a 5xx, few enough that the worst case (3 × timeout plus backoff, about 92 s) fits a
 * content function's timeout.
 */
export const DEFAULT_OPENAI_MAX_RETRIES = 2;

/** How to reach the model. */
export interface OpenAiLanguageModelOptions {
  readonly apiKey: string;
  /** An OpenAI-compatible server's `/v1` URL; OpenAI's own when omitted. */
  readonly baseURL?: string;
  readonly model?: string;
  /** Milliseconds per attempt. */
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  /** The client's documented seam for another fetch (tests, proxies); the global fetch when omitted. */
  readonly fetch?: typeof fetch;
}

const OPENAI_API_URL = 'https://api.openai.com/v1';

/** A language model on OpenAI's Chat Completions API with structured outputs (strict JSON schema). */
export class OpenAiLanguageModel implements LanguageModel {
  readonly model: string;
  private readonly client: OpenAI;
  private readonly apiKey: string;
  private readonly baseURL: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;

  constructor(options: OpenAiLanguageModelOptions) {
    this.model = options.model ?? DEFAULT_OPENAI_MODEL;
    this.apiKey = options.apiKey;
    this.baseURL = options.baseURL ?? OPENAI_API_URL;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_OPENAI_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_OPENAI_MAX_RETRIES;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: this.baseURL,
      timeout: this.timeoutMs,
      maxRetries: this.maxRetries,
      // Explicitly none: the client would otherwise pick these up from the environment behind our back.
      organization: null,
      project: null,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async complete<T>(request: StructuredRequest<T>): Promise<StructuredCompletion<T>> {
    const completion = await this.send(request).catch((error: unknown) => {
      throw this.explain(error, request.schemaName);
    });
    const message = completion.choices[0]?.message;
    if (message?.refusal) {
      throw new LanguageModelError(
        `${this.model} refused to write "${request.schemaName}": ${this.redact(message.refusal)}. ` +
          'Check the source for content the model will not repeat, or use the offline generator.',
      );
    }
    if (message?.parsed === null || message?.parsed === undefined) {
      throw new LanguageModelError(
        `${this.model} answered "${request.schemaName}" with no content; try again, or use the offline generator.`,
      );
    }
    return {
      value: message.parsed,
      usage: {
        inputTokens: completion.usage?.prompt_tokens ?? 0,
        outputTokens: completion.usage?.completion_tokens ?? 0,
      },
      model: completion.model || this.model,
    };
  }

  private send<T>(request: StructuredRequest<T>) {
    return this.client.chat.completions.parse({
      model: this.model,
      messages: [
        { role: 'system', content: request.system },
        ...request.messages.map((message) => ({ role: message.role, content: message.content })),
      ],
      // The helper turns a zod 4 schema into OpenAI's strict JSON schema and parses the answer with it.
      response_format: zodResponseFormat(request.schema, request.schemaName),
    });
  }

  /** A LanguageModelError that says what went wrong and what to do, never quoting the key. */
  private explain(error: unknown, schemaName: string): LanguageModelError {
    const where = this.baseURL === OPENAI_API_URL ? 'OpenAI' : `The server at ${this.baseURL}`;
    const attempts = `${this.maxRetries + 1} attempt${this.maxRetries === 0 ? '' : 's'}`;
    if (error instanceof AuthenticationError) {
      // OpenAI's 401 message quotes part of the key: say what to do instead of repeating it.
      return new LanguageModelError(
        `${where} rejected the API key (401). Set OPENAI_API_KEY to a valid key ` +
          '(create one at https://platform.openai.com/api-keys) in the environment or .env, ' +
          'or unset it to use the offline generator.',
      );
    }
    if (error instanceof PermissionDeniedError) {
      return new LanguageModelError(
        `${where} refused access to ${this.model} (403): ${this.serverMessage(error)}. ` +
          'Check that the key’s project may use this model, or choose another with FLYWHEEL_OPENAI_MODEL.',
      );
    }
    if (error instanceof NotFoundError) {
      return new LanguageModelError(
        `${where} has no model "${this.model}" (404): ${this.serverMessage(error)}. ` +
          'Set FLYWHEEL_OPENAI_MODEL to a model your account can use (e.g. gpt-4.1-mini).',
      );
    }
    if (error instanceof RateLimitError) {
      const quota = error.code === 'insufficient_quota';
      return new LanguageModelError(
        quota
          ? `${where} says the account is out of quota (429 insufficient_quota): add credit or raise the limit ` +
              'at https://platform.openai.com/settings/organization/billing, or unset OPENAI_API_KEY.'
          : `${where} is rate limiting requests (429) after ${attempts}: ${this.serverMessage(error)}. ` +
              'Wait a minute and try again, or ask for fewer platforms at once.',
      );
    }
    if (error instanceof BadRequestError) {
      return new LanguageModelError(
        `${where} rejected the request for "${schemaName}" (400): ${this.serverMessage(error)}. ` +
          `Check that ${this.model} supports structured outputs (json_schema), or choose another model.`,
      );
    }
    if (error instanceof APIConnectionTimeoutError) {
      return new LanguageModelError(
        `${where} did not answer within ${this.timeoutMs / 1000} s (${attempts}). ` +
          'Try again, or raise FLYWHEEL_OPENAI_TIMEOUT_MS (milliseconds per attempt).',
      );
    }
    if (error instanceof APIConnectionError) {
      const cause = (error.cause as { message?: string } | undefined)?.message;
      return new LanguageModelError(
        `Could not reach ${where.replace(/^The/, 'the')} (${attempts})${cause ? `: ${this.redact(cause)}` : ''}. ` +
          'Check the network, or OPENAI_BASE_URL if you set one.',
      );
    }
    if (error instanceof APIError) {
      const status = error.status ?? 'no status';
      return new LanguageModelError(
        `${where} failed (${status}) after ${attempts}: ${this.serverMessage(error)}. Try again later.`,
      );
    }
    if (error instanceof LengthFinishReasonError) {
      return new LanguageModelError(
        `${this.model} ran out of output tokens before finishing "${schemaName}"; try again, or choose a model with a larger output limit.`,
      );
    }
    if (error instanceof ContentFilterFinishReasonError) {
      return new LanguageModelError(
        `${this.model}'s content filter stopped "${schemaName}"; rephrase the source or use the offline generator.`,
      );
    }
    if (error instanceof SyntaxError || error instanceof z.ZodError) {
      const detail = error instanceof z.ZodError ? issueLines(error).slice(0, 3).join('; ') : error.message;
      return new LanguageModelError(
        `${this.model}'s answer is not valid "${schemaName}" JSON (${this.redact(detail)}); ` +
          'try again, or use a model that supports structured outputs.',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new LanguageModelError(`${this.model} failed on "${schemaName}": ${this.redact(message)}`);
  }

  /** The server's own error message, without the status prefix the client adds. */
  private serverMessage(error: APIError): string {
    const fromBody = (error.error as { message?: unknown } | undefined)?.message;
    const text = typeof fromBody === 'string' && fromBody ? fromBody : error.message;
    return this.redact(text.replace(/^\d{3}\s+/, '').replace(/[.\s]+$/, ''));
  }

  /** Removes the key, and anything shaped like an OpenAI key, from text that may reach a log. */
  private redact(text: string): string {
    const withoutKey = this.apiKey ? text.split(this.apiKey).join('[redacted]') : text;
    return withoutKey.replace(/\bsk-[A-Za-z0-9_*-]{4,}/g, 'sk-[redacted]');
  }
}

const Env = z.object({
  OPENAI_API_KEY: z.string().trim().optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  FLYWHEEL_OPENAI_MODEL: z.string().trim().min(1).optional(),
  FLYWHEEL_OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).optional(),
});

/** An environment variable for the OpenAI generator has a value it cannot use. */
export class OpenAiConfigError extends Error {
  override readonly name = 'OpenAiConfigError';
}

/**
 * The OpenAI language model configured by the environment (OPENAI_API_KEY, OPENAI_BASE_URL, FLYWHEEL_OPENAI_MODEL,
 * FLYWHEEL_OPENAI_TIMEOUT_MS), or undefined when OPENAI_API_KEY is not set (the offline generator applies).
 */
export function languageModelFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: Pick<OpenAiLanguageModelOptions, 'fetch' | 'maxRetries'> = {},
): OpenAiLanguageModel | undefined {
  // Empty values count as unset, as in a .env file with `OPENAI_BASE_URL=`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new OpenAiConfigError(`The OpenAI settings are invalid: ${problems.join('; ')}`);
  }
  const { OPENAI_API_KEY, OPENAI_BASE_URL, FLYWHEEL_OPENAI_MODEL, FLYWHEEL_OPENAI_TIMEOUT_MS } = parsed.data;
  if (!OPENAI_API_KEY) return undefined;
  return new OpenAiLanguageModel({
    apiKey: OPENAI_API_KEY,
    ...(OPENAI_BASE_URL ? { baseURL: OPENAI_BASE_URL.replace(/\/+$/, '') } : {}),
    ...(FLYWHEEL_OPENAI_MODEL ? { model: FLYWHEEL_OPENAI_MODEL } : {}),
    ...(FLYWHEEL_OPENAI_TIMEOUT_MS ? { timeoutMs: FLYWHEEL_OPENAI_TIMEOUT_MS } : {}),
    ...options,
  });
}
