import { describe, expect, it } from '@jest/globals';
import { liveBrokerFromEnv } from '@shared/adapters/ccxt/broker-from-env';
import type { SecretStore } from '@shared/ports/secret-store';
import {
  ExchangeCredentialsError,
  exchangeCredentialsFromJson,
  liveTradingEnvironment,
} from '../../../functions/lib/exchange-credentials';

const KEY = 'key-AbCdEf0123456789';
const SECRET = 'secret-ZyXwVu9876543210';
const PASSWORD = 'pass-Qq1234567';
const credentials = {
  FLYWHEEL_EXCHANGE_ID: 'binance',
  FLYWHEEL_EXCHANGE_API_KEY: KEY,
  FLYWHEEL_EXCHANGE_SECRET: SECRET,
};

/** A secret store holding the exchange-credentials secret, counting its reads. */
function storeWith(value: string | undefined) {
  const reads: string[] = [];
  const store: SecretStore = {
    get: async (name) => {
      reads.push(name);
      return name === 'exchange-credentials' ? value : undefined;
    },
    howToSet: () => 'put it',
  };
  return { store, reads };
}

function errorOf(json: string): ExchangeCredentialsError {
  try {
    exchangeCredentialsFromJson(json);
  } catch (error) {
    if (error instanceof ExchangeCredentialsError) return error;
    throw error;
  }
  throw new Error('expected an ExchangeCredentialsError');
}

describe('the exchange-credentials secret', () => {
  it('reads the exchange, key, secret and the optional settings, trimmed', () => {
    expect(
      exchangeCredentialsFromJson(
        JSON.stringify({
          ...credentials,
          FLYWHEEL_EXCHANGE_API_KEY: ` ${KEY}\n`,
          FLYWHEEL_EXCHANGE_PASSWORD: PASSWORD,
          FLYWHEEL_EXCHANGE_SANDBOX: '1',
          FLYWHEEL_EXCHANGE_MARKET_TYPE: 'swap',
        }),
      ),
    ).toEqual({
      ...credentials,
      FLYWHEEL_EXCHANGE_PASSWORD: PASSWORD,
      FLYWHEEL_EXCHANGE_SANDBOX: '1',
      FLYWHEEL_EXCHANGE_MARKET_TYPE: 'swap',
    });
    expect(exchangeCredentialsFromJson(undefined)).toEqual({});
  });

  it('names the missing, empty, mistyped and unknown keys without ever quoting a value', () => {
    const error = errorOf(
      JSON.stringify({
        FLYWHEEL_EXCHANGE_API_KEY: KEY,
        FLYWHEEL_EXCHANGE_SECRET: '  ',
        FLYWHEEL_EXCHANGE_PASSWORD: 12345678,
        FLYWHEEL_EXCHANGE_SANDBOX: 'yes-please',
        FLYWHEEL_EXCHANGE_MARKET_TYPE: 'margin-xyz',
        FLYWHEEL_EXCHANGE_APIKEY: KEY,
      }),
    );
    expect(error.message).toMatch(/^the exchange-credentials secret is invalid/);
    expect(error.message).toContain('FLYWHEEL_EXCHANGE_ID: missing');
    expect(error.message).toContain('FLYWHEEL_EXCHANGE_SECRET: must not be empty');
    expect(error.message).toContain('FLYWHEEL_EXCHANGE_PASSWORD: must be a string');
    for (const key of [
      'FLYWHEEL_EXCHANGE_ID',
      'FLYWHEEL_EXCHANGE_SECRET',
      'FLYWHEEL_EXCHANGE_PASSWORD',
      'FLYWHEEL_EXCHANGE_SANDBOX',
      'FLYWHEEL_EXCHANGE_MARKET_TYPE',
      'FLYWHEEL_EXCHANGE_APIKEY',
    ])
      expect(error.message).toContain(key);
    for (const value of [KEY, '12345678', 'yes-please', 'margin-xyz'])
      expect(error.message).not.toContain(value);
  });

  it('says the secret is not JSON without quoting any of it', () => {
    const error = errorOf(`{"FLYWHEEL_EXCHANGE_API_KEY": "${KEY}", "FLYWHEEL_EXCHANGE_SECRET": ${SECRET}}`);
    expect(error.message).toMatch(/^the exchange-credentials secret is not JSON: put an object such as \{/);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain(SECRET);
    expect(errorOf('["a list"]').message).toMatch(/\(top level\)/);
  });

  it('refuses FLYWHEEL_LIVE_TRADING in the secret: only the deployment switches live trading on', () => {
    const error = errorOf(JSON.stringify({ ...credentials, FLYWHEEL_LIVE_TRADING: '1' }));
    expect(error.message).toMatch(/holds FLYWHEEL_LIVE_TRADING, which it may not.*trading\.liveTrading/);
    expect(error.message).not.toContain(KEY);
  });
});

describe('the live-trading environment', () => {
  it('puts the secret’s credentials over the environment’s when live trading is switched on', async () => {
    const { store, reads } = storeWith(JSON.stringify({ ...credentials, FLYWHEEL_EXCHANGE_ID: 'kraken' }));
    const env = {
      FLYWHEEL_LIVE_TRADING: '1',
      FLYWHEEL_EXCHANGE_ID: 'okx',
      FLYWHEEL_EXCHANGE_API_KEY: 'stale-key',
      FLYWHEEL_EXCHANGE_MARKET_TYPE: 'swap',
      OTHER: 'kept',
    };
    const merged = await liveTradingEnvironment(store, env);
    expect(merged).toEqual({
      FLYWHEEL_LIVE_TRADING: '1',
      FLYWHEEL_EXCHANGE_ID: 'kraken',
      FLYWHEEL_EXCHANGE_API_KEY: KEY,
      FLYWHEEL_EXCHANGE_SECRET: SECRET,
      FLYWHEEL_EXCHANGE_MARKET_TYPE: 'swap',
      OTHER: 'kept',
    });
    expect(reads).toEqual(['exchange-credentials']);
    // The gate opens on the secret's keys alone (building the exchange makes no request).
    const choice = liveBrokerFromEnv(merged);
    expect(choice.broker ? choice.summary : choice.reason).toBe('live trading on kraken, swap markets');
    expect(env.FLYWHEEL_EXCHANGE_API_KEY).toBe('stale-key');
  });

  it('keeps the individual variables when the secret is unset', async () => {
    const { store } = storeWith(undefined);
    const env = { FLYWHEEL_LIVE_TRADING: '1', ...credentials };
    expect(await liveTradingEnvironment(store, env)).toEqual(env);
  });

  it('does not read the secret at all while live trading is off, so paper never loads the keys', async () => {
    const { store, reads } = storeWith('not even JSON');
    for (const flag of [undefined, '0', 'true']) {
      const env = { FLYWHEEL_LIVE_TRADING: flag };
      expect(await liveTradingEnvironment(store, env)).toBe(env);
    }
    expect(reads).toEqual([]);
  });

  it('fails with the secret’s problem when live trading is on and the secret is malformed', async () => {
    const { store } = storeWith(JSON.stringify({ FLYWHEEL_EXCHANGE_API_KEY: KEY }));
    await expect(liveTradingEnvironment(store, { FLYWHEEL_LIVE_TRADING: '1' })).rejects.toThrow(
      ExchangeCredentialsError,
    );
    await expect(liveTradingEnvironment(store, { FLYWHEEL_LIVE_TRADING: '1' })).rejects.toThrow(
      /FLYWHEEL_EXCHANGE_SECRET/,
    );
  });
});
