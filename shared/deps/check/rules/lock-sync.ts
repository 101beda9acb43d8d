import { basename } from 'node:path';
import type { DependencyEntry, Finding } from '../../model';
import { specifierContains } from '../../pep440';
import { evaluateMarker, markersExclusive } from '../../pep508';
import { dependencyEntries, type InstallSet } from '../install-set';
import { entryFinding, quoted, type RuleContext, where } from './context';
import { exactPin } from './pins';

/** A pip-compile input and the file compiled from it (`requirements.in` → `requirements.txt`). */
export interface LockPair {
  readonly input: InstallSet;
  readonly compiled: readonly DependencyEntry[];
  readonly compiledFile: string;
}

const named = (entries: readonly DependencyEntry[]) => entries.filter((entry) => entry.requirement !== null);

/**
 * `lock-out-of-sync`: an input requirement missing from the compiled file, a compiled pin the input's specifier
 * does not allow, or a compiled top-level pin (`# via -r requirements.in`) the input no longer lists.
 */
export function lockSyncFindings(pair: LockPair, context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const inputs = dependencyEntries(pair.input).filter(
    (entry) => entry.source.kind === 'requirements' && entry.source.role === 'requirement',
  );
  const compiled = named(pair.compiled);
  const inputName = basename(pair.input.root);
  const recompile = `re-run pip-compile (or uv pip compile) on ${inputName}`;
  for (const input of inputs) {
    const requirement = input.requirement!;
    const marker = requirement.marker;
    if (marker && evaluateMarker(marker, { python_version: context.options.python }) === false) continue;
    const matches = compiled.filter(
      (entry) => entry.requirement!.normalizedName === requirement.normalizedName,
    );
    if (matches.length === 0) {
      findings.push(
        entryFinding(
          input,
          'lock-out-of-sync',
          'error',
          `${quoted(input)} is not in ${basename(pair.compiledFile)}: the compiled file is older than its input`,
          recompile,
          {
            at: input.spans.name ?? input.position,
          },
        ),
      );
      continue;
    }
    if (requirement.clauses.length === 0) continue;
    for (const pinned of matches) {
      const pin = exactPin(pinned.requirement!.clauses);
      if (!pin || pin.operator === '===') continue;
      if (markersExclusive(marker, pinned.requirement!.marker)) continue;
      if (specifierContains(requirement.clauses, pin.version, { prereleases: true })) continue;
      findings.push(
        entryFinding(
          pinned,
          'lock-out-of-sync',
          'error',
          `${quoted(pinned)} is not allowed by ${quoted(input)} (${where(input)})`,
          recompile,
          {
            at: pinned.spans.specifier ?? pinned.position,
          },
        ),
      );
    }
  }
  const listed = new Set(inputs.map((entry) => entry.requirement!.normalizedName));
  for (const entry of compiled) {
    const viaInput = entry.via.some(
      (via) => via === `-r ${inputName}` || (via.startsWith('-r ') && via.endsWith(`/${inputName}`)),
    );
    if (!viaInput || listed.has(entry.requirement!.normalizedName)) continue;
    findings.push(
      entryFinding(
        entry,
        'lock-out-of-sync',
        'error',
        `${quoted(entry)} is pinned "via -r ${inputName}", but ${inputName} no longer lists it`,
        recompile,
        {
          at: entry.spans.name ?? entry.position,
        },
      ),
    );
  }
  return findings;
}
