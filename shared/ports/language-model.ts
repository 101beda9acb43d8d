import type { ZodType } from 'zod';

/** Tokens one completion used. */
export interface LanguageModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One turn of a conversation with the model. */
export interface LanguageModelMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** A request for an answer that matches a schema (structured outputs). */
export interface StructuredRequest<T> {
  readonly system: string;
  readonly messages: readonly LanguageModelMessage[];
  /** The shape of the answer; the adapter sends it as a JSON schema and parses the answer with it. */
  readonly schema: ZodType<T>;
  /** The schema's name as the model sees it (letters, digits, `_`, `-`). */
  readonly schemaName: string;
}

/** A parsed answer, with what it cost. */
export interface StructuredCompletion<T> {
  readonly value: T;
  readonly usage: LanguageModelUsage;
  /** The model that answered, as the server reports it. */
  readonly model: string;
}

/** The model could not answer (refusal, unparseable output, timeout after retries); the message says which. */
export class LanguageModelError extends Error {
  override readonly name = 'LanguageModelError';
}

/** A text model that answers in a given shape: OpenAI or an OpenAI-compatible server. */
export interface LanguageModel {
  /** The configured model name, for reports before any call. */
  readonly model: string;
  complete<T>(request: StructuredRequest<T>): Promise<StructuredCompletion<T>>;
}
