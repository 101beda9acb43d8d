/**
 * One requirement of a requirements file as pip reads it (pip/_internal/req/constructors.py): a PEP 508
 * requirement, or a URL or local path (`-e .`, `./dist/x.whl`, `git+https://…#egg=name`) that names no project.
 */
import type { DependencyEntry, ParseProblem, Position, Requirement, TextEdit } from '../model';
import { normalizeExtra, normalizeName, parseRequirement } from '../pep508';
import { endOf, type LogicalLine, type Piece, startOf } from './lines';

/** A per-requirement option written on the entry's line (`--hash`, `--config-settings`, `--global-option`). */
export interface EntryOption {
  readonly name: string;
  readonly value: string;
  readonly position: Position;
}

/** A requirements-file entry: a DependencyEntry plus the per-requirement options pip passes on with it. */
export interface RequirementsEntry extends DependencyEntry {
  /** Every per-requirement option on its line, in order, hashes included. */
  readonly options: readonly EntryOption[];
}

/** What file.ts knows about an entry when it hands it over. */
export interface EntryInput {
  readonly file: string;
  readonly line: LogicalLine;
  /** The requirement text (for `-e`, the option's value as shlex reads it). */
  readonly raw: string;
  /** Offset of the requirement text in the line's text. */
  readonly start: number;
  /** Whether raw is line.text.slice(start, start + raw.length), so offsets inside it map one for one. */
  readonly verbatim: boolean;
  /** Exclusive end of the whole entry (its last option included) in the line's text. */
  readonly end: number;
  readonly editable: boolean;
  readonly hashes: readonly string[];
  readonly via: readonly string[];
  readonly options: readonly EntryOption[];
}

const VCS = ['git', 'hg', 'svn', 'bzr'];
/** pip's `vcs.all_schemes`. */
const VCS_SCHEMES = new Set([
  'bzr+http',
  'bzr+https',
  'bzr+ssh',
  'bzr+sftp',
  'bzr+ftp',
  'bzr+lp',
  'bzr+file',
  'git+http',
  'git+https',
  'git+ssh',
  'git+git',
  'git+file',
  'hg+file',
  'hg+http',
  'hg+https',
  'hg+ssh',
  'hg+static-http',
  'svn+ssh',
  'svn+http',
  'svn+https',
  'svn+svn',
  'svn+file',
]);
/** pip's `is_url`: these schemes make a line a link rather than a requirement. */
const URL_SCHEMES = new Set(['http', 'https', 'file', 'ftp', ...VCS_SCHEMES]);
/** pip's ARCHIVE_EXTENSIONS. */
const ARCHIVES = [
  '.zip',
  '.whl',
  '.tar.bz2',
  '.tbz',
  '.tar.xz',
  '.txz',
  '.tlz',
  '.tar.lz',
  '.tar.lzma',
  '.tar.gz',
  '.tgz',
  '.tar',
];

/** What an RFC 3986 scheme looks like (lower-cased). */
const SCHEME = /^[a-z][a-z0-9+.-]*$/;
const EXTRAS_AT_END = /^(.+)\[([^\]]+)\]$/;
const EGG = /[#&]egg=([^&]*)/;
const EGG_NAME = /^([A-Za-z0-9][A-Za-z0-9._-]*)?(?:\[([^\]]*)\])?/;
/** pip's Wheel.wheel_file_re (the name group). */
const WHEEL_FILE = /^([^\s-]+?)-([^\s-]*?)(?:-\d[^-]*?)?-[^\s-]+?-[^\s-]+?-[^\s-]+?\.whl$/;
/** `name =1.0`, `name[x]=1.0`: a single `=` right after the name, pip's "= is not a valid operator". */
const SINGLE_EQUALS = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\]\s*)?=(?!=)/;

/** The scheme as pip's `get_url_scheme` sees it: the text before the first `:`, lower-cased. */
function scheme(text: string): string | null {
  const colon = text.indexOf(':');
  return colon === -1 ? null : text.slice(0, colon).toLowerCase();
}

/** pip's `_looks_like_path`: a path separator, or a leading dot. */
function looksLikePath(text: string): boolean {
  return text.includes('/') || text.includes('\\') || text.startsWith('.');
}

function isArchive(path: string): boolean {
  const lower = path.toLowerCase();
  return ARCHIVES.some((extension) => lower.endsWith(extension));
}

/** pip's `_strip_extras`: `path[extras]` → [, path, extras], or null. */
function stripExtras(text: string): RegExpExecArray | null {
  return text.endsWith(']') ? EXTRAS_AT_END.exec(text) : null;
}

function splitExtras(text: string): string[] {
  const extras: string[] = [];
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const normalized = normalizeExtra(trimmed);
    if (!extras.includes(normalized)) extras.push(normalized);
  }
  return extras;
}

/** The last path segment of a URL or path, without query and fragment, URL-decoded when it can be. */
function fileName(url: string): string {
  let end = url.length;
  const hash = url.indexOf('#');
  if (hash !== -1) end = hash;
  const query = url.indexOf('?');
  if (query !== -1 && query < end) end = query;
  const path = url.slice(0, end);
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const name = path.slice(slash + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The name and extras a link declares: `#egg=name[extras]`, else a wheel's file name. */
function linkIdentity(url: string): { name: string | null; extras: string[]; nameOffset: number | null } {
  const egg = EGG.exec(url);
  if (egg !== null) {
    const value = egg[1] ?? '';
    const parts = EGG_NAME.exec(value);
    const name = parts?.[1];
    if (name !== undefined && name !== '') {
      return {
        name: normalizeName(name),
        extras: parts?.[2] === undefined ? [] : splitExtras(parts[2]),
        nameOffset: egg.index + 5,
      };
    }
  }
  const wheel = WHEEL_FILE.exec(fileName(url));
  if (wheel !== null)
    return { name: normalizeName(wheel[1]!.replace(/_/g, '-')), extras: [], nameOffset: null };
  return { name: null, extras: [], nameOffset: null };
}

/** Maps offsets of the entry's raw text to the file. */
class Mapper {
  constructor(
    private readonly pieces: readonly Piece[],
    private readonly start: number,
    private readonly verbatim: boolean,
  ) {}

  at(offset: number): Position {
    return startOf(this.pieces, this.verbatim ? this.start + offset : this.start);
  }
}

/** How a requirement's text reads: everything of the entry that depends on the text alone. */
interface Reading {
  readonly requirement: Requirement | null;
  readonly problem?: ParseProblem;
  readonly reference?: RequirementsEntry['reference'];
  readonly spans: RequirementsEntry['spans'];
}

const REQUIREMENT_SOURCE = { kind: 'requirements', role: 'requirement' } as const;

/** Builds the entry for one requirement: PEP 508 text, or a reference to a URL or local path. */
export function buildEntry(input: EntryInput): RequirementsEntry {
  const { line, raw } = input;
  const map = new Mapper(line.pieces, input.start, input.verbatim);
  const reading = input.editable ? readEditable(raw, map) : readLine(raw, map, input.file);
  // One object literal with every key, so that all entries share a shape.
  return {
    file: input.file,
    position: startOf(line.pieces, input.start),
    raw,
    source: REQUIREMENT_SOURCE,
    requirement: reading.requirement,
    problem: reading.problem,
    reference: reading.reference,
    editable: input.editable,
    hashes: input.hashes,
    via: input.via,
    spans: reading.spans,
    end: endOf(line.pieces, input.end),
    options: input.options,
  };
}

/** pip's `parse_editable`: a local project (with `[extras]`), a `file:` URL or a VCS URL with `#egg=`. */
function readEditable(raw: string, map: Mapper): Reading {
  const extrasMatch = stripExtras(raw);
  const path = extrasMatch === null ? raw : extrasMatch[1]!;
  const pathExtras = extrasMatch === null ? [] : splitExtras(extrasMatch[2]!);
  const found = scheme(path);
  const spans = { url: map.at(0) };
  if (found === null || found.length === 1 || !SCHEME.test(found)) {
    // A local project directory (pip checks that it exists; we cannot here). One letter is a Windows drive.
    return { requirement: null, spans, reference: { url: path, name: null, extras: pathExtras } };
  }
  if (found === 'file') {
    // pip takes a file: URL without its [extras], and the name from its #egg=.
    const identity = linkIdentity(path);
    const reference = { url: path, name: identity.name, extras: pathExtras };
    const named = identity.nameOffset === null ? spans : { ...spans, name: map.at(identity.nameOffset) };
    return { requirement: null, spans: named, reference };
  }
  // Any other URL is taken whole; the name and extras come from #egg=name[extras].
  const identity = linkIdentity(raw);
  const reference = { url: raw, name: identity.name, extras: identity.extras };
  const named = identity.nameOffset === null ? spans : { ...spans, name: map.at(identity.nameOffset) };
  // pip reads `git://…` as `git+git://…`.
  const vcs = VCS_SCHEMES.has(found) || VCS.includes(found);
  let problem: ParseProblem | null = null;
  if (!vcs) {
    problem = {
      message: `${raw} is not a valid editable requirement: it should be a path to a local project or a VCS URL`,
      hint: 'drop -e to install the archive, or use a VCS URL such as git+https://…#egg=name',
      position: map.at(0),
    };
  } else if (identity.name === null) {
    problem = {
      message: `pip cannot tell which project ${raw} is: an editable VCS URL needs #egg=name`,
      hint: 'append #egg=<project name> to the URL',
      position: map.at(0),
    };
  }
  if (problem === null) return { requirement: null, spans: named, reference };
  return { requirement: null, spans: named, reference, problem };
}

/** pip's `parse_req_from_line`: a link (URL, local path, archive) or a PEP 508 requirement. */
function readLine(raw: string, map: Mapper, file: string): Reading {
  const found = scheme(raw);
  const isUrl = found !== null && URL_SCHEMES.has(found);
  const separator = isUrl ? '; ' : ';';
  const markerAt = raw.indexOf(separator);
  const namePart = markerAt === -1 ? raw : raw.slice(0, markerAt);
  const name = namePart.trimEnd();
  let link = isUrl;
  if (!link) {
    const extrasMatch = stripExtras(name);
    const path = extrasMatch === null ? name : extrasMatch[1]!;
    if (looksLikePath(name) || isArchive(path)) {
      const at = name.indexOf('@');
      link = at === -1 || looksLikePath(name.slice(0, at));
    }
  }
  if (!link) return readRequirement(raw, map, file);

  const extrasMatch = isUrl ? null : stripExtras(name);
  const url = extrasMatch === null ? name : extrasMatch[1]!;
  const identity = linkIdentity(url);
  const extras = extrasMatch === null ? identity.extras : splitExtras(extrasMatch[2]!);
  const spans: { url: Position; name?: Position; marker?: Position } = { url: map.at(0) };
  if (identity.nameOffset !== null) spans.name = map.at(identity.nameOffset);
  const reference = { url, name: identity.name, extras };
  if (markerAt === -1) return { requirement: null, spans, reference };

  const markerStart = markerAt + separator.length;
  const markerText = raw.slice(markerStart);
  let skipped = 0;
  while (skipped < markerText.length && /\s/.test(markerText.charAt(skipped))) skipped++;
  if (skipped === markerText.length) return { requirement: null, spans, reference };
  spans.marker = map.at(markerStart + skipped);
  // Check the marker by parsing it behind a placeholder name, as pip's Marker() would.
  const probe = parseRequirement(`x;${markerText}`);
  if (probe.ok) return { requirement: null, spans, reference };
  const offset = Math.max(0, probe.offset - 2) + markerStart;
  return {
    requirement: null,
    spans,
    reference,
    problem: withHint(
      { message: `invalid environment marker: ${probe.message}`, position: map.at(offset) },
      probe.hint,
    ),
  };
}

function withHint(problem: ParseProblem, hint: string | undefined): ParseProblem {
  return hint === undefined ? problem : { ...problem, hint };
}

/** A PEP 508 requirement; on failure the problem points into the file, with `=` → `==` fixed when that is all. */
function readRequirement(raw: string, map: Mapper, file: string): Reading {
  const parsed = parseRequirement(raw);
  if (parsed.ok) {
    const { requirement } = parsed;
    const { offsets } = requirement;
    const spans: { name: Position; specifier?: Position; marker?: Position; url?: Position } = {
      name: map.at(offsets.name),
    };
    if (offsets.specifier !== undefined) spans.specifier = map.at(offsets.specifier);
    if (offsets.marker !== undefined) spans.marker = map.at(offsets.marker);
    if (offsets.url !== undefined) spans.url = map.at(offsets.url);
    return { requirement, spans };
  }
  let problem = withHint(
    {
      message: `invalid requirement: ${parsed.message}`,
      position: map.at(Math.min(parsed.offset, raw.length)),
    },
    parsed.hint,
  );
  const equals = SINGLE_EQUALS.exec(raw);
  if (equals !== null) {
    const at = equals[0].length - 1;
    const fixed = `${raw.slice(0, at)}==${raw.slice(at + 1)}`;
    const start = map.at(at);
    const end = map.at(at + 1);
    if (parseRequirement(fixed).ok && end.line === start.line && end.column === start.column + 1) {
      const edit: TextEdit = { file, start, end, text: '==' };
      problem = {
        ...problem,
        hint: problem.hint ?? `write \`${fixed}\`: = is not a valid operator`,
        edits: [edit],
      };
    }
  }
  return { requirement: null, problem, spans: {} };
}
