/**
 * What the section readers share: the file, positions, the problems found so far, and the reading of one PEP 508
 * string from a TOML array into a DependencyEntry.
 */
import type { DependencyEntry, EntrySource, ParseProblem, Position, TextEdit } from '../model';
import { parseRequirement } from '../pep508';
import { LineIndex, StringMap, type TomlNode, type TomlScalar, type TomlString } from './toml';

export class ReadContext {
  readonly lines: LineIndex;
  readonly problems: ParseProblem[] = [];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    this.lines = new LineIndex(text);
  }

  position(offset: number): Position {
    return this.lines.position(offset);
  }

  /** Records a problem at offset and returns it. */
  problem(offset: number, message: string, hint?: string, edits?: readonly TextEdit[]): ParseProblem {
    const problem: ParseProblem = {
      message,
      position: this.position(offset),
      ...(hint === undefined ? {} : { hint }),
      ...(edits === undefined || edits.length === 0 ? {} : { edits }),
    };
    this.problems.push(problem);
    return problem;
  }

  /** A problem for a value of the wrong TOML type. */
  wrongType(node: TomlNode, what: string, expected: string, got: string): ParseProblem {
    return this.problem(node.start, `${what} must be ${expected}, not ${got}`);
  }

  stringMap(node: TomlScalar & { readonly ast: TomlString }): StringMap {
    return StringMap.of(this.text, node.ast);
  }
}

const LEADING_SPACE = /^\s*/;

/** `pkg=1.0`, `pkg[x] = 1.0`: the single `=` a `==` was meant to be, as an index into the text, or -1. */
export function singleEqualsIndex(text: string): number {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*)=(?![=~])/.exec(text);
  return match === null ? -1 : (match[1] ?? '').length;
}

/**
 * Reads one PEP 508 requirement string (from `[project]` or `[dependency-groups]`). An invalid string gives an
 * entry with requirement null and its problem (also recorded in the context).
 */
export function entryFromString(
  context: ReadContext,
  node: TomlScalar & { readonly ast: TomlString },
  source: EntrySource,
): DependencyEntry {
  const map = context.stringMap(node);
  const value = map.value;
  const lead = (LEADING_SPACE.exec(value)?.[0] ?? '').length;
  const raw = value.trim();
  const at = (offset: number): Position => context.position(map.start(lead + offset));
  const common = {
    file: context.file,
    position: at(0),
    raw,
    source,
    editable: false,
    hashes: [],
    via: [],
    end: context.position(map.end(lead, lead + raw.length)),
  };
  const parsed = parseRequirement(raw);
  if (parsed.ok) {
    const offsets = parsed.requirement.offsets;
    return {
      ...common,
      requirement: parsed.requirement,
      spans: {
        name: at(offsets.name),
        ...(offsets.specifier === undefined ? {} : { specifier: at(offsets.specifier) }),
        ...(offsets.marker === undefined ? {} : { marker: at(offsets.marker) }),
        ...(offsets.url === undefined ? {} : { url: at(offsets.url) }),
      },
    };
  }
  const problem = context.problem(
    map.start(lead + Math.max(0, Math.min(parsed.offset, raw.length))),
    raw === '' ? 'Empty requirement string' : `Invalid requirement "${raw}": ${parsed.message}`,
    parsed.hint,
    equalsFix(context, map, lead, raw),
  );
  return { ...common, requirement: null, problem, spans: {} };
}

/** For `pkg=1.0`: the edit `=` → `==`, when the corrected text parses and the `=` is written literally. */
function equalsFix(context: ReadContext, map: StringMap, lead: number, raw: string): TextEdit[] | undefined {
  const index = singleEqualsIndex(raw);
  if (index < 0) return undefined;
  const fixed = `${raw.slice(0, index)}==${raw.slice(index + 1)}`;
  if (!parseRequirement(fixed).ok) return undefined;
  const start = map.start(lead + index);
  const end = map.end(lead + index, lead + index + 1);
  if (context.text.slice(start, end) !== '=') return undefined;
  return [{ file: context.file, start: context.position(start), end: context.position(end), text: '==' }];
}
