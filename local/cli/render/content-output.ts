import type { PlatformVersion, Repurposed } from '@shared/content/model';
import pc from 'picocolors';
import type { PublishRun } from '../../../functions/content-publish/app';
import { renderTable } from './table';

const UNIT_NAMES: Record<PlatformVersion['unit'], string> = {
  'weighted-characters': 'weighted characters',
  graphemes: 'graphemes',
  'utf16-code-units': 'UTF-16 code units',
  'code-points': 'characters',
};

/** The `--json` shape of a repurposing: `{ source, versions, generator }`, `posts` for x-thread, `text` otherwise. */
export function repurposedJson(result: Repurposed) {
  return {
    source: result.source,
    versions: result.versions.map((version) => ({
      platform: version.platform,
      ...(version.posts ? { posts: version.posts } : { text: version.text ?? '' }),
      count: version.count,
      limit: version.limit,
      unit: version.unit,
      checks: version.checks,
      warnings: version.warnings,
    })),
    generator: result.generator,
  };
}

function checkLine(check: PlatformVersion['checks'][number]): string {
  const bounds = [
    check.minimum !== undefined ? `≥ ${check.minimum}` : '',
    check.limit !== undefined ? `≤ ${check.limit}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const verdict = check.ok ? 'ok' : `FAILED${check.detail ? `: ${check.detail}` : ''}`;
  return `${check.name} ${check.value}${bounds ? ` (${bounds})` : ''} ${verdict}`;
}

/** One version as the terminal shows it: a header with its count, the text (or numbered posts), checks and warnings. */
function renderVersion(version: PlatformVersion, colour: boolean): string {
  const paint = colour ? pc : { bold: (s: string) => s, dim: (s: string) => s, yellow: (s: string) => s };
  const header = paint.bold(
    `── ${version.platform} · ${version.count}/${version.limit} ${UNIT_NAMES[version.unit]} ──`,
  );
  const body = version.posts ? version.posts.join('\n\n') : (version.text ?? '');
  const lines = [header, body];
  const checks = version.checks.map(checkLine);
  if (checks.length) lines.push(paint.dim(`checks: ${checks.join('; ')}`));
  for (const warning of version.warnings) lines.push(paint.yellow(`warning: ${warning}`));
  return lines.join('\n');
}

/** The text report: the source in one line, then every version with its count. */
export function renderRepurposed(result: Repurposed, colour = false): string {
  const { source, generator } = result;
  const by = generator.model ? `${generator.name} (${generator.model})` : generator.name;
  const head = `${source.title} — ${source.words} words, ${source.kind}, tone ${source.tone}; written by the ${by} generator`;
  const usage = generator.usage
    ? `\n${generator.usage.inputTokens} input + ${generator.usage.outputTokens} output tokens${generator.costUsd !== undefined ? `, $${generator.costUsd.toFixed(4)}` : ''}`
    : '';
  return `${head}${usage}\n\n${result.versions.map((version) => renderVersion(version, colour)).join('\n\n')}\n`;
}

/** A draft as `draftOverview` shapes it. */
interface DraftRow {
  readonly id: string;
  readonly status: string;
  readonly origin: string;
  readonly title: string | null;
  readonly platforms: readonly string[];
  readonly createdAt: string | null;
  readonly sourceRef: string;
}

/** The drafts table of `flywheel content drafts`. */
export function renderDraftList(drafts: readonly DraftRow[]): string {
  if (drafts.length === 0) return 'No drafts yet. Make one with: flywheel content submit FILE\n';
  const rows = drafts.map((draft) => [
    draft.id,
    draft.status,
    draft.origin,
    draft.createdAt?.slice(0, 16).replace('T', ' ') ?? '',
    String(draft.platforms.length),
    draft.title ?? draft.sourceRef,
  ]);
  return `${renderTable(['id', 'status', 'origin', 'created (UTC)', 'versions', 'title'], rows)}\n`;
}

/** What publishing did, one line per platform. */
export function renderPublishRun(run: PublishRun, outboxDir: string): string {
  const lines = run.outcomes.map((outcome) => {
    const where = outcome.url ?? outcome.channel ?? '';
    return `  ${outcome.platform.padEnd(13)} ${outcome.outcome.padEnd(9)} ${where}${outcome.reason ? `  (${outcome.reason})` : ''}`;
  });
  const verdict =
    run.status === 'published'
      ? `Published draft ${run.draftId}`
      : `Draft ${run.draftId} ${run.status}${run.reason ? `: ${run.reason}` : ''}`;
  return `${verdict}\n${lines.join('\n')}\nVersions without a configured channel are in ${outboxDir}\n`;
}
