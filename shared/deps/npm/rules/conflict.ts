import { basename } from 'node:path';
import type { Finding } from '../../model';
import { findingAt, where } from '../findings';
import type { Lockfile } from '../lockfile';
import type { Declaration, Manifest } from '../manifest';
import { installed } from '../project';
import { rangesIntersect, satisfies, validVersion } from '../semver';
import { packageOf } from './lock-sync';

/** Which entry npm keeps when a name is in two install sections, in words for the message. */
function whichWins(a: Declaration, b: Declaration): string {
  const sections = new Set([a.section, b.section]);
  if (sections.has('optionalDependencies') && sections.has('dependencies'))
    return 'npm keeps only the optionalDependencies entry';
  return 'npm installs one version for both';
}

/**
 * `conflict` and `duplicate` within package.json: a package in two of dependencies, devDependencies and
 * optionalDependencies (a conflict when no version satisfies both ranges, else a duplicate), and a peer range the
 * locked version (or, without a lock, another section's range) does not allow. Duplicate JSON keys are reported
 * by the manifest reader.
 */
export function conflictFindings(manifest: Manifest, lock: Lockfile | null): Finding[] {
  const findings: Finding[] = [];
  const byName = new Map<string, Declaration[]>();
  for (const declaration of manifest.declarations) {
    if (declaration.spec.kind === 'invalid') continue;
    const list = byName.get(declaration.name) ?? [];
    list.push(declaration);
    byName.set(declaration.name, list);
  }
  const file = manifest.file;

  for (const [name, declarations] of byName) {
    const sorted = [...declarations].sort((a, b) => a.offset - b.offset);
    const installs = sorted.filter((d) => d.section !== 'peerDependencies');
    for (let i = 1; i < installs.length; i++) {
      const later = installs[i]!;
      for (const earlier of installs.slice(0, i)) {
        const first = `"${earlier.value}" in ${earlier.section} (${where(file, earlier.key)})`;
        const ranges = later.spec.kind === 'range' && earlier.spec.kind === 'range';
        if (ranges && !rangesIntersect(earlier.spec.range, later.spec.range)) {
          findings.push(
            findingAt(
              file,
              later.key,
              'conflict',
              'error',
              packageOf(later),
              `${name} is "${later.value}" in ${later.section} and ${first}: no version satisfies both`,
              `make the two ranges agree, or keep ${name} in one section only`,
            ),
          );
        } else {
          const same = later.value === earlier.value;
          findings.push(
            findingAt(
              file,
              later.key,
              'duplicate',
              'warning',
              packageOf(later),
              same
                ? `${name} is listed in both ${earlier.section} (${where(file, earlier.key)}) and ${later.section}, with the same "${later.value}"`
                : `${name} is "${later.value}" in ${later.section} and ${first}: ${whichWins(earlier, later)}`,
              `keep ${name} in one section: dependencies if the code needs it at run time, devDependencies if only for building and testing`,
            ),
          );
        }
      }
    }

    for (const peer of sorted.filter((d) => d.section === 'peerDependencies')) {
      if (peer.spec.kind !== 'range') continue;
      const found = lock ? installed(lock, name) : undefined;
      const version = found?.target.version ?? null;
      if (lock && found && version !== null && validVersion(version) !== null) {
        if (satisfies(version, peer.spec.range)) continue;
        findings.push(
          findingAt(
            file,
            peer.key,
            'conflict',
            'error',
            name,
            `peerDependencies asks for ${name} "${peer.value}", but ${basename(lock.file)} installs ${version}`,
            `widen the peer range to include ${version}, or install a version it allows: npm install ${name}@"${peer.value}"`,
          ),
        );
        continue;
      }
      for (const other of installs) {
        if (other.spec.kind !== 'range' || rangesIntersect(peer.spec.range, other.spec.range)) continue;
        findings.push(
          findingAt(
            file,
            peer.key,
            'conflict',
            'error',
            name,
            `peerDependencies asks for ${name} "${peer.value}", but ${other.section} installs "${other.value}" (${where(file, other.key)}): no version satisfies both`,
            `make the peer range include the version you develop against, or change the ${other.section} range`,
          ),
        );
      }
    }
  }
  return findings;
}
