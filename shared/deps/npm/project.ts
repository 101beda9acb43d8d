import { followLink, type LockEntry, type Lockfile } from './lockfile';
import type { Declaration, Manifest } from './manifest';

/**
 * The declarations npm acts on: a name in both dependencies and optionalDependencies is optional only (npm
 * drops the dependencies entry when it reads package.json, and so does the lock's root entry).
 */
export function effectiveDeclarations(manifest: Manifest): Declaration[] {
  const optional = new Set(
    manifest.declarations.filter((d) => d.section === 'optionalDependencies').map((d) => d.name),
  );
  return manifest.declarations.filter((d) => d.section !== 'dependencies' || !optional.has(d.name));
}

/** The entry a direct dependency installs (`node_modules/<name>`, a link followed), if the lock has it. */
export function installed(lock: Lockfile, name: string): { entry: LockEntry; target: LockEntry } | undefined {
  const entry = lock.entries.get(`node_modules/${name}`);
  return entry ? { entry, target: followLink(lock, entry) } : undefined;
}
