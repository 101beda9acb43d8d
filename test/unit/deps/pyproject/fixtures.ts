import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DependencyEntry } from '@shared/deps/model';
import { type PyprojectFile, parsePyproject } from '@shared/deps/pyproject';

const FIXTURES = join(__dirname, '../../../fixtures/deps/pyproject');

/** The text of a fixture in test/fixtures/deps/pyproject. */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A fixture, parsed under its own name. */
export function parseFixture(name: string): PyprojectFile {
  return parsePyproject(fixtureText(name), name);
}

/** An entry in one line for exact comparisons: where it starts, what it reads as, and where it came from. */
export function summary(entry: DependencyEntry): string {
  const requirement = entry.requirement;
  const source = entry.source;
  const where =
    source.kind === 'project'
      ? `${source.section}${source.group === undefined ? '' : `:${source.group}`}`
      : source.kind === 'requirements'
        ? source.role
        : `${source.kind}:${source.group}`;
  const read =
    requirement === null
      ? 'invalid'
      : [
          requirement.normalizedName,
          requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : '',
          requirement.specifier,
          requirement.url === null ? '' : ` @ ${requirement.url}`,
          requirement.markerText === null ? '' : ` ; ${requirement.markerText}`,
        ].join('');
  const flags = `${entry.selfReference === true ? ' self' : ''}${entry.editable ? ' editable' : ''}`;
  return `${entry.position.line}:${entry.position.column} ${where} ${read}${flags}`;
}

/** A problem in one line: position and message. */
export function problemLine(problem: {
  position: { line: number; column: number };
  message: string;
}): string {
  return `${problem.position.line}:${problem.position.column} ${problem.message}`;
}
