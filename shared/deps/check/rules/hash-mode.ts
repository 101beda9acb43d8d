import type { Finding } from '../../model';
import type { InstallSet } from '../install-set';
import { entryFinding, quoted, where } from './context';

/**
 * `hash-mode`: once any requirement of an install carries `--hash` (or a file says `--require-hashes`), pip
 * checks hashes for all of them, and refuses the whole install for a requirement without a hash, one not pinned
 * with `==`, or an editable one.
 */
export function hashModeFindings(set: InstallSet): Finding[] {
  if (!set.hashMode) return [];
  const requirements = set.entries.filter(
    (entry) => entry.source.kind === 'requirements' && entry.source.role === 'requirement',
  );
  const hashed = requirements.find((entry) => entry.hashes.length > 0);
  const reason = hashed
    ? `${where(hashed)} has --hash, which turns on pip's hash-checking mode`
    : "--require-hashes turns on pip's hash-checking mode";
  const findings: Finding[] = [];
  for (const entry of requirements) {
    if (entry.requirement === null && entry.reference === undefined) continue;
    if (entry.editable) {
      findings.push(
        entryFinding(
          entry,
          'hash-mode',
          'error',
          `${quoted(entry)} is editable, and ${reason}: pip refuses editable requirements there`,
          'install it without -e, or drop hash checking for this install',
        ),
      );
      continue;
    }
    if (entry.hashes.length === 0) {
      findings.push(
        entryFinding(
          entry,
          'hash-mode',
          'error',
          `${quoted(entry)} has no --hash, and ${reason}: pip refuses the whole install`,
          'add --hash for it (pip-compile --generate-hashes writes them), or remove every --hash',
        ),
      );
      continue;
    }
    const clauses = entry.requirement?.clauses ?? [];
    const pinned = clauses.some(
      (c) => (c.operator === '==' && !c.version.endsWith('*')) || c.operator === '===',
    );
    if (entry.requirement && entry.requirement.url === null && !pinned)
      findings.push(
        entryFinding(
          entry,
          'hash-mode',
          'error',
          `${quoted(entry)} is not pinned with ==, and ${reason}: pip refuses unpinned requirements there`,
          'pin it with == to the version its hashes belong to',
          { at: entry.spans.specifier ?? entry.position },
        ),
      );
  }
  return findings;
}
