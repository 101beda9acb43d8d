import {
  type ContentSource,
  PLATFORM_IDS,
  type PlatformId,
  type Repurposed,
  type Tone,
} from '@shared/content/model';
import { repurpose } from '@shared/content/repurpose';
import { insightSource, parseSource, SourceParseError } from '@shared/content/source';
import type { DraftRecord } from '@shared/ports/draft-store';
import type { Json } from '@shared/ports/json';
import { contentId } from '@shared/sweep/ids';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, EventBridgeEvent } from 'aws-lambda';
import {
  type ContentSubmitted,
  ContentSubmittedSchema,
  type DraftApproved,
  type DraftCreated,
  EVENT_SOURCE,
  StrategyPromotedSchema,
  SweepCompletedSchema,
} from '../../events/catalog';
import type { ContentDependencies } from '../lib/content-deps';
import { ContentRequestError, describeIssues } from '../lib/content-errors';
import { draftOverview } from '../lib/draft-view';
import { BadRequestError, jsonBody, jsonResponse, problem } from '../lib/http';

/** The insight events content-generate turns into drafts, with the schema their detail is validated with. */
const INSIGHT_SCHEMAS = {
  SweepCompleted: SweepCompletedSchema,
  StrategyPromoted: StrategyPromotedSchema,
} as const;

/** A piece to turn into a draft: its source, who it comes from, and the draft id that keeps it one draft. */
interface Piece {
  readonly draftId: string;
  readonly source: ContentSource;
  readonly origin: 'user' | 'system';
  readonly sourceRef: string;
  readonly platforms?: readonly PlatformId[];
  readonly tone?: Tone;
}

/** What generating a draft did. */
export interface GenerateResult {
  readonly draft: DraftRecord;
  /** False when the same piece (or event) had already made this draft. */
  readonly created: boolean;
}

/** The draft id of a submitted piece: the same piece sent twice (over HTTP or as an event) is one draft. */
export function submittedDraftId(piece: ContentSubmitted): string {
  return `draft-${contentId({ kind: 'ContentSubmitted', piece })}`;
}

/** The draft id of an insight event: a redelivered or repeated event is one draft. */
export function insightDraftId(detailType: string, detail: unknown): string {
  return `draft-${contentId({ kind: detailType, detail })}`;
}

/** Who and what an insight is about, for the draft's source reference. */
function insightRef(detailType: string, detail: unknown): string {
  const fields = (detail ?? {}) as { sweepId?: unknown; market?: unknown };
  const parts = [detailType, fields.market, fields.sweepId].filter((part) => typeof part === 'string');
  return parts.join(' ');
}

/**
 * `content-generate`: turns a core piece (POST /content, `ContentSubmitted`) or an insight (`SweepCompleted`,
 * `StrategyPromoted`) into a draft with a version per platform, stores it once per piece, and announces it
 * (`DraftCreated`, and `DraftApproved` when the origin's drafts are approved automatically).
 *
 * Approval (`content.approval`): by default both a person's submissions (`user`) and the system's insights
 * (`system`) wait for someone to approve them; set an origin to `auto` to publish its drafts as soon as written.
 */
export function createContentGenerator(deps: ContentDependencies) {
  const metric = deps.metric ?? (() => {});

  async function generate(piece: Piece): Promise<GenerateResult> {
    const existing = await deps.drafts.get(piece.draftId);
    // A redelivery costs nothing: the language model is not asked twice for the same draft.
    if (existing) return { draft: existing, created: false };
    const { settings } = deps;
    const tone = piece.tone ?? piece.source.tone ?? settings.tone;
    const generator = await deps.generator();
    const result: Repurposed = await repurpose(
      piece.source,
      {
        platforms: piece.platforms ?? settings.platforms ?? [...PLATFORM_IDS],
        ...(tone ? { tone } : {}),
        voice: settings.voice,
        limits: settings.limits,
      },
      generator,
    );
    const automatic = settings.approval[piece.origin] === 'auto';
    const now = deps.clock.now();
    const draft = await deps.drafts.create({
      id: piece.draftId,
      status: automatic ? 'approved' : 'draft',
      origin: piece.origin,
      sourceRef: piece.sourceRef,
      content: result as unknown as Json,
      createdAt: now,
      scheduledFor: null,
      reason: null,
    });
    // Another delivery may have stored the draft meanwhile; only the one that stored it announces it.
    const created = draft.createdAt === now && draft.revision === 1 && draft.sourceRef === piece.sourceRef;
    if (!created) return { draft, created: false };
    const announced: DraftCreated = {
      draftId: draft.id,
      status: draft.status,
      origin: draft.origin,
      sourceRef: draft.sourceRef,
      platforms: result.versions.map((version) => version.platform),
    };
    const events = [{ source: EVENT_SOURCE, detailType: 'DraftCreated', detail: announced }];
    if (draft.status === 'approved') {
      const approved: DraftApproved = { draftId: draft.id };
      events.push({ source: EVENT_SOURCE, detailType: 'DraftApproved', detail: approved as never });
    }
    await deps.bus.put(events);
    metric('DraftsCreated', 1);
    if (automatic) metric('DraftsApproved', 1);
    const usage = result.generator.usage;
    if (usage) {
      metric('LanguageModelInputTokens', usage.inputTokens);
      metric('LanguageModelOutputTokens', usage.outputTokens);
    }
    if (result.generator.costUsd !== undefined) metric('LanguageModelCost', result.generator.costUsd);
    return { draft, created: true };
  }

  /** A piece as POST /content or `ContentSubmitted` carries it. */
  function submittedPiece(input: unknown, fallbackRef: string): Piece {
    const parsed = ContentSubmittedSchema.safeParse(input);
    if (!parsed.success) {
      throw new ContentRequestError(
        `the content is not what POST /content takes:\n${describeIssues(parsed.error)}`,
      );
    }
    const piece = parsed.data;
    const parsedSource = parseSource(
      piece.body,
      piece.format,
      piece.origin ? { fileName: piece.origin } : {},
    );
    // What the request says wins over what the body's front matter says.
    const source: ContentSource = {
      ...parsedSource,
      ...(piece.title ? { title: piece.title } : {}),
      ...(piece.canonicalUrl ? { canonicalUrl: piece.canonicalUrl } : {}),
      ...(piece.tags ? { tags: piece.tags } : {}),
    };
    return {
      draftId: submittedDraftId(piece),
      source,
      origin: 'user',
      sourceRef: piece.origin ?? fallbackRef,
      ...(piece.platforms ? { platforms: piece.platforms } : {}),
      ...(piece.tone ? { tone: piece.tone } : {}),
    };
  }

  /** Submits a core piece (the CLI and the local runtime call this directly). */
  async function submit(input: unknown, fallbackRef = 'POST /content'): Promise<GenerateResult> {
    return generate(submittedPiece(input, fallbackRef));
  }

  /** POST /content: 201 with the new draft, 200 when the same piece made a draft before, 400 with the reason. */
  async function http(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    try {
      const body = jsonBody(event);
      if (body === undefined)
        return problem(400, 'the request body must be JSON: { "format": "markdown", "body": "…" }');
      const { draft, created } = await submit(body);
      return jsonResponse(created ? 201 : 200, {
        created,
        draft: draftOverview(draft),
        links: { self: `/content/drafts/${draft.id}`, approve: `/content/drafts/${draft.id}/approve` },
      });
    } catch (error) {
      if (
        error instanceof BadRequestError ||
        error instanceof ContentRequestError ||
        error instanceof SourceParseError
      )
        return problem(400, (error as Error).message);
      throw error;
    }
  }

  /** `ContentSubmitted`, `SweepCompleted` or `StrategyPromoted` from the bus. */
  async function handle(event: EventBridgeEvent<string, unknown>): Promise<GenerateResult | undefined> {
    const detailType = event['detail-type'];
    if (detailType === 'ContentSubmitted') return submit(event.detail, `ContentSubmitted ${event.id}`);
    if (detailType !== 'SweepCompleted' && detailType !== 'StrategyPromoted') {
      throw new ContentRequestError(
        `content-generate takes ContentSubmitted, ${Object.keys(INSIGHT_SCHEMAS).join(', ')}; not ${detailType}: check its rule`,
      );
    }
    const detail = INSIGHT_SCHEMAS[detailType].safeParse(event.detail);
    if (!detail.success) {
      throw new ContentRequestError(
        `the ${detailType} detail is not what the catalog says:\n${describeIssues(detail.error)}`,
      );
    }
    return generate({
      draftId: insightDraftId(detailType, detail.data),
      source: insightSource(detailType, detail.data),
      origin: 'system',
      sourceRef: insightRef(detailType, detail.data),
    });
  }

  return { submit, http, handle, generate };
}
