import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseRequirementsFile,
  type RequirementsEntry,
  type RequirementsFile,
} from '@shared/deps/requirements';

export const FIXTURES = join(__dirname, '../../../fixtures/deps/requirements');

/** The text of a fixture in test/fixtures/deps/requirements. */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A fixture, parsed under its own name. */
export function parseFixture(name: string, env: Record<string, string> = {}): RequirementsFile {
  return parseRequirementsFile(fixtureText(name), name, env);
}

/**
 * An entry in one line for exact comparisons: where it starts, its role, what it reads as (or the reference it
 * makes), `-e`, and how many hashes it has.
 */
export function summary(entry: RequirementsEntry): string {
  const { requirement, reference } = entry;
  let read: string;
  if (requirement !== null) {
    read = [
      requirement.normalizedName,
      requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : '',
      requirement.specifier,
      requirement.url === null ? '' : ` @ ${requirement.url}`,
      requirement.markerText === null ? '' : ` ; ${requirement.markerText}`,
    ].join('');
  } else if (reference !== undefined) {
    const extras = reference.extras.length > 0 ? `[${reference.extras.join(',')}]` : '';
    read = `<${reference.url}>${extras} name=${reference.name ?? '?'}`;
  } else {
    read = 'invalid';
  }
  const source = entry.source.kind === 'requirements' ? entry.source.role : entry.source.kind;
  const flags = `${entry.editable ? ' editable' : ''}${entry.hashes.length > 0 ? ` hashes=${entry.hashes.length}` : ''}`;
  return `${entry.position.line}:${entry.position.column} ${source} ${read}${flags}`;
}
