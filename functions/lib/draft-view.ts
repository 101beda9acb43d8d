import type { DraftRecord } from '@shared/ports/draft-store';

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** The fields of a draft's content lists show (the stored JSON is a `Repurposed`). */
interface StoredContent {
  readonly source?: { readonly title?: unknown; readonly kind?: unknown };
  readonly versions?: readonly { readonly platform?: unknown }[];
  readonly generator?: { readonly name?: unknown };
}

/** A draft as lists show it: status, origin, title, platforms and times (ISO 8601), without the versions. */
export function draftOverview(draft: DraftRecord) {
  const content = (draft.content ?? {}) as StoredContent;
  return {
    id: draft.id,
    status: draft.status,
    origin: draft.origin,
    sourceRef: draft.sourceRef,
    title: typeof content.source?.title === 'string' ? content.source.title : null,
    platforms: (content.versions ?? []).map((version) => String(version.platform)),
    generator: typeof content.generator?.name === 'string' ? content.generator.name : null,
    createdAt: iso(draft.createdAt),
    updatedAt: iso(draft.updatedAt),
    scheduledFor: iso(draft.scheduledFor),
    reason: draft.reason,
    revision: draft.revision,
  };
}

/** A draft with everything: the overview and the stored source summary, versions and generator report. */
export function draftDetail(draft: DraftRecord) {
  return { ...draftOverview(draft), content: draft.content };
}
