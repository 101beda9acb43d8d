import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type ContentSettings, ContentSettingsSchema } from '@shared/content/settings';
import { issueList } from '@shared/validation/zod-issues';
import { InputError } from '../cli/errors';
import { readSpecFile } from '../cli/sweep-spec-input';
import { CONFIG_FILES } from '../config';

/**
 * The content settings: `content:` of `--config FILE`, else of flywheel.config.(yaml|yml|json) in `cwd`;
 * the defaults when there is no file or no section. Invalid settings name the field and the file.
 */
export async function loadContentSettings(cwd: string, explicit?: string): Promise<ContentSettings> {
  const path = explicit
    ? resolve(cwd, explicit)
    : CONFIG_FILES.map((name) => join(cwd, name)).find((candidate) => existsSync(candidate));
  if (explicit && !existsSync(path!)) {
    throw new InputError(`config file not found: ${explicit} (relative paths start from ${cwd})`);
  }
  const document = path
    ? ((await readSpecFile(path, 'configuration file')) as Record<string, unknown> | null)
    : null;
  const parsed = ContentSettingsSchema.safeParse(document?.content ?? {});
  if (!parsed.success) {
    const where = path ? relative(cwd, path) || path : 'settings';
    throw new InputError(
      `${where} is invalid:\n${issueList(parsed.error, { prefix: 'content.', top: '(section)' })}`,
    );
  }
  return parsed.data;
}
