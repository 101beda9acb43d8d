import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Marker, MarkerVariable } from '@shared/deps/model';
import { normalizeVersion, parseVersion } from '@shared/deps/pep440';
import { evaluateMarker, parseMarker, parseRequirement } from '@shared/deps/pep508';

/** What test/fixtures/deps/pep508/generate.py recorded from Python's `packaging`. */
interface Fixture {
  readonly packaging: string;
  readonly environments: readonly {
    readonly name: string;
    readonly settings: readonly {
      readonly env: Partial<Record<MarkerVariable, string>>;
      readonly extras: readonly string[];
    }[];
  }[];
  readonly requirements: readonly RequirementCase[];
  readonly markers: readonly { readonly marker: string; readonly results: readonly (boolean | string)[] }[];
}

type RequirementCase =
  | { readonly input: string; readonly valid: false; readonly error: string; readonly errorStart?: number }
  | {
      readonly input: string;
      readonly valid: true;
      readonly name: string;
      readonly extras: readonly string[];
      readonly clauses: readonly (readonly [string, string])[];
      readonly url: string | null;
      readonly marker: Marker | null;
      readonly markerText?: string;
      readonly divergence?: string;
    };

const FIXTURE = JSON.parse(
  readFileSync(join(__dirname, '../../../fixtures/deps/pep508/packaging-cases.json'), 'utf8'),
) as Fixture;

/** A version as packaging would compare it, so `>=V1.0` and `>=v1.0` count as one clause. */
function sameVersion(a: string, b: string): boolean {
  if (a === b) return true;
  const wildcard = a.endsWith('.*');
  if (wildcard !== b.endsWith('.*')) return false;
  const va = parseVersion(wildcard ? a.slice(0, -2) : a);
  const vb = parseVersion(wildcard ? b.slice(0, -2) : b);
  return va !== null && vb !== null && normalizeVersion(va) === normalizeVersion(vb);
}

describe(`parseRequirement agrees with packaging ${FIXTURE.packaging}`, () => {
  it('the fixture was made by packaging 26.2 and covers valid and invalid requirements', () => {
    // Prepare
    const valid = FIXTURE.requirements.filter((c) => c.valid).length;

    // Act
    const invalid = FIXTURE.requirements.length - valid;

    // Assess
    expect(FIXTURE.packaging).toBe('26.2');
    expect(valid).toBeGreaterThan(500);
    expect(invalid).toBeGreaterThan(500);
  });

  it.each(FIXTURE.requirements.map((c) => [JSON.stringify(c.input), c] as const))('%s', (_label, c) => {
    // Act
    const result = parseRequirement(c.input);

    // Assess
    if (!c.valid) {
      expect(result).toMatchObject({ ok: false });
      if (!result.ok) {
        expect(result.offset).toBeGreaterThanOrEqual(0);
        expect(result.offset).toBeLessThanOrEqual(c.input.length);
        expect(result.message.length).toBeGreaterThan(0);
      }
      return;
    }
    if (!result.ok) throw new Error(`rejected: ${result.message} at ${result.offset}`);
    const r = result.requirement;
    expect(r.name).toBe(c.name);
    expect(r.extras).toEqual(c.extras);
    expect(r.url).toBe(c.url);
    expect(r.clauses.map((clause) => clause.operator)).toEqual(c.clauses.map(([op]) => op));
    r.clauses.forEach((clause, i) => {
      expect(sameVersion(clause.version, c.clauses[i]![1])).toBe(true);
    });
    expect(r.marker).toEqual(c.marker);
    if (c.markerText !== undefined && c.divergence === undefined) {
      // packaging keeps redundant parentheses that our tree does not; both texts must read as the same tree.
      const reparsed = parseMarker(c.markerText);
      expect(reparsed.ok && reparsed.marker).toEqual(c.marker);
    }
  });
});

describe(`evaluateMarker agrees with packaging ${FIXTURE.packaging}`, () => {
  const settings = FIXTURE.environments.flatMap((e) =>
    e.settings.map((s, i) => ({ ...s, name: `${e.name}#${i}` })),
  );

  it.each(FIXTURE.markers.map((m) => [m.marker, m] as const))('%s', (_label, m) => {
    // Prepare
    const parsed = parseMarker(m.marker);
    if (!parsed.ok) throw new Error(parsed.message);

    // Act
    const results = settings.map((s) => evaluateMarker(parsed.marker, s.env, s.extras));

    // Assess: packaging raising is our undefined
    const expected = m.results.map((r) => (typeof r === 'string' ? undefined : r));
    expect(results).toEqual(expected);
  });
});
