import { describe, expect, it } from '@jest/globals';
import { createHttpAdvisor } from '@shared/adapters/online/http-advisor';
import { checkNodeProject } from '@shared/deps/npm';
import { checkOnline, mergeOnlineFindings } from '@shared/deps/online';
import { startRegistries, WORLD } from './fixtures';

const UUID_DEPRECATION =
  'Please upgrade  to version 7 or higher.  Older versions may use Math.random() in certain circumstances, which is known to be problematic.  See https://v8.dev/blog/math-random for details.';

const tarball = (name: string, version: string) =>
  `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`;

/** A project whose lock records request's and uuid's deprecation, but not left-pad's (deprecated after install). */
const PROJECT: Record<string, string> = {
  'web/package.json': JSON.stringify(
    { name: 'web', version: '1.0.0', dependencies: { request: '^2.88.2', 'left-pad': '^1.3.0' } },
    null,
    2,
  ),
  'web/package-lock.json': JSON.stringify(
    {
      name: 'web',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'web', version: '1.0.0', dependencies: { request: '^2.88.2', 'left-pad': '^1.3.0' } },
        'node_modules/left-pad': {
          version: '1.3.0',
          resolved: tarball('left-pad', '1.3.0'),
          integrity: 'sha512-a',
        },
        'node_modules/request': {
          version: '2.88.2',
          resolved: tarball('request', '2.88.2'),
          integrity: 'sha512-b',
          deprecated: 'request has been deprecated, see https://github.com/request/request/issues/3142',
          dependencies: { uuid: '^3.3.2' },
        },
        'node_modules/uuid': {
          version: '3.4.0',
          resolved: tarball('uuid', '3.4.0'),
          integrity: 'sha512-c',
          deprecated: UUID_DEPRECATION,
        },
      },
    },
    null,
    2,
  ),
};

describe('npm deprecations from the registry, beside the lock rule', () => {
  it('words a direct dependency as the lock rule does, and adds only what the lock did not record', async () => {
    const world = await startRegistries({
      ...WORLD,
      npm: {
        ...WORLD.npm,
        'left-pad': { '1.3.0': 'use String.prototype.padStart()' },
        uuid: { '3.4.0': UUID_DEPRECATION },
      },
    });
    try {
      const local = await checkNodeProject('web/package.json', { read: async (path) => PROJECT[path] });
      const online = await checkOnline(local.packages, createHttpAdvisor({ ...urls(world) }), {
        python: '3.13',
      });
      const byPackage = (name: string, findings = online.findings) =>
        findings.find((f) => f.package === name);
      // The same finding from both sides: the lead's dedupe of identical findings merges them.
      expect(byPackage('request')).toEqual(byPackage('request', local.findings));
      expect(mergeOnlineFindings(local.findings, online.findings)).toEqual([
        {
          ruleId: 'deprecated-name',
          severity: 'warning',
          file: 'web/package.json',
          line: 6,
          column: 5,
          package: 'left-pad',
          message: 'npm marks left-pad@1.3.0 deprecated: "use String.prototype.padStart()"',
          fix: 'move left-pad to a version that is not deprecated, or to the replacement the message names, then run `npm install`',
        },
      ]);
    } finally {
      await world.close();
    }
  });
});

function urls(world: Awaited<ReturnType<typeof startRegistries>>) {
  return { pypiUrl: world.pypi.url, npmRegistryUrl: world.npm.url, osvUrl: world.osv.url };
}
