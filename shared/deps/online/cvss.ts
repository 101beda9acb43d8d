/**
 * CVSS base scores from vector strings, for judging OSV records that state no qualitative severity.
 * v3.0/v3.1 (https://www.first.org/cvss/v3.1/specification-document §7) and v2 (https://www.first.org/cvss/v2/guide
 * §3.2.1). v4 needs the specification's macro-vector tables and is not scored: null, never a guess.
 */

const V3_WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** v3.1's Roundup: the smallest number with one decimal at or above x, free of floating-point error. */
function roundUp(x: number): number {
  const scaled = Math.round(x * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}

function metrics(vector: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of vector.split('/')) {
    const [key, value] = part.split(':');
    if (key && value !== undefined) map.set(key, value);
  }
  return map;
}

function pick<T extends Record<string, number>>(table: T, value: string | undefined): number | null {
  return value !== undefined && Object.hasOwn(table, value) ? table[value as keyof T]! : null;
}

function v3Score(vector: string): number | null {
  const m = metrics(vector);
  const scope = m.get('S');
  if (scope !== 'U' && scope !== 'C') return null;
  const prTable = scope === 'C' ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 };
  const av = pick(V3_WEIGHTS.AV, m.get('AV'));
  const ac = pick(V3_WEIGHTS.AC, m.get('AC'));
  const pr = pick(prTable, m.get('PR'));
  const ui = pick(V3_WEIGHTS.UI, m.get('UI'));
  const c = pick(V3_WEIGHTS.CIA, m.get('C'));
  const i = pick(V3_WEIGHTS.CIA, m.get('I'));
  const a = pick(V3_WEIGHTS.CIA, m.get('A'));
  if (av === null || ac === null || pr === null || ui === null || c === null || i === null || a === null)
    return null;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  return scope === 'U'
    ? roundUp(Math.min(impact + exploitability, 10))
    : roundUp(Math.min(1.08 * (impact + exploitability), 10));
}

function v2Score(vector: string): number | null {
  const m = metrics(vector.replace(/^\(|\)$/g, ''));
  const av = pick({ L: 0.395, A: 0.646, N: 1 }, m.get('AV'));
  const ac = pick({ H: 0.35, M: 0.61, L: 0.71 }, m.get('AC'));
  const au = pick({ M: 0.45, S: 0.56, N: 0.704 }, m.get('Au'));
  const cia = { N: 0, P: 0.275, C: 0.66 };
  const c = pick(cia, m.get('C'));
  const i = pick(cia, m.get('I'));
  const a = pick(cia, m.get('A'));
  if (av === null || ac === null || au === null || c === null || i === null || a === null) return null;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/** The base score of a CVSS v3.x or v2 vector, or null for v4 and anything unreadable. */
export function cvssBaseScore(vector: string): number | null {
  const text = vector.trim();
  if (/^CVSS:3\.[01]\//.test(text)) return v3Score(text);
  if (/^CVSS:/.test(text)) return null;
  if (/(^|\/|\()AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(text)) return v2Score(text);
  return null;
}

/** The qualitative rating of a base score (v3's scale; v2's "High" also starts at 7.0). */
export function scoreSeverity(score: number): 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE' {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  if (score > 0) return 'LOW';
  return 'NONE';
}
