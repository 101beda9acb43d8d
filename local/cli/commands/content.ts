import { basename, resolve } from 'node:path';
import { PLATFORM_IDS, type PlatformId, type Tone } from '@shared/content/model';
import { repurpose } from '@shared/content/repurpose';
import { detectFormat, parseSource } from '@shared/content/source';
import { type Command, Option } from 'commander';
import { contentGenerator } from '../../content/generator';
import { loadContentSettings } from '../../content/settings';
import { readInputFile } from '../../files';
import type { CliIo } from '../io';
import { renderRepurposed, repurposedJson } from '../render/content-output';
import { registerDraftCommands } from './content-drafts';
import { CONTENT_FORMATS, type ContentFormat, platformsArgument, TONE_OPTION } from './content-options';

interface RepurposeFlags {
  format?: ContentFormat;
  tone?: Tone;
  platforms?: PlatformId[];
  json?: boolean;
  offline?: boolean;
  config?: string;
}

/** `flywheel content …`: repurpose a core piece into every platform's version; review and publish drafts. */
export function registerContentCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const content = program
    .command('content')
    .description('Turn one piece of content into a post for every platform, within each platform’s limits');

  content
    .command('repurpose')
    .description('Write every platform’s version of a Markdown, plain-text or HTML file, each with its count')
    .argument('<file>', 'the core piece: .md (front matter: title, canonical_url, tags, tone), .txt or .html')
    .addOption(
      new Option('--format <format>', 'the file’s format (default: from its extension)').choices(
        CONTENT_FORMATS,
      ),
    )
    .addOption(TONE_OPTION())
    .option(
      '--platforms <ids...>',
      `platforms to write for (default every one): ${PLATFORM_IDS.join(', ')}`,
      platformsArgument,
    )
    .option('--offline', 'use the offline generator even when OPENAI_API_KEY is set')
    .option(
      '--config <file>',
      'settings file (default: flywheel.config.* in the current folder, its content: section)',
    )
    .option('--json', 'print { source, versions, generator } as JSON')
    .addHelpText(
      'after',
      `
Generators: OpenAI when OPENAI_API_KEY is set (OPENAI_BASE_URL and FLYWHEEL_OPENAI_MODEL for a compatible
server or another model); otherwise, and with --offline, the offline extractive generator (no network).

Every version stays within its platform's limit (weighted characters on X, graphemes on Bluesky and Mastodon,
UTF-16 code units on Telegram, characters elsewhere); numbers, tickers and links are copied from the source.

Examples:
  flywheel content repurpose article.md
  flywheel content repurpose article.md --platforms x-thread linkedin --tone bold
  flywheel content repurpose notes.txt --json > versions.json`,
    )
    .action(async (file: string, flags: RepurposeFlags) => {
      const path = resolve(io.cwd, file);
      const text = await readInputFile(path, 'content file');
      const settings = await loadContentSettings(io.cwd, flags.config);
      const source = parseSource(text, flags.format ?? detectFormat(path, text), {
        fileName: basename(path),
      });
      const generator = contentGenerator(io.env, { offline: flags.offline ?? false });
      const result = await repurpose(
        source,
        {
          platforms: flags.platforms ?? settings.platforms ?? [...PLATFORM_IDS],
          ...((flags.tone ?? source.tone ?? settings.tone)
            ? { tone: flags.tone ?? source.tone ?? settings.tone }
            : {}),
          voice: settings.voice,
          limits: settings.limits,
        },
        generator,
      );
      io.out(
        flags.json
          ? `${JSON.stringify(repurposedJson(result), null, 2)}\n`
          : renderRepurposed(result, io.colour),
      );
    });

  registerDraftCommands(content, io, setExitCode);
}
