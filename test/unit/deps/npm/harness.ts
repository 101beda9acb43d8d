import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, PackageRef } from '@shared/deps/model';
import { checkNodeProject } from '@shared/deps/npm';

export const FIXTURES = join(__dirname, '../../../fixtures/deps/npm');

/** Reads fixture files by their path below test/fixtures/deps/npm; a missing file reads as undefined. */
export const fixtureReader = {
  async read(path: string): Promise<string | undefined> {
    try {
      return readFileSync(join(FIXTURES, path), 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** Checks in-memory files (path → text), package.json at the root unless told otherwise. */
export function checkFiles(files: Record<string, string>, packageJson = 'package.json') {
  return checkNodeProject(packageJson, { read: async (path) => files[path] });
}

/** A package-lock.json (v3 unless told) for a root entry and `node_modules/…` entries, as npm writes it. */
export function lockText(
  root: Record<string, unknown>,
  entries: Record<string, Record<string, unknown>> = {},
  lockfileVersion = 3,
): string {
  const packages = { '': { name: 'app', version: '1.0.0', ...root }, ...entries };
  return `${JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion, requires: true, packages }, null, 2)}\n`;
}

/** A package.json for the given sections. */
export function packageText(sections: Record<string, unknown>): string {
  return `${JSON.stringify({ name: 'app', version: '1.0.0', ...sections }, null, 2)}\n`;
}

/** A registry entry of a lock: version, the registry tarball, and what else is given. */
export function locked(name: string, version: string, extra: Record<string, unknown> = {}) {
  const base = name.split('/').pop();
  return {
    version,
    resolved: `https://registry.npmjs.org/${name}/-/${base}-${version}.tgz`,
    integrity:
      'sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
    license: 'MIT',
    ...extra,
  };
}

/** The findings in a compact, readable form: `file:line:column rule severity package`. */
export const brief = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.severity} ${f.package ?? '-'}`);

/** Package refs as `name@version file:line:column`. */
export const refs = (packages: readonly PackageRef[]) =>
  packages.map((p) => `${p.name}@${p.version ?? '-'} ${p.file}:${p.position.line}:${p.position.column}`);
