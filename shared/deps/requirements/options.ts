/**
 * The options of a requirements line, as pip reads them: `break_args_options` splits the line at the first
 * space-separated token that starts with `-`, `shlex.split` cuts the rest into words, and an optparse parser
 * with pip's requirements-file options (long options may be abbreviated) interprets them.
 */

/** What an option does in a requirements file. */
export type OptionRole =
  /** Applies to the whole install (index, find-links, binary policy…): an OptionLine. */
  | 'global'
  /** `-r` / `-c`: includes another file. */
  | 'requirement'
  | 'constraint'
  /** `-e`: an editable requirement. */
  | 'editable'
  /** `--hash`, `--config-settings`, `--global-option`: belongs to the requirement on its line. */
  | 'per-requirement'
  /** An option old pip versions took and pip now rejects (`-Z`, `--always-unzip`…). */
  | 'legacy';

interface OptionSpec {
  /** The canonical name, e.g. '--index-url'. */
  readonly name: string;
  readonly long: readonly string[];
  readonly short: string | null;
  readonly takesValue: boolean;
  readonly role: OptionRole;
}

/** pip 23's SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ (pip/_internal/req/req_file.py). */
const SPECS: readonly OptionSpec[] = [
  { name: '--index-url', long: ['--index-url', '--pypi-url'], short: '-i', takesValue: true, role: 'global' },
  { name: '--extra-index-url', long: ['--extra-index-url'], short: null, takesValue: true, role: 'global' },
  { name: '--no-index', long: ['--no-index'], short: null, takesValue: false, role: 'global' },
  { name: '--constraint', long: ['--constraint'], short: '-c', takesValue: true, role: 'constraint' },
  { name: '--requirement', long: ['--requirement'], short: '-r', takesValue: true, role: 'requirement' },
  { name: '--editable', long: ['--editable'], short: '-e', takesValue: true, role: 'editable' },
  { name: '--find-links', long: ['--find-links'], short: '-f', takesValue: true, role: 'global' },
  { name: '--no-binary', long: ['--no-binary'], short: null, takesValue: true, role: 'global' },
  { name: '--only-binary', long: ['--only-binary'], short: null, takesValue: true, role: 'global' },
  { name: '--prefer-binary', long: ['--prefer-binary'], short: null, takesValue: false, role: 'global' },
  { name: '--require-hashes', long: ['--require-hashes'], short: null, takesValue: false, role: 'global' },
  { name: '--pre', long: ['--pre'], short: null, takesValue: false, role: 'global' },
  { name: '--trusted-host', long: ['--trusted-host'], short: null, takesValue: true, role: 'global' },
  { name: '--use-feature', long: ['--use-feature'], short: null, takesValue: true, role: 'global' },
  {
    name: '--global-option',
    long: ['--global-option'],
    short: null,
    takesValue: true,
    role: 'per-requirement',
  },
  { name: '--hash', long: ['--hash'], short: null, takesValue: true, role: 'per-requirement' },
  {
    name: '--config-settings',
    long: ['--config-settings'],
    short: '-C',
    takesValue: true,
    role: 'per-requirement',
  },
];

/** Options pip once accepted in requirements files and has since removed: pip now stops on them. */
const LEGACY: readonly (OptionSpec & { readonly why: string })[] = [
  {
    name: '--always-unzip',
    long: ['--always-unzip'],
    short: '-Z',
    takesValue: false,
    role: 'legacy',
    why: 'it had no effect for years and pip 10 removed it',
  },
  {
    name: '--allow-external',
    long: ['--allow-external'],
    short: null,
    takesValue: true,
    role: 'legacy',
    why: 'PyPI stopped hosting external links (PEP 470) and pip 10 removed it',
  },
  {
    name: '--allow-all-external',
    long: ['--allow-all-external'],
    short: null,
    takesValue: false,
    role: 'legacy',
    why: 'PyPI stopped hosting external links (PEP 470) and pip 10 removed it',
  },
  {
    name: '--allow-unverified',
    long: ['--allow-unverified'],
    short: null,
    takesValue: true,
    role: 'legacy',
    why: 'PyPI stopped hosting external links (PEP 470) and pip 10 removed it',
  },
  {
    name: '--process-dependency-links',
    long: ['--process-dependency-links'],
    short: null,
    takesValue: false,
    role: 'legacy',
    why: 'pip 19 removed dependency links; use a `name @ url` requirement',
  },
  {
    name: '--install-option',
    long: ['--install-option'],
    short: null,
    takesValue: true,
    role: 'legacy',
    why: 'pip 23.1 removed it; use --config-settings',
  },
];

const LONG = new Map<string, OptionSpec>();
const SHORT = new Map<string, OptionSpec>();
for (const spec of SPECS) {
  for (const long of spec.long) LONG.set(long, spec);
  if (spec.short !== null) SHORT.set(spec.short, spec);
}
const LONG_NAMES = [...LONG.keys()];
const LEGACY_LONG = new Map<string, OptionSpec & { readonly why: string }>();
const LEGACY_SHORT = new Map<string, OptionSpec & { readonly why: string }>();
for (const spec of LEGACY) {
  for (const long of spec.long) LEGACY_LONG.set(long, spec);
  if (spec.short !== null) LEGACY_SHORT.set(spec.short, spec);
}

/** pip's STRONG_HASHES: the algorithms `--hash` accepts. */
export const HASH_ALGORITHMS: readonly string[] = ['sha256', 'sha384', 'sha512'];

/** A word of the options text; offsets are into the logical line's text. */
export interface Word {
  readonly value: string;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** One option found on a line. */
export interface ParsedOption {
  readonly name: string;
  readonly role: OptionRole;
  readonly value: string | null;
  /** Where the option's word starts, where its value starts, and where it all ends (offsets in the line). */
  readonly start: number;
  readonly valueStart: number | null;
  readonly end: number;
}

/** A problem with the options of a line, at an offset of the line. */
export interface OptionProblem {
  readonly message: string;
  readonly hint?: string;
  readonly start: number;
  readonly end: number;
}

/** The first `-` that starts a space-separated token: pip's `break_args_options`. -1 when there is none. */
export function optionsStart(text: string): number {
  let index = text.indexOf('-');
  while (index !== -1) {
    if (index === 0 || text.charCodeAt(index - 1) === 0x20) return index;
    index = text.indexOf('-', index + 1);
  }
  return -1;
}

/** shlex's whitespace in POSIX mode. */
function isShlexSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * `shlex.split(text[from:])` (POSIX mode, no comments) with the offset of each word. Errors as shlex raises them:
 * an open quote ("No closing quotation") or a final lone backslash ("No escaped character").
 */
export function shlexSplit(
  text: string,
  from: number,
): { ok: true; words: Word[] } | { ok: false; message: string; offset: number } {
  const words: Word[] = [];
  let i = from;
  const length = text.length;
  while (i < length) {
    while (i < length && isShlexSpace(text.charCodeAt(i))) i++;
    if (i >= length) break;
    const start = i;
    let value = '';
    let plain = i; // start of the run of plain characters not yet added to value
    while (i < length) {
      const code = text.charCodeAt(i);
      if (isShlexSpace(code)) break;
      if (code === 0x5c) {
        // \x outside quotes: x itself.
        if (i + 1 >= length) return { ok: false, message: 'No escaped character', offset: i };
        value += text.slice(plain, i) + text.charAt(i + 1);
        i += 2;
        plain = i;
      } else if (code === 0x27) {
        const close = text.indexOf("'", i + 1);
        if (close === -1) return { ok: false, message: 'No closing quotation', offset: i };
        value += text.slice(plain, i) + text.slice(i + 1, close);
        i = close + 1;
        plain = i;
      } else if (code === 0x22) {
        value += text.slice(plain, i);
        let j = i + 1;
        let closed = false;
        while (j < length) {
          const inner = text.charCodeAt(j);
          if (inner === 0x22) {
            closed = true;
            break;
          }
          if (inner === 0x5c && j + 1 < length) {
            const next = text.charCodeAt(j + 1);
            if (next === 0x22 || next === 0x5c) {
              value += text.charAt(j + 1);
              j += 2;
              continue;
            }
          }
          value += text.charAt(j);
          j++;
        }
        if (!closed) return { ok: false, message: 'No closing quotation', offset: i };
        i = j + 1;
        plain = i;
      } else {
        i++;
      }
    }
    value += text.slice(plain, i);
    words.push({ value, start, end: i });
  }
  return { ok: true, words };
}

/** optparse's `_match_abbrev`: an exact name, or the one long option the text abbreviates. */
function matchLong(name: string): { spec: OptionSpec } | { error: string } {
  const exact = LONG.get(name);
  if (exact !== undefined) return { spec: exact };
  const candidates = LONG_NAMES.filter((long) => long.startsWith(name));
  if (candidates.length === 1) return { spec: LONG.get(candidates[0]!)! };
  if (candidates.length > 1) {
    return { error: `ambiguous option: ${name} (${candidates.sort().join(', ')}?)` };
  }
  return { error: `no such option: ${name}` };
}

/** The words of an options text read as pip's optparse parser reads them. */
export function parseOptionWords(words: readonly Word[]): {
  options: ParsedOption[];
  problems: OptionProblem[];
} {
  const options: ParsedOption[] = [];
  const problems: OptionProblem[] = [];
  let index = 0;
  while (index < words.length) {
    const word = words[index]!;
    index++;
    const arg = word.value;
    if (arg === '--') break; // the rest are positional arguments, which pip ignores
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = equals === -1 ? arg : arg.slice(0, equals);
      const matched = matchLong(name);
      if ('error' in matched) {
        const legacy = LEGACY_LONG.get(name);
        if (legacy !== undefined) {
          const taken = takeValue(legacy, word, equals, words, index);
          if (taken.consumed) index++;
          options.push(legacyOption(legacy, word, taken));
          problems.push(legacyProblem(legacy, name, word, taken.end));
          continue;
        }
        problems.push({
          message: `pip does not accept the option ${name}: ${matched.error}`,
          hint: 'remove it, or check its spelling against `pip install --help`',
          start: word.start,
          end: word.end,
        });
        continue;
      }
      const { spec } = matched;
      if (!spec.takesValue) {
        if (equals !== -1) {
          problems.push({
            message: `${spec.name} option does not take a value`,
            hint: `write ${spec.name} alone`,
            start: word.start,
            end: word.end,
          });
          continue;
        }
        options.push({
          name: spec.name,
          role: spec.role,
          value: null,
          start: word.start,
          valueStart: null,
          end: word.end,
        });
        continue;
      }
      const taken = takeValue(spec, word, equals, words, index);
      if (taken.consumed) index++;
      if (taken.value === null) {
        problems.push(missingValue(spec.name, word));
        continue;
      }
      options.push({
        name: spec.name,
        role: spec.role,
        value: taken.value,
        start: word.start,
        valueStart: taken.valueStart,
        end: taken.end,
      });
      continue;
    }
    if (arg.length > 1 && arg.charCodeAt(0) === 0x2d) {
      // A cluster of short options, `-r file`, `-rfile`, `-e.`
      let position = 1;
      while (position < arg.length) {
        const flag = `-${arg.charAt(position)}`;
        position++;
        const spec = SHORT.get(flag) ?? LEGACY_SHORT.get(flag);
        if (spec === undefined) {
          problems.push({
            message: `pip does not accept the option ${flag}: no such option: ${flag}`,
            hint: 'remove it, or check its spelling against `pip install --help`',
            start: word.start,
            end: word.end,
          });
          break;
        }
        if (!spec.takesValue) {
          options.push({
            name: spec.name,
            role: spec.role,
            value: null,
            start: word.start,
            valueStart: null,
            end: word.end,
          });
          if (spec.role === 'legacy')
            problems.push(legacyProblem(LEGACY_SHORT.get(flag)!, flag, word, word.end));
          continue;
        }
        let value: string | null;
        let valueStart: number | null;
        let end = word.end;
        if (position < arg.length) {
          value = arg.slice(position);
          valueStart = word.end - word.start === arg.length ? word.start + position : null;
        } else if (index < words.length) {
          const next = words[index]!;
          index++;
          value = next.value;
          valueStart = next.start;
          end = next.end;
        } else {
          problems.push(missingValue(flag, word));
          break;
        }
        options.push({ name: spec.name, role: spec.role, value, start: word.start, valueStart, end });
        break;
      }
    }
    // A positional argument among the options: optparse collects it and pip ignores it.
  }
  return { options, problems };
}

function takeValue(
  spec: OptionSpec,
  word: Word,
  equals: number,
  words: readonly Word[],
  index: number,
): { value: string | null; valueStart: number | null; end: number; consumed: boolean } {
  if (!spec.takesValue) return { value: null, valueStart: null, end: word.end, consumed: false };
  if (equals !== -1) {
    const plain = word.end - word.start === word.value.length;
    return {
      value: word.value.slice(equals + 1),
      valueStart: plain ? word.start + equals + 1 : null,
      end: word.end,
      consumed: false,
    };
  }
  const next = words[index];
  if (next === undefined) return { value: null, valueStart: null, end: word.end, consumed: false };
  return { value: next.value, valueStart: next.start, end: next.end, consumed: true };
}

function missingValue(name: string, word: Word): OptionProblem {
  return {
    message: `${name} option requires 1 argument`,
    hint: `write ${name} followed by its value`,
    start: word.start,
    end: word.end,
  };
}

function legacyOption(
  spec: OptionSpec,
  word: Word,
  taken: { value: string | null; valueStart: number | null; end: number },
): ParsedOption {
  return {
    name: spec.name,
    role: 'legacy',
    value: taken.value,
    start: word.start,
    valueStart: taken.valueStart,
    end: taken.end,
  };
}

function legacyProblem(
  spec: { readonly why: string },
  written: string,
  word: Word,
  end: number,
): OptionProblem {
  return {
    message: `pip no longer accepts ${written} and stops on this line`,
    hint: `remove it: ${spec.why}`,
    start: word.start,
    end,
  };
}

/** pip's checks on a `--hash` value: `algorithm:digest` with a strong algorithm. */
export function checkHash(value: string): { message: string; hint: string } | null {
  const colon = value.indexOf(':');
  if (colon === -1) {
    return {
      message: 'Arguments to --hash must be a hash name followed by a value, like --hash=sha256:abcde...',
      hint: 'write --hash=sha256:<hex digest>',
    };
  }
  const algorithm = value.slice(0, colon);
  if (!HASH_ALGORITHMS.includes(algorithm)) {
    return {
      message: `Allowed hash algorithms for --hash are ${HASH_ALGORITHMS.join(', ')}; got ${algorithm}`,
      hint: 'regenerate the hashes with sha256 (pip hash, pip-compile --generate-hashes or uv export)',
    };
  }
  return null;
}

/** pip's check on a `--config-settings` value: KEY=VAL. */
export function checkConfigSettings(value: string): { message: string; hint: string } | null {
  if (value.includes('=')) return null;
  return {
    message: 'Arguments to --config-settings must be of the form KEY=VAL',
    hint: 'write --config-settings=KEY=VALUE',
  };
}
