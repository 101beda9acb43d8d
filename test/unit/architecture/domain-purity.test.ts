import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(__dirname, '../../..');
const SHARED = join(ROOT, 'shared');

/** Packages that reach the outside world; domain folders must get at them through a port. */
const FORBIDDEN = [
  /^@aws-sdk\//,
  /^aws-cdk-lib(\/|$)/,
  /^constructs$/,
  /^ccxt$/,
  /^openai(\/|$)/,
  /^better-sqlite3$/,
  /^@aws-lambda-powertools\//,
  /^@middy\//,
  /^(node:)?(fs|fs\/promises|child_process|worker_threads|http|https|net|dgram)$/,
];

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return typeScriptFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function importedModules(source: string): string[] {
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
  ];
  return patterns.flatMap((pattern) => Array.from(source.matchAll(pattern), (match) => match[1]!));
}

const domainFolders = readdirSync(SHARED).filter(
  (name) => statSync(join(SHARED, name)).isDirectory() && name !== 'adapters' && name !== 'ports',
);

describe('domain folders (shared/<capability>/) import no SDK', () => {
  it('has domain folders to check', () => {
    expect(domainFolders).toEqual(expect.arrayContaining(['backtest', 'strategies', 'market-data']));
  });

  it.each(domainFolders)('shared/%s imports no SDK or I/O module', (folder) => {
    const offences = typeScriptFiles(join(SHARED, folder)).flatMap((file) =>
      importedModules(readFileSync(file, 'utf8'))
        .filter((module) => FORBIDDEN.some((pattern) => pattern.test(module)))
        .map((module) => `${relative(ROOT, file)} imports ${module}`),
    );
    expect(offences).toEqual([]);
  });

  it('catches an offending import (the check itself works)', () => {
    const offending = importedModules(
      "import { S3Client } from '@aws-sdk/client-s3';\nconst fs = require('node:fs');",
    );
    expect(offending.filter((module) => FORBIDDEN.some((pattern) => pattern.test(module)))).toEqual([
      '@aws-sdk/client-s3',
      'node:fs',
    ]);
  });
});
