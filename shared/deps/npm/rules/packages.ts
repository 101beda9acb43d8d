import type { PackageRef } from '../../model';
import { installedName, type Lockfile } from '../lockfile';
import type { Declaration, Manifest } from '../manifest';
import { effectiveDeclarations } from '../project';
import { validVersion } from '../semver';
import type { NpmSpec } from '../spec';

/** A registry tarball (`…/name/-/name-1.2.3.tgz`): git, file and other URLs are not packages the registry knows. */
const REGISTRY_TARBALL = /^https?:\/\/.+\/-\/[^/]+\.tgz(?:[?#].*)?$/i;

/**
 * One PackageRef per locked registry package (name and version once), for the online checks: a direct dependency
 * points at its package.json key, anything else at its lock entry.
 */
export function lockedPackages(
  lock: Lockfile,
  direct: { readonly file: string; readonly declarations: ReadonlyMap<string, Declaration> } | null,
): PackageRef[] {
  const refs: PackageRef[] = [];
  const seen = new Set<string>();
  const entries = [...lock.entries.values()].filter(
    (entry) =>
      !entry.link &&
      installedName(entry.path) !== null &&
      (entry.resolved === null || REGISTRY_TARBALL.test(entry.resolved)),
  );
  const isDirect = (path: string, installedAs: string) =>
    path === `node_modules/${installedAs}` && direct?.declarations.has(installedAs) === true;
  // Direct dependencies first, so a version installed twice is reported at the key the user wrote.
  entries.sort((a, b) => Number(isDirect(b.path, b.installedAs)) - Number(isDirect(a.path, a.installedAs)));
  for (const entry of entries) {
    const key = `${entry.name}@${entry.version ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const declaration = isDirect(entry.path, entry.installedAs)
      ? direct?.declarations.get(entry.installedAs)
      : undefined;
    refs.push({
      ecosystem: 'npm',
      name: entry.name,
      version: entry.version,
      file: declaration && direct ? direct.file : lock.file,
      position: declaration ? declaration.key : entry.key,
    });
  }
  return refs;
}

/** Without a lock: the registry packages package.json names, with the version when the range is exact. */
export function declaredPackages(manifest: Manifest): PackageRef[] {
  const refs: PackageRef[] = [];
  const seen = new Set<string>();
  for (const declaration of effectiveDeclarations(manifest)) {
    const target = registryTarget(declaration.name, declaration.spec);
    if (target === null) continue;
    const key = `${target.name}@${target.version ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push({ ecosystem: 'npm', ...target, file: manifest.file, position: declaration.key });
  }
  return refs;
}

function registryTarget(name: string, spec: NpmSpec): { name: string; version: string | null } | null {
  if (spec.kind === 'alias') return registryTarget(spec.name, spec.target);
  if (spec.kind === 'range') return { name, version: validVersion(spec.range) };
  if (spec.kind === 'tag') return { name, version: null };
  return null;
}
