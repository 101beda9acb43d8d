import { createHash } from 'node:crypto';

/** A short, stable id: the first 24 hex digits of the SHA-256 of the value's canonical JSON. */
export function contentId(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 24);
}

/** JSON with object keys sorted at every level, so equal values always serialise to the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(
      Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
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
