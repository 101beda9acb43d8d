import type { Bars } from '@shared/market-data/bars';
import type { Clock } from '@shared/ports/clock';
import type { DatasetStore } from '@shared/ports/dataset-store';
import type { EventBus } from '@shared/ports/event-bus';
import type { PromotionStore } from '@shared/ports/promotion-store';
import type { Queue } from '@shared/ports/queue';
import type { StrategyResolver } from '@shared/ports/strategy-resolver';
import type { SweepStore } from '@shared/ports/sweep-store';

/** Everything the sweep functions need from the world; the local runtime and the Lambda handlers supply it. */
export interface SweepDependencies {
  readonly sweeps: SweepStore;
  readonly datasets: DatasetStore;
  readonly promotions: PromotionStore;
  /** The `backtest-jobs` queue. */
  readonly jobs: Queue;
  readonly bus: EventBus;
  readonly strategies: StrategyResolver;
  readonly clock: Clock;
  /** Reads a data file (local runtime only; Lambda takes data by hash or inline candles). */
  readonly readDatasetFile?: (path: string) => Promise<Bars>;
}
