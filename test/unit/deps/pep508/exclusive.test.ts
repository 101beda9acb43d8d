import { describe, expect, it } from '@jest/globals';
import type { Marker } from '@shared/deps/model';
import { markersExclusive, parseMarker } from '@shared/deps/pep508';
import { MAX_CONJUNCTIONS } from '@shared/deps/pep508/exclusive';

function marker(text: string): Marker {
  const result = parseMarker(text);
  if (!result.ok) throw new Error(`${text}: ${result.message}`);
  return result.marker;
}

describe('markersExclusive proves that two markers cannot both hold', () => {
  it.each([
    ['python_version < "3.8"', 'python_version >= "3.8"', true],
    ['sys_platform == "win32"', 'sys_platform != "win32"', true],
    ['python_version < "3.9"', 'python_full_version >= "3.9.0"', true],
    ['python_version < "3.9"', 'python_version > "3.7"', false],
    ['extra == "a"', 'extra == "b"', false],
    ['(sys_platform == "linux" or sys_platform == "darwin")', 'sys_platform == "win32"', true],
    ['sys_platform == "linux" or sys_platform == "darwin"', 'sys_platform == "linux"', false],
    ['python_version == "3.8"', 'python_version == "3.9"', true],
    ['python_version == "3.8"', 'python_full_version >= "3.8.5"', false],
    ['python_version == "3.8"', 'python_full_version >= "3.9"', true],
    ['python_version == "3.8.*"', 'python_version != "3.8"', true],
    ['python_version ~= "3.8"', 'python_version < "3.8"', true],
    ['python_version ~= "3.8"', 'python_version >= "4"', true],
    ['python_version ~= "3.8"', 'python_version >= "3.12"', false],
    ['"3.8" > python_version', 'python_version >= "3.8"', true],
    ['"3.8" <= python_version', 'python_version < "3.8"', true],
    ['python_version >= "3.9"', 'python_full_version < "3.9.0"', true],
    ['python_version >= "3.9"', 'python_full_version < "3.9.1"', false],
    ['python_version > "3.8.1"', 'python_version <= "3.8"', true],
    ['python_version > "3.8.0"', 'python_version == "3.8"', true],
    ['python_version >= "3.8.0rc1"', 'python_version == "3.8"', false],
    ['sys_platform in "linux darwin"', 'sys_platform == "win32"', true],
    ['sys_platform in "linux darwin"', 'sys_platform == "linux"', false],
    ['sys_platform not in "linux darwin"', 'sys_platform == "linux"', true],
    ['"win" in sys_platform', 'sys_platform == "linux"', true],
    ['"win" in sys_platform', '"32" not in sys_platform', false],
    ['"win32" in sys_platform', '"win" not in sys_platform', true],
    ['platform_machine == "x86_64"', 'platform_machine == "arm64"', true],
    ['implementation_name == "pypy"', 'implementation_name == "cpython"', true],
    ['platform_system == "Windows"', 'platform_system == "Linux" and python_version < "3"', true],
    ['os_name == "nt"', 'sys_platform == "linux"', false],
    ['platform_release == "1"', 'platform_release == "2"', false],
    [
      'python_version < "3.8" or sys_platform == "win32"',
      'python_version >= "3.8" and sys_platform != "win32"',
      true,
    ],
    ['python_version < "3.8" or sys_platform == "win32"', 'python_version >= "3.8"', false],
    ['python_version < "3" and python_version >= "3"', 'os_name == "nt"', true],
    ['python_version < "abc"', 'python_version >= "abc"', false],
    ['sys_platform < "m"', 'sys_platform > "m"', false],
  ])('%s vs %s: %s', (a, b, expected) => {
    // Act
    const forward = markersExclusive(marker(a), marker(b));
    const backward = markersExclusive(marker(b), marker(a));

    // Assess
    expect([forward, backward]).toEqual([expected, expected]);
  });

  it('takes a missing marker as one that always holds', () => {
    // Act
    const results = [
      markersExclusive(null, null),
      markersExclusive(null, marker('python_version < "3"')),
      markersExclusive(marker('python_version < "3" and python_version >= "3"'), null),
    ];

    // Assess
    expect(results).toEqual([false, false, true]);
  });

  it('takes comparisons it cannot use as true, so they do not count towards the cap', () => {
    // Prepare
    const extras = Array.from({ length: 3 * MAX_CONJUNCTIONS }, (_, i) => `extra == "e${i}"`).join(' or ');
    const a = marker(`python_version < "3" and (${extras}) and (${extras})`);
    const b = marker('python_version >= "3"');

    // Act
    const exclusive = markersExclusive(a, b);

    // Assess
    expect(exclusive).toBe(true);
  });

  it('gives up (not exclusive) when the DNF grows past its cap', () => {
    // Prepare: (a1 or b1) and (a2 or b2) and … has 2^n conjunctions, every one of them excluded by the other side
    const n = Math.ceil(Math.log2(MAX_CONJUNCTIONS)) + 1;
    const groups = Array.from({ length: n }, (_, i) => `(os_name == "a${i}" or os_name == "b${i}")`);
    const big = marker(`python_version < "3" and ${groups.join(' and ')}`);
    const small = marker(`python_version < "3" and ${groups.slice(0, 2).join(' and ')}`);
    const other = marker('python_version >= "3"');

    // Act
    const results = [markersExclusive(big, other), markersExclusive(small, other)];

    // Assess
    expect(results).toEqual([false, true]);
  });
});
