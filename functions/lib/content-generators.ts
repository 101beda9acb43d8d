import { languageModelFromEnv } from '@shared/adapters/openai/openai-language-model';
import { modelPrice } from '@shared/adapters/openai/prices';
import type { VersionGenerator } from '@shared/content/generator';
import { LlmGenerator, type LlmGeneratorOptions } from '@shared/content/llm/llm-generator';
import { OfflineGenerator } from '@shared/content/offline';
import type { LanguageModel } from '@shared/ports/language-model';
import type { SecretStore } from '@shared/ports/secret-store';

/**
 * The generator for one piece: OpenAI's (the offline one writing any platform the model cannot) when the
 * `openai-api-key` secret is set, the offline extractive generator otherwise. Read at each piece, so setting the
 * key takes effect without a redeploy; OPENAI_BASE_URL and FLYWHEEL_OPENAI_MODEL come from `env`.
 */
export function generatorFactory(
  secrets: SecretStore,
  env: Readonly<Record<string, string | undefined>>,
): () => Promise<VersionGenerator> {
  return async () => {
    const apiKey = await secrets.get('openai-api-key');
    return generatorFor(languageModelFromEnv({ ...env, OPENAI_API_KEY: apiKey }));
  };
}

/** OpenAI's generator (the offline one writing any platform the model cannot) for a model, else the offline one. */
export function generatorFor(
  model: LanguageModel | undefined,
  hooks: Pick<LlmGeneratorOptions, 'onUsage'> = {},
): VersionGenerator {
  if (!model) return new OfflineGenerator();
  return new LlmGenerator(model, { priceOf: modelPrice, fallback: new OfflineGenerator(), ...hooks });
}
