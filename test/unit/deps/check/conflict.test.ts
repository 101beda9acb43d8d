import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '@shared/deps/apply-edits';
import { brief, checkFiles } from './check-harness';

describe('conflict and duplicate', () => {
  it('reports specifiers no version satisfies, at the later entry’s specifier, naming the earlier one', async () => {
    const { findings } = await checkFiles({ 'r.txt': 'numpy>=2.0\nrequests\nnumpy <1.26\n' });
    expect(brief(findings)).toEqual(['r.txt:3:7 conflict error numpy']);
    expect(findings[0]!.message).toBe('`numpy <1.26` and `numpy>=2.0` (r.txt:1) admit no common version');
  });

  it.each([
    ['compatible ranges', 'pandas>=2.0\npandas<3\n'],
    ['a pin inside a range', 'pandas>=2.0,<3\npandas==2.2.3\n'],
    [
      'exclusive python markers',
      'numpy==1.24.4; python_version < "3.9"\nnumpy==2.1.0; python_version >= "3.9"\n',
    ],
    [
      'exclusive platforms',
      'uvloop==0.19.0; sys_platform != "win32"\nuvloop==0.17.0; sys_platform == "win32"\n',
    ],
    ['a pre-release both admit', 'torch>=2.5.0rc1\ntorch<2.6\n'],
    ['a local version', 'torch==2.1.0+cu118\ntorch>=2.1\n'],
  ])('finds no conflict for %s', async (_case, text) => {
    const { findings } = await checkFiles({ 'r.txt': text });
    expect(findings.filter((f) => f.ruleId === 'conflict')).toEqual([]);
  });

  it('finds conflicts across the include graph, and a constraint that contradicts a requirement', async () => {
    const files = {
      'requirements.txt': '-r base.txt\n-c constraints.txt\ndjango>=5.0\n',
      'base.txt': 'celery==5.3.6\n',
      'constraints.txt': 'celery<5\ndjango==4.2.11\n',
    };
    const { findings } = await checkFiles(files, ['requirements.txt']);
    expect(brief(findings)).toEqual([
      'constraints.txt:1:7 conflict error celery',
      'constraints.txt:2:7 conflict error django',
    ]);
  });

  it('reports a group whose pairs agree but whose whole set does not', async () => {
    const { findings } = await checkFiles({ 'r.txt': 'attrs>=23.1\nattrs<=23.1\nattrs!=23.1\n' });
    expect(brief(findings)).toEqual(['r.txt:3:6 conflict error attrs']);
    expect(findings[0]!.message).toMatch(/no version of attrs satisfies them all/);
  });

  it('reports two different direct references to one package', async () => {
    const { findings } = await checkFiles({
      'r.txt': 'mylib @ https://example.com/mylib-1.0.tar.gz\nmylib @ https://example.com/mylib-2.0.tar.gz\n',
    });
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/point at different URLs/)]);
  });

  it('warns about an exact duplicate (not a conflict) and removes it, with its # via lines', async () => {
    const text = 'idna==3.7\n    # via requests\nrequests==2.32.3\nidna==3.7\n    # via\n    #   httpx\n';
    const { findings } = await checkFiles({ 'r.txt': text });
    expect(brief(findings)).toEqual(['r.txt:4:1 duplicate warning idna']);
    expect(applyEdits(text, findings[0]!.edits!).text).toBe(
      'idna==3.7\n    # via requests\nrequests==2.32.3\n',
    );
  });

  it('does not call a constraint that repeats a requirement a duplicate', async () => {
    const { findings } = await checkFiles(
      { 'r.txt': '-c c.txt\nrich==13.7.1\n', 'c.txt': 'rich==13.7.1\n' },
      ['r.txt'],
    );
    expect(findings).toEqual([]);
  });

  it('reports a diamond include’s shared file once', async () => {
    const files = {
      'a.txt': '-r b.txt\n-r c.txt\n',
      'b.txt': '-r common.txt\n',
      'c.txt': '-r common.txt\n',
      'common.txt': 'six>=2\nsix<1\n',
    };
    const { findings, files: read } = await checkFiles(files, ['a.txt', 'b.txt']);
    expect(brief(findings)).toEqual(['common.txt:2:4 conflict error six']);
    expect([...read].sort()).toEqual(['a.txt', 'b.txt', 'c.txt', 'common.txt']);
  });

  it('judges a pyproject’s groups together, but not a self-reference', async () => {
    const text = [
      '[project]',
      'name = "tradebot"',
      'dependencies = ["numpy>=2"]',
      '[project.optional-dependencies]',
      'legacy = ["numpy<1.26"]',
      'all = ["tradebot[legacy]"]',
      '',
    ].join('\n');
    const { findings } = await checkFiles({ 'pyproject.toml': text });
    expect(brief(findings)).toEqual(['pyproject.toml:5:17 conflict error numpy']);
  });
});

describe('exclusive ordered comparisons, as PEP 440 defines them', () => {
  it('knows `<2.5` admits no pre-release of 2.5, so `>=2.5.0rc1` and `<2.5` conflict', async () => {
    const { findings } = await checkFiles({ 'r.txt': 'torch>=2.5.0rc1\ntorch<2.5\n' });
    expect(brief(findings)).toEqual(['r.txt:2:6 conflict error torch']);
  });
});
