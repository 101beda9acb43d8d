import { createHash } from 'node:crypto';

/** A short, stable id: the first 24 hex digits of the SHA-256 of the value's canonical JSON. */
export function contentId(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 24);
}

/** A short, stable id of several texts: the first 24 hex digits of the SHA-256 of them, each length-prefixed. */
export function digestId(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex').slice(0, 24);
}

/** JSON with object keys sorted at every level, so equal values always serialise to the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`).join(',')}}`;
}

/** SHA-256 of a data set's bars (every column's bytes), so the same candles always give the same hash. */
export function barsHash(columns: readonly Float64Array[]): string {
  const hash = createHash('sha256');
  for (const column of columns)
    hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  return hash.digest('hex');
}

/** SHA-256 of text (a strategy module's source). */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
