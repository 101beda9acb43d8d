import { describe, expect, it } from '@jest/globals';
import { isValidName, normalizeExtra, normalizeName } from '@shared/deps/pep508';

describe('normalizeName follows PEP 503', () => {
  it.each([
    ['Django', 'django'],
    ['zope.interface', 'zope-interface'],
    ['A.B-C_D', 'a-b-c-d'],
    ['typing_extensions', 'typing-extensions'],
    ['Foo__Bar..baz--Qux', 'foo-bar-baz-qux'],
    ['a-_.-b', 'a-b'],
    ['name_', 'name-'],
    ['requests', 'requests'],
    ['', ''],
  ])('%s is %s', (name, expected) => {
    // Act
    const normal = normalizeName(name);

    // Assess
    expect(normal).toBe(expected);
  });
});

describe('normalizeExtra follows PEP 685', () => {
  it.each([
    ['Test_Extra', 'test-extra'],
    ['Use.Chardet_On_Py3', 'use-chardet-on-py3'],
    ['socks', 'socks'],
  ])('%s is %s', (extra, expected) => {
    // Act
    const normal = normalizeExtra(extra);

    // Assess
    expect(normal).toBe(expected);
  });
});

describe('isValidName applies the core metadata rule', () => {
  it.each([
    ['A', true],
    ['a1', true],
    ['A.B-C_D', true],
    ['1', true],
    ['zope.interface', true],
    ['', false],
    ['name_', false],
    ['name-', false],
    ['.name', false],
    ['_name', false],
    ['na me', false],
    ['pé', false],
    ['a+b', false],
  ])('%s is %s', (name, expected) => {
    // Act
    const valid = isValidName(name);

    // Assess
    expect(valid).toBe(expected);
  });
});
