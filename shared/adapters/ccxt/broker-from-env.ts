import ccxt, { type Exchange } from 'ccxt';
import { CcxtBroker, type CcxtBrokerOptions } from './broker';

/** The environment variables that turn live trading on; values of the key variables are never logged. */
export const LIVE_TRADING_VARIABLES = {
  /** Must be exactly `1`: live trading is never on by accident. */
  flag: 'FLYWHEEL_LIVE_TRADING',
  /** A ccxt exchange id (`binance`, `kraken`, …); `binance` when unset. */
  exchange: 'FLYWHEEL_EXCHANGE_ID',
  apiKey: 'FLYWHEEL_EXCHANGE_API_KEY',
  secret: 'FLYWHEEL_EXCHANGE_SECRET',
  /** Only for exchanges whose keys have a passphrase (OKX, KuCoin, …). */
  password: 'FLYWHEEL_EXCHANGE_PASSWORD',
  /** `1`: trade on the exchange's sandbox/testnet (ccxt's setSandboxMode), with testnet keys. */
  sandbox: 'FLYWHEEL_EXCHANGE_SANDBOX',
  /** `spot` (default) or `swap`: which markets are loaded and traded. */
  marketType: 'FLYWHEEL_EXCHANGE_MARKET_TYPE',
} as const;

/** The exchange traded when FLYWHEEL_EXCHANGE_ID is unset. */
export const DEFAULT_EXCHANGE_ID = 'binance';

/** How liveBrokerFromEnv builds the exchange. */
export interface LiveBrokerOptions {
  /** Replaces ccxt's HTTP client (its documented `fetchImplementation` seam); tests point it at a loopback server. */
  readonly fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  readonly broker?: CcxtBrokerOptions;
}

/** The outcome of the live-trading gate: a live broker, or the reason the caller must fall back to paper. */
export type LiveBrokerChoice =
  | {
      readonly broker: CcxtBroker;
      /** One line for the start-up log, e.g. "live trading on binance (sandbox), spot markets"; no secrets. */
      readonly summary: string;
    }
  | { readonly broker: undefined; readonly reason: string };

type ExchangeConstructor = new (config: Record<string, unknown>) => Exchange;

/**
 * The live-trading gate: a CcxtBroker only when FLYWHEEL_LIVE_TRADING=1 and the exchange's API key and secret
 * are set (and the sandbox, when asked for, exists); otherwise no broker and the reason, so the caller trades
 * on paper and says why. The keys go to ccxt and nowhere else.
 */
export function liveBrokerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: LiveBrokerOptions = {},
): LiveBrokerChoice {
  const names = LIVE_TRADING_VARIABLES;
  const refuse = (reason: string): LiveBrokerChoice => ({ broker: undefined, reason });
  const flag = env[names.flag]?.trim();
  if (flag !== '1') {
    return refuse(
      flag
        ? `${names.flag} is "${flag}", not 1: trading on paper; set ${names.flag}=1 to trade live`
        : `${names.flag} is not set: trading on paper (the default)`,
    );
  }
  const exchangeId = env[names.exchange]?.trim() || DEFAULT_EXCHANGE_ID;
  const Constructor = (ccxt as unknown as Record<string, ExchangeConstructor | undefined>)[exchangeId];
  if (!ccxt.exchanges.includes(exchangeId) || typeof Constructor !== 'function') {
    return refuse(
      `${names.exchange}="${exchangeId}" is not an exchange ccxt knows: trading on paper; use a ccxt id such as binance, kraken or okx`,
    );
  }
  const apiKey = env[names.apiKey]?.trim();
  const secret = env[names.secret]?.trim();
  const missing = [!apiKey && names.apiKey, !secret && names.secret].filter(Boolean);
  if (!apiKey || !secret) {
    return refuse(
      `${names.flag}=1 but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: trading on paper; create an API key with trading permission on ${exchangeId} and set both`,
    );
  }
  const marketType = env[names.marketType]?.trim() || 'spot';
  if (marketType !== 'spot' && marketType !== 'swap') {
    return refuse(`${names.marketType}="${marketType}" is neither spot nor swap: trading on paper`);
  }
  const sandbox = env[names.sandbox]?.trim() === '1';
  const password = env[names.password]?.trim();

  const exchange = new Constructor({
    apiKey,
    secret,
    ...(password ? { password } : {}),
    enableRateLimit: true,
    options: {
      defaultType: marketType,
      // Reconciliation lists open orders across symbols; the caller accepts the heavier request weight.
      warnOnFetchOpenOrdersWithoutSymbol: false,
      ...(exchangeId === 'binance'
        ? {
            // Load only the traded market type, and skip the margin and wallet endpoints a trading key may not reach.
            fetchMarkets: { types: [marketType === 'spot' ? 'spot' : 'linear'] },
            fetchCurrencies: false,
            fetchMargins: false,
          }
        : {}),
    },
  });
  if (options.fetch) exchange.fetchImplementation = options.fetch;
  if (sandbox) {
    // Some exchanges declare an empty test URL, which setSandboxMode would accept and then call nowhere.
    const testUrls = (exchange.urls as Record<string, unknown>).test;
    try {
      if (!testUrls) throw new Error('no sandbox URL');
      exchange.setSandboxMode(true);
    } catch {
      return refuse(
        `${names.sandbox}=1 but ${exchangeId} has no sandbox in ccxt: trading on paper rather than live; unset ${names.sandbox} to trade live or pick an exchange with a testnet`,
      );
    }
  }
  return {
    broker: new CcxtBroker(exchange, options.broker),
    summary: `live trading on ${exchangeId}${sandbox ? ' (sandbox/testnet)' : ''}, ${marketType} markets`,
  };
}
