import { describe, expect, it } from '@jest/globals';
import type { Bars } from '@shared/market-data/bars';
import type { StrategyRef } from '@shared/ports/strategy-resolver';
import { findBuiltinStrategy } from '@shared/strategies/builtin';
import { barsHash, canonicalJson, contentId } from '@shared/sweep/ids';
import { type DatasetForPlan, planSweep } from '@shared/sweep/plan';
import { parseSweepSpec, type SweepSpecError } from '@shared/sweep/spec';
import { barsFromCloses } from '../../support/bars';

const smaCross = findBuiltinStrategy('sma-cross')!;
const SMA_REF: StrategyRef = { name: 'sma-cross', identity: 'builtin:sma-cross@test' };

/** Runs act and returns what it threw, so a test can assert the error's class and message together. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

function columns(bars: Bars): Float64Array[] {
  return [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume];
}

/** A zig-zag series of `length` closes around 100. */
function closes(length: number): number[] {
  return Array.from({ length }, (_, i) => 100 + 10 * Math.sin(i / 7) + (i % 5));
}

function dataset(market: string, bars: Bars, name = `${market}.csv`): DatasetForPlan {
  return { market, name, hash: barsHash(columns(bars)), bars };
}

const BARS = barsFromCloses(closes(200));
const GOOG = dataset('GOOG', BARS);

/** A spec over fast 5..20 step 5 × slow 30, 40: 8 combinations, in chunks of 3. */
function spec(overrides: Record<string, unknown> = {}) {
  return parseSweepSpec({
    strategy: 'sma-cross',
    params: { fast: '5:20:5', slow: [30, 40] },
    datasets: ['GOOG.csv'],
    chunkSize: 3,
    ...overrides,
  });
}

function plan(overrides: Record<string, unknown> = {}, datasets: readonly DatasetForPlan[] = [GOOG]) {
  return planSweep({ spec: spec(overrides), strategy: smaCross, strategyRef: SMA_REF, datasets });
}

describe('planSweep splits a grid into jobs', () => {
  it('chunks the 8 combinations into jobs of 3, 3 and 2 in grid order, each with the index of its first one', () => {
    // Act
    const { plan: stored, jobs } = plan();

    // Assess
    expect(jobs.map((job) => [job.firstIndex, job.combinations])).toEqual([
      [
        0,
        [
          { fast: 5, slow: 30 },
          { fast: 5, slow: 40 },
          { fast: 10, slow: 30 },
        ],
      ],
      [
        3,
        [
          { fast: 10, slow: 40 },
          { fast: 15, slow: 30 },
          { fast: 15, slow: 40 },
        ],
      ],
      [
        6,
        [
          { fast: 20, slow: 30 },
          { fast: 20, slow: 40 },
        ],
      ],
    ]);
    expect(stored.combinations).toBe(8);
    expect(stored.jobs.map(({ firstIndex, count }) => [firstIndex, count])).toEqual([
      [0, 3],
      [3, 3],
      [6, 2],
    ]);
    expect(stored.datasets).toEqual([{ market: 'GOOG', name: 'GOOG.csv', hash: GOOG.hash, bars: 200 }]);
  });

  it('gives every job the sweep id, market, data hash, strategy, validated engine and walk-forward settings', () => {
    // Act
    const { plan: stored, jobs } = plan({ engine: { cash: 500 } });

    // Assess
    for (const job of jobs) {
      expect(job).toMatchObject({
        sweepId: stored.sweepId,
        market: 'GOOG',
        datasetHash: GOOG.hash,
        strategy: SMA_REF,
        walkForward: { mode: 'rolling', folds: 4, inSample: 0.7 },
      });
      expect(job.engine).toEqual({
        cash: 500,
        commission: 0.002,
        spread: 0,
        slippageBps: 0,
        fractional: false,
        longOnly: false,
      });
    }
    expect(stored.jobs.map((job) => job.jobId)).toEqual(jobs.map((job) => job.jobId));
  });

  it('plans each market on its own: two data sets give each market its own jobs', () => {
    // Prepare
    const eth = dataset('ETH/BTC', barsFromCloses(closes(150)), 'ETH_BTC-5m.json');

    // Act
    const { plan: stored, jobs } = plan({}, [GOOG, eth]);

    // Assess
    expect(jobs.map((job) => [job.market, job.firstIndex])).toEqual([
      ['GOOG', 0],
      ['GOOG', 3],
      ['GOOG', 6],
      ['ETH/BTC', 0],
      ['ETH/BTC', 3],
      ['ETH/BTC', 6],
    ]);
    expect(new Set(jobs.map((job) => job.jobId)).size).toBe(6);
    expect(stored.datasets.map((entry) => [entry.market, entry.bars])).toEqual([
      ['GOOG', 200],
      ['ETH/BTC', 150],
    ]);
  });
});

describe('planSweep ids are content hashes', () => {
  it('gives the same sweep id and job ids for the same input', () => {
    // Act
    const first = plan();
    const second = plan();

    // Assess
    expect(second.plan.sweepId).toBe(first.plan.sweepId);
    expect(second.jobs.map((job) => job.jobId)).toEqual(first.jobs.map((job) => job.jobId));
    expect(first.plan.sweepId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('keeps the job ids but changes the sweep id when only the promotion settings change', () => {
    // Act
    const base = plan();
    const stricter = plan({ promotion: { margin: 0.2 } });

    // Assess
    expect(stricter.jobs.map((job) => job.jobId)).toEqual(base.jobs.map((job) => job.jobId));
    expect(stricter.plan.sweepId).not.toBe(base.plan.sweepId);
  });

  it('keeps the job ids but changes the sweep id when only the objective changes', () => {
    // Act
    const base = plan();
    const bySharpe = plan({ objective: 'sharpe' });

    // Assess
    expect(bySharpe.jobs.map((job) => job.jobId)).toEqual(base.jobs.map((job) => job.jobId));
    expect(bySharpe.plan.sweepId).not.toBe(base.plan.sweepId);
  });

  it('keeps the ids of shared chunks when the grid grows at its end', () => {
    // Act
    const base = plan({ params: { fast: [5, 10], slow: 30 }, chunkSize: 1 });
    const grown = plan({ params: { fast: [5, 10, 15], slow: 30 }, chunkSize: 1 });

    // Assess
    expect(grown.jobs.slice(0, 2).map((job) => job.jobId)).toEqual(base.jobs.map((job) => job.jobId));
    expect(grown.jobs).toHaveLength(3);
  });

  it('changes every job id and the sweep id when one candle of the data changes', () => {
    // Prepare
    const changedCloses = closes(200);
    changedCloses[150] = changedCloses[150]! + 0.01;
    const changed = dataset('GOOG', barsFromCloses(changedCloses));

    // Act
    const base = plan();
    const moved = plan({}, [changed]);

    // Assess
    expect(changed.hash).not.toBe(GOOG.hash);
    for (const [index, job] of moved.jobs.entries()) expect(job.jobId).not.toBe(base.jobs[index]!.jobId);
    expect(moved.plan.sweepId).not.toBe(base.plan.sweepId);
  });

  it('changes the job ids when the engine or walk-forward settings change', () => {
    // Act
    const base = plan();
    const cheaper = plan({ engine: { commission: 0 } });
    const anchored = plan({ walkForward: { mode: 'anchored' } });

    // Assess
    expect(cheaper.jobs[0]!.jobId).not.toBe(base.jobs[0]!.jobId);
    expect(anchored.jobs[0]!.jobId).not.toBe(base.jobs[0]!.jobId);
  });
});

describe('planSweep refuses what cannot be run, naming the field', () => {
  it('refuses two data sets for the same market', () => {
    // Prepare
    const again = dataset('GOOG', barsFromCloses(closes(120)), 'GOOG-copy.csv');

    // Act
    const error = thrownBy(() => plan({}, [GOOG, again]));

    // Assess
    expect((error as SweepSpecError).name).toBe('SweepSpecError');
    expect((error as Error).message).toBe(
      'sweep spec is invalid:\n  - datasets: two data sets for market GOOG; give each its own market',
    );
  });

  it('refuses a data set too short for the walk-forward folds, naming the data set', () => {
    // Prepare: 20 bars, 4 folds at 70%: slices of floor(6 / 1.9) = 3 bars.
    const tiny = dataset('TINY', barsFromCloses(closes(20)), 'tiny.csv');

    // Act
    const error = thrownBy(() => plan({}, [tiny]));

    // Assess
    expect((error as Error).name).toBe('SweepSpecError');
    expect((error as Error).message).toBe(
      'sweep spec is invalid:\n  - datasets (tiny.csv): 20 bars are too few for 4 walk-forward folds: ' +
        'out-of-sample slices would have 3 bars (at least 5). Use fewer folds or more data.',
    );
  });

  it('counts only the bars between engine.from and engine.to when checking the folds', () => {
    // Prepare: barsFromCloses starts on Monday 2024-01-01, weekdays only: 2024-01-01..2024-01-26 is 20 bars.

    // Act
    const error = thrownBy(() => plan({ engine: { from: '2024-01-01', to: '2024-01-26' } }));

    // Assess
    expect((error as Error).message).toContain(
      'datasets (GOOG.csv): 20 bars are too few for 4 walk-forward folds',
    );
  });

  it('names a range that selects no bars', () => {
    // Act
    const error = thrownBy(() => plan({ engine: { from: '2030-01-01' } }));

    // Assess
    expect((error as Error).name).toBe('SweepSpecError');
    expect((error as Error).message).toMatch(
      /^sweep spec is invalid:\n {2}- datasets \(GOOG\.csv\): no bars between/,
    );
  });

  it('names engine.from when it lies after engine.to', () => {
    // Act
    const error = thrownBy(() => plan({ engine: { from: '2024-06-01', to: '2024-01-01' } }));

    // Assess
    expect((error as Error).name).toBe('SweepSpecError');
    expect((error as Error).message).toBe(
      'sweep spec is invalid:\n  - engine.from: from must not be after to',
    );
  });

  it('names engine.lotStep when a fractional lot step is used with whole units', () => {
    // Act
    const error = thrownBy(() => plan({ engine: { lotStep: 0.5 } }));

    // Assess
    expect((error as Error).message).toBe(
      'sweep spec is invalid:\n  - engine.lotStep: lotStep below 1 or with decimals needs fractional sizes (--fractional)',
    );
  });
});

describe('canonicalJson, contentId and barsHash', () => {
  it('writes objects with keys sorted at every level, so key order does not matter', () => {
    // Prepare
    const one = { b: 1, a: { d: 2, c: [{ f: 1, e: 2 }] } };
    const other = { a: { c: [{ e: 2, f: 1 }], d: 2 }, b: 1 };

    // Act
    const text = canonicalJson(one);

    // Assess
    expect(text).toBe('{"a":{"c":[{"e":2,"f":1}],"d":2},"b":1}');
    expect(canonicalJson(other)).toBe(text);
    expect(contentId(other)).toBe(contentId(one));
  });

  it('keeps array order significant', () => {
    // Act
    const forward = contentId({ values: [1, 2] });
    const backward = contentId({ values: [2, 1] });

    // Assess
    expect(forward).not.toBe(backward);
    expect(forward).toMatch(/^[0-9a-f]{24}$/);
  });

  it('hashes equal candles to the same value and changes the hash when one value changes', () => {
    // Prepare
    const copy = barsFromCloses(closes(200));
    const changed = barsFromCloses(closes(200));
    changed.volume[199] = changed.volume[199]! + 1;

    // Act
    const hash = barsHash(columns(BARS));

    // Assess
    expect(barsHash(columns(copy))).toBe(hash);
    expect(barsHash(columns(changed))).not.toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
