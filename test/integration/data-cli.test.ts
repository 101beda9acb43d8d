import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqliteCandleStore } from '@shared/adapters/local/sqlite/candle-store';
import { openDatabase } from '@shared/adapters/local/sqlite/database';
import { FakeExchange, invalidSymbolResponse, makeCandles } from '../support/fake-exchange';
import { runFlywheel } from '../support/run-cli';
import { tempHome } from '../support/temp-home';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const SERIES = { market: 'binance:BTC/USDT', timeframe: '1h' };

describe('flywheel data fetch and import', () => {
  let exchange: FakeExchange;
  let home: string;
  let env: Record<string, string>;

  const storedCandles = () => {
    const db = openDatabase(join(home, 'flywheel.db'));
    try {
      return new SqliteCandleStore(db).range(SERIES, 0, Number.MAX_SAFE_INTEGER);
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    exchange = await new FakeExchange().start();
    home = tempHome('data');
    env = { FLYWHEEL_EXCHANGE_URL: exchange.url, FLYWHEEL_HOME: home };
  });

  afterEach(async () => {
    await exchange.close();
  });

  it('fetches candles from --since into a ccxt JSON rows file, with progress on stderr', async () => {
    // Prepare
    exchange.setCandles('BTCUSDT', '1h', makeCandles(START - 5 * HOUR, HOUR, 40));
    const out = join(home, 'btc-1h.json');

    // Act
    const run = await runFlywheel(
      [
        'data',
        'fetch',
        '--symbol',
        'BTC/USDT',
        '--timeframe',
        '1h',
        '--since',
        '2024-01-01',
        '--until',
        '2024-01-02',
        '--out',
        out,
        '--json',
      ],
      { env, cwd: home },
    );

    // Assess
    expect(run.stderr).toContain('fetched 24 candle(s), up to 2024-01-01T23:00:00.000Z');
    expect(run.code).toBe(0);
    const rows = JSON.parse(readFileSync(out, 'utf8')) as number[][];
    expect(rows).toHaveLength(24);
    expect(rows[0]).toEqual([START, 40_050, 40_075, 40_035, 40_055, 1.55]);
    expect(JSON.parse(run.stdout)).toMatchObject({
      market: 'binance:BTC/USDT',
      fetched: 24,
      firstCandleTime: '2024-01-01T00:00:00.000Z',
      lastCandleTime: '2024-01-01T23:00:00.000Z',
      gaps: [],
      out,
      database: null,
    });
    expect(exchange.requestsTo('/api/v3/klines')[0]?.query).toMatchObject({
      symbol: 'BTCUSDT',
      interval: '1h',
      startTime: String(START),
    });
  });

  it('stores into the local candle store, resumes from the last candle and reports a gap', async () => {
    // Prepare: 05:00 is missing.
    const candles = makeCandles(START, HOUR, 12);
    exchange.setCandles(
      'BTCUSDT',
      '1h',
      candles.slice(0, 8).filter((_, index) => index !== 5),
    );
    const args = ['data', 'fetch', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--since', '2024-01-01'];
    const first = await runFlywheel(args, { env, cwd: home });
    exchange.setCandles(
      'BTCUSDT',
      '1h',
      candles.filter((_, index) => index !== 5),
    );

    // Act
    const second = await runFlywheel([...args, '--json'], { env, cwd: home });

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'gap: 1 candle(s) missing from 2024-01-01T05:00:00.000Z to 2024-01-01T05:00:00.000Z',
    );
    expect(first.stdout).toContain('stored: 7 new, 0 already stored');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ inserted: 4, duplicates: 0, gaps: [] });
    expect(exchange.requestsTo('/api/v3/klines')[1]?.query.startTime).toBe(String(START + 8 * HOUR));
    expect((await storedCandles()).map((candle) => candle.openTime)).toEqual(
      candles.filter((_, index) => index !== 5).map((candle) => candle.openTime),
    );
  });

  it('exits 1 and says why when the exchange rejects the request', async () => {
    // Prepare
    exchange.failNext('/api/v3/klines', invalidSymbolResponse());

    // Act
    const run = await runFlywheel(
      ['data', 'fetch', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--since', '2024-01-01'],
      { env, cwd: home },
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('exchange error');
    expect(run.stdout).toContain('Invalid symbol');
  });

  it('exits 2 on a date, timeframe or exchange it cannot use', async () => {
    // Act
    const badDate = await runFlywheel(
      ['data', 'fetch', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--since', 'yesterday'],
      { env, cwd: home },
    );
    const badTimeframe = await runFlywheel(
      ['data', 'fetch', '--symbol', 'BTC/USDT', '--timeframe', '1M', '--since', '2024-01-01'],
      { env, cwd: home },
    );
    const badExchange = await runFlywheel(
      [
        'data',
        'fetch',
        '--exchange',
        'nowhere',
        '--symbol',
        'BTC/USDT',
        '--timeframe',
        '1h',
        '--since',
        '2024-01-01',
      ],
      { env, cwd: home },
    );

    // Assess
    expect([badDate.code, badTimeframe.code, badExchange.code]).toEqual([2, 2, 2]);
    expect(badDate.stderr).toContain('--since "yesterday" is not a date');
    expect(badTimeframe.stderr).toContain('timeframe "1M" is not supported');
    expect(badExchange.stderr).toContain('ccxt has no exchange "nowhere"');
    expect(exchange.requests).toHaveLength(0);
  });

  it('documents the exchange URL variable in --help', async () => {
    // Act
    const run = await runFlywheel(['data', 'fetch', '--help'], { env, cwd: home });

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('FLYWHEEL_EXCHANGE_URL');
    expect(run.stdout).toContain(
      'flywheel data fetch --exchange binance --symbol BTC/USDT --timeframe 1h --since 2024-01-01',
    );
  });

  it('imports a file offline, idempotently, and lists its gaps', async () => {
    // Prepare
    const rows = makeCandles(START, HOUR, 6)
      .filter((_, index) => index !== 2)
      .map((c) => [c.openTime, c.open, c.high, c.low, c.close, c.volume]);
    const file = join(home, 'btc.json');
    writeFileSync(file, JSON.stringify(rows));
    const args = ['data', 'import', file, '--symbol', 'BTC/USDT', '--timeframe', '1h'];

    // Act
    const first = await runFlywheel(args, { env: { FLYWHEEL_HOME: home }, cwd: home });
    const second = await runFlywheel([...args, '--json'], { env: { FLYWHEEL_HOME: home }, cwd: home });

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('5 candle(s)');
    expect(first.stdout).toContain('5 new, 0 already stored');
    expect(first.stdout).toContain('gap: 1 candle(s) missing from 2024-01-01T02:00:00.000Z');
    expect(JSON.parse(second.stdout)).toMatchObject({ inserted: 0, duplicates: 5 });
    expect(await storedCandles()).toHaveLength(5);
  });

  it('refuses a file that is not OHLCV with exit code 2, naming the file', async () => {
    // Prepare
    const file = join(home, 'bad.json');
    writeFileSync(file, '[[1, 2, 3]]');

    // Act
    const run = await runFlywheel(['data', 'import', file, '--symbol', 'BTC/USDT', '--timeframe', '1h'], {
      env: { FLYWHEEL_HOME: home },
      cwd: home,
    });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad.json');
  });
});
