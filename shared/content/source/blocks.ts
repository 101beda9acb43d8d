import type { SourceBlock } from '../model';

/** Text as a block holds it: every run of whitespace one space, no space at either end. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** An absolute http(s) URL, or null for a relative link, a mailto: or anything still holding template syntax. */
export function absoluteLink(href: string): string | null {
  const trimmed = href.trim();
  if (!/^https?:\/\/[^\s/]+/i.test(trimmed)) return null;
  if (/\{\{|\{%|\{@|%7B/i.test(trimmed)) return null;
  return trimmed;
}

/** Collects blocks and links in reading order: empty blocks skipped, links kept once. */
export class BlockCollector {
  readonly blocks: SourceBlock[] = [];
  private readonly seen = new Set<string>();
  readonly links: string[] = [];

  /** Adds a block if anything is left of its text once whitespace is collapsed. */
  block(type: SourceBlock['type'], text: string, level?: number): void {
    const collapsed = collapseWhitespace(text);
    if (collapsed === '' || !/[\p{L}\p{N}]/u.test(collapsed)) return;
    this.blocks.push(level === undefined ? { type, text: collapsed } : { type, text: collapsed, level });
  }

  /** Adds a link if it is absolute and new. */
  link(href: string): void {
    const absolute = absoluteLink(href);
    if (absolute === null || this.seen.has(absolute)) return;
    this.seen.add(absolute);
    this.links.push(absolute);
  }
}

/** A file name as a title: "bitcoin-zkcp.md" → "bitcoin zkcp". */
export function titleFromFileName(fileName: string | undefined): string {
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]+$/, '');
  return collapseWhitespace(stem.replace(/[-_]+/g, ' ')) || 'Untitled';
}
