import type { Ecosystem } from '../model';
import { compareVersions, parseVersion } from '../pep440';
import { normalizeName } from '../pep508';

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Semantic Versioning 2.0.0 §11 precedence; null when either is not a semantic version. */
function compareSemver(a: string, b: string): number | null {
  const x = SEMVER.exec(a.trim());
  const y = SEMVER.exec(b.trim());
  if (!x || !y) return null;
  for (let k = 1; k <= 3; k++) {
    const order = Number(x[k]) - Number(y[k]);
    if (order !== 0) return Math.sign(order);
  }
  const [pa, pb] = [x[4], y[4]];
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
  const ia = pa.split('.');
  const ib = pb.split('.');
  for (let k = 0; k < Math.max(ia.length, ib.length); k++) {
    const [s, t] = [ia[k], ib[k]];
    if (s === undefined || t === undefined) return s === undefined ? -1 : 1;
    const [ns, nt] = [/^\d+$/.test(s), /^\d+$/.test(t)];
    if (ns && nt) {
      if (Number(s) !== Number(t)) return Math.sign(Number(s) - Number(t));
    } else if (ns !== nt) return ns ? -1 : 1;
    else if (s !== t) return s < t ? -1 : 1;
  }
  return 0;
}

/** Orders two versions of an ecosystem (PEP 440 for PyPI, SemVer for npm); null when either is unreadable. */
export function compareEcosystemVersions(ecosystem: Ecosystem, a: string, b: string): number | null {
  if (ecosystem === 'npm') return compareSemver(a, b);
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x && y ? compareVersions(x, y) : null;
}

/** Whether an OSV `affected[].package` names this package (PyPI names compared PEP 503-normalised). */
export function samePackage(
  ecosystem: Ecosystem,
  name: string,
  osvEcosystem: string,
  osvName: string,
): boolean {
  if (osvEcosystem !== ecosystem) return false;
  return ecosystem === 'PyPI' ? normalizeName(osvName) === normalizeName(name) : osvName === name;
}
