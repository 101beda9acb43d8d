import { describe, expect, it } from '@jest/globals';
import { detectFormat, parseSource, SourceParseError } from '@shared/content/source';

describe('plain text', () => {
  it('takes a short first line without end punctuation as the title, splits paragraphs and list items', () => {
    // Act
    const source = parseSource(
      'Three lessons from 2024\n\nWe ran 1,200 backtests.\nMost failed.\n\n- Costs matter\n* Slippage\n  matters more\n• Regimes change\n1. Test out of sample\n\nSee https://blog.example.com/lessons.',
      'text',
      { fileName: 'lessons.txt' },
    );

    // Assess
    expect(source).toMatchObject({
      kind: 'text',
      title: 'Three lessons from 2024',
      canonicalUrl: null,
      tags: [],
      tone: null,
      links: ['https://blog.example.com/lessons'],
    });
    expect(source.blocks).toEqual([
      { type: 'heading', text: 'Three lessons from 2024', level: 1 },
      { type: 'paragraph', text: 'We ran 1,200 backtests. Most failed.' },
      { type: 'list-item', text: 'Costs matter' },
      { type: 'list-item', text: 'Slippage matters more' },
      { type: 'list-item', text: 'Regimes change' },
      { type: 'list-item', text: 'Test out of sample' },
      { type: 'paragraph', text: 'See https://blog.example.com/lessons.' },
    ]);
  });

  it('falls back to the file name when the first line is a sentence', () => {
    // Act
    const source = parseSource('We ran a sweep today.\n\nIt went well.', 'text', {
      fileName: 'daily-note.txt',
    });

    // Assess
    expect(source.title).toBe('daily note');
    expect(source.blocks[0]).toEqual({ type: 'paragraph', text: 'We ran a sweep today.' });
  });

  it('reads a single line as the body, not as a title over nothing', () => {
    expect(parseSource('Shipped v2 of the scanner', 'text').blocks).toEqual([
      { type: 'paragraph', text: 'Shipped v2 of the scanner' },
    ]);
  });

  it('rejects a text of whitespace', () => {
    expect(() => parseSource(' \n\t\n', 'text', { fileName: 'empty.txt' })).toThrow(SourceParseError);
  });
});

describe('HTML', () => {
  const page = `<!doctype html><html><head>
    <title>Walk-forward, explained</title>
    <link rel="canonical" href="https://blog.example.com/walk-forward">
    <meta name="keywords" content="backtesting, walk-forward , quant">
    <style>p { color: red }</style><script>track("x")</script>
  </head><body>
    <nav><a href="https://blog.example.com/">Home</a></nav>
    <article>
      <h1>Walk-forward</h1>
      <p>Split the data <em>in time</em>, not at random. Read <a href="https://paper.example.com/wf">the paper</a>
      or <a href="/relative">this</a>.</p>
      <pre><code>fit(train); score(test);</code></pre>
      <p>Call <code>score()</code> once.</p>
      <ul><li>Rolling folds</li><li><p>Anchored folds</p><ul><li>Nested item</li></ul></li></ul>
      <blockquote><p>Never tune on the test set.</p></blockquote>
      <div>Loose text in a div.</div>
      <h3>Sources</h3>
    </article>
    <footer>© 2026 Example</footer>
  </body></html>`;

  it('reads headings, paragraphs, list items and quotes; drops scripts, styles, code blocks, nav and footer', () => {
    // Act
    const source = parseSource(page, 'html', { fileName: 'wf.html' });

    // Assess
    expect(source.blocks).toEqual([
      { type: 'heading', text: 'Walk-forward', level: 1 },
      { type: 'paragraph', text: 'Split the data in time, not at random. Read the paper or this.' },
      { type: 'paragraph', text: 'Call score() once.' },
      { type: 'list-item', text: 'Rolling folds' },
      { type: 'list-item', text: 'Anchored folds' },
      { type: 'list-item', text: 'Nested item' },
      { type: 'quote', text: 'Never tune on the test set.' },
      { type: 'paragraph', text: 'Loose text in a div.' },
      { type: 'heading', text: 'Sources', level: 3 },
    ]);
  });

  it('takes title from <title>, canonical from <link rel="canonical">, tags from keywords, absolute links only', () => {
    // Act
    const source = parseSource(page, 'html');

    // Assess
    expect(source).toMatchObject({
      kind: 'html',
      title: 'Walk-forward, explained',
      canonicalUrl: 'https://blog.example.com/walk-forward',
      tags: ['backtesting', 'walk-forward', 'quant'],
      links: ['https://paper.example.com/wf'],
    });
  });

  it('falls back to the first h1 for the title, then the file name', () => {
    expect(parseSource('<h2>Sub</h2><h1>Main</h1><p>Text.</p>', 'html').title).toBe('Main');
    expect(parseSource('<p>Text.</p>', 'html', { fileName: 'a-page.html' }).title).toBe('a page');
  });

  it('rejects a page with no prose', () => {
    // Act
    const attempt = () =>
      parseSource('<html><body><script>x()</script></body></html>', 'html', { fileName: 'x.html' });

    // Assess
    expect(attempt).toThrow(/x\.html: the page has no text/);
  });
});

describe('detectFormat', () => {
  it.each([
    ['post.md', 'anything', 'markdown'],
    ['post.MDX', 'anything', 'markdown'],
    ['page.htm', 'anything', 'html'],
    ['notes.txt', '# looks like markdown', 'text'],
    ['stdin', '<!DOCTYPE html><p>x</p>', 'html'],
    ['stdin', '---\ntitle: x\n---\nBody', 'markdown'],
    ['stdin', 'Intro\n\n## Heading\n', 'markdown'],
    ['stdin', 'Just words, and a https://example.com link.', 'text'],
  ] as const)('%s with %j is %s', (fileName, content, format) => {
    expect(detectFormat(fileName, content)).toBe(format);
  });
});
