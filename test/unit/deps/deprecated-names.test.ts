import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CONFLICTING_PAIRS, KNOWN_NAMES } from '@shared/deps/deprecated-names';
import { normalizeName } from '@shared/deps/pep508';

const TABLE = readFileSync(join(__dirname, '../../../data/deps/deprecated-names.md'), 'utf8');

/** Rows 1–29 of the PyPI table: names, category and replacement as the document writes them. */
function documentedRows() {
  const section = TABLE.slice(TABLE.indexOf('## PyPI table'), TABLE.indexOf('### Lower confidence'));
  return section
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => line.split(' | ').map((cell) => cell.trim()))
    .filter((cells) => cells[2] !== 'conflict rule')
    .map((cells) => ({
      names: [...cells[1]!.matchAll(/`([^`]+)`/g)].map((m) => normalizeName(m[1]!.split('==')[0]!)),
      category: cells[2]!.split(' ')[0]!,
      replacement: /^(remove|delete)/.test(cells[4]!) ? null : (/`([^`]+)`/.exec(cells[4]!)?.[1] ?? null),
    }));
}

describe('the built-in deprecated-name table', () => {
  const byName = new Map(KNOWN_NAMES.map((known) => [known.name, known]));

  it('holds every row of data/deps/deprecated-names.md with its category and replacement', () => {
    const rows = documentedRows();
    expect(rows).toHaveLength(29);
    for (const row of rows) {
      for (const name of row.names) {
        const known = byName.get(name);
        expect([name, known?.category]).toEqual([name, row.category]);
        expect([name, known?.replacement ?? null]).toEqual([name, row.replacement]);
      }
    }
  });

  it('keys every row by its PEP 503-normalised name, once', () => {
    const names = KNOWN_NAMES.map((known) => known.name);
    expect(names.map(normalizeName)).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });

  it('pairs each squatter with a real package that is not itself deprecated', () => {
    for (const [squatter, real] of CONFLICTING_PAIRS) {
      expect(byName.has(squatter)).toBe(true);
      expect(byName.has(real)).toBe(false);
    }
  });
});
