import { type IngestReport, ingestCandles, marketKey } from '@shared/market/ingest';
import { MarketIngestRunSchema } from '@shared/market/settings';
import { parseTime } from '@shared/market-data/parse-time';
import type { CandleStore } from '@shared/ports/candle-store';
import type { Clock } from '@shared/ports/clock';
import type { BusEvent, EventBus } from '@shared/ports/event-bus';
import type { MarketDataSource } from '@shared/ports/market-data-source';
import { z } from 'zod';
import { type CandlesIngested, EVENT_SOURCE } from '../../events/catalog';

/** What market-ingest needs: the candle store, a source per exchange, the bus, a clock and a way to wait. */
export interface MarketIngestDependencies {
  readonly store: CandleStore;
  /** The market data source of an exchange id (built once per exchange and reused). */
  readonly source: (exchange: string) => MarketDataSource;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The payload a schedule sends: the run, with the schedule's name. */
export const ScheduledIngestSchema = MarketIngestRunSchema.extend({ schedule: z.string().min(1).optional() });

/** What one run did, series by series. */
export interface MarketIngestResult {
  readonly schedule: string | undefined;
  readonly reports: readonly IngestReport[];
  /** `CandlesIngested` events put on the bus (one per series that stored candles). */
  readonly events: number;
}

/** The `CandlesIngested` detail of a report that stored candles. */
export function candlesIngested(
  exchange: string,
  symbol: string,
  report: IngestReport,
): CandlesIngested | undefined {
  if (report.inserted === 0 || report.firstCandleTime === null || report.lastCandleTime === null)
    return undefined;
  return {
    market: marketKey(exchange, symbol),
    exchange,
    symbol,
    timeframe: report.series.timeframe,
    firstCandleTime: report.firstCandleTime,
    lastCandleTime: report.lastCandleTime,
    count: report.inserted,
    gaps: report.gaps.map(({ from, to, missing }) => ({ from, to, missing })),
  };
}

/**
 * market-ingest's use case: brings every configured symbol and timeframe up to date, one series after the other
 * (an exchange's rate limit is shared), and emits `CandlesIngested` for each series that stored candles. A series
 * that fails is reported and the others carry on; the next run resumes it from its last stored candle.
 */
export function createMarketIngester(deps: MarketIngestDependencies) {
  return {
    async run(payload: unknown): Promise<MarketIngestResult> {
      const run = ScheduledIngestSchema.parse(payload);
      const start = parseTime(run.start)!;
      const source = deps.source(run.exchange);
      const reports: IngestReport[] = [];
      const events: BusEvent<CandlesIngested>[] = [];
      for (const symbol of run.symbols) {
        for (const timeframe of run.timeframes) {
          const report = await ingestCandles(
            { source, store: deps.store, clock: deps.clock, sleep: deps.sleep },
            { symbol, timeframe, start },
          );
          reports.push(report);
          const detail = candlesIngested(run.exchange, symbol, report);
          if (detail) events.push({ source: EVENT_SOURCE, detailType: 'CandlesIngested', detail });
        }
      }
      if (events.length) await deps.bus.put(events);
      return { schedule: run.schedule, reports, events: events.length };
    },
  };
}
