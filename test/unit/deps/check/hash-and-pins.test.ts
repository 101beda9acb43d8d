import { describe, expect, it } from '@jest/globals';
import { brief, checkFiles } from './check-harness';

const HASH = `--hash=sha256:${'a'.repeat(64)}`;

describe('hash-mode', () => {
  it('reports requirements without --hash once another has one, across includes', async () => {
    const files = {
      'requirements.txt': `certifi==2024.8.30 \\\n    ${HASH}\n-r extra.txt\nidna==3.7\n`,
      'extra.txt': 'urllib3==2.2.3\n',
    };
    const { findings } = await checkFiles(files, ['requirements.txt']);
    expect(brief(findings)).toEqual([
      'extra.txt:1:1 hash-mode error urllib3',
      'requirements.txt:4:1 hash-mode error idna',
    ]);
    expect(findings[1]!.message).toMatch(
      /requirements\.txt:1 has --hash, which turns on pip's hash-checking mode/,
    );
  });

  it('reports unpinned and editable requirements under --require-hashes', async () => {
    const { findings } = await checkFiles({
      'r.txt': `--require-hashes\nflask>=3 ${HASH}\n-e ./local-lib\nclick==8.1.7 ${HASH}\n`,
    });
    expect(brief(findings)).toEqual(['r.txt:2:6 hash-mode error flask', 'r.txt:3:4 hash-mode error -']);
    expect(findings[1]!.message).toMatch(/editable/);
  });

  it('stays quiet when every requirement is hashed, or none is', async () => {
    const hashed = await checkFiles({ 'r.txt': `a==1.0 ${HASH}\nb==2.0 ${HASH}\n` });
    const plain = await checkFiles({ 'r.txt': 'a==1.0\nb>=2\n' });
    expect([...hashed.findings, ...plain.findings]).toEqual([]);
  });
});

describe('unpinned (--require-pins)', () => {
  const files = {
    'requirements.txt': [
      '-c constraints.txt',
      'requests==2.32.3',
      'flask>=3.0',
      'rich',
      'boto3',
      'git+https://github.com/org/tool.git#egg=tool',
      'lib @ git+https://github.com/org/lib.git@v1.2.0',
      'plot==3.*',
      '',
    ].join('\n'),
    'constraints.txt': 'boto3==1.35.0\n',
  };

  it('is off by default', async () => {
    expect((await checkFiles(files, ['requirements.txt'])).findings).toEqual([]);
  });

  it('reports what is not pinned with ==, unless a constraint pins it or a URL fixes a revision', async () => {
    const { findings } = await checkFiles(files, ['requirements.txt'], { requirePins: true });
    expect(brief(findings)).toEqual([
      'requirements.txt:3:6 unpinned error flask',
      'requirements.txt:4:1 unpinned error rich',
      'requirements.txt:6:1 unpinned error tool',
      'requirements.txt:8:5 unpinned error plot',
    ]);
  });

  it('leaves pyproject.toml ranges alone: their pins live in a lock file', async () => {
    const pyproject = '[project]\nname = "x"\ndependencies = ["numpy>=2"]\n';
    expect(
      (await checkFiles({ 'pyproject.toml': pyproject }, undefined, { requirePins: true })).findings,
    ).toEqual([]);
  });
});

describe('roots and roles when a folder is checked', () => {
  it('checks a constraints file found beside its includer as a constraint, not as its own install', async () => {
    const files = {
      'requirements.txt': `-c constraints.txt\nrequests==2.32.3 ${HASH}\n`,
      'constraints.txt': 'urllib3==2.2.3\n',
    };
    const { findings } = await checkFiles(files, ['constraints.txt', 'requirements.txt']);
    expect(findings).toEqual([]);
  });

  it('still checks files that include each other in a cycle', async () => {
    const { findings } = await checkFiles({ 'a.txt': '-r b.txt\nsix>=2\n', 'b.txt': '-r a.txt\nsix<1\n' });
    expect(brief(findings)).toEqual(['b.txt:1:1 include-error error -', 'b.txt:2:4 conflict error six']);
  });
});
