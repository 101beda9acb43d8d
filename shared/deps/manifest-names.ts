import { basename, join } from 'node:path';

/**
 * Whether a file found in a directory search is a manifest: pyproject.toml, package.json and package-lock.json,
 * pip-compile inputs (`*.in`, but not MANIFEST.in), and requirements or constraints files by their usual names (or
 * any .txt in a `requirements/` folder). A path given by name is checked whatever its name.
 */
export function isManifestName(path: string): boolean {
  const name = basename(path);
  const lower = name.toLowerCase();
  if (lower === 'pyproject.toml' || isNodeManifestName(path)) return true;
  if (lower.endsWith('.in')) return lower !== 'manifest.in';
  if (!lower.endsWith('.txt')) return false;
  if (/requirements?|constraints?/.test(lower) || /^reqs?([-_.]|\.txt$)/.test(lower)) return true;
  const parent = basename(join(path, '..')).toLowerCase();
  return parent === 'requirements' || parent === 'reqs';
}

/** Whether a file is a Node manifest: package.json or package-lock.json (outside node_modules). */
export function isNodeManifestName(path: string): boolean {
  if (/(^|[\\/])node_modules[\\/]/.test(path)) return false;
  const name = basename(path);
  return name === 'package.json' || name === 'package-lock.json';
}
