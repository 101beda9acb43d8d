import { describe, expect, it } from '@jest/globals';
import type { Marker, MarkerOperand, MarkerOperator, MarkerVariable } from '@shared/deps/model';
import {
  evaluateMarker,
  formatMarker,
  formatRequirement,
  markersExclusive,
  normalizeExtra,
  parseMarker,
  parseRequirement,
} from '@shared/deps/pep508';
import fc from 'fast-check';

const MARKER_OPERATORS: readonly MarkerOperator[] = [
  '===',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '~=',
  'in',
  'not in',
];

/** Pieces that make near-miss requirements, so arbitrary strings reach deep into the grammar. */
const TOKENS = [
  'pkg',
  'A.B-C_D',
  'name_',
  '[',
  ']',
  '(',
  ')',
  ',',
  ';',
  '@',
  ' ',
  '\t',
  '\n',
  '==',
  '===',
  '=',
  '>=',
  '<',
  '~=',
  '!=',
  '1.0',
  '2.*',
  '.*',
  '+local',
  'rc1',
  '.post1',
  'v',
  '1!',
  'and',
  'or',
  'not',
  'in',
  ' and ',
  ' or ',
  ' in ',
  'python_version',
  'sys_platform',
  'os.name',
  'extra',
  'extras',
  '"3.8"',
  "'win32'",
  '"',
  "'",
  '\\',
  '\\x41',
  'é',
  '😀',
  'http://x.org/p.whl',
  'file:///tmp',
];

describe('parseRequirement never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 80 })),
        (text) => {
          // Act
          const result = parseRequirement(text);

          // Assess
          if (!result.ok) {
            expect(result.offset).toBeGreaterThanOrEqual(0);
            expect(result.offset).toBeLessThanOrEqual(text.length);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('on strings made of requirement tokens, and what it accepts it writes back the same', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }), (tokens) => {
        // Act
        const result = parseRequirement(tokens.join(''));

        // Assess
        if (!result.ok) {
          expect(result.offset).toBeGreaterThanOrEqual(0);
          return;
        }
        const again = parseRequirement(formatRequirement(result.requirement));
        const { offsets: _a, ...expected } = result.requirement;
        expect(again.ok && { ...again.requirement, offsets: undefined }).toEqual({
          ...expected,
          offsets: undefined,
        });
      }),
      { numRuns: 5000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Requirements from valid parts

const NAME = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,10}[A-Za-z0-9])?$/);
const RELEASE = fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 4 }).map((r) => r.join('.'));
const SUFFIX = fc.constantFrom('', 'a1', 'b2', 'rc1', '.post1', '.dev0', 'rc1.post2.dev3');
const CLAUSE = fc.oneof(
  fc
    .tuple(fc.constantFrom('<', '<=', '>', '>=', '==', '!='), RELEASE, SUFFIX)
    .map(([op, r, s]) => `${op}${r}${s}`),
  fc.tuple(fc.constantFrom('==', '!='), RELEASE).map(([op, r]) => `${op}${r}.*`),
  fc
    .tuple(fc.constantFrom('==', '!='), RELEASE, fc.stringMatching(/^[a-z0-9]{1,4}(\.[a-z0-9]{1,3})?$/))
    .map(([op, r, l]) => `${op}${r}+${l}`),
  fc.tuple(RELEASE, fc.nat({ max: 9 })).map(([r, n]) => `~=${r}.${n}`),
  fc.stringMatching(/^[A-Za-z0-9.+_-]{1,8}$/).map((v) => `===${v}`),
);

const VARIABLES: readonly MarkerVariable[] = [
  'python_version',
  'python_full_version',
  'os_name',
  'sys_platform',
  'platform_release',
  'platform_system',
  'platform_version',
  'platform_machine',
  'platform_python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
  'extras',
  'dependency_groups',
];

const OPERAND: fc.Arbitrary<MarkerOperand> = fc.oneof(
  fc.constantFrom(...VARIABLES).map((name) => ({ type: 'variable' as const, name })),
  fc.string({ maxLength: 8 }).map((value) => ({ type: 'string' as const, value })),
  fc.string({ unit: 'binary', maxLength: 6 }).map((value) => ({ type: 'string' as const, value })),
);

/** A comparison as the parser would produce it (the value compared with `extra` normalised, per PEP 685). */
const COMPARISON: fc.Arbitrary<Marker> = fc
  .tuple(OPERAND, fc.constantFrom(...MARKER_OPERATORS), OPERAND)
  .map(([left, operator, right]) => {
    if (left.type === 'variable' && left.name === 'extra') {
      const text = right.type === 'string' ? right.value : right.name;
      return { type: 'compare', left, operator, right: { type: 'string', value: normalizeExtra(text) } };
    }
    if (right.type === 'variable' && right.name === 'extra') {
      const text = left.type === 'string' ? left.value : left.name;
      return { type: 'compare', left: { type: 'string', value: normalizeExtra(text) }, operator, right };
    }
    return { type: 'compare', left, operator, right };
  });

const MARKER: fc.Arbitrary<Marker> = fc.letrec<{ marker: Marker }>((tie) => ({
  marker: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    COMPARISON,
    fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      left: tie('marker'),
      right: tie('marker'),
    }),
  ),
})).marker;

describe('formatMarker and formatRequirement round-trip', () => {
  it('parseMarker(formatMarker(m)) is m for any tree, whatever the values hold', () => {
    fc.assert(
      fc.property(MARKER, (m) => {
        // Act
        const again = parseMarker(formatMarker(m));

        // Assess
        expect(again.ok && again.marker).toEqual(m);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseRequirement(formatRequirement(r)) is r for requirements built from valid parts', () => {
    fc.assert(
      fc.property(
        NAME,
        fc.array(NAME, { maxLength: 3 }),
        fc.array(CLAUSE, { maxLength: 3 }),
        fc.option(MARKER, { nil: null }),
        fc.option(fc.stringMatching(/^[a-z+]{1,8}:\/\/[A-Za-z0-9./#=@;%_-]{0,20}$/), { nil: null }),
        (name, extras, clauses, marker, url) => {
          // Prepare
          let text = name + (extras.length > 0 ? `[${extras.join(', ')}]` : '');
          text += url !== null ? ` @ ${url}` : clauses.join(','); // `===` takes `, ` with it
          if (marker !== null) text += ` ; ${formatMarker(marker)}`;
          const first = parseRequirement(text);
          if (!first.ok) throw new Error(`${text}: ${first.message}`);
          const r = first.requirement;

          // Act
          const again = parseRequirement(formatRequirement(r));

          // Assess
          expect(r.name).toBe(name);
          expect(r.extras).toEqual([...new Set(extras.map(normalizeExtra))]);
          expect(r.marker).toEqual(marker);
          expect(r.url).toBe(url);
          if (!again.ok) throw new Error(`${formatRequirement(r)}: ${again.message}`);
          const { offsets: _a, ...expected } = r;
          const { offsets: _b, ...actual } = again.requirement;
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Exclusivity is sound

const FULL_VERSIONS = [
  '2.7.18',
  '3.0.1',
  '3.7.0',
  '3.8.0',
  '3.8.10',
  '3.9.0rc1',
  '3.9.0',
  '3.9.1',
  '3.10.2',
  '3.12.0b3',
  '3.13.0a1',
  '3.13.1',
  '3.14.0a1+',
  '4.0.0',
];
const PLATFORMS = [
  { sys_platform: 'linux', os_name: 'posix', platform_system: 'Linux' },
  { sys_platform: 'linux2', os_name: 'posix', platform_system: 'Linux' },
  { sys_platform: 'win32', os_name: 'nt', platform_system: 'Windows' },
  { sys_platform: 'darwin', os_name: 'posix', platform_system: 'Darwin' },
  { sys_platform: 'cygwin', os_name: 'posix', platform_system: 'CYGWIN_NT-10.0' },
];
const MACHINES = ['x86_64', 'arm64', 'AMD64', 'aarch64'];
const IMPLEMENTATIONS = ['cpython', 'pypy'];
const ENVIRONMENTS = FULL_VERSIONS.flatMap((full, i) =>
  PLATFORMS.map((platform, j) => ({
    ...platform,
    python_full_version: full,
    python_version: full.split('.').slice(0, 2).join('.'),
    platform_machine: MACHINES[(i + j) % MACHINES.length]!,
    implementation_name: IMPLEMENTATIONS[(i * j) % 2]!,
    platform_release: ['5.15', '6.8.0', '10'][(i + 2 * j) % 3]!,
    extra: ['', 'a', 'b'][(i + j) % 3]!,
  })),
);

const VALUES: Readonly<Record<string, readonly string[]>> = {
  python_version: [
    '2.7',
    '3',
    '3.8',
    '3.8.0',
    '3.8.1',
    '3.9',
    '3.9.0rc1',
    '3.10',
    '3.*',
    '3.8.*',
    '3.9.0.*',
    'abc',
    '3.8.0.post1',
    '3.8+local',
    '1!3.0',
    '',
  ],
  python_full_version: [
    '3.8',
    '3.8.10',
    '3.9.0',
    '3.9.0rc1',
    '3.9.*',
    '3.13.0a1',
    '3.14.0a1',
    '3.14.0a1+local',
    'x',
    '3.8.0.post1',
    '4',
  ],
  sys_platform: ['linux', 'win32', 'darwin', 'linux2', 'lin', 'win', '', 'linux darwin', 'win32 cygwin'],
  os_name: ['posix', 'nt', 'os', 'posix nt'],
  platform_system: ['Linux', 'Windows', 'Darwin', 'Win'],
  platform_machine: ['x86_64', 'arm64', 'AMD64', 'x86_64 aarch64', '64'],
  implementation_name: ['cpython', 'pypy', 'py'],
  platform_release: ['5.15', '6', '10'],
  extra: ['a', 'b'],
};
const EXCLUSIVITY_VARIABLES = Object.keys(VALUES) as MarkerVariable[];

const ATOM: fc.Arbitrary<Marker> = fc
  .constantFrom(...EXCLUSIVITY_VARIABLES)
  .chain((name) =>
    fc.tuple(
      fc.constant(name),
      fc.constantFrom(...VALUES[name]!),
      fc.constantFrom(...MARKER_OPERATORS),
      fc.boolean(),
    ),
  )
  .map(([name, value, operator, reversed]) => {
    const variable = { type: 'variable' as const, name };
    const literal = { type: 'string' as const, value };
    return reversed
      ? { type: 'compare', left: literal, operator, right: variable }
      : { type: 'compare', left: variable, operator, right: literal };
  });

const SMALL_MARKER: fc.Arbitrary<Marker> = fc.letrec<{ marker: Marker }>((tie) => ({
  marker: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    ATOM,
    fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      left: tie('marker'),
      right: tie('marker'),
    }),
  ),
})).marker;

describe('markersExclusive is sound', () => {
  it('when it says two markers exclude each other, no sampled environment satisfies both', () => {
    let proven = 0;
    fc.assert(
      fc.property(SMALL_MARKER, SMALL_MARKER, (a, b) => {
        // Act
        const exclusive = markersExclusive(a, b);

        // Assess
        if (!exclusive) return;
        proven++;
        for (const env of ENVIRONMENTS) {
          const both = evaluateMarker(a, env) === true && evaluateMarker(b, env) === true;
          if (both)
            throw new Error(`${formatMarker(a)} | ${formatMarker(b)} both hold in ${JSON.stringify(env)}`);
        }
      }),
      { numRuns: 4000 },
    );
    expect(proven).toBeGreaterThan(40);
  });

  it('a marker and its negation by hand are exclusive, and each is not exclusive with itself unless never true', () => {
    fc.assert(
      fc.property(ATOM, (a) => {
        // Prepare
        const holdsSomewhere = ENVIRONMENTS.some((env) => evaluateMarker(a, env) === true);

        // Act
        const withItself = markersExclusive(a, a);

        // Assess
        if (holdsSomewhere) expect(withItself).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
