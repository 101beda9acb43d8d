import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '@shared/deps/apply-edits';
import { brief, checkFiles } from './check-harness';

describe('deprecated-name', () => {
  it.each([
    ['sklearn', 'error', 'scikit-learn'],
    ['skimage==0.0', 'error', 'scikit-image'],
    ['PIL', 'error', 'Pillow'],
    ['Pil>=1.1', 'error', 'Pillow'],
    ['cv2', 'error', 'opencv-python'],
    ['jwt', 'error', 'PyJWT'],
    ['bs4', 'warning', 'beautifulsoup4'],
    ['fbprophet==0.7.1', 'warning', 'prophet'],
    ['PyPDF2', 'warning', 'pypdf'],
    ['ib_insync', 'warning', 'ib_async'],
    ['alpaca_trade_api', 'warning', 'alpaca-py'],
    ['tensorflow-gpu>=2.0', 'error', 'tensorflow'],
    ['tensorflow-gpu==2.4.0', 'warning', 'tensorflow'],
    ['slackclient', 'warning', 'slack_sdk'],
  ])('flags %s as %s and names %s', async (line, severity, replacement) => {
    const { findings } = await checkFiles({ 'requirements.txt': `${line}\n` });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'deprecated-name', severity, line: 1, column: 1 });
    expect(findings[0]!.message).toContain(`use ${replacement}`);
  });

  it('compares PEP 503-normalised names: pkg_resources, Pkg.Resources and pkg-resources are one entry', async () => {
    const { findings } = await checkFiles({
      'r.txt': 'pkg_resources==0.0.0\nPkg.Resources\npkg-resources\n',
    });
    expect(brief(findings).filter((f) => f.includes('deprecated-name'))).toEqual([
      'r.txt:1:1 deprecated-name error pkg-resources',
      'r.txt:2:1 deprecated-name error pkg-resources',
      'r.txt:3:1 deprecated-name error pkg-resources',
    ]);
  });

  it('points at the name, after -e or leading spaces', async () => {
    const { findings } = await checkFiles({ 'r.txt': '   yaml>=5\n' });
    expect(brief(findings)).toEqual(['r.txt:1:4 deprecated-name error yaml']);
  });

  it('judges a backport against the target Python: an error on 3.13, nothing behind a marker that excludes it', async () => {
    const files = { 'r.txt': 'enum34\ntyping ; python_version < "3.5"\nfutures\n' };
    const on313 = await checkFiles(files);
    const on27 = await checkFiles(files, undefined, { python: '2.7' });
    expect(brief(on313.findings)).toEqual([
      'r.txt:1:1 deprecated-name error enum34',
      'r.txt:3:1 deprecated-name error futures',
    ]);
    expect(brief(on27.findings)).toEqual([
      'r.txt:1:1 deprecated-name warning enum34',
      'r.txt:2:1 deprecated-name warning typing',
      'r.txt:3:1 deprecated-name warning futures',
    ]);
  });

  it('reports a squatter listed with its real package as a conflict, and fixes it by removing the squatter', async () => {
    const text = 'serial==0.0.97\nnumpy==2.1.0\npyserial==3.5\n';
    const { findings } = await checkFiles({ 'r.txt': text });
    expect(brief(findings)).toEqual([
      'r.txt:1:1 conflict error serial',
      'r.txt:1:1 deprecated-name error serial',
    ]);
    const deprecated = findings.find((f) => f.ruleId === 'deprecated-name')!;
    expect(deprecated.fix).toMatch(/remove this line: pyserial is already listed \(r\.txt:3\)/);
    expect(applyEdits(text, deprecated.edits!).text).toBe('numpy==2.1.0\npyserial==3.5\n');
  });

  it('renames keeping extras and marker, dropping the old project’s version', async () => {
    const text = 'sklearn[alldeps] >= 0.24 ; python_version >= "3.8"  # ML\n';
    const { findings } = await checkFiles({ 'r.txt': text });
    expect(applyEdits(text, findings[0]!.edits!).text).toBe(
      'scikit-learn[alldeps] ; python_version >= "3.8"  # ML\n',
    );
  });

  it('uses the user’s own deprecated names', async () => {
    const { findings } = await checkFiles({ 'r.txt': 'old_lib==1.0\n' }, undefined, {
      deprecated: [{ name: 'old-lib', category: 'RENAMED', replacement: 'new-lib', reason: 'we renamed it' }],
    });
    expect(findings[0]).toMatchObject({ ruleId: 'deprecated-name', severity: 'warning', package: 'old-lib' });
    expect(findings[0]!.message).toContain('we renamed it; use new-lib');
  });

  it('checks pyproject.toml dependencies and points inside the string', async () => {
    const text =
      '[project]\nname = "demo"\nrequires-python = ">=3.10"\ndependencies = [\n  "numpy>=2",\n  "sklearn",\n]\n';
    const { findings } = await checkFiles({ 'pyproject.toml': text });
    expect(brief(findings)).toEqual(['pyproject.toml:6:4 deprecated-name error sklearn']);
    expect(applyEdits(text, findings[0]!.edits!).text).toContain('  "scikit-learn",\n');
  });
});
