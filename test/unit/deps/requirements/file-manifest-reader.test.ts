import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FileManifestReader } from '@shared/adapters/local/file-manifest-reader';

describe('FileManifestReader', () => {
  let folder: string;
  const reader = new FileManifestReader();

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'flywheel-manifests-'));
    await writeFile(join(folder, 'requirements.txt'), 'flask==3.0.0\n');
    await writeFile(join(folder, 'bom.txt'), '\ufeffrequests\r\n');
    await writeFile(join(folder, 'utf8.txt'), 'naïve-pkg # café ☕\n');
    await mkdir(join(folder, 'sub'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads a file as UTF-8', async () => {
    expect(await reader.read(join(folder, 'requirements.txt'))).toBe('flask==3.0.0\n');
    expect(await reader.read(join(folder, 'utf8.txt'))).toBe('naïve-pkg # café ☕\n');
  });

  it('removes a leading BOM and keeps the rest as it is', async () => {
    expect(await reader.read(join(folder, 'bom.txt'))).toBe('requests\r\n');
  });

  it('returns undefined for a missing file (ENOENT)', async () => {
    expect(await reader.read(join(folder, 'missing.txt'))).toBeUndefined();
  });

  it('returns undefined when a folder on the path is a file (ENOTDIR)', async () => {
    expect(await reader.read(join(folder, 'requirements.txt', 'inner.txt'))).toBeUndefined();
  });

  it('throws other errors, such as reading a folder (EISDIR)', async () => {
    await expect(reader.read(join(folder, 'sub'))).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
