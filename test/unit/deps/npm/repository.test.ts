import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { checkNodeProject } from '@shared/deps/npm';

const ROOT = join(__dirname, '../../../..');

/** Reads the repository's own files, as the CLI would from its root. */
const repository = {
  async read(path: string) {
    try {
      return readFileSync(join(ROOT, path), 'utf8');
    } catch {
      return undefined;
    }
  },
};

describe("the repository's own package.json and package-lock.json", () => {
  it('are in sync and free of conflicts (npm ci enforces it); the only findings are the deprecations the table knows', async () => {
    const result = await checkNodeProject('package.json', repository);
    expect(result.files).toEqual(['package.json', 'package-lock.json']);
    expect(result.findings.filter((f) => f.ruleId !== 'deprecated-name')).toEqual([]);
    // The registry mirror these machines use records no deprecation: these come from the built-in table.
    expect(result.findings.map((f) => `${f.file} ${f.ruleId} ${f.severity} ${f.package}`)).toEqual([
      'package-lock.json deprecated-name warning core-js',
      'package-lock.json deprecated-name warning prebuild-install',
    ]);
    // twitter-text (the official X counter) still needs core-js 2; no release of it drops that.
    expect(result.findings[0]!.message).toMatch(
      /^npm marks core-js@2\.6\.12 deprecated: .*; pulled in by twitter-text$/,
    );
    expect(result.findings[1]!.message).toMatch(
      /^npm marks prebuild-install@7\.1\.3 deprecated: .*; pulled in by better-sqlite3$/,
    );
  });

  it('gives one package ref per locked registry package, direct dependencies at their package.json key', async () => {
    const { packages } = await checkNodeProject('package.json', repository);
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; name?: string; link?: boolean }>;
    };
    const locked = new Set(
      Object.entries(lock.packages)
        .filter(([path, entry]) => path.includes('node_modules/') && !entry.link)
        .map(
          ([path, entry]) =>
            `${entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 13)}@${entry.version}`,
        ),
    );
    expect(new Set(packages.map((ref) => `${ref.name}@${ref.version}`))).toEqual(locked);
    const direct = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(direct.dependencies)) {
      const ref = packages.find((p) => p.name === name);
      expect([name, ref?.file]).toEqual([name, 'package.json']);
    }
  });

  it('is checked in well under 100 ms', async () => {
    await checkNodeProject('package.json', repository);
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      await checkNodeProject('package.json', repository);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(100);
  });
});
