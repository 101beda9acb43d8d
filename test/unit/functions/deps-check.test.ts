import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { apiGatewayEvent, lambdaContext } from '../../support/lambda-context';
import { runFlywheel } from '../../support/run-cli';

const ROOT = join(__dirname, '../../..');
type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const post = (body: unknown) =>
  apiGatewayEvent({
    method: 'POST',
    path: '/deps/check',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const json = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(response.body ?? 'null');

describe('deps-check (the Lambda handler)', () => {
  let handler: Handler;
  let logged: string[];
  const emf = () =>
    logged
      .map(
        (line) => JSON.parse(line) as Record<string, unknown> & { _aws?: { CloudWatchMetrics: unknown[] } },
      )
      .filter((record) => record._aws);

  beforeAll(() => {
    // Powertools in dev mode writes EMF with console.log; metrics stay on so the test can read them.
    Object.assign(process.env, {
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_METRICS_DISABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_NAMESPACE: 'Flywheel',
    });
    handler = (require(join(ROOT, 'functions/deps-check/handler.ts')) as { handler: Handler }).handler;
  });

  beforeEach(() => {
    logged = [];
    jest.spyOn(console, 'log').mockImplementation((line: unknown) => {
      logged.push(String(line));
    });
  });

  afterAll(() => {
    jest.restoreAllMocks();
  });

  it('answers 200 with exactly the JSON report `flywheel deps check --json` prints for the same files', async () => {
    const paths = [
      'examples/deps/requirements-ml.txt',
      'examples/deps/requirements.txt',
      'examples/deps/pyproject.toml',
    ];
    const files = paths.map((path) => ({ path, content: readFileSync(join(ROOT, path), 'utf8') }));
    const cli = await runFlywheel(['deps', 'check', 'examples/deps', '--json'], { cwd: ROOT });

    const response = await handler(post({ files }), lambdaContext('deps-check'));

    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
    expect(json(response)).toEqual(JSON.parse(cli.stdout));
    expect(json(response).findings.length).toBeGreaterThan(5);
    for (const finding of json(response).findings)
      expect(Object.keys(finding)).toEqual([
        'ruleId',
        'severity',
        'file',
        'line',
        'column',
        'package',
        'message',
        'fix',
      ]);
  });

  it('resolves -r among the files sent, checks only the given roots, and honours python and requirePins', async () => {
    const response = await handler(
      post({
        files: [
          { path: 'requirements/prod.txt', content: '-r base.txt\nnumpy<1.26\nenum34==1.1.10\n' },
          { path: 'requirements/base.txt', content: 'numpy>=2.0\nrequests\n' },
          { path: 'requirements/unused.txt', content: 'sklearn==0.0\n' },
        ],
        paths: ['requirements/prod.txt'],
        python: '3.12',
        requirePins: true,
      }),
      lambdaContext('deps-check'),
    );

    const report = json(response);
    expect(response.statusCode).toBe(200);
    expect(report.files).toEqual(['requirements/prod.txt', 'requirements/base.txt']);
    expect(
      report.findings.map((finding: { ruleId: string; file: string; line: number; package: string }) => [
        finding.ruleId,
        finding.file,
        finding.line,
        finding.package,
      ]),
    ).toEqual([
      ['conflict', 'requirements/base.txt', 1, 'numpy'],
      ['unpinned', 'requirements/base.txt', 1, 'numpy'],
      ['unpinned', 'requirements/base.txt', 2, 'requests'],
      ['unpinned', 'requirements/prod.txt', 2, 'numpy'],
      ['deprecated-name', 'requirements/prod.txt', 3, 'enum34'],
    ]);
  });

  it('reports an include that is not among the files sent as an include-error, not a failure', async () => {
    const response = await handler(
      post({ files: [{ path: 'requirements.txt', content: '-r missing.txt\npandas==2.2.2\n' }] }),
      lambdaContext('deps-check'),
    );

    expect(response.statusCode).toBe(200);
    expect(json(response).findings).toEqual([
      expect.objectContaining({
        ruleId: 'include-error',
        file: 'requirements.txt',
        line: 1,
        message: '-r includes missing.txt, which does not exist',
      }),
    ]);
  });

  it('emits one Findings count per rule, each with its rule dimension, and ManifestsChecked', async () => {
    await handler(
      post({
        files: [
          { path: 'requirements.txt', content: 'sklearn==0.0\nbs4\nnumpy<1.26\nnumpy>=2.0\npandas=2.2.2\n' },
        ],
      }),
      lambdaContext('deps-check'),
    );

    const findings = emf().filter((record) => 'Findings' in record);
    expect(findings.map((record) => [record.rule, record.Findings])).toEqual([
      ['conflict', 1],
      ['deprecated-name', 2],
      ['parse-error', 1],
    ]);
    for (const record of findings) {
      expect(record._aws!.CloudWatchMetrics).toEqual([
        {
          Namespace: 'Flywheel',
          Dimensions: [['service', 'rule']],
          Metrics: [{ Name: 'Findings', Unit: 'Count' }],
        },
      ]);
      expect(record.service).toBe('flywheel');
    }
    expect(
      emf()
        .filter((record) => 'ManifestsChecked' in record)
        .map((record) => record.ManifestsChecked),
    ).toEqual([1]);
  });

  it.each([
    ['invalid JSON', '{"files": [', /^the request body is not valid JSON: /],
    ['no body', undefined, /^the request body must be JSON: \{ "files"/],
    [
      'a file without content, a bad Python and an unknown field',
      { files: [{ path: 'requirements.txt' }], python: '3', requirePin: true },
      /^request body is invalid:\n {2}- files\.0\.content: .*\n {2}- python: expected X\.Y, e\.g\. "3\.12"\n {2}- \(top level\): Unrecognized key: "requirePin"$/,
    ],
    ['no files', { files: [] }, /files: send at least one manifest/],
    [
      'a path outside the repository',
      { files: [{ path: '../secrets.txt', content: '' }] },
      /files\.0\.path: must be relative and stay inside the repository/,
    ],
    [
      'the same file twice',
      {
        files: [
          { path: 'requirements.txt', content: 'a' },
          { path: './requirements.txt', content: 'b' },
        ],
      },
      /^files\.1\.path: \.\/requirements\.txt is given twice$/,
    ],
    [
      'a root that is not among the files',
      { files: [{ path: 'requirements.txt', content: 'numpy==2.1.2\n' }], paths: ['requirements-dev.txt'] },
      /^paths\.0: requirements-dev\.txt is not among the files sent; add it to files, or leave paths out/,
    ],
  ])('answers 400 with the reason for %s', async (_case, body, reason) => {
    const event = body === undefined ? apiGatewayEvent({ method: 'POST', path: '/deps/check' }) : post(body);

    const response = await handler(event, lambdaContext('deps-check'));

    expect(response.statusCode).toBe(400);
    expect(json(response).error).toMatch(reason);
    expect(emf().filter((record) => 'Findings' in record)).toEqual([]);
    expect(emf().map((record) => record.DepsChecks)).toEqual([1]);
  });
});
