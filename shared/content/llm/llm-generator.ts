import { z } from 'zod';
import {
  type LanguageModel,
  LanguageModelError,
  type LanguageModelMessage,
  type LanguageModelUsage,
} from '../../ports/language-model';
import { countIn } from '../count';
import { measureVersion } from '../finalize';
import type { CandidateVersion, GenerationRequest, VersionGenerator } from '../generator';
import type { PlatformLimit } from '../limits';
import type { ContentSource, GeneratorReport, PlatformId, VersionCheck } from '../model';
import { applyVoice, emojiAllowance, emojiIn, limitEmoji } from '../voice';
import {
  describeReason,
  platformTask,
  type ShrinkReason,
  shrinkPrompt,
  sourcePrompt,
  systemPrompt,
  UNIT_NAMES,
} from './prompts';

/** What a model costs, in US dollars per million tokens (the OpenAI adapter's `modelPrice` returns this shape). */
export interface TokenPrice {
  readonly inputUsdPerMillion: number;
  readonly outputUsdPerMillion: number;
}

/** How the LLM generator runs. */
export interface LlmGeneratorOptions {
  /** Times an over-limit version goes back to the model to shrink, per platform. */
  readonly maxShrinkRetries?: number;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** The price of a model by the name the server reports; cost is unknown without it. */
  readonly priceOf?: (model: string) => TokenPrice | undefined;
  /** Called once per `generate` with the tokens it used and their cost, for per-draft metrics. */
  readonly onUsage?: (usage: LanguageModelUsage, model: string, costUsd: number | undefined) => void;
  /** Writes the platforms the model could not (refusal, outage), with a warning, instead of failing the piece. */
  readonly fallback?: VersionGenerator;
}

/** Retries when none are configured: two shrinks catch nearly every overshoot without tripling the cost. */
export const DEFAULT_SHRINK_RETRIES = 2;
/** Requests in flight when not configured: 11 platforms in two rounds, well inside OpenAI's lowest rate tier. */
export const DEFAULT_CONCURRENCY = 6;

type Answer = { readonly text: string } | { readonly posts: readonly string[] };

const TextAnswer = z.object({ text: z.string() });
const ThreadAnswer = z.object({ posts: z.array(z.string()) });

/**
 * Writes each platform's version with a language model (OpenAI or a compatible server) through the port.
 *
 * One request per platform rather than one for all: each answer is short enough (about 1,000 output tokens at
 * most) to arrive well within the adapter's per-attempt timeout, the requests run in parallel so a piece takes
 * the time of its longest version instead of the sum, a refusal or outage costs one platform rather than all,
 * and a shrink retry resends one version's conversation. The price is the source sent once per platform; the
 * system prompt and source lead every request so the server's prompt cache can reuse that prefix.
 *
 * Each answer is measured with `measureVersion`; one over a limit goes back to the model to shrink, at most
 * `maxShrinkRetries` times, and each retry is recorded in the candidate's warnings. What still does not fit is
 * left to `finalizeVersion`'s sentence-boundary cut.
 */
export class LlmGenerator implements VersionGenerator {
  private readonly maxShrinkRetries: number;
  private readonly concurrency: number;
  private readonly usage = { inputTokens: 0, outputTokens: 0 };
  private cost: number | undefined = 0;
  private answeredBy: string | undefined;

  constructor(
    private readonly model: LanguageModel,
    private readonly options: LlmGeneratorOptions = {},
  ) {
    this.maxShrinkRetries = Math.max(0, options.maxShrinkRetries ?? DEFAULT_SHRINK_RETRIES);
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  async generate(source: ContentSource, request: GenerationRequest): Promise<readonly CandidateVersion[]> {
    const tally = new Tally(this.options.priceOf);
    const system = systemPrompt(request.tone, request.voice);
    const sourceText = sourcePrompt(source);
    const failures = new Map<PlatformId, LanguageModelError>();
    try {
      const candidates = await inParallel(request.platforms, this.concurrency, async (platform) => {
        try {
          return await this.writeOne(platform, source, request, system, sourceText, tally);
        } catch (error) {
          if (!(error instanceof LanguageModelError)) throw error;
          failures.set(platform, error);
          return undefined;
        }
      });
      if (failures.size === 0) return candidates as CandidateVersion[];
      return await this.withFallback(candidates, failures, source, request);
    } finally {
      this.record(tally);
    }
  }

  report(): GeneratorReport {
    const used = this.usage.inputTokens + this.usage.outputTokens > 0;
    return {
      name: 'openai',
      model: this.answeredBy ?? this.model.model,
      usage: { ...this.usage },
      ...(used && this.cost !== undefined ? { costUsd: this.cost } : {}),
    };
  }

  /** One platform: ask, measure, and send it back to shrink while it is over a limit and retries remain. */
  private async writeOne(
    platform: PlatformId,
    source: ContentSource,
    request: GenerationRequest,
    system: string,
    sourceText: string,
    tally: Tally,
  ): Promise<CandidateVersion> {
    const limit = request.limits[platform];
    const schema = platform === 'x-thread' ? ThreadAnswer : TextAnswer;
    const messages: LanguageModelMessage[] = [
      { role: 'user', content: `${sourceText}\n\n${platformTask(platform, limit)}` },
    ];
    const ask = async (): Promise<Answer> => {
      const answer = await this.model.complete<Answer>({
        system,
        // A copy: the conversation grows after this request was sent.
        messages: [...messages],
        schema,
        schemaName: `${platform}_version`,
      });
      tally.add(answer.usage, answer.model);
      return answer.value;
    };

    let answer = await ask();
    const warnings: string[] = [];
    let retries = 0;
    let reasons = shrinkReasons(platform, toCandidate(platform, answer, []), source, request, limit);
    while (reasons.length > 0 && retries < this.maxShrinkRetries) {
      messages.push({ role: 'assistant', content: JSON.stringify(answer) });
      messages.push({ role: 'user', content: shrinkPrompt(platform, reasons) });
      try {
        answer = await ask();
      } catch (error) {
        // The last answer stands; finalize cuts what does not fit.
        if (!(error instanceof LanguageModelError)) throw error;
        warnings.push(`the model could not shrink it: ${error.message}`);
        break;
      }
      retries++;
      reasons = shrinkReasons(platform, toCandidate(platform, answer, []), source, request, limit);
    }
    if (retries > 0) warnings.push(`shrunk by the model: ${retries} ${retries === 1 ? 'retry' : 'retries'}`);
    if (reasons.length > 0 && retries > 0) {
      warnings.push(
        `still over the limit after the model’s shrinking: ${reasons.map(describeReason).join('; ')}`,
      );
    }
    const voiced = withVoice(toCandidate(platform, answer, []), source, request);
    return { ...voiced, warnings: [...warnings, ...voiced.warnings] };
  }

  /** The candidates with the platforms the model failed on written by the fallback; without one, an error naming them. */
  private async withFallback(
    candidates: readonly (CandidateVersion | undefined)[],
    failures: ReadonlyMap<PlatformId, LanguageModelError>,
    source: ContentSource,
    request: GenerationRequest,
  ): Promise<CandidateVersion[]> {
    const fallback = this.options.fallback;
    const failed = request.platforms.filter((platform) => failures.has(platform));
    if (!fallback) {
      const messages = [...new Set(failed.map((platform) => failures.get(platform)!.message))];
      throw new LanguageModelError(
        `The language model could not write ${failed.join(', ')}: ${messages.join(' | ')}`,
      );
    }
    const written = await fallback.generate(source, { ...request, platforms: failed });
    return request.platforms.map((platform, index) => {
      const fromModel = candidates[index];
      if (fromModel) return fromModel;
      const replacement = written.find((candidate) => candidate.platform === platform);
      const reason = failures.get(platform)?.message ?? 'no answer';
      if (!replacement)
        throw new LanguageModelError(`Neither the model nor the fallback wrote ${platform}: ${reason}`);
      return {
        ...replacement,
        warnings: [`written by the ${fallback.report().name} generator: ${reason}`, ...replacement.warnings],
      };
    });
  }

  private record(tally: Tally): void {
    if (tally.calls === 0) return;
    this.usage.inputTokens += tally.usage.inputTokens;
    this.usage.outputTokens += tally.usage.outputTokens;
    this.cost = this.cost === undefined || tally.cost === undefined ? undefined : this.cost + tally.cost;
    this.answeredBy = tally.model ?? this.answeredBy;
    this.options.onUsage?.({ ...tally.usage }, tally.model ?? this.model.model, tally.cost);
  }
}

/** Tokens and cost of one `generate`; the cost is unknown as soon as one answer came from an unpriced model. */
class Tally {
  readonly usage = { inputTokens: 0, outputTokens: 0 };
  cost: number | undefined = 0;
  calls = 0;
  model: string | undefined;

  constructor(private readonly priceOf: LlmGeneratorOptions['priceOf']) {}

  add(usage: LanguageModelUsage, model: string): void {
    this.calls++;
    this.model = model;
    this.usage.inputTokens += usage.inputTokens;
    this.usage.outputTokens += usage.outputTokens;
    const price = this.priceOf?.(model);
    this.cost =
      price === undefined || this.cost === undefined
        ? undefined
        : this.cost +
          (usage.inputTokens * price.inputUsdPerMillion + usage.outputTokens * price.outputUsdPerMillion) /
            1e6;
  }
}

/** Whether a candidate keeps within its platform's hard limits (length, bytes, words), as finalize measures them. */
function withinLimits(
  candidate: CandidateVersion,
  source: ContentSource,
  request: GenerationRequest,
): boolean {
  const measured = measureVersion(candidate, source, request);
  const hard = new Set(['bytes', 'words']);
  return (
    measured.overBy === 0 &&
    measured.checks.every(
      (check) => !hard.has(check.name) || check.limit === undefined || check.value <= check.limit,
    )
  );
}

/**
 * The brand voice applied to what the model wrote, as the offline generator applies it: sentences with a banned
 * word dropped, emoji within the policy (across a whole thread), the signature appended where it still fits.
 */
function withVoice(
  candidate: CandidateVersion,
  source: ContentSource,
  request: GenerationRequest,
): CandidateVersion {
  const { voice } = request;
  const { platform } = candidate;
  if (candidate.posts) {
    const posts = candidate.posts;
    const warnings: string[] = [];
    let emojiLeft = emojiAllowance(voice);
    const voiced = posts.map((post, index) => {
      const limited = limitEmoji(post, emojiLeft);
      emojiLeft -= emojiIn(limited).length;
      const signature = index === posts.length - 1 ? voice.signature : null;
      const fits = (text: string) => withinLimits({ platform, posts: [text], warnings: [] }, source, request);
      const result = applyVoice(limited, { ...voice, signature, emoji: 'expressive' }, fits);
      warnings.push(...result.warnings);
      return result.text;
    });
    return { platform, posts: voiced.filter((post) => post !== ''), warnings };
  }
  const fits = (text: string) => withinLimits({ platform, text, warnings: [] }, source, request);
  const result = applyVoice(candidate.text ?? '', voice, fits);
  return { platform, text: result.text, warnings: [...result.warnings] };
}

function toCandidate(platform: PlatformId, answer: Answer, warnings: readonly string[]): CandidateVersion {
  return 'posts' in answer
    ? { platform, posts: answer.posts.map((post) => post.trim()), warnings }
    : { platform, text: answer.text.trim(), warnings };
}

/** What is over a limit in a candidate, as measured by finalize, in terms the model can act on. */
function shrinkReasons(
  platform: PlatformId,
  candidate: CandidateVersion,
  source: ContentSource,
  request: GenerationRequest,
  limit: PlatformLimit,
): ShrinkReason[] {
  const measured = measureVersion(candidate, source, request);
  const unit = UNIT_NAMES[limit.unit];
  const reasons: ShrinkReason[] = [];
  if (measured.count > measured.limit) {
    if (platform === 'x-thread') {
      for (const [index, post] of (candidate.posts ?? []).entries()) {
        const count = countIn(post, limit.unit, limit);
        if (count > limit.limit)
          reasons.push({ kind: 'length', part: `post ${index + 1}`, value: count, limit: limit.limit, unit });
      }
    } else {
      reasons.push({ kind: 'length', value: measured.count, limit: measured.limit, unit });
    }
  }
  for (const check of measured.checks) {
    const reason = overCheck(check);
    if (reason) reasons.push(reason);
  }
  return reasons;
}

/**
 * A failed check with an upper bound, other than the main count: bytes, a script's words, a thread's posts.
 * Extra hashtags are not worth a request: finalize drops them without losing a sentence.
 */
function overCheck(check: VersionCheck): ShrinkReason | undefined {
  if (check.ok || check.limit === undefined || check.value <= check.limit) return undefined;
  const known: Record<string, Pick<ShrinkReason, 'kind' | 'unit'>> = {
    bytes: { kind: 'length', unit: 'bytes in UTF-8' },
    words: { kind: 'length', unit: 'words' },
    posts: { kind: 'count', unit: 'posts' },
  };
  const shape = Object.hasOwn(known, check.name) ? known[check.name] : undefined;
  return shape && { ...shape, value: check.value, limit: check.limit };
}

/** Maps items with at most `concurrency` promises pending, keeping their order. */
async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
