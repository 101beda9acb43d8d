import { setTimeout as wait } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCandleStore } from '@shared/adapters/aws/dynamo-candle-store';
import { EventBridgeBus } from '@shared/adapters/aws/eventbridge-bus';
import { CcxtMarketDataSource } from '@shared/adapters/ccxt/market-data';
import { systemClock } from '@shared/ports/clock';
import type { MarketDataSource } from '@shared/ports/market-data-source';
import { RESOURCE_VARIABLES } from '../../events/topology';
import { requiredVariable as need } from '../lib/aws-dependencies';
import { lambda } from '../lib/lambda';
import { logger } from '../lib/observability';
import { createMarketIngester } from './app';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const events = new EventBridgeClient({});
const sources = new Map<string, MarketDataSource>();

/** Built on the first invocation, once per container, so a missing grant fails the run with its name. */
let ingester: ReturnType<typeof createMarketIngester> | undefined;

function marketIngester(): ReturnType<typeof createMarketIngester> {
  ingester ??= createMarketIngester({
    store: new DynamoCandleStore({
      documents,
      table: need(RESOURCE_VARIABLES.table('candles'), 'the candles table'),
    }),
    source: (exchange) => {
      let source = sources.get(exchange);
      if (!source) {
        source = new CcxtMarketDataSource({ exchangeId: exchange });
        sources.set(exchange, source);
      }
      return source;
    },
    bus: new EventBridgeBus({ client: events, busName: need(RESOURCE_VARIABLES.bus, 'the event bus') }),
    clock: systemClock,
    sleep: (ms) => wait(ms),
  });
  return ingester;
}

/** `market-ingest`: a configured schedule brings its candle series up to date. */
export const handler = lambda(async (event: unknown) => {
  const result = await marketIngester().run(event);
  for (const report of result.reports) {
    const fields = {
      schedule: result.schedule,
      market: report.series.market,
      timeframe: report.series.timeframe,
      inserted: report.inserted,
      duplicates: report.duplicates,
      gaps: report.gaps.length,
      complete: report.complete,
    };
    if (report.errors.length)
      logger.error('candle series not brought up to date', { ...fields, errors: report.errors });
    else logger.info('candle series ingested', fields);
  }
  return { events: result.events };
});
