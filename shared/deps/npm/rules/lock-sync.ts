import { basename } from 'node:path';
import type { Finding } from '../../model';
import { findingAt } from '../findings';
import type { Lockfile, RootListing } from '../lockfile';
import { type Declaration, type Manifest, SECTIONS, type Section } from '../manifest';
import { effectiveDeclarations, installed } from '../project';
import { satisfies, validVersion } from '../semver';
import type { NpmSpec } from '../spec';

const RELOCK = 'run `npm install` to bring package-lock.json up to date, and commit it';

/** The range a spec puts on the installed version, or null when nothing can be compared (git, tag, file…). */
function comparableRange(spec: NpmSpec): string | null {
  if (spec.kind === 'range') return spec.range;
  if (spec.kind === 'alias' && spec.target.kind === 'range') return spec.target.range;
  return null;
}

/**
 * `lock-out-of-sync` between package.json and its lock: a dependency the lock does not install, a locked version
 * its range does not allow, an alias installing another package, and root-entry lists that disagree with
 * package.json. One finding per dependency, the most telling; peers only when the lock installs them.
 */
export function lockSyncFindings(manifest: Manifest, lock: Lockfile): Finding[] {
  const findings: Finding[] = [];
  const lockName = basename(lock.file);
  const at = (declaration: Declaration, message: string, fix = RELOCK) =>
    findingAt(
      manifest.file,
      declaration.key,
      'lock-out-of-sync',
      'error',
      packageOf(declaration),
      message,
      fix,
    );

  if (lock.root === null) {
    findings.push(
      findingAt(
        lock.file,
        lock.packagesKey,
        'lock-out-of-sync',
        'error',
        null,
        `${lockName} has no root entry (packages[""]), so it does not record what package.json asked for`,
        `delete ${lockName} and run \`npm install\` to write it anew`,
      ),
    );
  }

  for (const declaration of effectiveDeclarations(manifest)) {
    if (declaration.spec.kind === 'invalid') continue;
    const { name, section, value } = declaration;
    const found = installed(lock, name);
    const peer = section === 'peerDependencies';
    if (peer && !found) continue;
    const listed = lock.root?.lists.get(section)?.get(name);
    if (!found) {
      findings.push(
        at(
          declaration,
          listed
            ? `${lockName} lists ${name} in its root entry but installs no node_modules/${name}`
            : `${name} (${section}: "${value}") is not in ${lockName}: it was added to package.json after the lock was written`,
        ),
      );
      continue;
    }
    const { entry, target } = found;
    if (
      declaration.spec.kind === 'alias' &&
      !entry.link &&
      entry.nameField !== null &&
      entry.nameField !== declaration.spec.name
    ) {
      findings.push(
        at(
          declaration,
          `${name} is "${value}", but ${lockName} installs ${entry.nameField}${entry.version ? `@${entry.version}` : ''} there`,
        ),
      );
      continue;
    }
    const range = comparableRange(declaration.spec);
    const version = target.version !== null ? validVersion(target.version) : null;
    // A peer the locked version does not satisfy is a conflict (rules/conflict), not a stale lock.
    if (!peer && range !== null && version !== null && !satisfies(version, range)) {
      findings.push(
        at(
          declaration,
          `package.json asks for ${name} "${value}", but ${lockName} locks ${target.version}${listed && listed.value !== value ? ` (it was written for "${listed.value}")` : ''}`,
        ),
      );
      continue;
    }
    if (lock.root === null) continue;
    if (!listed) {
      const elsewhere = listedElsewhere(lock, section, name);
      findings.push(
        at(
          declaration,
          elsewhere
            ? `${name} is in ${section} of package.json, but ${lockName} records it in ${elsewhere}`
            : `${name} (${section}: "${value}") is installed by ${lockName}, but its root entry does not list it: package.json changed after the lock was written`,
        ),
      );
    } else if (listed.value !== value) {
      const fits = version !== null && range !== null ? ` (the locked ${target.version} fits both)` : '';
      findings.push(
        at(
          declaration,
          `package.json asks for ${name} "${value}", but ${lockName} was written for "${listed.value}"${fits}`,
        ),
      );
    }
  }

  if (lock.root !== null) findings.push(...staleListings(manifest, lock, lock.root.lists));
  return findings;
}

/** Names the lock's root entry lists that package.json no longer declares in that section. */
function staleListings(
  manifest: Manifest,
  lock: Lockfile,
  lists: ReadonlyMap<Section, ReadonlyMap<string, RootListing>>,
): Finding[] {
  const findings: Finding[] = [];
  const optional = manifest.keys.get('optionalDependencies') ?? new Set<string>();
  for (const section of SECTIONS) {
    const declared = manifest.keys.get(section) ?? new Set<string>();
    for (const [name, listing] of lists.get(section) ?? []) {
      if (declared.has(name)) continue;
      // npm moves a name listed in both dependencies and optionalDependencies to optional only; old locks may not.
      if (section === 'dependencies' && optional.has(name)) continue;
      findings.push(
        findingAt(
          lock.file,
          listing.key,
          'lock-out-of-sync',
          'error',
          name,
          `${basename(lock.file)} still lists ${name} ("${listing.value}") in ${section}, but package.json no longer does`,
          RELOCK,
        ),
      );
    }
  }
  return findings;
}

function listedElsewhere(lock: Lockfile, section: Section, name: string): Section | null {
  for (const other of SECTIONS) if (other !== section && lock.root?.lists.get(other)?.has(name)) return other;
  return null;
}

/** The npm package a declaration is about: an alias's real package, else its name. */
export function packageOf(declaration: Declaration): string {
  return declaration.spec.kind === 'alias' ? declaration.spec.name : declaration.name;
}
