/**
 * npm's own range semantics (node-semver), typed for the few calls the guard makes. Every call is loose, as npm
 * parses package.json ranges (`=v1.2`, `>= 1.2`), and lets prereleases match, as the guard's brief asks.
 */
import * as semverModule from 'semver';

interface SemverOptions {
  readonly loose?: boolean;
  readonly includePrerelease?: boolean;
}

/** The part of node-semver's API the guard uses (the same in semver 6 and 7). */
interface SemverApi {
  valid(version: string, options?: SemverOptions): string | null;
  validRange(range: string, options?: SemverOptions): string | null;
  satisfies(version: string, range: string, options?: SemverOptions): boolean;
  intersects(range1: string, range2: string, options?: SemverOptions): boolean;
}

const semver = semverModule as unknown as SemverApi;
const OPTIONS: SemverOptions = { loose: true, includePrerelease: true };

/** The normalised version, or null when `version` is not a semver version. */
export function validVersion(version: string): string | null {
  try {
    return semver.valid(version, OPTIONS);
  } catch {
    return null;
  }
}

/**
 * How `range` reads as a semver range: `strict` when it is one as written (`''` and `*` are: any version),
 * `loose` when only npm's loose parsing accepts it (it drops what it cannot read: `^1.2 beta!` is `^1.2`), else null.
 */
export function rangeReading(range: string): { kind: 'strict' | 'loose'; normalized: string } | null {
  try {
    const strict = semver.validRange(range, { includePrerelease: true });
    if (strict !== null) return { kind: 'strict', normalized: strict };
    const loose = semver.validRange(range, OPTIONS);
    return loose === null ? null : { kind: 'loose', normalized: loose };
  } catch {
    return null;
  }
}

/** Whether `version` satisfies `range`, prereleases included; false when either is not valid. */
export function satisfies(version: string, range: string): boolean {
  try {
    return semver.satisfies(version, range, OPTIONS);
  } catch {
    return false;
  }
}

/** Whether some version satisfies both ranges; true when either is not a valid range (nothing to claim). */
export function rangesIntersect(a: string, b: string): boolean {
  try {
    return semver.intersects(a, b, OPTIONS);
  } catch {
    return true;
  }
}
