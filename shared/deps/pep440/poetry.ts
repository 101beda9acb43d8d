/**
 * Poetry's version constraint syntax (https://python-poetry.org/docs/dependency-specification/) turned into
 * PEP 440 clauses, following poetry-core's parser: `^` (caret), `~` (tilde), `~=`, wildcards, comparisons, a
 * bare version (exact), and comma- or space-separated AND. `||` (OR) has no single PEP 440 equivalent.
 */
import type { SpecifierClause } from '../model';
import { parseSpecifierClause } from './specifier';
import { parseVersion, pythonStrip, type Version } from './version';

export type PoetryResult =
  | { readonly ok: true; readonly clauses: SpecifierClause[] }
  | { readonly ok: false; readonly message: string };

const OPERATOR_ONLY = /^(?:\^|~=?|===?|!=|<>|[<>]=?)$/;
const ANY = /^v?[xX*](?:\.[xX*])*$/i;
const BASIC = /^(<>|!=|>=?|<=?|==?)?\s*(.*?)(\.\*)?$/s;

/** Splits on commas and whitespace, keeping an operator written apart (`>= 1.2`) with its version. */
function tokens(text: string): string[] {
  const result: string[] = [];
  for (const piece of text.split(',')) {
    let pending = '';
    for (const word of piece.split(/\s+/)) {
      if (word === '') continue;
      if (OPERATOR_ONLY.test(word)) {
        pending += word;
        continue;
      }
      result.push(pending + word);
      pending = '';
    }
    if (pending !== '') result.push(pending);
  }
  return result;
}

function releaseText(epoch: number, release: readonly number[]): string {
  return (epoch === 0 ? '' : `${epoch}!`) + release.join('.');
}

/** Poetry's `next_major` / `next_minor` / `next_patch`: bump one release number, zero the rest, keep the length. */
function bump(v: Version, index: number): string {
  const release = v.release.map((n, k) => (k < index ? n : k === index ? n + 1 : 0));
  return releaseText(v.epoch, release);
}

/** Poetry's `next_breaking`: the first version a caret range excludes. */
function nextBreaking(v: Version): string {
  const [major = 0, minor, patch] = v.release;
  if (major > 0 || minor === undefined) return bump(v, 0);
  if (minor > 0 || patch === undefined) return bump(v, 1);
  return bump(v, 2);
}

type Translation = { clauses: string[] } | { error: string };

function range(lower: string, upper: string): Translation {
  return { clauses: [`>=${lower}`, `<${upper}`] };
}

function translate(constraint: string): Translation {
  if (ANY.test(constraint)) return { clauses: [] };
  const versionAfter = (length: number): { text: string; version: Version } | null => {
    const text = pythonStrip(constraint.slice(length));
    const version = parseVersion(text);
    return version === null ? null : { text, version };
  };
  if (constraint.startsWith('~=')) {
    const parsed = versionAfter(2);
    if (parsed === null) return { error: `\`${constraint}\` does not hold a valid version` };
    if (parsed.version.release.length >= 2) return { clauses: [`~=${parsed.text}`] };
    return range(parsed.text, bump(parsed.version, 0));
  }
  if (constraint.startsWith('~') || constraint.startsWith('^')) {
    const parsed = versionAfter(1);
    if (parsed === null) return { error: `\`${constraint}\` does not hold a valid version` };
    const { text, version } = parsed;
    if (constraint.startsWith('^')) return range(text, nextBreaking(version));
    return range(text, bump(version, version.release.length === 1 ? 0 : 1));
  }
  const match = BASIC.exec(constraint);
  if (match === null) return { error: `\`${constraint}\` is not a Poetry version constraint` };
  const written = match[1] ?? '';
  const operator = written === '' || written === '=' ? '==' : written === '<>' ? '!=' : written;
  const version = pythonStrip(match[2] ?? '');
  const wildcard = match[3] !== undefined;
  if (parseVersion(version) === null) return { error: `\`${constraint}\` does not hold a valid version` };
  // Poetry ignores a wildcard after an ordering operator (`>=1.2.*` means `>=1.2`).
  const keepsWildcard = wildcard && (operator === '==' || operator === '!=');
  return { clauses: [`${operator}${version}${keepsWildcard ? '.*' : ''}`] };
}

/**
 * Converts a Poetry constraint to PEP 440 clauses: `^1.2.3` → `>=1.2.3,<2.0.0`, `~1.2` → `>=1.2,<1.3`,
 * `1.2.*` → `==1.2.*`, `*` → none, `1.2.3` → `==1.2.3`, `>=1.0 <2.0` → `>=1.0,<2.0`. Refuses `||` (OR).
 */
export function poetryConstraint(text: string): PoetryResult {
  const trimmed = pythonStrip(text);
  if (trimmed.includes('|')) {
    return {
      ok: false,
      message: `\`${trimmed}\` uses \`||\` (either constraint), which one PEP 440 specifier cannot express: a specifier's clauses must all hold`,
    };
  }
  const clauses: SpecifierClause[] = [];
  for (const constraint of tokens(trimmed)) {
    const translation = translate(constraint);
    if ('error' in translation) return { ok: false, message: translation.error };
    for (const clauseText of translation.clauses) {
      const parsed = parseSpecifierClause(clauseText);
      if (!parsed.ok) return { ok: false, message: parsed.message };
      clauses.push(parsed.clause);
    }
  }
  return { ok: true, clauses };
}
