import { readFile } from 'node:fs/promises';
import type { ManifestReader } from '../../ports/manifest-reader';

/** Error codes that mean "there is no such file here", which the port reports as undefined. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' ? code : undefined;
}

/** Reads manifests from the local disk: UTF-8, a leading BOM removed; a path that is not there is undefined. */
export class FileManifestReader implements ManifestReader {
  async read(path: string): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = errorCode(error);
      if (code !== undefined && ABSENT.has(code)) return undefined;
      throw error;
    }
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}
