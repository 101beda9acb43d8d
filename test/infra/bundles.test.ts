import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { FUNCTIONS } from '../../events/topology';

const ROOT = join(__dirname, '../..');
const run = promisify(execFile);

/** `npx cdk synth` as a user runs it: offline, bundling each handler with the local esbuild. */
async function synthWithBundling(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'flywheel-cdk-out-'));
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--quiet', '--no-notices', '--output', out],
    {
      cwd: ROOT,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
      timeout: 180_000,
    },
  );
  return out;
}

/** Lambda's Node 22 runtime provides the AWS SDK v3, so bundles leave it external; mimic that and nothing more. */
function lambdaRuntimeModules(): string {
  const modules = join(mkdtempSync(join(tmpdir(), 'flywheel-lambda-runtime-')), 'node_modules');
  mkdirSync(modules);
  symlinkSync(join(ROOT, 'node_modules/@aws-sdk'), join(modules, '@aws-sdk'), 'dir');
  return modules;
}

/** A message only wink-eng-lite-web-model's model reader holds (its own spelling), so only a bundle with it has it. */
const WINK_MODEL_MARKER = 'Unsupproted browser or node.js version';

/** The function a bundle was built from, read from its source map. */
function handlerOf(bundle: string): string | undefined {
  const map = `${bundle}.map`;
  if (!existsSync(map)) return undefined;
  return /functions\/([a-z-]+)\/handler\.ts/.exec(readFileSync(map, 'utf8'))?.[1];
}

describe('npx cdk synth (with bundling)', () => {
  let out: string;
  let bundles: string[];

  beforeAll(async () => {
    out = await synthWithBundling();
    bundles = readdirSync(out)
      .filter((name) => name.startsWith('asset.') && existsSync(join(out, name, 'index.js')))
      .map((name) => join(out, name, 'index.js'))
      .filter((file) => readFileSync(file, 'utf8').includes('flywheel'));
  }, 180_000);

  it('bundles one handler per topology function', () => {
    expect(bundles).toHaveLength(Object.keys(FUNCTIONS).length);
  });

  it('gives bundles that load in Node and export a handler', async () => {
    const runtimeModules = lambdaRuntimeModules();
    for (const bundle of bundles) {
      const { stdout } = await run(
        process.execPath,
        ['-e', `process.stdout.write(typeof require(${JSON.stringify(bundle)}).handler)`],
        {
          env: {
            ...process.env,
            NODE_PATH: runtimeModules,
            AWS_REGION: 'us-east-1',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
        },
      );
      expect([bundle, stdout]).toEqual([bundle, 'function']);
    }
  });

  it('keeps the sample market data out of every bundle', () => {
    const goog = readFileSync(join(ROOT, 'data/ohlcv/GOOG.csv'), 'utf8').split('\n')[5]!;
    for (const bundle of bundles) {
      expect(readFileSync(bundle, 'utf8')).not.toContain(goog);
      // content-generate carries wink-nlp's English model (about 3 MB of JSON) for the offline generator;
      // market-ingest carries ccxt, whose entry point loads every exchange (about 7 MB minified).
      // ccxt is most of market-ingest's and trade-executor's (the live broker) bundles.
      const limits: Record<string, number> = {
        'content-generate': 6_000_000,
        'market-ingest': 8_000_000,
        'trade-executor': 8_000_000,
      };
      const limit = limits[handlerOf(bundle) ?? ''] ?? 2_000_000;
      expect([handlerOf(bundle), statSync(bundle).size < limit]).toEqual([handlerOf(bundle), true]);
    }
  });

  it('keeps the language model and the generators out of every bundle but content-generate', () => {
    for (const bundle of bundles.filter((file) => handlerOf(file) !== 'content-generate')) {
      expect([handlerOf(bundle), readFileSync(bundle, 'utf8').includes(WINK_MODEL_MARKER)]).toEqual([
        handlerOf(bundle),
        false,
      ]);
    }
  });
});
