/**
 * A small, fast, seeded pseudo-random generator (mulberry32): numbers in [0, 1), the same sequence for the
 * same seed on every machine. Only the seed's low 32 bits count.
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks `count` distinct indices of `0 … total − 1` uniformly at random (a partial Fisher–Yates shuffle
 * that remembers only the swapped slots), returned in ascending order. All of them when count ≥ total.
 */
export function pickDistinctIndices(total: number, count: number, random: () => number): number[] {
  if (count >= total) return Array.from({ length: total }, (_, index) => index);
  const swapped = new Map<number, number>();
  const picked: number[] = [];
  for (let slot = 0; slot < count; slot++) {
    const chosen = slot + Math.floor(random() * (total - slot));
    picked.push(swapped.get(chosen) ?? chosen);
    swapped.set(chosen, swapped.get(slot) ?? slot);
  }
  return picked.sort((a, b) => a - b);
}
