import type { VersionGenerator } from '@shared/content/generator';
import type { Publishers } from '@shared/content/publish';
import type { ContentSettings } from '@shared/content/settings';
import type { Clock } from '@shared/ports/clock';
import type { DraftStore, PublicationLog } from '@shared/ports/draft-store';
import type { EventBus } from '@shared/ports/event-bus';
import type { MetricName } from '../../events/metrics';

/** Everything the content functions need from the world; the local runtime and the Lambda handlers supply it. */
export interface ContentDependencies {
  readonly drafts: DraftStore;
  readonly publications: PublicationLog;
  readonly bus: EventBus;
  readonly clock: Clock;
  /** `content:` of the configuration (CDK context on AWS). */
  readonly settings: ContentSettings;
  /** A fresh generator for one piece (its report counts that piece's tokens): the language model's, or offline. */
  readonly generator: () => Promise<VersionGenerator>;
  /** The channels drafts are published to, built from the publisher credentials (read when publishing). */
  readonly publishers: () => Promise<Publishers>;
  /** How publishing waits between attempts (tests pass one that does not wait). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Records a metric of the catalog (Powertools on AWS; nothing, or the metrics table, locally). */
  readonly metric?: (name: MetricName, value: number) => void;
}
