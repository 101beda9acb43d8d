import { describe, expect, it } from '@jest/globals';
import type { SpecifierClause, SpecifierOperator } from '@shared/deps/model';
import {
  compareVersions,
  normalizeVersion,
  parseSpecifierClause,
  parseVersion,
  satisfiable,
  specifierContains,
  type Version,
} from '@shared/deps/pep440';
import fc from 'fast-check';

const RUNS = { numRuns: 400 };

// --- generators -------------------------------------------------------------------------------------------------

const separator = fc.constantFrom('', '.', '-', '_');
const small = fc.constantFrom(0, 0, 1, 2, 3, 10);

/** Version text in any of the spellings the specification normalises. */
const versionText = fc
  .record({
    v: fc.constantFrom('', '', '', 'v', 'V'),
    epoch: fc.option(fc.constantFrom(0, 1, 2), { freq: 5 }),
    release: fc.array(small, { minLength: 1, maxLength: 4 }),
    pre: fc.option(
      fc.tuple(
        separator,
        fc.constantFrom('a', 'alpha', 'B', 'beta', 'c', 'rc', 'RC', 'pre', 'preview'),
        separator,
        fc.option(small),
      ),
      { freq: 3 },
    ),
    post: fc.option(
      fc.tuple(separator, fc.constantFrom('post', 'rev', 'r', 'POST'), separator, fc.option(small)),
      { freq: 3 },
    ),
    dev: fc.option(fc.tuple(separator, fc.constantFrom('dev', 'DEV'), separator, fc.option(small)), {
      freq: 3,
    }),
    local: fc.option(
      fc.array(fc.constantFrom('ubuntu', '1', '01', 'A', 'x9', '0a'), { minLength: 1, maxLength: 3 }),
      {
        freq: 4,
      },
    ),
  })
  .map(({ v, epoch, release, pre, post, dev, local }) => {
    let text = v + (epoch === null ? '' : `${epoch}!`) + release.join('.');
    for (const part of [pre, post, dev]) {
      if (part !== null) text += part[0] + part[1] + (part[3] === null ? '' : part[2] + String(part[3]));
    }
    if (local !== null) text += '+' + local.join('.');
    return text;
  });

/** `arbitrary` one time in `1 + absent`, null otherwise. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, absent = 2): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: absent }, { arbitrary, weight: 1 });
}

/** A canonical version from a small space, so that clauses built from several of them interact. */
const canonicalVersion = fc
  .record({
    epoch: fc.constantFrom(0, 0, 0, 0, 1),
    release: fc.array(fc.constantFrom(0, 1, 2), { minLength: 1, maxLength: 3 }),
    pre: sometimes(fc.tuple(fc.constantFrom('a', 'b', 'rc'), fc.constantFrom(0, 1))),
    post: sometimes(fc.constantFrom(0, 1)),
    dev: sometimes(fc.constantFrom(0, 1)),
    local: sometimes(fc.constantFrom('a', '1', 'a.0'), 1),
  })
  .map(({ epoch, release, pre, post, dev, local }) => ({
    public:
      (epoch === 0 ? '' : `${epoch}!`) +
      release.join('.') +
      (pre === null ? '' : pre[0] + String(pre[1])) +
      (post === null ? '' : `.post${post}`) +
      (dev === null ? '' : `.dev${dev}`),
    release: (epoch === 0 ? '' : `${epoch}!`) + release.join('.'),
    local,
  }));

const OPERATORS: readonly SpecifierOperator[] = ['~=', '===', '==', '!=', '<=', '>=', '<', '>'];

/** A valid clause over the small version space, of any operator, wildcards and local labels included. */
const clause: fc.Arbitrary<SpecifierClause> = fc
  .tuple(
    fc.constantFrom(...OPERATORS),
    canonicalVersion,
    fc.constantFrom('plain', 'plain', 'wildcard', 'local', 'odd'),
    fc.constantFrom('.c1.r1', 'c1.r1', '.RC1', '.r1', '.c1.dev0', '.POST1', 'c0.r0.dev1', '.pre1'),
  )
  .map(([operator, v, shape, oddSuffix]) => {
    let version = v.public;
    if (shape === 'wildcard') version = `${v.release}.*`;
    if (shape === 'local' && v.local !== null) version = `${v.public}+${v.local}`;
    if (shape === 'odd' && operator === '===') version = 'foo';
    // Spellings for which packaging 26 derives an unusual `~=` prefix from the text (`~=1.0.c1.r1`).
    if (shape === 'odd' && operator === '~=') version = `${v.release}.0${oddSuffix}`;
    if (operator === '~=' && !v.release.includes('.')) version = version.replace(v.release, `${v.release}.0`);
    const parsed = parseSpecifierClause(operator + version);
    return parsed.ok ? parsed.clause : { operator: '>=' as const, version: v.public };
  });

// --- a dense universe of candidates around the clauses' versions ----------------------------------------------------

function text(v: Version): string {
  return normalizeVersion(v);
}

function neighbours(version: string): string[] {
  const parsed = parseVersion(version.endsWith('.*') ? version.slice(0, -2) : version);
  if (parsed === null) return [version];
  const base = {
    epoch: parsed.epoch,
    release: parsed.release,
    pre: null,
    post: null,
    dev: null,
    local: null,
  };
  const release = [...parsed.release];
  const next = [...release.slice(0, -1), release[release.length - 1]! + 1];
  const publicPart = { ...parsed, local: null };
  const out: Version[] = [
    parsed,
    publicPart,
    base,
    { ...base, dev: 0 },
    { ...base, pre: ['a', 0] },
    { ...base, pre: ['rc', 9] },
    { ...base, post: 0 },
    { ...base, post: 1 },
    { ...base, post: 0, dev: 0 },
    { ...base, local: ['local'] },
    { ...publicPart, local: ['local'] },
    { ...publicPart, local: ['0a'] },
    { ...publicPart, local: ['a', 0] },
    { ...publicPart, post: (parsed.post ?? 0) + 1 },
    { ...publicPart, post: (parsed.post ?? 0) + 1, dev: 0 },
    { ...publicPart, dev: 0 },
    { ...publicPart, dev: (parsed.dev ?? 0) + 1 },
    { ...base, release: next },
    { ...base, release: next, dev: 0 },
    { ...base, release: next, pre: ['a', 1] },
    { ...base, release: [...release, 0, 1] },
    { ...base, release: [...release, 1] },
    { ...base, release: [...release, 0] },
    { ...base, release: release.length > 1 ? release.slice(0, -1) : [0] },
    { ...base, epoch: parsed.epoch + 1 },
  ];
  if (parsed.pre !== null) out.push({ ...base, pre: [parsed.pre[0], parsed.pre[1] + 1], dev: 0 });
  return [version, ...out.map(text)];
}

const FIXED = ['0', '0.dev0', '0.0.0.1', '1', '1.0+a', '1.1', '2', '3', '1!0', '1!1.0', 'foo', 'FOO'];

function universe(clauses: readonly SpecifierClause[]): string[] {
  return [...new Set([...FIXED, ...clauses.flatMap((c) => neighbours(c.version))])];
}

// --- properties ---------------------------------------------------------------------------------------------------

describe('parseVersion on arbitrary input', () => {
  it('never throws, and whatever it accepts normalises to text it accepts again', () => {
    // Prepare
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.stringMatching(/^[\s0-9.!+\-_vVaAbBcrRpPeEoOsStdDlhi*]{0,20}$/),
      versionText,
    );

    // Act / Assess
    fc.assert(
      fc.property(input, (candidate) => {
        const parsed = parseVersion(candidate);
        if (parsed === null) return;
        const again = parseVersion(normalizeVersion(parsed));
        expect(again).not.toBeNull();
        expect(normalizeVersion(again!)).toBe(normalizeVersion(parsed));
      }),
      RUNS,
    );
  });
});

describe('normalizeVersion', () => {
  it('is idempotent, and the normal form compares equal to the original', () => {
    // Prepare
    const input = versionText;

    // Act / Assess
    fc.assert(
      fc.property(input, (candidate) => {
        const parsed = parseVersion(candidate);
        expect(parsed).not.toBeNull();
        const normal = normalizeVersion(parsed!);
        const reparsed = parseVersion(normal)!;
        expect(normalizeVersion(reparsed)).toBe(normal);
        expect(compareVersions(reparsed, parsed!)).toBe(0);
      }),
      RUNS,
    );
  });
});

describe('compareVersions', () => {
  const version = versionText.map((t) => parseVersion(t)!);

  it('is antisymmetric and transitive', () => {
    // Prepare
    const triple = fc.tuple(version, version, version);

    // Act / Assess
    fc.assert(
      fc.property(triple, ([a, b, c]) => {
        expect(Math.sign(compareVersions(a, b))).toBe(-Math.sign(compareVersions(b, a)) || 0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0)
          expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
        if (compareVersions(a, b) === 0)
          expect(Math.sign(compareVersions(a, c))).toBe(Math.sign(compareVersions(b, c)));
      }),
      RUNS,
    );
  });

  it('sorts consistently: every earlier element compares at most equal to every later one', () => {
    // Prepare
    const list = fc.array(version, { maxLength: 25 });

    // Act / Assess
    fc.assert(
      fc.property(list, (versions) => {
        const sorted = [...versions].sort(compareVersions);
        for (let i = 0; i < sorted.length; i++) {
          for (let j = i + 1; j < sorted.length; j++)
            expect(compareVersions(sorted[i]!, sorted[j]!)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('calls two versions equal exactly when they differ only by trailing zeros in the release', () => {
    // Prepare
    const pair = fc.tuple(version, version);
    const trimmed = (v: Version) =>
      normalizeVersion({
        ...v,
        release: v.release
          .join('.')
          .replace(/(\.0)+$/, '')
          .split('.')
          .map(Number),
      });

    // Act / Assess
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(compareVersions(a, b) === 0).toBe(trimmed(a) === trimmed(b));
      }),
      RUNS,
    );
  });
});

describe('satisfiable on random clause sets', () => {
  const clauseSet = fc.array(clause, { minLength: 1, maxLength: 4 });

  it('gives a witness that every clause admits, or no candidate near the clauses satisfies them all', () => {
    // Prepare
    const input = clauseSet;

    // Act / Assess
    fc.assert(
      fc.property(input, (clauses) => {
        const result = satisfiable(clauses);
        if (result.satisfiable) {
          expect(specifierContains(clauses, result.witness, { prereleases: true })).toBe(true);
        } else {
          const admitted = universe(clauses).filter((v) =>
            specifierContains(clauses, v, { prereleases: true }),
          );
          expect(admitted).toEqual([]);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('is satisfiable whenever some candidate near the clauses satisfies them all', () => {
    // Prepare
    const input = clauseSet;

    // Act / Assess
    fc.assert(
      fc.property(input, (clauses) => {
        const admitted = universe(clauses).some((v) => specifierContains(clauses, v, { prereleases: true }));
        if (admitted) expect(satisfiable(clauses).satisfiable).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
