/**
 * What a dependency's value in package.json asks for, read the way npm (npm-package-arg) reads it: a semver range,
 * a dist-tag, an `npm:` alias, or a git, URL or file reference; anything else npm would refuse.
 */
import { rangeReading } from './semver';

export type NpmSpec =
  /** A semver range (`^1.2.3`, `1.x`, `''` and `*` for any version). */
  | { readonly kind: 'range'; readonly range: string }
  /** A dist-tag such as `latest` or `next`: which version it means is only known to the registry. */
  | { readonly kind: 'tag'; readonly tag: string }
  /** `npm:real-name@range`: installs real-name under the dependency's name. */
  | { readonly kind: 'alias'; readonly name: string; readonly target: NpmSpec }
  /** Git (`git+https://…`, `github:user/repo`, `user/repo#v1`), a tarball URL, or a local folder or tarball. */
  | { readonly kind: 'git' | 'url' | 'file' }
  /** `workspace:`, `link:`, `portal:`, `catalog:`…: other package managers' protocols, not compared. */
  | { readonly kind: 'foreign'; readonly protocol: string }
  | { readonly kind: 'invalid'; readonly reason: string };

const GIT = /^(?:git\+[a-z]+:|git:|github:|gitlab:|bitbucket:|gist:)/i;
/** scp-like git: `git@github.com:user/repo.git`. */
const SCP_GIT = /^[^@/\s]+@[^:./\s]+\.[^:\s]+:[^\s]+$/;
/** GitHub shorthand: `user/repo`, `user/repo#ref`. */
const GITHUB_SHORTHAND = /^[^./~@\s:#][^/\s:#]*\/[^/\s:#]+(?:#\S*)?$/;
const URL = /^https?:/i;
const FILE = /^(?:file:|\.|~\/|\/|[a-zA-Z]:[\\/])/;
const TARBALL = /\.(?:tgz|tar\.gz|tar)$/i;
const FOREIGN = /^(workspace|link|portal|patch|catalog|exec|jsr):/i;
const ANY_PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;

/** Reads a dependency value as npm does; `invalid` says why npm would refuse it. */
export function parseSpec(value: string): NpmSpec {
  const spec = value.trim();
  if (spec.startsWith('npm:')) return parseAlias(spec.slice(4));
  const foreign = FOREIGN.exec(spec);
  if (foreign) return { kind: 'foreign', protocol: foreign[1]!.toLowerCase() };
  if (GIT.test(spec) || SCP_GIT.test(spec)) return { kind: 'git' };
  if (URL.test(spec)) return { kind: 'url' };
  if (FILE.test(spec) || TARBALL.test(spec)) return { kind: 'file' };
  if (GITHUB_SHORTHAND.test(spec)) return { kind: 'git' };
  if (ANY_PROTOCOL.test(spec) && rangeReading(spec) === null) {
    return { kind: 'invalid', reason: `npm does not know the protocol \`${spec.split(':')[0]}:\`` };
  }
  // npm reads any other spec with a slash as a path relative to package.json.
  if (spec.includes('/')) return { kind: 'file' };
  return registrySpec(spec);
}

/** A range or dist-tag, as npm tells them apart: a tag is anything that needs no URL encoding. */
function registrySpec(spec: string): NpmSpec {
  const reading = rangeReading(spec);
  if (reading?.kind === 'strict') return { kind: 'range', range: spec };
  if (reading?.kind === 'loose') {
    return {
      kind: 'invalid',
      reason: `it is not a valid semver range: npm reads it loosely as "${reading.normalized}", silently dropping the rest`,
    };
  }
  if (encodeURIComponent(spec) === spec) return { kind: 'tag', tag: spec };
  return {
    kind: 'invalid',
    reason:
      'it is neither a semver range (`^1.2.3`, `~1.2`, `>=1 <2`, `1.x`) nor a dist-tag, alias, git, URL or file reference',
  };
}

function parseAlias(rest: string): NpmSpec {
  const at = rest.indexOf('@', rest.startsWith('@') ? 1 : 0);
  const name = at === -1 ? rest : rest.slice(0, at);
  const range = at === -1 ? '' : rest.slice(at + 1);
  if (!isPackageName(name)) {
    return { kind: 'invalid', reason: `\`npm:${rest}\` does not name a package after \`npm:\`` };
  }
  const target = registrySpec(range);
  if (target.kind === 'invalid') return target;
  return { kind: 'alias', name, target };
}

/**
 * npm's core rule for a name, loosely (old packages may have capitals or a leading `_`): an optional `@scope/`,
 * then URL-safe characters only, not starting with a dot.
 */
export function isPackageName(name: string): boolean {
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
  const parts = scoped ? [scoped[1]!, scoped[2]!] : [name];
  return (
    name.length <= 214 &&
    parts.every((part) => part !== '' && !part.startsWith('.') && encodeURIComponent(part) === part)
  );
}
