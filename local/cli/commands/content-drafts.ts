import { basename, resolve } from 'node:path';
import type { Repurposed } from '@shared/content/model';
import { detectFormat } from '@shared/content/source';
import { DraftConflictError, DraftNotFoundError, type DraftStatus } from '@shared/ports/draft-store';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DRAFT_STATUSES } from '../../../events/catalog';
import { draftDetail, draftOverview } from '../../../functions/lib/draft-view';
import { type LocalContent, openLocalContent } from '../../content/local-content';
import { loadContentSettings } from '../../content/settings';
import { readInputFile } from '../../files';
import { flywheelHome } from '../../paths';
import { InputError, OperationError } from '../errors';
import type { CliIo } from '../io';
import { renderDraftList, renderPublishRun, renderRepurposed } from '../render/content-output';
import { CONTENT_FORMATS, type ContentFormat, platformsArgument, TONE_OPTION } from './content-options';

/** Runs `work` on the local database's content functions; draft errors become messages with the right exit code. */
async function withLocalContent<T>(
  io: CliIo,
  config: string | undefined,
  work: (local: LocalContent) => Promise<T>,
): Promise<T> {
  const settings = await loadContentSettings(io.cwd, config);
  const local = openLocalContent({
    home: flywheelHome(io.env, io.cwd),
    env: io.env,
    settings,
    log: (line) => io.err(`${line}\n`),
  });
  try {
    return await work(local);
  } catch (error) {
    if (error instanceof DraftNotFoundError)
      throw new InputError(`${error.message} (list them with: flywheel content drafts)`);
    if (error instanceof DraftConflictError) throw new OperationError(error.message);
    throw error;
  } finally {
    local.close();
  }
}

function statusArgument(value: string): DraftStatus {
  if (!(DRAFT_STATUSES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`choose from ${DRAFT_STATUSES.join(', ')}.`);
  }
  return value as DraftStatus;
}

function limitArgument(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError('expected a whole number ≥ 1.');
  return limit;
}

/** An ISO 8601 time with a time of day (a bare date would silently mean midnight UTC). */
function timeArgument(value: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    throw new InvalidArgumentError('expected an ISO 8601 time such as 2026-12-01T09:00:00Z.');
  }
  return time;
}

/** `flywheel content submit|drafts|show|approve|reject`: drafts in the local database. */
export function registerDraftCommands(
  content: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  content
    .command('submit')
    .description('Repurpose a file and store the result as a draft awaiting approval (as POST /content does)')
    .argument('<file>', 'the core piece: .md, .txt or .html')
    .addOption(
      new Option('--format <format>', 'the file’s format (default: from its extension)').choices(
        CONTENT_FORMATS,
      ),
    )
    .addOption(TONE_OPTION())
    .option('--platforms <ids...>', 'platforms to write for (default every one)', platformsArgument)
    .option('--config <file>', 'settings file (default: flywheel.config.* in the current folder)')
    .option('--json', 'print the stored draft as JSON')
    .action(
      async (
        file: string,
        flags: {
          format?: ContentFormat;
          tone?: string;
          platforms?: string[];
          config?: string;
          json?: boolean;
        },
      ) => {
        const path = resolve(io.cwd, file);
        const body = await readInputFile(path, 'content file');
        const format = flags.format ?? detectFormat(path, body);
        await withLocalContent(io, flags.config, async (local) => {
          const { draft, created } = await local.generator.submit(
            {
              format,
              body,
              ...(flags.tone ? { tone: flags.tone } : {}),
              ...(flags.platforms ? { platforms: flags.platforms } : {}),
            },
            basename(path),
          );
          if (flags.json) return io.out(`${JSON.stringify(draftDetail(draft), null, 2)}\n`);
          io.out(
            `${created ? 'Stored' : 'Already stored'} draft ${draft.id} (${draft.status}). Review it with: flywheel content show ${draft.id}\n`,
          );
        });
      },
    );

  content
    .command('drafts')
    .description('List the drafts, newest first')
    .option('--status <status>', `only drafts in this status: ${DRAFT_STATUSES.join(', ')}`, statusArgument)
    .option('--limit <n>', 'at most this many', limitArgument, 50)
    .option('--json', 'print { drafts: [...] } as JSON')
    .action(async (flags: { status?: DraftStatus; limit: number; json?: boolean }) => {
      await withLocalContent(io, undefined, async (local) => {
        const drafts = await local.drafts.list({
          ...(flags.status ? { status: flags.status } : {}),
          limit: flags.limit,
        });
        io.out(
          flags.json
            ? `${JSON.stringify({ drafts: drafts.map(draftOverview) }, null, 2)}\n`
            : renderDraftList(drafts.map(draftOverview)),
        );
      });
    });

  content
    .command('show')
    .description('Show one draft with every version')
    .argument('<id>', 'the draft id (flywheel content drafts lists them)')
    .option('--json', 'print the draft as JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      await withLocalContent(io, undefined, async (local) => {
        const draft = await local.drafts.get(id);
        if (!draft) throw new DraftNotFoundError(`no draft has id ${id}`);
        if (flags.json) return io.out(`${JSON.stringify(draftDetail(draft), null, 2)}\n`);
        io.out(
          `draft ${draft.id} · ${draft.status} · ${draft.origin} · from ${draft.sourceRef}${draft.reason ? ` · ${draft.reason}` : ''}\n\n`,
        );
        io.out(renderRepurposed(draft.content as unknown as Repurposed, io.colour));
      });
    });

  content
    .command('approve')
    .description(
      'Approve a draft and publish it now (or at --at); approving a failed draft retries what failed',
    )
    .argument('<id>', 'the draft id')
    .option(
      '--at <time>',
      'publish at this ISO 8601 time instead (the running runtime’s schedule publishes it when due)',
      timeArgument,
    )
    .option('--config <file>', 'settings file (publishing routes)')
    .option('--json', 'print the draft and the publishing outcomes as JSON')
    .action(async (id: string, flags: { at?: number; config?: string; json?: boolean }) => {
      await withLocalContent(io, flags.config, async (local) => {
        const approved = await local.reviewer.approve(id, flags.at);
        const run = approved.status === 'approved' ? await local.publisher.publish(approved) : undefined;
        const draft = (await local.drafts.get(id)) ?? approved;
        if (run?.status === 'failed') setExitCode(1);
        if (flags.json) {
          io.out(`${JSON.stringify({ draft: draftOverview(draft), publishing: run ?? null }, null, 2)}\n`);
          return;
        }
        if (!run) {
          io.out(
            `Draft ${id} is scheduled for ${new Date(flags.at!).toISOString()}; a running flywheel start publishes it when due.\n`,
          );
          return;
        }
        io.out(renderPublishRun(run, local.outboxDir));
      });
    });

  content
    .command('reject')
    .description('Reject a draft, with the reason')
    .argument('<id>', 'the draft id')
    .requiredOption('--reason <text>', 'why (kept with the draft)')
    .option('--json', 'print the draft as JSON')
    .action(async (id: string, flags: { reason: string; json?: boolean }) => {
      const reason = flags.reason.trim();
      if (!reason) throw new InputError('--reason must not be empty: say why the draft is rejected.');
      await withLocalContent(io, undefined, async (local) => {
        const draft = await local.reviewer.reject(id, reason);
        io.out(
          flags.json
            ? `${JSON.stringify(draftOverview(draft), null, 2)}\n`
            : `Rejected draft ${id}: ${reason}\n`,
        );
      });
    });
}
