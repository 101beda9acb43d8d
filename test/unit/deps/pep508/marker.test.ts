import { describe, expect, it } from '@jest/globals';
import type { Marker } from '@shared/deps/model';
import { evaluateMarker, formatMarker, parseMarker } from '@shared/deps/pep508';

function marker(text: string): Marker {
  const result = parseMarker(text);
  if (!result.ok) throw new Error(`${text}: ${result.message}`);
  return result.marker;
}

const LINUX_313 = {
  python_version: '3.13',
  python_full_version: '3.13.1',
  sys_platform: 'linux',
  os_name: 'posix',
  platform_system: 'Linux',
  platform_machine: 'x86_64',
  implementation_name: 'cpython',
  platform_python_implementation: 'CPython',
} as const;

describe('formatMarker writes canonical marker text', () => {
  it.each([
    ["python_version<'3.9'", 'python_version < "3.9"'],
    [
      'os_name=="a"and(sys_platform=="b"or sys_platform=="c")',
      'os_name == "a" and (sys_platform == "b" or sys_platform == "c")',
    ],
    ['(os_name=="a" or os_name=="b") or os_name=="c"', 'os_name == "a" or os_name == "b" or os_name == "c"'],
    [
      'os_name=="a" or (os_name=="b" or os_name=="c")',
      'os_name == "a" or (os_name == "b" or os_name == "c")',
    ],
    [`os_name == 'say "hi"'`, `os_name == 'say "hi"'`],
    [`os_name == "it's"`, `os_name == "it's"`],
    [`os_name == "a'b\\x22c"`, 'os_name == "a\'b\\x22c"'],
    [`os_name == 'tab\\there'`, 'os_name == "tab\\there"'],
    ['python_implementation  not in "x"', 'platform_python_implementation not in "x"'],
  ])('%s → %s', (text, expected) => {
    // Act
    const written = formatMarker(marker(text));

    // Assess
    expect(written).toBe(expected);
    expect(marker(written)).toEqual(marker(text));
  });
});

describe('evaluateMarker is three-valued', () => {
  it.each([
    ['python_version >= "3.8"', LINUX_313, true],
    ['python_version < "3.8"', LINUX_313, false],
    ['"3.8" < python_version', LINUX_313, true],
    ['python_full_version >= "3.13.0rc1"', LINUX_313, true],
    ['python_version == "3.*"', LINUX_313, true],
    ['sys_platform == "win32" or python_version >= "3"', LINUX_313, true],
    ['platform_machine in "x86_64 aarch64"', LINUX_313, true],
    ['"86" in platform_machine', LINUX_313, true],
    ['sys_platform < "win32"', LINUX_313, false],
    ['sys_platform <= "linux"', LINUX_313, true],
    ['sys_platform ~= "linux"', LINUX_313, undefined],
    ['platform_release >= "6"', LINUX_313, undefined],
    ['platform_release >= "6" and sys_platform == "win32"', LINUX_313, false],
    ['platform_release >= "6" or sys_platform == "linux"', LINUX_313, true],
    ['platform_release >= "6" or sys_platform == "win32"', LINUX_313, undefined],
    ['platform_release >= "6"', { platform_release: '6.8.0-49-generic' }, false],
    ['platform_release >= "6"', { platform_release: '6.8.0' }, true],
    ['python_full_version >= "3.14.0a1"', { python_full_version: '3.14.0a1+' }, true],
    ['"a" == "a"', LINUX_313, undefined],
  ])('%s in %j is %s', (text, env, expected) => {
    // Act
    const value = evaluateMarker(marker(text), env);

    // Assess
    expect(value).toBe(expected);
  });
});

describe('evaluateMarker reads extras as pip does', () => {
  it.each([
    ['extra == "test"', { extra: 'Test' }, undefined, true],
    ['extra == "test"', { extra: '' }, undefined, false],
    ['extra == "test"', {}, undefined, undefined],
    ['extra == "test"', {}, ['docs', 'Test'], true],
    ['extra == "test"', {}, ['docs'], false],
    ['extra == "test"', {}, [], false],
    ['extra == "test" and extra == "docs"', {}, ['docs', 'test'], false],
    ['extra == "test" or extra == "docs"', {}, ['docs'], true],
    ['"Test_Extra" in extras', {}, ['test-extra'], true],
    ['"Test_Extra" in extras', { extras: 'a, test.extra' }, undefined, true],
    ['"docs" not in dependency_groups', { dependency_groups: 'dev,Docs' }, undefined, false],
    ['"docs" in dependency_groups', {}, undefined, undefined],
  ])('%s with %j and extras %j is %s', (text, env, extras, expected) => {
    // Act
    const value = evaluateMarker(marker(text), env, extras);

    // Assess
    expect(value).toBe(expected);
  });
});
