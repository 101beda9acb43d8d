import { type Dirent, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isManifestName } from '@shared/deps/manifest-names';
import picomatch from 'picomatch';
import { InputError } from '../cli/errors';

/**
 * Folders a directory search never enters: installed packages, virtual environments, git's store, and test
 * fixtures (manifests broken on purpose). A path named on the command line is checked all the same.
 */
export const ALWAYS_SKIPPED = ['node_modules', '.venv', '.git', 'fixtures', '__fixtures__'];

/** POSIX-style relative path, as globs and reports use. */
const posix = (path: string) => path.split(sep).join('/');

/**
 * The manifests to check, from the paths given (files as they are; folders searched recursively, skipping
 * ALWAYS_SKIPPED and the `exclude` globs, which are relative to `cwd`). Paths come back relative to
 * `cwd` where they lie below it, in a stable order. A path that does not exist is an input error.
 */
export async function discoverManifests(
  paths: readonly string[],
  cwd: string,
  exclude: readonly string[],
): Promise<string[]> {
  const excluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  const isExcluded = (absolute: string) => {
    const rel = posix(relative(cwd, absolute));
    return rel !== '' && !rel.startsWith('..') && (excluded(rel) || excluded(`${rel}/`));
  };
  const found: string[] = [];
  const seen = new Set<string>();
  const add = (absolute: string) => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    const rel = relative(cwd, absolute);
    found.push(rel === '' || rel.startsWith('..') ? absolute : rel);
  };
  for (const given of paths.length > 0 ? paths : ['.']) {
    const absolute = join(cwd, given).replace(/[\\/]$/, '') || sep;
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch {
      throw new InputError(`${given}: no such file or folder (relative paths start from ${cwd})`);
    }
    if (!isDirectory) {
      add(absolute);
      continue;
    }
    const folders = [absolute];
    while (folders.length > 0) {
      const folder = folders.shift()!;
      let children: Dirent[];
      try {
        children = await readdir(folder, { withFileTypes: true });
      } catch (error) {
        throw new InputError(
          `cannot read folder ${relative(cwd, folder) || folder}: ${(error as Error).message}`,
        );
      }
      children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const child of children) {
        const path = join(folder, child.name);
        if (child.isDirectory()) {
          if (!ALWAYS_SKIPPED.includes(child.name) && !isExcluded(path)) folders.push(path);
        } else if (child.isFile() && isManifestName(path) && !isExcluded(path)) {
          add(path);
        }
      }
    }
  }
  return found;
}
