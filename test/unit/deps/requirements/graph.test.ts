// biome-ignore-all lint/suspicious/noTemplateCurlyInString: requirements files write ${VAR} literally, and these tests do too.
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { FileManifestReader } from '@shared/adapters/local/file-manifest-reader';
import { loadRequirementsGraph, resolveInclude } from '@shared/deps/requirements';
import type { ManifestReader } from '@shared/ports/manifest-reader';
import { FIXTURES } from './fixtures';

/** An in-memory ManifestReader that counts how often each path is read. */
class MemoryReader implements ManifestReader {
  readonly reads = new Map<string, number>();

  constructor(private readonly files: Record<string, string>) {}

  async read(path: string): Promise<string | undefined> {
    this.reads.set(path, (this.reads.get(path) ?? 0) + 1);
    return this.files[path];
  }
}

describe('resolveInclude', () => {
  it.each([
    ['reqs/a.txt', 'b.txt', 'reqs/b.txt'],
    ['reqs/a.txt', './b.txt', 'reqs/b.txt'],
    ['reqs/sub/a.txt', '../common.txt', 'reqs/common.txt'],
    ['a.txt', 'sub/b.txt', 'sub/b.txt'],
    ['reqs/a.txt', '/etc/pip/base.txt', '/etc/pip/base.txt'],
    ['reqs/a.txt', 'https://example.com/base.txt', 'https://example.com/base.txt'],
  ])('resolves %s → %s as %s', (from, target, expected) => {
    expect(resolveInclude(from, target)).toBe(expected);
  });
});

describe('loadRequirementsGraph on an in-memory tree', () => {
  it('reads and parses each file of a diamond once', async () => {
    // Prepare
    const reader = new MemoryReader({
      'a.txt': '-r b.txt\n-r c.txt\nflask==3.0.0\n',
      'b.txt': '-r common.txt\n',
      'c.txt': '-r ./common.txt\n',
      'common.txt': 'numpy==1.26.2\n',
    });

    // Act
    const graph = await loadRequirementsGraph(['a.txt'], reader);

    // Assess
    expect([...graph.files.keys()]).toEqual(['a.txt', 'b.txt', 'c.txt', 'common.txt']);
    expect([...reader.reads.values()]).toEqual([1, 1, 1, 1]);
    expect(graph.edges.map((edge) => `${edge.from} -${edge.kind}-> ${edge.to}`)).toEqual([
      'a.txt -requirement-> b.txt',
      'a.txt -requirement-> c.txt',
      'b.txt -requirement-> common.txt',
      'c.txt -requirement-> common.txt',
    ]);
    expect(graph.problems).toEqual([]);
  });

  it('reports a cycle once, at the include that closes it', async () => {
    // Prepare
    const reader = new MemoryReader({
      'one.txt': 'requests\n-r two.txt\n',
      'two.txt': '-r three.txt\n',
      'three.txt': 'idna\n  -r one.txt\n',
    });

    // Act
    const graph = await loadRequirementsGraph(['one.txt', 'two.txt'], reader);

    // Assess
    expect(graph.problems).toEqual([
      {
        file: 'three.txt',
        kind: 'cycle',
        problem: {
          message: '-r one.txt closes an include cycle: one.txt → two.txt → three.txt → one.txt',
          hint: 'remove this include: the file is already part of the chain that includes this one',
          position: { line: 2, column: 3 },
        },
      },
    ]);
    expect(graph.files.size).toBe(3);
  });

  it('reports a file that includes itself', async () => {
    // Act
    const graph = await loadRequirementsGraph(
      ['self.txt'],
      new MemoryReader({ 'self.txt': '-c self.txt\n' }),
    );

    // Assess
    expect(graph.problems.map((problem) => [problem.kind, problem.file, problem.problem.position])).toEqual([
      ['cycle', 'self.txt', { line: 1, column: 1 }],
    ]);
  });

  it('reports a missing include at the include, and a missing root at its start', async () => {
    // Prepare
    const reader = new MemoryReader({ 'reqs/a.txt': 'flask\n-r ../common/gone.txt\n' });

    // Act
    const graph = await loadRequirementsGraph(['reqs/a.txt', 'nope.txt'], reader);

    // Assess
    expect(graph.problems).toEqual([
      {
        file: 'nope.txt',
        kind: 'missing',
        problem: { message: 'requirements file nope.txt not found', position: { line: 1, column: 1 } },
      },
      {
        file: 'reqs/a.txt',
        kind: 'missing',
        problem: {
          message: '-r includes common/gone.txt, which does not exist',
          hint: 'fix the path: it is resolved relative to the folder of reqs/a.txt',
          position: { line: 2, column: 1 },
        },
      },
    ]);
    expect([...graph.files.keys()]).toEqual(['reqs/a.txt']);
  });

  it('resolves includes relative to the including file, through folders', async () => {
    // Prepare
    const reader = new MemoryReader({
      'requirements/dev.txt': '-r base/prod.txt\n',
      'requirements/base/prod.txt': '-r ../../common/shared.txt\n',
      'common/shared.txt': 'attrs\n',
    });

    // Act
    const graph = await loadRequirementsGraph(['requirements/./dev.txt'], reader);

    // Assess
    expect([...graph.files.keys()]).toEqual([
      'requirements/dev.txt',
      'requirements/base/prod.txt',
      'common/shared.txt',
    ]);
    expect(graph.problems).toEqual([]);
  });

  it('gives the constraint role to entries of files that only -c reaches', async () => {
    // Prepare
    const reader = new MemoryReader({
      'req.txt': '-c pins.txt\n-c both.txt\n-r both.txt\nrequests\n',
      'pins.txt': 'requests==2.31.0\n-r nested.txt\n-c deeper.txt\n',
      'both.txt': 'idna==3.6\n',
      'nested.txt': 'six==1.16.0\n',
      'deeper.txt': 'certifi==2023.11.17\n',
    });

    // Act
    const graph = await loadRequirementsGraph(['req.txt'], reader);

    // Assess: pip reads a -r inside a constraints file as requirements.
    const roles = [...graph.files.values()].flatMap((file) =>
      file.entries.map((entry) => [
        entry.requirement?.normalizedName,
        entry.source.kind === 'requirements' ? entry.source.role : null,
      ]),
    );
    expect(roles).toEqual([
      ['requests', 'requirement'],
      ['requests', 'constraint'],
      ['idna', 'requirement'],
      ['six', 'requirement'],
      ['certifi', 'constraint'],
    ]);
  });

  it('reports an include the reader fails on (a folder) at the include, instead of throwing', async () => {
    // Prepare
    const reader: ManifestReader = {
      read: async (path) => {
        if (path === 'a.txt') return '-r sub\n';
        throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
      },
    };

    // Act
    const graph = await loadRequirementsGraph(['a.txt'], reader);

    // Assess
    expect(graph.problems).toEqual([
      {
        file: 'a.txt',
        kind: 'missing',
        problem: {
          message: '-r includes sub, which cannot be read: EISDIR: illegal operation on a directory, read',
          hint: 'fix the path: it is resolved relative to the folder of a.txt',
          position: { line: 1, column: 1 },
        },
      },
    ]);
  });

  it('notes a remote include as an edge without reading it', async () => {
    // Prepare
    const reader = new MemoryReader({ 'a.txt': '-r https://example.com/base.txt\n' });

    // Act
    const graph = await loadRequirementsGraph(['a.txt'], reader);

    // Assess
    expect(graph.edges.map((edge) => edge.to)).toEqual(['https://example.com/base.txt']);
    expect([...reader.reads.keys()]).toEqual(['a.txt']);
    expect(graph.problems).toEqual([]);
  });

  it('follows a chain of thousands of includes without recursion', async () => {
    // Prepare
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`f${i}.txt`] = `pkg-${i}\n-r f${i + 1}.txt\n`;
    files['f3000.txt'] = '-r f0.txt\n';

    // Act
    const graph = await loadRequirementsGraph(['f0.txt'], new MemoryReader(files));

    // Assess
    expect(graph.files.size).toBe(3001);
    expect(graph.problems.map((problem) => [problem.kind, problem.file])).toEqual([['cycle', 'f3000.txt']]);
  });

  it('passes env to every file', async () => {
    // Act
    const graph = await loadRequirementsGraph(
      ['a.txt'],
      new MemoryReader({ 'a.txt': '-r ${PROFILE}.txt\n', 'prod.txt': 'gunicorn==${GUNICORN}\n' }),
      { PROFILE: 'prod', GUNICORN: '21.2.0' },
    );

    // Assess
    expect(graph.files.get('prod.txt')?.entries[0]?.requirement?.specifier).toBe('==21.2.0');
  });
});

describe('loadRequirementsGraph on the fixture folders, through FileManifestReader', () => {
  const reader = new FileManifestReader();
  const relativeKeys = (files: ReadonlyMap<string, unknown>) =>
    [...files.keys()].map((path) => relative(FIXTURES, path));

  it('walks the include diamond, a constraints file and a missing include', async () => {
    // Act
    const graph = await loadRequirementsGraph([join(FIXTURES, 'include/sub/dev.txt')], reader);

    // Assess
    expect(relativeKeys(graph.files)).toEqual([
      'include/sub/dev.txt',
      'include/a.txt',
      'constraints/constraints.txt',
      'include/b.txt',
      'include/c.txt',
      'constraints/more-constraints.txt',
      'include/common.txt',
    ]);
    expect(
      graph.problems.map((problem) => [
        problem.kind,
        relative(FIXTURES, problem.file),
        problem.problem.position,
      ]),
    ).toEqual([['missing', 'include/sub/dev.txt', { line: 4, column: 1 }]]);
    const role = (file: string) =>
      graph.files
        .get(join(FIXTURES, file))
        ?.entries.map((entry) => (entry.source.kind === 'requirements' ? entry.source.role : null));
    expect(role('constraints/constraints.txt')).toEqual(Array(8).fill('constraint'));
    expect(role('constraints/more-constraints.txt')).toEqual(['requirement']);
    expect(role('include/common.txt')).toEqual(['requirement', 'requirement']);
  });

  it('reports the fixture cycle once', async () => {
    // Act
    const graph = await loadRequirementsGraph([join(FIXTURES, 'cycle/one.txt')], reader);

    // Assess
    expect(relativeKeys(graph.files)).toEqual(['cycle/one.txt', 'cycle/two.txt', 'cycle/three.txt']);
    expect(
      graph.problems.map((problem) => [
        problem.kind,
        relative(FIXTURES, problem.file),
        problem.problem.position,
      ]),
    ).toEqual([['cycle', 'cycle/three.txt', { line: 1, column: 1 }]]);
  });
});
