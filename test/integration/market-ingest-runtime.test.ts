import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { EventBridgeEnvelope } from '@shared/adapters/local/event-pattern';
import { MarketIngestScheduleSchema } from '@shared/market/settings';
import { type Runtime, startRuntime } from '../../local/runtime/runtime';
import { FakeExchange, makeCandles } from '../support/fake-exchange';
import { tempHome } from '../support/temp-home';

const ROOT = join(__dirname, '../..');
const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);

describe('market-ingest on the local runtime', () => {
  let runtime: Runtime | undefined;
  let exchange: FakeExchange | undefined;

  afterEach(async () => {
    await runtime?.stop();
    await exchange?.close();
  });

  it('fires each market.ingest schedule, stores the candles in SQLite and emits CandlesIngested', async () => {
    // Prepare
    exchange = await new FakeExchange().start();
    exchange.setCandles('BTCUSDT', '1h', makeCandles(START, HOUR, 30));
    const events: EventBridgeEnvelope[] = [];
    const logs: string[] = [];
    const schedule = MarketIngestScheduleSchema.parse({
      name: 'candles-hourly',
      expression: 'rate(1 hour)',
      symbols: ['BTC/USDT'],
      timeframes: ['1h'],
      start: '2024-01-01',
    });

    // Act: a rate schedule fires once when the runtime starts.
    runtime = await startRuntime({
      home: tempHome('market-ingest'),
      cwd: ROOT,
      workers: 1,
      log: (line) => logs.push(line),
      env: { FLYWHEEL_EXCHANGE_URL: exchange.url },
      marketIngest: [schedule],
    });
    runtime.onEvent((event) => events.push(event));
    const deadline = Date.now() + 20_000;
    while (events.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await runtime.scheduler.idle();
    await runtime.idle();

    // Assess
    expect(logs).toEqual([]);
    const series = { market: 'binance:BTC/USDT', timeframe: '1h' };
    expect(await runtime.adapters.candles.range(series, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(30);
    expect(events.map((event) => [event['detail-type'], event.detail])).toEqual([
      [
        'CandlesIngested',
        expect.objectContaining({ market: 'binance:BTC/USDT', count: 30, firstCandleTime: START, gaps: [] }),
      ],
    ]);
    expect(runtime.scheduler.list().map((entry) => entry.name)).toContain('candles-hourly');
  });
});
