import { CcxtMarketDataSource } from '@shared/adapters/ccxt/market-data';
import { systemClock } from '@shared/ports/clock';
import type { EventBus } from '@shared/ports/event-bus';
import type { MarketIngestDependencies } from '../../functions/market-ingest/app';
import type { LocalAdapters } from './local-adapters';

// Apart from local-adapters.ts so the backtest worker threads never load ccxt.
/** The variable that points ccxt at another origin than the exchange's (a loopback fake exchange in tests). */
export const EXCHANGE_URL_VARIABLE = 'FLYWHEEL_EXCHANGE_URL';

/** A ccxt market data source for an exchange id, honouring FLYWHEEL_EXCHANGE_URL. */
export function localMarketDataSource(
  exchange: string,
  env: Readonly<Record<string, string | undefined>>,
): CcxtMarketDataSource {
  const baseUrl = env[EXCHANGE_URL_VARIABLE];
  return new CcxtMarketDataSource({ exchangeId: exchange, ...(baseUrl ? { baseUrl } : {}) });
}

/** market-ingest's dependencies on local adapters: the SQLite candle store and one ccxt source per exchange. */
export function localMarketDependencies(
  adapters: LocalAdapters,
  bus: EventBus,
  env: Readonly<Record<string, string | undefined>>,
): MarketIngestDependencies {
  const sources = new Map<string, CcxtMarketDataSource>();
  return {
    store: adapters.candles,
    source: (exchange) => {
      let source = sources.get(exchange);
      if (!source) {
        source = localMarketDataSource(exchange, env);
        sources.set(exchange, source);
      }
      return source;
    },
    bus,
    clock: systemClock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
