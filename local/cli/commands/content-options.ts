import { PLATFORM_IDS, type PlatformId, TONES } from '@shared/content/model';
import { InvalidArgumentError, Option } from 'commander';

/** Formats a core piece may be in. */
export const CONTENT_FORMATS = ['markdown', 'text', 'html'] as const;

/** A core piece's format. */
export type ContentFormat = (typeof CONTENT_FORMATS)[number];

/** `--tone`, limited to the tones both generators write. */
export const TONE_OPTION = () =>
  new Option('--tone <tone>', 'the tone (default: front matter tone:, then the config’s)').choices(TONES);

/** `--platforms x linkedin` and `--platforms x,linkedin` both work; an unknown id lists the valid ones. */
export function platformsArgument(value: string, previous: PlatformId[] = []): PlatformId[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of ids) {
    if (!(PLATFORM_IDS as readonly string[]).includes(id)) {
      throw new InvalidArgumentError(`unknown platform "${id}"; choose from ${PLATFORM_IDS.join(', ')}.`);
    }
  }
  return [...new Set([...previous, ...(ids as PlatformId[])])];
}
