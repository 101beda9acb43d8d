import {
  type LanguageModel,
  LanguageModelError,
  type LanguageModelUsage,
  type StructuredCompletion,
  type StructuredRequest,
} from '@shared/ports/language-model';

/** What a scripted model answers to one request: a value (checked against the request's schema) or a failure. */
export type ScriptedReply =
  | { value: unknown; usage?: LanguageModelUsage; model?: string }
  | { error: string };

/**
 * A language model in memory: each request goes to `reply`, which sees the request and how many requests came
 * for the same schema before it. Answers are parsed with the request's schema, as the OpenAI adapter does.
 */
export class ScriptedModel implements LanguageModel {
  readonly requests: StructuredRequest<unknown>[] = [];

  constructor(
    private readonly reply: (request: StructuredRequest<unknown>, turn: number) => ScriptedReply,
    readonly model = 'gpt-4.1-mini',
  ) {}

  async complete<T>(request: StructuredRequest<T>): Promise<StructuredCompletion<T>> {
    const turn = this.requests.filter((earlier) => earlier.schemaName === request.schemaName).length;
    this.requests.push(request as StructuredRequest<unknown>);
    const reply = this.reply(request as StructuredRequest<unknown>, turn);
    if ('error' in reply) throw new LanguageModelError(reply.error);
    return {
      value: request.schema.parse(reply.value),
      usage: reply.usage ?? { inputTokens: 1000, outputTokens: 200 },
      model: reply.model ?? this.model,
    };
  }

  /** The requests for one platform, in order. */
  requestsFor(platform: string): StructuredRequest<unknown>[] {
    return this.requests.filter((request) => request.schemaName === `${platform}_version`);
  }
}
