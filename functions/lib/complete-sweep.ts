import type { EventBus } from '@shared/ports/event-bus';
import type { SweepProgress, SweepStore } from '@shared/ports/sweep-store';
import { EVENT_SOURCE, type SweepCompleted } from '../../events/catalog';

/**
 * Emits `SweepCompleted` when every job of a running sweep is done or failed. A redelivered last job emits it
 * again; aggregation claims the sweep once, so a repeat is harmless.
 */
export async function announceIfComplete(
  progress: SweepProgress,
  sweeps: SweepStore,
  bus: EventBus,
): Promise<boolean> {
  if (progress.done + progress.failed < progress.total) return false;
  const sweep = await sweeps.getSweep(progress.sweepId);
  if (sweep?.status !== 'running') return false;
  const detail: SweepCompleted = {
    sweepId: progress.sweepId,
    total: progress.total,
    done: progress.done,
    failed: progress.failed,
  };
  await bus.put([{ source: EVENT_SOURCE, detailType: 'SweepCompleted', detail }]);
  return true;
}
