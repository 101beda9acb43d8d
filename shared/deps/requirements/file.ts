/**
 * A requirements file read the way pip reads it (pip/_internal/req/req_file.py), keeping what a checker needs:
 * entries with positions, includes, option lines, pip-compile / uv `# via` annotations and every problem pip would
 * stop on, each at its physical line and column. Pure and synchronous; the graph layer reads the files.
 */
import type { ParseProblem, Position } from '../model';
import { buildEntry, type EntryOption, type RequirementsEntry } from './entry';
import { type Env, endPositionAt, type LogicalLine, LogicalLineReader, positionAt } from './lines';
import {
  checkConfigSettings,
  checkHash,
  type OptionProblem,
  optionsStart,
  type ParsedOption,
  parseOptionWords,
  shlexSplit,
} from './options';

/** A `-r` / `-c` line. */
export interface Include {
  readonly kind: 'requirement' | 'constraint';
  /** The path as written (after `${VAR}` expansion). */
  readonly target: string;
  /** Start of the `-r` / `-c` option. */
  readonly position: Position;
  /** Exclusive end of the target. */
  readonly end: Position;
}

/** An option line that is not an include: `--index-url URL`, `--pre`… (also the legacy ones pip now rejects). */
export interface OptionLine {
  /** The long name, e.g. '--index-url' (also for `-i` and abbreviations such as `--index`). */
  readonly name: string;
  readonly value: string | null;
  readonly position: Position;
}

export interface RequirementsFile {
  readonly file: string;
  readonly entries: RequirementsEntry[];
  readonly includes: Include[];
  readonly options: OptionLine[];
  readonly problems: ParseProblem[];
  /** Physical lines, a last line without a newline included. */
  readonly lineCount: number;
}

const VIA_HEADER = /^\s*via(?:\s+(.*?))?\s*$/;
/** A continuation item of a multi-line `# via` block: pip-compile and uv indent it (`#   httpx`). */
const VIA_ITEM = /^\s{2,}(\S.*?)\s*$/;

function viaItems(text: string): string[] {
  const items: string[] = [];
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (trimmed !== '') items.push(trimmed);
  }
  return items;
}

/**
 * Parses a requirements file: `\` continuations, comments, `${VAR}` from env (unknown ones stay as written),
 * `-r` / `-c` includes, `-e`, URLs and local paths, option lines, per-requirement options (`--hash` and co.)
 * and `# via` annotations. Never throws: an invalid line gets a problem and parsing goes on.
 */
export function parseRequirementsFile(text: string, file: string, env: Env = {}): RequirementsFile {
  const reader = new LogicalLineReader(text, env);
  const entries: RequirementsEntry[] = [];
  const includes: Include[] = [];
  const options: OptionLine[] = [];
  const problems: ParseProblem[] = [];

  /** The via list of the entry the next `# via` comment would belong to. */
  let via: string[] | null = null;
  /** Whether a `# via` block is open, so that `#   name` lines add to it. */
  let viaOpen = false;

  for (let line = reader.next(); line !== null; line = reader.next()) {
    if (line.text === '') {
      if (line.comment === null || via === null) {
        via = null;
        viaOpen = false;
        continue;
      }
      const header = VIA_HEADER.exec(line.comment);
      if (header !== null) {
        if (header[1] !== undefined) via.push(...viaItems(header[1]));
        viaOpen = true;
        continue;
      }
      const item = viaOpen ? VIA_ITEM.exec(line.comment) : null;
      if (item !== null) {
        via.push(item[1]!);
        continue;
      }
      via = null;
      viaOpen = false;
      continue;
    }

    via = parseLine(line, file, entries, includes, options, problems);
    viaOpen = false;
    if (via !== null && line.comment !== null) {
      // pip-compile --annotation-style=line: `pkg==1.0  # via a, b`
      const header = VIA_HEADER.exec(line.comment);
      if (header !== null) {
        if (header[1] !== undefined) via.push(...viaItems(header[1]));
        viaOpen = true;
      }
    }
  }
  return { file, entries, includes, options, problems, lineCount: reader.lineCount };
}

function problemAt(line: LogicalLine, problem: OptionProblem): ParseProblem {
  const position = positionAt(line, problem.start);
  return problem.hint === undefined
    ? { message: problem.message, position }
    : { message: problem.message, hint: problem.hint, position };
}

/** One non-empty logical line; returns the via list of the entry it made, or null when it made none. */
function parseLine(
  line: LogicalLine,
  file: string,
  entries: RequirementsEntry[],
  includes: Include[],
  optionLines: OptionLine[],
  problems: ParseProblem[],
): string[] | null {
  const { text } = line;
  const split = optionsStart(text);
  let args = split === -1 ? text : text.slice(0, split);
  if (split > 0) args = args.trimEnd();

  let parsed: ParsedOption[] = [];
  if (split !== -1) {
    const words = shlexSplit(text, split);
    if (!words.ok) {
      problems.push({
        message: `pip cannot split the options of this line (${words.message})`,
        hint: 'close the quote, or escape the character',
        position: positionAt(line, words.offset),
      });
    } else {
      const result = parseOptionWords(words.words);
      parsed = result.options;
      for (const problem of result.problems) problems.push(problemAt(line, problem));
    }
  }

  if (args !== '') {
    return addEntry(line, file, args, 0, true, false, parsed, entries, problems);
  }
  const editable = parsed.find((option) => option.role === 'editable');
  if (editable !== undefined && editable.value !== null) {
    const start = editable.valueStart ?? editable.start;
    const verbatim =
      editable.valueStart !== null &&
      text.startsWith(editable.value, editable.valueStart) &&
      editable.value !== '';
    return addEntry(line, file, editable.value, start, verbatim, true, parsed, entries, problems);
  }

  // An option line: pip follows the first -r, else the first -c, and applies the global options.
  const include =
    parsed.find((option) => option.role === 'requirement') ??
    parsed.find((option) => option.role === 'constraint');
  if (include !== undefined && include.value !== null) {
    includes.push({
      kind: include.role === 'requirement' ? 'requirement' : 'constraint',
      target: include.value,
      position: positionAt(line, include.start),
      end: endPositionAt(line, include.end),
    });
  }
  for (const option of parsed) {
    if (option.role === 'global' || option.role === 'legacy') {
      optionLines.push({ name: option.name, value: option.value, position: positionAt(line, option.start) });
    } else if (option.role === 'per-requirement') {
      problems.push({
        message: `${option.name} on a line without a requirement: pip ignores it`,
        hint:
          option.name === '--hash'
            ? 'end the requirement line above (and each --hash line but the last) with a backslash'
            : 'put it on the line of the requirement it is for',
        position: positionAt(line, option.start),
      });
    }
  }
  return null;
}

function addEntry(
  line: LogicalLine,
  file: string,
  raw: string,
  start: number,
  verbatim: boolean,
  editable: boolean,
  parsed: readonly ParsedOption[],
  entries: RequirementsEntry[],
  problems: ParseProblem[],
): string[] {
  const hashes: string[] = [];
  const options: EntryOption[] = [];
  for (const option of parsed) {
    if (option.role !== 'per-requirement' || option.value === null) continue;
    const position = positionAt(line, option.start);
    options.push({ name: option.name, value: option.value, position });
    const invalid =
      option.name === '--hash'
        ? checkHash(option.value)
        : option.name === '--config-settings'
          ? checkConfigSettings(option.value)
          : null;
    if (invalid !== null) {
      problems.push({ message: invalid.message, hint: invalid.hint, position });
    } else if (option.name === '--hash') {
      hashes.push(option.value);
    }
  }
  const via: string[] = [];
  entries.push(
    buildEntry({ file, line, raw, start, verbatim, end: line.text.length, editable, hashes, via, options }),
  );
  return via;
}
