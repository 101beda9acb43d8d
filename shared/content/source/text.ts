import { urlsIn } from '../count';
import type { ContentSource } from '../model';
import { BlockCollector, collapseWhitespace, titleFromFileName } from './blocks';
import { SourceParseError } from './errors';

/** A line that starts a list item: "-", "*", "•" or "1." / "1)". */
const LIST_ITEM = /^\s*(?:[-*•]|\d{1,3}[.)])\s+/;

/** Longest first line still read as a title. */
const TITLE_MAX_CHARACTERS = 100;

/** A first line reads as a title when it is short and does not end like a sentence. */
function isTitleLine(line: string): boolean {
  const trimmed = line.trim();
  return (
    trimmed !== '' &&
    [...trimmed].length <= TITLE_MAX_CHARACTERS &&
    !/[.!?:;,…]$/.test(trimmed) &&
    !LIST_ITEM.test(trimmed)
  );
}

/** Plain text as a source: paragraphs split by blank lines, "-", "*", "•" and "1." lines as list items. */
export function parseText(input: string, file: string): ContentSource {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const firstIndex = lines.findIndex((line) => line.trim() !== '');
  if (firstIndex < 0) {
    throw new SourceParseError(
      file,
      undefined,
      'the file is empty',
      'Write the text to repurpose into the file',
    );
  }
  const collector = new BlockCollector();
  const firstLine = lines[firstIndex]!;
  // A lone line is the body itself, not a title over nothing.
  const hasMore = lines.slice(firstIndex + 1).some((line) => line.trim() !== '');
  const title = hasMore && isTitleLine(firstLine) ? collapseWhitespace(firstLine) : null;
  if (title !== null) collector.block('heading', title, 1);

  let paragraph: string[] = [];
  let item: string[] | null = null;
  const flush = () => {
    if (item) collector.block('list-item', item.join(' '));
    else collector.block('paragraph', paragraph.join(' '));
    paragraph = [];
    item = null;
  };
  for (const line of lines.slice(title === null ? firstIndex : firstIndex + 1)) {
    if (line.trim() === '') {
      flush();
    } else if (LIST_ITEM.test(line)) {
      flush();
      item = [line.replace(LIST_ITEM, '')];
    } else if (item) {
      item.push(line);
    } else {
      paragraph.push(line);
    }
  }
  flush();
  if (collector.blocks.length === 0) {
    throw new SourceParseError(
      file,
      firstIndex + 1,
      'the file has no words',
      'Write the text to repurpose into the file',
    );
  }
  for (const { url } of urlsIn(text)) collector.link(url);
  return {
    kind: 'text',
    title: title ?? titleFromFileName(file),
    canonicalUrl: null,
    tags: [],
    tone: null,
    blocks: collector.blocks,
    links: collector.links,
  };
}
