/**
 * package-lock.json (or npm-shrinkwrap.json), lockfileVersion 2 and 3: the `packages` map, keyed by install path
 * (`""` the project, `node_modules/a`, `node_modules/a/node_modules/b`, a workspace's folder), read with positions.
 */
import { basename } from 'node:path';
import type { Finding, Position } from '../model';
import { findingAt } from './findings';
import { keyOffsets, LineIndex, parseJson } from './json';
import { SECTIONS, type Section } from './manifest';

/** One installed package (or linked folder) of the lock. */
export interface LockEntry {
  /** Its key in `packages`. */
  readonly path: string;
  /** The folder it installs to under node_modules (an alias's name), or the path of a folder that is not. */
  readonly installedAs: string;
  /** The package's own name: the entry's `name` (set for aliases and folders), else the folder name. */
  readonly name: string;
  /** The entry's `name` field as written, or null (npm writes it only when it differs from the folder). */
  readonly nameField: string | null;
  readonly key: Position;
  readonly version: string | null;
  readonly resolved: string | null;
  /** A symlink to a folder (a workspace or a `file:` folder): `resolved` is the folder's key. */
  readonly link: boolean;
  /** npm's deprecation message, copied from the registry when the lock was written; null when none. */
  readonly deprecated: string | null;
  /** What it depends on (dependencies, optionalDependencies, peerDependencies), by name. */
  readonly requires: readonly string[];
}

/** One name of a root list (`packages[""].dependencies` …) with where its key is. */
export interface RootListing {
  readonly value: string;
  readonly key: Position;
}

export interface Lockfile {
  readonly file: string;
  readonly lockfileVersion: 2 | 3;
  /** `packages[""]`'s dependency lists, by section; null when the lock has no root entry. */
  readonly root: {
    readonly key: Position;
    readonly lists: ReadonlyMap<Section, ReadonlyMap<string, RootListing>>;
  } | null;
  /** Where the `packages` key is, for findings about the map as a whole. */
  readonly packagesKey: Position;
  /** Every entry but the root, in the lock's order. */
  readonly entries: ReadonlyMap<string, LockEntry>;
}

/** The folder name an install path ends in: `node_modules/a/node_modules/@s/b` → `@s/b`. */
export function installedName(path: string): string | null {
  const at = path.lastIndexOf('node_modules/');
  return at === -1 ? null : path.slice(at + 'node_modules/'.length);
}

const TOO_OLD =
  'run `npm install --lockfile-version 3` with npm 7 or newer (npm 9+ writes version 3 by default), and commit it';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const kindOf = (value: unknown): string =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;

const KEY = '\u0000';
const LIST_SECTIONS: ReadonlySet<string> = new Set(SECTIONS);

/** The keys a lock's findings point at: `lockfileVersion`, `packages`, each entry, and the root entry's lists. */
function wantedKey(path: readonly string[]): boolean {
  if (path.length === 1) return path[0] === 'packages' || path[0] === 'lockfileVersion';
  if (path[0] !== 'packages') return false;
  if (path.length === 2) return true;
  return path.length === 4 && path[1] === '' && LIST_SECTIONS.has(path[2]!);
}

/**
 * Reads a lockfile; a lock the guard cannot read gives findings and no Lockfile. JSON.parse reads the values and
 * one scan finds the keys' offsets: a tree of a 900-package lock would cost most of the check's time.
 */
export function readLockfile(source: string, file: string): { lock: Lockfile | null; findings: Finding[] } {
  const name = basename(file);
  const lines = new LineIndex(source);
  const fail = (at: Position, ruleId: 'parse-error' | 'lock-out-of-sync', message: string, fix: string) => ({
    lock: null,
    findings: [
      findingAt(file, at, ruleId, ruleId === 'parse-error' ? 'error' : 'warning', null, message, fix),
    ],
  });
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch {
    const error = parseJson(source, file).error ?? {
      message: 'is not valid JSON',
      hint: 'fix the JSON syntax',
      position: { line: 1, column: 1 },
    };
    return fail(
      error.position,
      'parse-error',
      `${name} ${error.message}`,
      `${error.hint}; or delete ${name} and run \`npm install\` to write it anew`,
    );
  }
  const start = lines.position(source.length - source.trimStart().length);
  if (!isObject(data)) {
    return fail(
      start,
      'parse-error',
      `${name} holds ${kindOf(data)}, not the JSON object npm writes`,
      `delete ${name} and run \`npm install\` to write it anew`,
    );
  }
  const offsets = keyOffsets(source, wantedKey);
  const keyAt = (...path: string[]) => {
    const offset = offsets.get(path.join(KEY));
    return offset === undefined ? start : lines.position(offset);
  };
  const lockfileVersion = typeof data.lockfileVersion === 'number' ? data.lockfileVersion : null;
  const versionAt = 'lockfileVersion' in data ? keyAt('lockfileVersion') : start;
  if (lockfileVersion === 1) {
    return fail(
      versionAt,
      'lock-out-of-sync',
      `${name} has lockfileVersion 1 (written by npm 6 or older), which the guard does not read: its lock checks are skipped`,
      TOO_OLD,
    );
  }
  if (lockfileVersion !== 2 && lockfileVersion !== 3) {
    const what =
      lockfileVersion === null
        ? 'has no numeric lockfileVersion'
        : `has lockfileVersion ${lockfileVersion}, which the guard does not know (it reads 2 and 3)`;
    return fail(versionAt, 'lock-out-of-sync', `${name} ${what}: its lock checks are skipped`, TOO_OLD);
  }
  const packages = data.packages;
  if (!isObject(packages)) {
    return fail(
      'packages' in data ? keyAt('packages') : versionAt,
      'parse-error',
      `${name} has lockfileVersion ${lockfileVersion} but ${'packages' in data ? `its "packages" is ${kindOf(packages)}` : 'no "packages" map'}, so it is not a lock npm wrote`,
      `delete ${name} and run \`npm install\` to write it anew`,
    );
  }

  const entries = new Map<string, LockEntry>();
  let root: Lockfile['root'] = null;
  for (const [path, value] of Object.entries(packages)) {
    if (!isObject(value)) continue;
    if (path === '') {
      const lists = new Map<Section, Map<string, RootListing>>();
      for (const section of SECTIONS) {
        const list = value[section];
        if (!isObject(list)) continue;
        const listings = new Map<string, RootListing>();
        for (const [dependency, spec] of Object.entries(list)) {
          if (typeof spec === 'string')
            listings.set(dependency, { value: spec, key: keyAt('packages', '', section, dependency) });
        }
        lists.set(section, listings);
      }
      root = { key: keyAt('packages', ''), lists };
      continue;
    }
    const installedAs = installedName(path) ?? path;
    const nameField = text(value.name);
    entries.set(path, {
      path,
      installedAs,
      name: nameField ?? installedAs,
      nameField,
      key: keyAt('packages', path),
      version: text(value.version),
      resolved: text(value.resolved),
      link: value.link === true,
      deprecated: text(value.deprecated)?.trim() || null,
      requires: ['dependencies', 'optionalDependencies', 'peerDependencies'].flatMap((list) => {
        const dependencies = value[list];
        return isObject(dependencies) ? Object.keys(dependencies) : [];
      }),
    });
  }
  return {
    lock: { file, lockfileVersion, root, packagesKey: keyAt('packages'), entries },
    findings: [],
  };
}

/**
 * The entry Node's resolution finds for `name` required from the entry at `from`: the nearest `node_modules/name`
 * up the folder tree, a link followed to its folder.
 */
export function resolveFrom(lock: Lockfile, from: string, name: string): LockEntry | undefined {
  let base = from;
  for (;;) {
    const found = lock.entries.get(base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`);
    if (found) return followLink(lock, found);
    if (base === '') return undefined;
    base = parentFolder(base);
  }
}

/** The entry a link points at (a workspace's or `file:` folder's own entry), or the entry itself. */
export function followLink(lock: Lockfile, entry: LockEntry): LockEntry {
  if (!entry.link || entry.resolved === null) return entry;
  return lock.entries.get(entry.resolved) ?? entry;
}

/** The folder whose node_modules Node searches next: `a/node_modules/b` → `a`, `packages/web` → `packages`. */
function parentFolder(path: string): string {
  const installed = installedName(path);
  if (installed !== null) {
    const parent = path.slice(0, path.length - installed.length - 'node_modules/'.length);
    return parent.endsWith('/') ? parent.slice(0, -1) : parent;
  }
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}
