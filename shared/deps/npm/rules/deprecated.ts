import type { Finding } from '../../model';
import { NPM_DEPRECATIONS, type NpmDeprecation } from '../deprecations';
import { findingAt } from '../findings';
import type { PulledInBy } from '../graph';
import { installedName, type LockEntry, type Lockfile } from '../lockfile';
import type { Declaration } from '../manifest';
import { satisfies, validVersion } from '../semver';

const TABLE = new Map<string, NpmDeprecation[]>();
for (const row of NPM_DEPRECATIONS) TABLE.set(row.name, [...(TABLE.get(row.name) ?? []), row]);

/** The deprecation the lock records for an entry, else the one the built-in table knows for its version. */
function deprecationOf(entry: LockEntry): { message: string; fromTable: boolean } | null {
  if (entry.deprecated !== null) return { message: entry.deprecated, fromTable: false };
  const version = entry.version !== null ? validVersion(entry.version) : null;
  if (version === null) return null;
  const row = TABLE.get(entry.name)?.find((candidate) => satisfies(version, candidate.range));
  return row ? { message: row.message, fromTable: true } : null;
}

/** How many names to spell out in "pulled in by …" before "and N more". */
const SHOWN = 3;

function list(names: readonly string[]): string {
  const shown = names.slice(0, SHOWN).join(', ');
  return names.length > SHOWN ? `${shown} and ${names.length - SHOWN} more` : shown;
}

/**
 * `deprecated-name` (warning) for every installed package npm marks deprecated: at the package.json key for a
 * direct dependency, at the lock entry for the others (naming the direct dependencies that pull them in).
 */
export function deprecatedFindings(
  lock: Lockfile,
  direct: { readonly file: string; readonly declarations: ReadonlyMap<string, Declaration> } | null,
  pulledInBy: PulledInBy,
): Finding[] {
  const findings: Finding[] = [];
  for (const entry of lock.entries.values()) {
    if (entry.link || installedName(entry.path) === null) continue;
    const deprecation = deprecationOf(entry);
    if (deprecation === null) continue;
    const what = `${entry.name}${entry.version ? `@${entry.version}` : ''}`;
    const alias = entry.installedAs !== entry.name ? ` (installed as ${entry.installedAs})` : '';
    const source = deprecation.fromTable ? " (from the guard's list: the lockfile does not record it)" : '';
    const message = `npm marks ${what}${alias} deprecated: "${deprecation.message}"${source}`;
    const declaration =
      entry.path === `node_modules/${entry.installedAs}`
        ? direct?.declarations.get(entry.installedAs)
        : undefined;
    if (direct && declaration) {
      findings.push(
        findingAt(
          direct.file,
          declaration.key,
          'deprecated-name',
          'warning',
          entry.name,
          message,
          `move ${declaration.name} to a version that is not deprecated, or to the replacement the message names, then run \`npm install\``,
        ),
      );
      continue;
    }
    const via = pulledInBy.of(entry.path);
    const required = via.length > 0 || pulledInBy.isRequired(entry.path);
    findings.push(
      findingAt(
        lock.file,
        entry.key,
        'deprecated-name',
        'warning',
        entry.name,
        via.length > 0
          ? `${message}; pulled in by ${list(via)}`
          : required
            ? message
            : `${message}; nothing in the lock depends on it any more`,
        via.length > 0
          ? `upgrade ${via[0]}, which pulls it in, to a release that no longer needs ${what}; or force a newer ${entry.name} with "overrides" in package.json`
          : required
            ? `find what pulls it in with \`npm explain ${entry.name}\`, and upgrade that`
            : 'run `npm install`, which drops packages nothing needs from the lock',
      ),
    );
  }
  return findings;
}
