import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, OperationError } from './cli/errors';

/** Reads a UTF-8 text file; a missing or unreadable file is an input error naming the path. */
export async function readInputFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new InputError(
        `${what} not found: ${path}. Check the path (relative paths start from ${process.cwd()}).`,
      );
    if (code === 'EISDIR') throw new InputError(`${what} ${path} is a directory; give the path of a file.`);
    throw new InputError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/**
 * Writes a file atomically: the content goes to a temporary file beside the target, then is renamed over it,
 * so a reader never sees half a file. Missing parent folders are created.
 */
export async function writeFileAtomic(path: string, content: string): Promise<string> {
  const target = resolve(path);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, target);
    return target;
  } catch (error) {
    await rm(temporary, { force: true });
    throw new OperationError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
