import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { liveBrokerFromEnv } from '@shared/adapters/ccxt/broker-from-env';

const KEY = 'live-key-AbCdEf0123456789';
const SECRET = 'live-secret-ZyXwVu9876543210';
const complete = {
  FLYWHEEL_LIVE_TRADING: '1',
  FLYWHEEL_EXCHANGE_ID: 'binance',
  FLYWHEEL_EXCHANGE_API_KEY: KEY,
  FLYWHEEL_EXCHANGE_SECRET: SECRET,
};

function reasonFor(env: Record<string, string | undefined>): string {
  const choice = liveBrokerFromEnv(env);
  if (choice.broker) throw new Error(`expected a refusal, got ${choice.summary}`);
  return choice.reason;
}

describe('the live-trading gate', () => {
  it('trades on paper when FLYWHEEL_LIVE_TRADING is not set, even with keys', () => {
    const reason = reasonFor({ ...complete, FLYWHEEL_LIVE_TRADING: undefined });
    expect(reason).toBe('FLYWHEEL_LIVE_TRADING is not set: trading on paper (the default)');
  });

  it('accepts only 1 as the flag', () => {
    expect(reasonFor({ ...complete, FLYWHEEL_LIVE_TRADING: 'true' })).toMatch(
      /FLYWHEEL_LIVE_TRADING is "true", not 1: trading on paper; set FLYWHEEL_LIVE_TRADING=1/,
    );
  });

  it('names the missing key variables and trades on paper', () => {
    expect(reasonFor({ ...complete, FLYWHEEL_EXCHANGE_SECRET: undefined })).toMatch(
      /^FLYWHEEL_LIVE_TRADING=1 but FLYWHEEL_EXCHANGE_SECRET is not set: trading on paper/,
    );
    expect(
      reasonFor({ ...complete, FLYWHEEL_EXCHANGE_API_KEY: ' ', FLYWHEEL_EXCHANGE_SECRET: undefined }),
    ).toMatch(/FLYWHEEL_EXCHANGE_API_KEY and FLYWHEEL_EXCHANGE_SECRET are not set/);
  });

  it('refuses an exchange ccxt does not know', () => {
    expect(reasonFor({ ...complete, FLYWHEEL_EXCHANGE_ID: 'binancee' })).toMatch(
      /FLYWHEEL_EXCHANGE_ID="binancee" is not an exchange ccxt knows/,
    );
  });

  it('refuses a market type other than spot or swap', () => {
    expect(reasonFor({ ...complete, FLYWHEEL_EXCHANGE_MARKET_TYPE: 'option' })).toMatch(
      /FLYWHEEL_EXCHANGE_MARKET_TYPE="option" is neither spot nor swap/,
    );
  });

  it('never trades live when a sandbox is asked for on an exchange without one', () => {
    expect(
      reasonFor({ ...complete, FLYWHEEL_EXCHANGE_ID: 'kraken', FLYWHEEL_EXCHANGE_SANDBOX: '1' }),
    ).toMatch(/FLYWHEEL_EXCHANGE_SANDBOX=1 but kraken has no sandbox/);
  });

  it('builds a live broker when the flag and both keys are set, and never repeats the keys', () => {
    const choice = liveBrokerFromEnv(complete);

    expect(choice.broker?.name).toBe('ccxt:binance');
    expect(choice.broker && choice.summary).toBe('live trading on binance, spot markets');
    // However the choice is logged, serialised or printed, the keys stay out.
    for (const shown of [JSON.stringify(choice), inspect(choice, { depth: 20 }), String(choice.broker)]) {
      expect(shown).not.toContain(KEY);
      expect(shown).not.toContain(SECRET);
    }
  });

  it('uses the testnet when FLYWHEEL_EXCHANGE_SANDBOX=1', () => {
    const choice = liveBrokerFromEnv({ ...complete, FLYWHEEL_EXCHANGE_SANDBOX: '1' });

    expect(choice.broker?.name).toBe('ccxt:binance:sandbox');
    expect(choice.broker && choice.summary).toBe('live trading on binance (sandbox/testnet), spot markets');
  });

  it('defaults to binance when no exchange is named', () => {
    const choice = liveBrokerFromEnv({ ...complete, FLYWHEEL_EXCHANGE_ID: undefined });
    expect(choice.broker?.name).toBe('ccxt:binance');
  });

  it('never puts a key in a refusal', () => {
    const reasons = [
      reasonFor({ ...complete, FLYWHEEL_LIVE_TRADING: 'yes' }),
      reasonFor({ ...complete, FLYWHEEL_EXCHANGE_SECRET: undefined }),
      reasonFor({ ...complete, FLYWHEEL_EXCHANGE_ID: 'nope' }),
    ];
    for (const reason of reasons) {
      expect(reason).not.toContain(KEY);
      expect(reason).not.toContain(SECRET);
    }
  });
});
