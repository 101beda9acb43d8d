import { LIVE_TRADING_VARIABLES } from '@shared/adapters/ccxt/broker-from-env';
import type { SecretStore } from '@shared/ports/secret-store';
import { z } from 'zod';

/** The `exchange-credentials` secret is not the JSON object it should be; the message names keys, never values. */
export class ExchangeCredentialsError extends Error {
  override readonly name = 'ExchangeCredentialsError';
}

const names = LIVE_TRADING_VARIABLES;

/** The keys the `exchange-credentials` secret may hold: liveBrokerFromEnv's variables, except the live flag. */
export const EXCHANGE_CREDENTIAL_NAMES = [
  names.exchange,
  names.apiKey,
  names.secret,
  names.password,
  names.sandbox,
  names.marketType,
] as const;

/** The variables the `exchange-credentials` secret sets, by name. */
export type ExchangeCredentials = Partial<Record<(typeof EXCHANGE_CREDENTIAL_NAMES)[number], string>>;

// The error callback sees the input only to tell missing from mistyped; the message never carries it.
const text = z
  .string({ error: (issue) => (issue.input === undefined ? 'missing' : 'must be a string') })
  .trim()
  .min(1, 'must not be empty');
const CredentialsJsonSchema = z
  .object({
    [names.exchange]: text,
    [names.apiKey]: text,
    [names.secret]: text,
    [names.password]: text.optional(),
    [names.sandbox]: z.enum(['0', '1']).optional(),
    [names.marketType]: z.enum(['spot', 'swap']).optional(),
  })
  .strict();

const EXAMPLE = `{"${names.exchange}": "binance", "${names.apiKey}": "…", "${names.secret}": "…"}`;

/**
 * The credentials in the `exchange-credentials` secret: a JSON object such as
 * `{"FLYWHEEL_EXCHANGE_ID": "binance", "FLYWHEEL_EXCHANGE_API_KEY": "…", "FLYWHEEL_EXCHANGE_SECRET": "…"}`; none
 * when the secret is unset. Errors name the keys at fault and never quote a value.
 */
export function exchangeCredentialsFromJson(json: string | undefined): ExchangeCredentials {
  if (json === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // JSON.parse's message quotes the text around the fault, which may be a key: it is dropped.
    throw new ExchangeCredentialsError(
      `the exchange-credentials secret is not JSON: put an object such as ${EXAMPLE}`,
    );
  }
  if (typeof value === 'object' && value !== null && names.flag in value) {
    throw new ExchangeCredentialsError(
      `the exchange-credentials secret holds ${names.flag}, which it may not: live trading is switched on by the deployment (trading.liveTrading in the stage configuration), never by the secret; remove the key`,
    );
  }
  const parsed = CredentialsJsonSchema.safeParse(value);
  if (!parsed.success) {
    // Only the path and zod's message, which states what was expected, never the input.
    const problems = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.join(', ')}`
        : `${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    );
    throw new ExchangeCredentialsError(
      `the exchange-credentials secret is invalid (${problems.join('; ')}); it is an object such as ${EXAMPLE}, optionally with ${names.password}, ${names.sandbox} ("1" for the testnet) and ${names.marketType} ("spot" or "swap")`,
    );
  }
  const credentials: ExchangeCredentials = {};
  for (const [name, credential] of Object.entries(parsed.data)) {
    if (typeof credential === 'string') credentials[name as keyof ExchangeCredentials] = credential;
  }
  return credentials;
}

/**
 * The environment the live-trading gate (liveBrokerFromEnv) reads: `env` with the `exchange-credentials` secret's
 * values over it. The secret is read only when `env` switches live trading on (FLYWHEEL_LIVE_TRADING=1, set by
 * the deployment, never by the secret), so on paper the keys are never loaded at all.
 */
export async function liveTradingEnvironment(
  secrets: SecretStore,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Readonly<Record<string, string | undefined>>> {
  if (env[names.flag]?.trim() !== '1') return env;
  return { ...env, ...exchangeCredentialsFromJson(await secrets.get('exchange-credentials')) };
}
