import { languageModelFromEnv, OpenAiConfigError } from '@shared/adapters/openai/openai-language-model';
import type { VersionGenerator } from '@shared/content/generator';
import { generatorFor } from '../../functions/lib/content-generators';
import { InputError } from '../cli/errors';

/**
 * The generator the CLI uses: OpenAI's when OPENAI_API_KEY is set (OPENAI_BASE_URL, FLYWHEEL_OPENAI_MODEL), the
 * offline extractive one otherwise or when `offline` is asked for. A malformed setting is bad input (exit 2).
 */
export function contentGenerator(
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly offline: boolean },
): VersionGenerator {
  if (options.offline) return generatorFor(undefined);
  try {
    return generatorFor(languageModelFromEnv(env));
  } catch (error) {
    if (error instanceof OpenAiConfigError) throw new InputError(error.message);
    throw error;
  }
}
