import { relative, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type Bars, sliceBars } from '@shared/market-data/bars';
import type { DatasetStore } from '@shared/ports/dataset-store';
import type { TradeExecutor } from '../../functions/trade-executor/app';
import { ReplayFeed } from '../market/replay-feed';
import { readBarsFile } from '../market-data-file';
import type { LocalTradingSettings } from './settings';

/** What one market's replay did, for its summary line. */
export interface ReplaySummary {
  readonly market: string;
  readonly strategy: string;
  readonly strategyId: string;
  /** Bars the executor decided on. */
  readonly bars: number;
  /** Fills recorded in the trades table. */
  readonly trades: number;
  /** Paper equity at the last bar (cash plus the position at its close). */
  readonly equity: number | null;
  readonly halted: boolean;
  readonly stopped: boolean;
}

/** Where ReplayTrading gets its bars and how it reports. */
export interface ReplayTradingOptions {
  readonly executor: Pick<TradeExecutor, 'trade'>;
  readonly settings: LocalTradingSettings['replay'];
  /** The folder `replay.files` paths start from (the configuration file's). */
  readonly configDir: string;
  /** Data sets by hash: a promotion's own data when no file is configured for its market. */
  readonly datasets: DatasetStore;
  readonly log: (line: string) => void;
  /** Called when a market's replay ends (all bars played, or stopped). */
  readonly onSummary?: (summary: ReplaySummary) => void;
}

/** What starts a market's replay: the promotion StrategyPromoted announced. */
export interface ReplayRequest {
  readonly market: string;
  readonly strategyId: string;
  readonly strategyName: string;
  readonly datasetHash: string;
}

/**
 * The offline default of the local runtime: when a strategy is promoted, replays its market's data bar by bar
 * into trade-executor with the PaperBroker, so the loop trades with no network. One replay per market at a
 * time; each bar is a separate executor run (state stored in between), as each CandlesIngested is on AWS.
 */
export class ReplayTrading {
  private readonly running = new Map<string, { feed?: ReplayFeed; done: Promise<void> }>();
  private stopping = false;

  constructor(private readonly options: ReplayTradingOptions) {}

  /** Starts replaying the market's data unless a replay of it is under way; returns at once. */
  start(request: ReplayRequest): void {
    if (!this.options.settings.enabled || this.stopping || this.running.has(request.market)) return;
    const entry: { feed?: ReplayFeed; done: Promise<void> } = { done: Promise.resolve() };
    entry.done = this.play(request, entry)
      .catch((error) =>
        this.options.log(`${request.market}: paper trading stopped: ${(error as Error).message ?? error}`),
      )
      .finally(() => this.running.delete(request.market));
    this.running.set(request.market, entry);
  }

  /** Waits until every replay under way has ended. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()].map((entry) => entry.done));
  }

  /** Stops every replay after its current bar and waits for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const entry of this.running.values()) entry.feed?.stop();
    await this.idle();
  }

  private async barsFor(request: ReplayRequest): Promise<{ bars: Bars; source: string } | undefined> {
    const file = this.options.settings.files[request.market];
    if (file) {
      const path = resolve(this.options.configDir, file);
      return { bars: await readBarsFile(path), source: relative(process.cwd(), path) || path };
    }
    const bars = await this.options.datasets.get(request.datasetHash);
    return bars && { bars, source: `the data set it was validated on (${request.datasetHash.slice(0, 12)})` };
  }

  private async play(request: ReplayRequest, entry: { feed?: ReplayFeed }): Promise<void> {
    const { log, settings } = this.options;
    const data = await this.barsFor(request);
    if (!data) {
      log(
        `${request.market}: ${request.strategyId} is promoted but has no replay data: set trading.replay.files.${request.market} in flywheel.config.yaml`,
      );
      return;
    }
    const speed = settings.speed.kind === 'max' ? 'max' : JSON.stringify(settings.speed);
    log(
      `${request.market}: paper trading ${request.strategyId} on a replay of ${data.source} (${data.bars.length} bars, speed ${speed})`,
    );
    let bars = 0;
    let trades = 0;
    let equity = null as number | null;
    let halted = false;
    let strategyId = request.strategyId;
    const feed = new ReplayFeed({
      bars: data.bars,
      speed: settings.speed,
      onBar: async ({ index }) => {
        const report = await this.options.executor.trade(request.market, sliceBars(data.bars, 0, index + 1));
        if (report) {
          bars += report.bars;
          trades += report.fillsRecorded;
          equity = report.equity ?? equity;
          halted = report.halt !== null;
          strategyId = report.strategyId;
        }
        // At max speed nothing else would wait between bars: let HTTP requests and other events through.
        await yieldToEventLoop();
      },
    });
    entry.feed = feed;
    if (this.stopping) feed.stop();
    const outcome = await feed.play();
    const summary: ReplaySummary = {
      market: request.market,
      strategy: request.strategyName,
      strategyId,
      bars,
      trades,
      equity,
      halted,
      stopped: outcome.stopped,
    };
    log(
      `${request.market}: paper-traded ${request.strategyName} over ${bars} bars: ${trades} trades, equity ${equity === null ? 'n/a' : equity.toFixed(2)}${halted ? ' (halted by the daily-loss kill switch)' : ''}${outcome.stopped ? ' (stopped before the end of the data)' : ''}`,
    );
    this.options.onSummary?.(summary);
  }
}
