import type { DependencyEntry } from '@shared/deps/model';
import { renderTable } from './table';

/** One line of `deps parse --json`. */
export interface ParseRecord {
  line: number;
  raw: string;
  name: string | null;
  normalizedName: string | null;
  extras: readonly string[] | null;
  specifier: string | null;
  marker: string | null;
  url: string | null;
  editable: boolean | null;
  error: string | null;
}

/** The records `deps parse` prints, one per requirement in file order. */
export function depsParseRecords(entries: readonly DependencyEntry[]): ParseRecord[] {
  return entries.map((entry) => {
    const base = { line: entry.position.line, raw: entry.raw };
    const requirement = entry.requirement;
    if (requirement) {
      return {
        ...base,
        name: requirement.name,
        normalizedName: requirement.normalizedName,
        extras: requirement.extras,
        specifier: requirement.specifier === '' ? null : requirement.specifier,
        marker: requirement.markerText,
        url: requirement.url,
        editable: entry.editable,
        error: null,
      };
    }
    if (entry.reference) {
      return {
        ...base,
        name: entry.reference.name,
        normalizedName: entry.reference.name,
        extras: entry.reference.extras,
        specifier: null,
        marker: null,
        url: entry.reference.url,
        editable: entry.editable,
        error: null,
      };
    }
    const problem = entry.problem;
    const error = problem
      ? `${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`
      : 'not a requirement';
    return {
      ...base,
      name: null,
      normalizedName: null,
      extras: null,
      specifier: null,
      marker: null,
      url: null,
      editable: null,
      error,
    };
  });
}

/** The records as a table for people. */
export function renderParseTable(records: readonly ParseRecord[]): string {
  if (records.length === 0) return 'No requirements in this file.\n';
  return `${renderTable(
    ['line', 'name', 'extras', 'specifier', 'marker', 'url / error'],
    records.map((record) => [
      String(record.line),
      record.error ? '' : (record.name ?? '(unnamed)'),
      record.extras?.join(',') ?? '',
      record.specifier ?? '',
      record.marker ?? '',
      record.error ? `error: ${record.error}` : (record.url ?? (record.editable ? '(editable)' : '')),
    ]),
  )}\n`;
}
