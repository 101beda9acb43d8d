import { describe, expect, it } from '@jest/globals';
import { parseSource, SourceParseError } from '@shared/content/source';

function markdown(text: string, fileName = 'post.md') {
  return parseSource(text, 'markdown', { fileName });
}

function errorOf(action: () => unknown): SourceParseError {
  try {
    action();
  } catch (error) {
    if (error instanceof SourceParseError) return error;
    throw error;
  }
  throw new Error('expected a SourceParseError');
}

describe('Markdown front matter', () => {
  it('reads title, canonical URL, tags (list or comma string) and tone', () => {
    // Act
    const source = markdown(
      '---\ntitle: "Edge: measured"\ncanonical_url: https://blog.example.com/edge\ntags: algotrading, backtests\ntone: Bold\n---\nBody text.\n',
    );

    // Assess
    expect(source).toMatchObject({
      kind: 'markdown',
      title: 'Edge: measured',
      canonicalUrl: 'https://blog.example.com/edge',
      tags: ['algotrading', 'backtests'],
      tone: 'bold',
    });
  });

  it.each([
    ['canonicalUrl', 'https://a.example.com/x'],
    ['canonical', 'https://a.example.com/x'],
    ['url', 'https://a.example.com/x'],
  ])('accepts %s as the canonical URL', (key, value) => {
    expect(markdown(`---\n${key}: ${value}\n---\nBody.`).canonicalUrl).toBe(value);
  });

  it('ignores a relative url or permalink as canonical', () => {
    expect(markdown('---\nurl: /en/2016/post/\npermalink: /x/\n---\nBody.').canonicalUrl).toBeNull();
  });

  it('strips # from tags and keeps each once', () => {
    expect(markdown('---\ntags: ["#BTC", btc, quant]\nkeywords: quant, risk\n---\nBody.').tags).toEqual([
      'BTC',
      'quant',
      'risk',
    ]);
  });

  it('names the file and line of invalid YAML and says how to fix it', () => {
    // Act
    const error = errorOf(() => markdown('---\ntitle: ok\ntags: [a, b\nother: x\n---\nBody.', 'broken.md'));

    // Assess
    expect(error.file).toBe('broken.md');
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/^broken\.md:\d+: the front matter is not valid YAML/);
    expect(error.message).toContain('Fix the YAML between the two --- lines');
  });

  it('rejects an unknown tone with its line and the valid tones', () => {
    // Act
    const error = errorOf(() => markdown('---\ntitle: Hi\n\ntone: shouty\n---\nBody.', 'tone.md'));

    // Assess
    expect(error.line).toBe(4);
    expect(error.message).toBe(
      'tone.md:4: unknown tone "shouty". Use one of: educational, bold, analytical, casual',
    );
  });

  it('rejects front matter that is never closed', () => {
    expect(errorOf(() => markdown('---\ntitle: Hi\nBody text.')).message).toMatch(
      /post\.md:1: .*never closed/,
    );
  });

  it('rejects a body with nothing left once code and markup are removed', () => {
    // Act
    const error = errorOf(() =>
      markdown('---\ntitle: Only code\n---\n```js\nrun();\n```\n<!-- note -->\n', 'code.md'),
    );

    // Assess
    expect(error.line).toBe(4);
    expect(error.message).toContain('no text to repurpose');
  });

  it('rejects empty input', () => {
    expect(errorOf(() => markdown('  \n')).message).toMatch(/post\.md: the input is empty/);
  });
});

describe('Markdown body', () => {
  it('takes the title from the first H1, then from the file name', () => {
    expect(markdown('Intro.\n\n# The Real Title\n\nText.').title).toBe('The Real Title');
    expect(markdown('Just a paragraph.', 'notes/my-first_post.md').title).toBe('my first post');
  });

  it('gives headings with levels, paragraphs, list items and quotes as plain text', () => {
    // Act
    const { blocks } = markdown(
      '## Why **it** works\n\nA *short* `inline` [link](https://a.example.com)\nwrapped.\n\n- one\n- two\n\n> quoted **text**\n\n1. first\n',
    );

    // Assess
    expect(blocks).toEqual([
      { type: 'heading', text: 'Why it works', level: 2 },
      { type: 'paragraph', text: 'A short inline link wrapped.' },
      { type: 'list-item', text: 'one' },
      { type: 'list-item', text: 'two' },
      { type: 'quote', text: 'quoted text' },
      { type: 'list-item', text: 'first' },
    ]);
  });

  it('drops fenced and indented code, HTML comments, raw HTML tags, images and tables', () => {
    // Act
    const { blocks } = markdown(
      'Before.\n\n```ts\nconst secret = 1;\n```\n\n    indented();\n\n<!--truncate-->\n\n<div class="x"><img src="a.png"/></div>\n\n![chart](c.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter <span>inline</span> tags.\n',
    );

    // Assess
    expect(blocks.map((block) => block.text)).toEqual(['Before.', 'After inline tags.']);
  });

  it('drops Liquid tags and keeps a Liquid-addressed link as its text only', () => {
    // Act
    const source = markdown(
      'See [the docs]({{ site.baseurl }}/docs) and [home](https://{{site.host}}/).\n\n{% include note.html content="hidden" %}\n\nKept {{ page.title }}text.',
    );

    // Assess
    expect(source.blocks.map((block) => block.text)).toEqual(['See the docs and home.', 'Kept text.']);
    expect(source.links).toEqual([]);
  });

  it('drops MDX imports, exports and JSX components with their children, keeps the prose around them', () => {
    // Act
    const { blocks } = markdown(
      'import Banner from "@theme/Banner"\nexport const meta = { a: 1 }\n\n<Banner alt="x" height={433}>\n  Photo by <a href="https://u.example.com">Someone</a>{" "}\n</Banner>\n\nProse with <Badge text="new" /> inline.\n\n<Screenshot\n  alt="y"\n  width={650}\n/>\n\nLast {@demoUrl@} line.',
    );

    // Assess
    expect(blocks.map((block) => block.text)).toEqual(['Prose with inline.', 'Last line.']);
  });

  it('resolves reference links and keeps absolute links in order, once, with bare and HTML links', () => {
    // Act
    const source = markdown(
      'Tx [abc][0], again [abc][0], [rel](../x.html), <https://auto.example.com/a>, https://bare.example.com/b and <a href="https://html.example.com/c">c</a>.\n\n[0]: https://mempool.space/tx/abc\n',
    );

    // Assess
    expect(source.blocks).toEqual([
      {
        type: 'paragraph',
        text: 'Tx abc, again abc, rel, https://auto.example.com/a, https://bare.example.com/b and c.',
      },
    ]);
    expect(source.links).toEqual([
      'https://mempool.space/tx/abc',
      'https://auto.example.com/a',
      'https://bare.example.com/b',
      'https://html.example.com/c',
    ]);
  });

  it('keeps curly quotes and dashes as written', () => {
    expect(markdown('It’s “quoted” -- and—dashed.').blocks[0]!.text).toBe('It’s “quoted” -- and—dashed.');
  });

  it('reads Windows line endings', () => {
    expect(markdown('---\r\ntitle: Crlf\r\n---\r\nLine one\r\nline two.\r\n')).toMatchObject({
      title: 'Crlf',
      blocks: [{ type: 'paragraph', text: 'Line one line two.' }],
    });
  });
});

describe('Markdown prose that only looks like JSX', () => {
  it('keeps a generic type in inline code and a lone "<" in prose', () => {
    // Act
    const { blocks } = markdown(
      'Returns `Array<T>` for each.\n\nWhen x <B and more text.\n\nNext > paragraph.',
    );

    // Assess
    expect(blocks.map((block) => block.text)).toEqual([
      'Returns Array<T> for each.',
      'When x <B and more text.',
      'Next > paragraph.',
    ]);
  });
});
