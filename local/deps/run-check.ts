import { resolve } from 'node:path';
import { FileManifestReader } from '@shared/adapters/local/file-manifest-reader';
import { type CheckResult, checkManifests } from '@shared/deps/check/check';
import type { CheckOptions } from '@shared/deps/check/options';
import type { ManifestReader } from '@shared/ports/manifest-reader';
import { checkOptions, loadDepsConfig } from './config';
import { discoverManifests } from './discover';

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

/** What `deps check` and the gates before install and start run: settings, discovery, then the check. */
export async function runDepsCheck(
  paths: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  flags: { python?: string; requirePins?: boolean; config?: string },
): Promise<CheckResult & { options: CheckOptions; configSources: readonly string[] }> {
  const { config, sources } = await loadDepsConfig(cwd, flags.config);
  const options = checkOptions(config, flags);
  const manifests = await discoverManifests(paths, cwd, config.exclude);
  const result = await checkManifests(manifests, cwdManifestReader(cwd), options, env);
  return { ...result, options, configSources: sources };
}
