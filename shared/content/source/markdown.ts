import MarkdownIt, { type Token } from 'markdown-it';
import { parseDocument } from 'yaml';
import { type ContentSource, type SourceBlock, TONES, type Tone } from '../model';
import { absoluteLink, BlockCollector, collapseWhitespace, titleFromFileName } from './blocks';
import { SourceParseError } from './errors';
import { collectHtmlBlocks } from './html';

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

/** `---` front matter at the very top (an empty one too), closed by `---` or `...`. */
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

interface FrontMatter {
  readonly title: string | null;
  readonly canonicalUrl: string | null;
  readonly tags: string[];
  readonly tone: Tone | null;
}

const NO_FRONT_MATTER: FrontMatter = { title: null, canonicalUrl: null, tags: [], tone: null };

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index++) if (text[index] === '\n') line++;
  return line;
}

function stringList(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value.map((item) => (item === null || item === undefined ? '' : String(item)))
    : typeof value === 'string'
      ? value.split(value.includes(',') ? ',' : /\s+/)
      : [];
  return items.map((item) => collapseWhitespace(item).replace(/^#+/, '')).filter((item) => item !== '');
}

function readFrontMatter(yamlText: string, file: string): FrontMatter {
  // The YAML starts on line 2 of the file, after the opening ---.
  const firstLine = 2;
  const document = parseDocument(yamlText, { prettyErrors: true });
  const [error] = document.errors;
  if (error) {
    const line = error.linePos ? error.linePos[0].line + firstLine - 1 : firstLine;
    throw new SourceParseError(
      file,
      line,
      `the front matter is not valid YAML (${error.message.split('\n')[0]})`,
      'Fix the YAML between the two --- lines; quote a value that contains ": " or starts with a special character',
    );
  }
  const values: unknown = document.toJS();
  if (values === null || values === undefined) return NO_FRONT_MATTER;
  if (typeof values !== 'object' || Array.isArray(values)) {
    throw new SourceParseError(
      file,
      firstLine,
      'the front matter is not a list of "key: value" lines',
      'Write the front matter as YAML keys such as "title: My post", or remove the --- lines',
    );
  }
  const record = values as Record<string, unknown>;

  let tone: Tone | null = null;
  if (record.tone !== undefined && record.tone !== null) {
    const written = String(record.tone).trim().toLowerCase();
    if (!(TONES as readonly string[]).includes(written)) {
      const node = document.get('tone', true) as { range?: [number, number, number] } | undefined;
      const line = node?.range ? lineOf(yamlText, node.range[0]) + firstLine - 1 : firstLine;
      throw new SourceParseError(
        file,
        line,
        `unknown tone "${String(record.tone)}"`,
        `Use one of: ${TONES.join(', ')}`,
      );
    }
    tone = written as Tone;
  }

  const title =
    typeof record.title === 'string' || typeof record.title === 'number' ? String(record.title) : null;
  const canonicalUrl =
    [record.canonical_url, record.canonicalUrl, record.canonical, record.url]
      .filter((value): value is string => typeof value === 'string')
      .map(absoluteLink)
      .find((value) => value !== null) ?? null;
  const tags: string[] = [];
  for (const tag of [...stringList(record.tags), ...stringList(record.keywords)]) {
    if (!tags.some((known) => known.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  }
  return { title: title === null ? null : collapseWhitespace(title) || null, canonicalUrl, tags, tone };
}

/** Only the line breaks of a removed stretch, so blocks stay apart and line numbers stay true. */
function keepLineBreaks(removed: string): string {
  return removed.replace(/[^\n]/g, '');
}

/** Blank every line markdown-it reads as code (fenced or indented), before any text-level clean-up. */
function withoutCode(body: string): string {
  const lines = body.split('\n');
  for (const token of markdown.parse(body, {})) {
    if ((token.type === 'fence' || token.type === 'code_block') && token.map) {
      for (let line = token.map[0]; line < token.map[1]; line++) lines[line] = '';
    }
  }
  return lines.join('\n');
}

/** Where a JSX tag that opens at `start` ends (after its `>`), honouring quoted strings and `{…}` expressions. */
function jsxTagEnd(text: string, start: number): { end: number; selfClosing: boolean } | null {
  let depth = 0;
  let quote: string | null = null;
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index]!;
    if (quote !== null) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'" || char === '`') {
      quote = char;
    } else if (char === '{') {
      depth++;
    } else if (char === '}') {
      depth = Math.max(0, depth - 1);
    } else if (char === '>' && depth === 0) {
      return { end: index + 1, selfClosing: text[index - 1] === '/' };
    } else if (char === '<' && depth === 0 && /[A-Za-z/]/.test(text[index + 1] ?? '')) {
      return null;
    } else if (char === '\n' && depth === 0 && /^[ \t]*\n/.test(text.slice(index + 1, index + 200))) {
      // A blank line ends any tag: this was a "<" in prose, not a component.
      return null;
    }
  }
  return null;
}

/** Remove MDX/JSX components (`<Banner …>…</Banner>`, `<Screenshot … />`) with everything inside them. */
function withoutJsx(body: string): string {
  // A component starts a line or follows a space; `Array<T>` in prose is not one.
  const opening = /(?<=^|[\s>(])<([A-Z][\w.]*)(?=[\s/>])/gm;
  let result = body;
  let from = 0;
  for (;;) {
    opening.lastIndex = from;
    const match = opening.exec(result);
    if (!match) return result;
    const name = match[1]!;
    const tag = jsxTagEnd(result, match.index);
    if (tag === null) {
      from = match.index + 1;
      continue;
    }
    let end = tag.end;
    if (!tag.selfClosing) {
      const nested = new RegExp(
        `<${name.replace('.', '\\.')}(?=[\\s/>])|</${name.replace('.', '\\.')}\\s*>`,
        'g',
      );
      nested.lastIndex = tag.end;
      let depth = 1;
      for (let next = nested.exec(result); next; next = nested.exec(result)) {
        depth += next[0].startsWith('</') ? -1 : 1;
        if (depth === 0) {
          end = next.index + next[0].length;
          break;
        }
      }
    }
    result =
      result.slice(0, match.index) + keepLineBreaks(result.slice(match.index, end)) + result.slice(end);
    from = match.index;
  }
}

/** What a reader of a post must never see, removed from the text before it is parsed as Markdown. */
function withoutMarkup(body: string): string {
  return withoutJsx(
    withoutCode(body)
      .replace(/<!--[\s\S]*?-->/g, keepLineBreaks)
      // Jekyll's highlighted code and comments go with their contents.
      .replace(/\{%-?\s*(highlight|comment)\b[\s\S]*?\{%-?\s*end\1\s*-?%\}/g, keepLineBreaks)
      // A link whose address is a template is kept as its text.
      .replace(/(?<!!)\[([^\]\n]*)\]\(\s*<?[^)\s]*(?:\{\{|\{%|\{@)[^)]*\)/g, '$1')
      .replace(/!\[[^\]\n]*\]\(\s*<?[^)\s]*(?:\{\{|\{%|\{@)[^)]*\)/g, '')
      .replace(/\{%[\s\S]*?%\}/g, keepLineBreaks)
      .replace(/\{\{[\s\S]*?\}\}/g, keepLineBreaks)
      .replace(/\{@[^{}\n]*@\}/g, '')
      .replace(/^[ \t]*import\s+(?:[\w*{}\s,]+\s+from\s+)?['"][^'"\n]+['"];?[ \t]*$/gm, '')
      .replace(/^[ \t]*export\s+(?:default\b|const\b|let\b|var\b|function\b|class\b|\{).*$/gm, ''),
  );
}

function inlineText(children: readonly Token[] | null, collector: BlockCollector): string {
  let text = '';
  for (const child of children ?? []) {
    switch (child.type) {
      case 'text':
      case 'code_inline':
        text += child.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += ' ';
        break;
      case 'link_open':
        collector.link(String(child.attrGet('href') ?? ''));
        break;
      case 'html_inline': {
        const href = /^<a\s[^>]*\bhref\s*=\s*["']([^"']+)["']/i.exec(child.content)?.[1];
        if (href) collector.link(href);
        if (/^<br\b/i.test(child.content)) text += ' ';
        break;
      }
      default:
        // Images, emphasis and link boundaries add no words.
        break;
    }
  }
  return text;
}

function collectBlocks(body: string, collector: BlockCollector): void {
  const listItems: { paragraphs: number }[] = [];
  let quoteDepth = 0;
  let tableDepth = 0;
  let heading: number | null = null;
  for (const token of markdown.parse(body, {})) {
    switch (token.type) {
      case 'heading_open':
        heading = Number(token.tag.slice(1));
        break;
      case 'heading_close':
        heading = null;
        break;
      case 'list_item_open':
        listItems.push({ paragraphs: 0 });
        break;
      case 'list_item_close':
        listItems.pop();
        break;
      case 'blockquote_open':
        quoteDepth++;
        break;
      case 'blockquote_close':
        quoteDepth--;
        break;
      case 'table_open':
        tableDepth++;
        break;
      case 'table_close':
        tableDepth--;
        break;
      case 'html_block':
        collectHtmlBlocks(token.content, collector);
        break;
      case 'inline': {
        if (tableDepth > 0) break;
        const text = inlineText(token.children, collector);
        if (heading !== null) {
          collector.block('heading', text, heading);
          break;
        }
        const item = listItems.at(-1);
        let type: SourceBlock['type'] = 'paragraph';
        if (quoteDepth > 0) type = 'quote';
        else if (item && item.paragraphs === 0) type = 'list-item';
        if (item) item.paragraphs++;
        collector.block(type, text);
        break;
      }
      default:
        break;
    }
  }
}

/** A Markdown core piece (front matter, MDX and Liquid included) as a source. */
export function parseMarkdown(input: string, file: string): ContentSource {
  let frontMatter = NO_FRONT_MATTER;
  let body = input.replace(/^\uFEFF/, '');
  let bodyLine = 1;
  const match = FRONT_MATTER.exec(body);
  if (match) {
    frontMatter = readFrontMatter(match[1] ?? '', file);
    bodyLine = lineOf(match[0], match[0].length);
    body = body.slice(match[0].length);
  } else if (/^---[ \t]*\r?\n/.test(body) && /^[\w-]+:/m.test(body.split('\n')[1] ?? '')) {
    throw new SourceParseError(
      file,
      1,
      'the front matter opened on line 1 is never closed',
      'Add a line with --- after the last front matter line',
    );
  }
  body = body.replace(/\r\n?/g, '\n');

  const collector = new BlockCollector();
  collectBlocks(withoutMarkup(body), collector);
  if (collector.blocks.length === 0) {
    throw new SourceParseError(
      file,
      bodyLine,
      'there is no text to repurpose once front matter, code and markup are removed',
      'Write at least one paragraph of prose below the front matter',
    );
  }
  const firstHeading = collector.blocks.find((block) => block.type === 'heading' && block.level === 1);
  return {
    kind: 'markdown',
    title: frontMatter.title ?? firstHeading?.text ?? titleFromFileName(file),
    canonicalUrl: frontMatter.canonicalUrl,
    tags: frontMatter.tags,
    tone: frontMatter.tone,
    blocks: collector.blocks,
    links: collector.links,
  };
}
