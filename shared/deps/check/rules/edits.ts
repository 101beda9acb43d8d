import type { DependencyEntry, Position, TextEdit } from '../../model';

/**
 * True when the entry's text sits on one line exactly as `raw` (no continuation, no TOML escape), so offsets into
 * `raw` are columns: only then are character-level edits safe.
 */
function isVerbatim(entry: DependencyEntry): boolean {
  return (
    entry.position.line === entry.end.line && entry.end.column - entry.position.column === entry.raw.length
  );
}

const at = (entry: DependencyEntry, offset: number): Position => ({
  line: entry.position.line,
  column: entry.position.column + offset,
});

/**
 * Renames the requirement and drops its version specifier (the old project's versions say nothing about the new
 * one's); extras, URL and marker stay as written. Undefined when the text cannot be edited safely.
 */
export function renameEdit(entry: DependencyEntry, newName: string): TextEdit | undefined {
  const requirement = entry.requirement;
  if (!requirement || !isVerbatim(entry)) return undefined;
  const raw = entry.raw;
  const nameStart = requirement.offsets.name;
  const nameEnd = nameStart + requirement.name.length;
  let text = raw.slice(0, nameStart) + newName;
  let rest = raw.slice(nameEnd);
  const specifierAt = requirement.offsets.specifier;
  if (specifierAt !== undefined && requirement.clauses.length > 0) {
    const markerAt = requirement.offsets.marker;
    const semicolon = markerAt === undefined ? -1 : raw.lastIndexOf(';', markerAt);
    let cutEnd = semicolon === -1 ? raw.length : semicolon;
    while (cutEnd > specifierAt && /\s/.test(raw[cutEnd - 1]!)) cutEnd--;
    let cutStart = specifierAt;
    while (cutStart > nameEnd && /[\s(]/.test(raw[cutStart - 1]!)) cutStart--;
    if (raw[cutEnd] === ')') cutEnd++;
    const between = raw.slice(nameEnd, cutStart);
    rest = between + raw.slice(cutEnd);
  }
  text += rest;
  return { file: entry.file, start: entry.position, end: at(entry, raw.length), text };
}

/** Replaces the entry's whole text, when it sits verbatim on one line. */
export function replaceEntryEdit(entry: DependencyEntry, text: string): TextEdit | undefined {
  if (!isVerbatim(entry)) return undefined;
  return { file: entry.file, start: entry.position, end: at(entry, entry.raw.length), text };
}

/**
 * Removes a requirements-file entry's whole lines: its logical line (backslash continuations) and the indented
 * comment lines below it that pip-compile writes (`# via …`). Undefined for other manifests.
 */
export function removeLinesEdit(
  entry: DependencyEntry,
  lines: readonly string[] | undefined,
): TextEdit | undefined {
  if (entry.source.kind !== 'requirements' || !lines) return undefined;
  let last = entry.end.line;
  while (last <= lines.length && /\\$/.test(lines[last - 1] ?? '')) last++;
  while (last < lines.length && /^\s+#/.test(lines[last] ?? '')) last++;
  return {
    file: entry.file,
    start: { line: entry.position.line, column: 1 },
    end: { line: last + 1, column: 1 },
    text: '',
  };
}
