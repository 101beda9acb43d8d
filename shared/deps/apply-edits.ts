import type { Position, TextEdit } from './model';

/** Offsets of each line's start (line 1 at index 0); lines end at `\n`, so a `\r` stays part of its line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function offsetOf(position: Position, starts: readonly number[], length: number): number {
  if (position.line > starts.length) return length;
  return Math.min(length, starts[position.line - 1]! + position.column - 1);
}

/**
 * Applies edits to one file's text. Edits that overlap one applied before them (in file order) are skipped and
 * returned, so two fixes never garble each other; identical edits count once.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; skipped: TextEdit[] } {
  const starts = lineStarts(text);
  const located = edits
    .map((edit) => ({
      edit,
      start: offsetOf(edit.start, starts, text.length),
      end: offsetOf(edit.end, starts, text.length),
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: typeof located = [];
  const skipped: TextEdit[] = [];
  for (const item of located) {
    const previous = applied[applied.length - 1];
    if (
      previous &&
      previous.start === item.start &&
      previous.end === item.end &&
      previous.edit.text === item.edit.text
    )
      continue;
    if (previous && item.start < previous.end) {
      skipped.push(item.edit);
      continue;
    }
    applied.push(item);
  }
  let result = '';
  let cursor = 0;
  for (const { edit, start, end } of applied) {
    result += text.slice(cursor, start) + edit.text;
    cursor = end;
  }
  return { text: result + text.slice(cursor), skipped };
}
