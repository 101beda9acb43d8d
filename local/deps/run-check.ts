import { resolve } from 'node:path';
import { FileManifestReader } from '@shared/adapters/local/file-manifest-reader';
import { type CheckResult, checkManifests, isIgnored } from '@shared/deps/check/check';
import type { CheckOptions } from '@shared/deps/check/options';
import { sortFindings } from '@shared/deps/check/sort-findings';
import { checkOnline, mergeOnlineFindings, type OnlineUnknown } from '@shared/deps/online';
import type { ManifestReader } from '@shared/ports/manifest-reader';
import { InputError } from '../cli/errors';
import { flywheelHome } from '../paths';
import { checkOptions, loadDepsConfig } from './config';
import { discoverManifests } from './discover';
import { createOnlineAdvisor } from './online-advisor';

/** Reads paths relative to `cwd`; a folder where a file is expected reads as absent (an include-error). */
export function cwdManifestReader(cwd: string): ManifestReader {
  const files = new FileManifestReader();
  return {
    async read(path) {
      try {
        return await files.read(resolve(cwd, path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
        throw error;
      }
    },
  };
}

/** What `deps check` and the gate before start run: settings, discovery, the check, and the online checks. */
export async function runDepsCheck(
  paths: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  flags: { python?: string; requirePins?: boolean; config?: string; online?: boolean },
): Promise<
  CheckResult & { options: CheckOptions; configSources: readonly string[]; unknown: readonly OnlineUnknown[] }
> {
  const { config, sources } = await loadDepsConfig(cwd, flags.config);
  const options = checkOptions(config, flags);
  const manifests = await discoverManifests(paths, cwd, config.exclude);
  const result = await checkManifests(manifests, cwdManifestReader(cwd), options, env);
  if (!flags.online) return { ...result, options, configSources: sources, unknown: [] };
  let advisor: ReturnType<typeof createOnlineAdvisor>;
  try {
    advisor = createOnlineAdvisor({ home: flywheelHome(env, cwd), env });
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  try {
    const online = await checkOnline(result.packages, advisor, { python: options.python });
    const added = mergeOnlineFindings(result.findings, online.findings);
    const kept = added.filter((finding) => !isIgnored(finding, options));
    return {
      ...result,
      findings: sortFindings([...result.findings, ...kept]),
      ignored: result.ignored + added.length - kept.length,
      options,
      configSources: sources,
      unknown: online.unknown,
    };
  } finally {
    advisor.close();
  }
}
