/**
 * Names of distributions and extras: PEP 503 normalisation, PEP 685 extra normalisation, and the core metadata
 * rule for a valid name.
 */

/**
 * PEP 503: lower case, every run of `-`, `_` and `.` becomes one `-` (as `packaging.utils.canonicalize_name`).
 * `normalizeName('Foo.Bar__baz')` is `foo-bar-baz`.
 */
export function normalizeName(name: string): string {
  let out = '';
  let inRun = false;
  let start = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2d || c === 0x5f || c === 0x2e) {
      if (!inRun) {
        out += name.slice(start, i) + '-';
        inRun = true;
      }
      start = i + 1;
    } else {
      inRun = false;
    }
  }
  out += name.slice(start);
  return out.toLowerCase();
}

/** PEP 685: an extra name compares and is stored as its PEP 503 normal form. */
export function normalizeExtra(extra: string): string {
  return normalizeName(extra);
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * The core metadata rule for a distribution name: ASCII letters and digits, with `.`, `_` and `-` allowed
 * inside but not at either end (`^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$`, case-insensitive).
 */
export function isValidName(name: string): boolean {
  const n = name.length;
  if (n === 0 || !isAsciiAlnum(name.charCodeAt(0)) || !isAsciiAlnum(name.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = name.charCodeAt(i);
    if (!isAsciiAlnum(c) && c !== 0x2d && c !== 0x5f && c !== 0x2e) return false;
  }
  return true;
}
