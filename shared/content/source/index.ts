import type { ContentSource } from '../model';
import { SourceParseError } from './errors';
import { parseHtml } from './html';
import { parseMarkdown } from './markdown';
import { parseText } from './text';

export { SourceParseError } from './errors';
export {
  insightSource,
  type StrategyPromotedDetail,
  type SweepCompletedDetail,
} from './insight';

/** The formats a core piece can be written in. */
export type SourceFormat = 'markdown' | 'text' | 'html';

/** How a source is named in error messages. */
export interface ParseSourceOptions {
  /** The file the text came from; errors name it, and it is the title of last resort. */
  readonly fileName?: string;
}

/** A core piece (Markdown, plain text or HTML) as a source: title, tags, tone, prose blocks and links. */
export function parseSource(
  input: string,
  format: SourceFormat,
  options: ParseSourceOptions = {},
): ContentSource {
  const file = options.fileName ?? `(${format} input)`;
  if (input.trim() === '') {
    throw new SourceParseError(
      file,
      undefined,
      'the input is empty',
      'Give the text of the piece to repurpose',
    );
  }
  switch (format) {
    case 'markdown':
      return parseMarkdown(input, file);
    case 'html':
      return parseHtml(input, file);
    case 'text':
      return parseText(input, file);
  }
}

/** A file's format from its extension (.md, .mdx, .markdown, .html, .htm, .txt), else from what its text looks like. */
export function detectFormat(fileName: string, content: string): SourceFormat {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'md' || extension === 'mdx' || extension === 'markdown') return 'markdown';
  if (extension === 'html' || extension === 'htm' || extension === 'xhtml') return 'html';
  if (extension === 'txt' || extension === 'text') return 'text';
  const head = content.trimStart().slice(0, 2000);
  if (/^<(!doctype\s+html|html|head|body|article|main|section|div|p|h[1-6])\b/i.test(head)) return 'html';
  if (/^---\s*$/m.test(head.split('\n')[0] ?? '') || /^#{1,6}\s|\]\([^)]+\)|^```/m.test(head))
    return 'markdown';
  return 'text';
}
