import { parseDocument } from 'htmlparser2';
import type { ContentSource, SourceBlock } from '../model';
import { absoluteLink, BlockCollector, collapseWhitespace, titleFromFileName } from './blocks';
import { SourceParseError } from './errors';

type HtmlDocument = ReturnType<typeof parseDocument>;
type HtmlNode = HtmlDocument['children'][number];
type HtmlElement = Extract<HtmlNode, { attribs: Record<string, string> }>;

/** Never prose: scripts, styles, code, navigation, page chrome and embeds. */
const DROPPED = new Set([
  'script',
  'style',
  'pre',
  'code',
  'nav',
  'footer',
  'head',
  'template',
  'noscript',
  'svg',
  'iframe',
  'object',
  'button',
  'select',
  'textarea',
  'form',
]);

/** Elements that end a run of inline text. */
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'ol',
  'p',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  // `<code>` inside a sentence is inline; a code block is a `<pre>`.
  ...[...DROPPED].filter((name) => name !== 'code'),
]);

function isElement(node: HtmlNode): node is HtmlElement {
  return 'name' in node && 'attribs' in node;
}

function childrenOf(node: HtmlNode | HtmlDocument): HtmlNode[] {
  return 'children' in node ? (node.children as HtmlNode[]) : [];
}

/** The words of inline content: text kept, `<br>` a space, scripts and styles dropped, links collected. */
function inlineText(node: HtmlNode, collector: BlockCollector): string {
  if (node.type === 'text') return 'data' in node ? node.data : '';
  if (!isElement(node)) return '';
  // Inline code inside a sentence is part of the sentence; only code blocks are dropped.
  if (DROPPED.has(node.name) && node.name !== 'code') return '';
  if (node.name === 'br') return ' ';
  if (node.name === 'a' && node.attribs.href) collector.link(node.attribs.href);
  return childrenOf(node)
    .map((child) => inlineText(child, collector))
    .join('');
}

type Context = 'paragraph' | 'list-item' | 'quote';

function walk(node: HtmlNode | HtmlDocument, context: Context, collector: BlockCollector): void {
  let run = '';
  const flush = () => {
    collector.block(context as SourceBlock['type'], run);
    run = '';
  };
  for (const child of childrenOf(node)) {
    if (!isElement(child) || !BLOCK_ELEMENTS.has(child.name)) {
      run += inlineText(child, collector);
      continue;
    }
    flush();
    const name = child.name;
    if (DROPPED.has(name)) continue;
    if (/^h[1-6]$/.test(name))
      collector.block('heading', inlineText(child, collector), Number(name.slice(1)));
    else if (name === 'blockquote') walk(child, 'quote', collector);
    else if (name === 'li') walk(child, context === 'quote' ? 'quote' : 'list-item', collector);
    // A second paragraph of a list item is prose again, as in Markdown.
    else if (name === 'p' || name === 'div') walk(child, context, collector);
    else walk(child, context === 'list-item' ? 'paragraph' : context, collector);
  }
  flush();
}

/** The blocks and links of an HTML fragment, added to a collector (Markdown's raw HTML blocks use this too). */
export function collectHtmlBlocks(html: string, collector: BlockCollector): void {
  walk(parseDocument(html), 'paragraph', collector);
}

function findElement(
  node: HtmlNode | HtmlDocument,
  test: (element: HtmlElement) => boolean,
): HtmlElement | null {
  for (const child of childrenOf(node)) {
    if (isElement(child) && test(child)) return child;
    const found = findElement(child, test);
    if (found) return found;
  }
  return null;
}

function textOf(node: HtmlNode): string {
  if (node.type === 'text') return 'data' in node ? node.data : '';
  return childrenOf(node).map(textOf).join('');
}

/** An HTML page or fragment as a source: title from `<title>` or the first `<h1>`, canonical link, keywords. */
export function parseHtml(input: string, file: string): ContentSource {
  const document = parseDocument(input);
  const collector = new BlockCollector();
  walk(document, 'paragraph', collector);
  if (collector.blocks.length === 0) {
    throw new SourceParseError(
      file,
      undefined,
      'the page has no text in headings, paragraphs, list items or quotes',
      'Give the HTML a body with at least one <p> of prose',
    );
  }
  const titleElement = findElement(document, (element) => element.name === 'title');
  const firstHeading = collector.blocks.find((block) => block.type === 'heading' && block.level === 1);
  const canonical = findElement(
    document,
    (element) =>
      element.name === 'link' && (element.attribs.rel ?? '').toLowerCase().split(/\s+/).includes('canonical'),
  );
  const keywords = findElement(
    document,
    (element) => element.name === 'meta' && (element.attribs.name ?? '').toLowerCase() === 'keywords',
  );
  const tags = (keywords?.attribs.content ?? '')
    .split(',')
    .map((tag) => collapseWhitespace(tag).replace(/^#+/, ''))
    .filter((tag, index, all) => tag !== '' && all.indexOf(tag) === index);
  return {
    kind: 'html',
    title:
      (titleElement ? collapseWhitespace(textOf(titleElement)) : '') ||
      firstHeading?.text ||
      titleFromFileName(file),
    canonicalUrl: canonical?.attribs.href ? absoluteLink(canonical.attribs.href) : null,
    tags,
    tone: null,
    blocks: collector.blocks,
    links: collector.links,
  };
}
