/**
 * The dependency guard for Node projects: package.json read with its package-lock.json (or npm-shrinkwrap.json),
 * statically, for a lock out of step with package.json, deprecated packages, conflicting or repeated
 * dependencies, and what npm would refuse to read.
 */
import { basename, dirname, join } from 'node:path';
import type { ManifestReader } from '../../ports/manifest-reader';
import { sortFindings } from '../check/sort-findings';
import type { Finding, PackageRef } from '../model';
import { findingAt } from './findings';
import { PulledInBy } from './graph';
import { installedName, type Lockfile, readLockfile } from './lockfile';
import { type Declaration, type Manifest, readManifest } from './manifest';
import { effectiveDeclarations } from './project';
import { conflictFindings } from './rules/conflict';
import { deprecatedFindings } from './rules/deprecated';
import { lockSyncFindings } from './rules/lock-sync';
import { declaredPackages, lockedPackages } from './rules/packages';

/** Lockfiles npm reads, in the order it prefers them. */
const NPM_LOCKS = ['npm-shrinkwrap.json', 'package-lock.json'] as const;
/** Other package managers' locks: with one of these, a missing package-lock.json is not a finding. */
const OTHER_LOCKS = ['yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'] as const;

/**
 * Checks one package.json and the lockfile beside it. `files` are the files read (package.json first), findings
 * are sorted by file and position, and `packages` are the locked registry packages (without a lock: the ones
 * package.json names) for the online checks. Never throws on what the files hold.
 */
export async function checkNodeProject(
  packageJsonPath: string,
  reader: ManifestReader,
): Promise<{ files: string[]; findings: Finding[]; packages: PackageRef[] }> {
  const text = await reader.read(packageJsonPath);
  if (text === undefined) {
    return {
      files: [],
      findings: [
        findingAt(
          packageJsonPath,
          { line: 1, column: 1 },
          'include-error',
          'error',
          null,
          `${packageJsonPath} not found`,
          'check the path: it is read relative to the folder the check runs in',
        ),
      ],
      packages: [],
    };
  }
  const files = [packageJsonPath];
  const findings: Finding[] = [];
  const manifest = readManifest(text, packageJsonPath);
  findings.push(...manifest.findings);

  const folder = dirname(packageJsonPath);
  const found = await findLock(reader, folder);
  let lock: Lockfile | null = null;
  if (found?.kind === 'unreadable') {
    findings.push(
      findingAt(
        packageJsonPath,
        { line: 1, column: 1 },
        'lock-out-of-sync',
        'warning',
        null,
        `${basename(found.path)} beside package.json cannot be read (${found.error}): its lock checks are skipped`,
        `make it readable, or delete it and run \`npm install\` to write it anew`,
      ),
    );
  } else if (found?.kind === 'text') {
    files.push(found.path);
    const read = readLockfile(found.text, found.path);
    lock = read.lock;
    findings.push(...read.findings);
  } else if (
    manifest.readable &&
    manifest.declarations.length > 0 &&
    !(await otherLockExists(reader, folder))
  ) {
    findings.push(
      findingAt(
        packageJsonPath,
        { line: 1, column: 1 },
        'lock-out-of-sync',
        'warning',
        null,
        'there is no package-lock.json beside package.json, so installs are not reproducible: each `npm install` may pick newer versions, and `npm ci` refuses to run',
        'run `npm install` to write package-lock.json, and commit it',
      ),
    );
  }

  const direct = manifest.readable ? directDependencies(manifest) : null;
  if (manifest.readable) findings.push(...conflictFindings(manifest, lock));
  if (lock !== null) {
    if (manifest.readable) findings.push(...lockSyncFindings(manifest, lock));
    findings.push(...deprecatedFindings(lock, direct, new PulledInBy(lock, rootsOf(lock, manifest))));
  }
  const packages =
    lock !== null ? lockedPackages(lock, direct) : manifest.readable ? declaredPackages(manifest) : [];
  return { files, findings: sortFindings(findings), packages };
}

/** The lock npm would use: npm-shrinkwrap.json before package-lock.json. */
async function findLock(
  reader: ManifestReader,
  folder: string,
): Promise<
  { kind: 'text'; path: string; text: string } | { kind: 'unreadable'; path: string; error: string } | null
> {
  for (const name of NPM_LOCKS) {
    const path = join(folder, name);
    try {
      const text = await reader.read(path);
      if (text !== undefined) return { kind: 'text', path, text };
    } catch (error) {
      return { kind: 'unreadable', path, error: error instanceof Error ? error.message : String(error) };
    }
  }
  return null;
}

/** Whether another package manager locks the project: then no package-lock.json is expected. */
async function otherLockExists(reader: ManifestReader, folder: string): Promise<boolean> {
  for (const name of OTHER_LOCKS) {
    try {
      if ((await reader.read(join(folder, name))) !== undefined) return true;
    } catch {
      // A lock that exists but cannot be read as text (bun.lockb is binary) still exists.
      return true;
    }
  }
  return false;
}

/** The dependencies package.json installs at the top of node_modules, by folder name (peers included). */
function directDependencies(manifest: Manifest) {
  const declarations = new Map<string, Declaration>();
  for (const declaration of effectiveDeclarations(manifest)) {
    if (declaration.spec.kind === 'invalid') continue;
    // The first section wins the position: dependencies before devDependencies, as written.
    if (!declarations.has(declaration.name)) declarations.set(declaration.name, declaration);
  }
  return { file: manifest.file, declarations };
}

/**
 * Where "pulled in by" chains end: the project's direct dependencies (from package.json, else the lock's root
 * entry) and its workspaces, by install path, with the name to report.
 */
function rootsOf(lock: Lockfile, manifest: Manifest): Map<string, string> {
  const names = new Set<string>();
  if (manifest.readable) for (const declaration of manifest.declarations) names.add(declaration.name);
  else for (const list of lock.root?.lists.values() ?? []) for (const name of list.keys()) names.add(name);
  const roots = new Map<string, string>();
  for (const name of names) roots.set(`node_modules/${name}`, name);
  for (const entry of lock.entries.values()) {
    // A linked folder not listed as a dependency is a workspace: chains that reach it end there.
    if (!entry.link || entry.resolved === null || installedName(entry.path) === null) continue;
    if (entry.path !== `node_modules/${entry.installedAs}` || names.has(entry.installedAs)) continue;
    roots.set(entry.resolved, `workspace ${entry.installedAs}`);
  }
  return roots;
}
