/** What a model costs, in US dollars per million tokens. */
export interface ModelPrice {
  readonly inputUsdPerMillion: number;
  readonly outputUsdPerMillion: number;
}

/**
 * OpenAI's list prices (standard tier, text tokens) for the models Flywheel is likely to be pointed at, as
 * published on OpenAI's pricing page in 2025. Prices change: edit this table, it is the only copy.
 */
export const OPENAI_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4.1': { inputUsdPerMillion: 2, outputUsdPerMillion: 8 },
  'gpt-4.1-mini': { inputUsdPerMillion: 0.4, outputUsdPerMillion: 1.6 },
  'gpt-4.1-nano': { inputUsdPerMillion: 0.1, outputUsdPerMillion: 0.4 },
  'gpt-4o': { inputUsdPerMillion: 2.5, outputUsdPerMillion: 10 },
  'gpt-4o-mini': { inputUsdPerMillion: 0.15, outputUsdPerMillion: 0.6 },
  'o4-mini': { inputUsdPerMillion: 1.1, outputUsdPerMillion: 4.4 },
  'gpt-5': { inputUsdPerMillion: 1.25, outputUsdPerMillion: 10 },
  'gpt-5-mini': { inputUsdPerMillion: 0.25, outputUsdPerMillion: 2 },
  'gpt-5-nano': { inputUsdPerMillion: 0.05, outputUsdPerMillion: 0.4 },
};

/**
 * A model's price, by its name or a dated snapshot of it (`gpt-4.1-mini-2025-04-14` as the server reports it);
 * undefined for a model not in the table (a local OpenAI-compatible server, a fine-tune).
 */
export function modelPrice(model: string): ModelPrice | undefined {
  const name = model.trim().toLowerCase();
  const undated = name.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  // Own keys only: `constructor` is not a model.
  if (Object.hasOwn(OPENAI_PRICES, name)) return OPENAI_PRICES[name];
  return Object.hasOwn(OPENAI_PRICES, undated) ? OPENAI_PRICES[undated] : undefined;
}

/** US dollars for a number of input and output tokens at a price. */
export function costUsd(price: ModelPrice, usage: { inputTokens: number; outputTokens: number }): number {
  return (
    (usage.inputTokens * price.inputUsdPerMillion + usage.outputTokens * price.outputUsdPerMillion) / 1e6
  );
}
