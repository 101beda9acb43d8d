import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { extractFacts } from '@shared/content/facts';
import { parseSource } from '@shared/content/source';

const ARTICLES = join(__dirname, '../../../../data/articles');
const FILES = [
  'bitcoin-zkcp.md',
  'coinbase-arbitrage-ticker.md',
  'questdb-why-timeseries.md',
  'strata-overview.md',
];

function article(file: string) {
  return parseSource(readFileSync(join(ARTICLES, file), 'utf8'), 'markdown', { fileName: file });
}

function bodyOf(file: string): string {
  return article(file)
    .blocks.map((block) => block.text)
    .join('\n');
}

describe('the sample articles in data/articles', () => {
  it.each(FILES)('%s: no block shows code, Liquid, JSX, MDX imports, placeholders or raw HTML', (file) => {
    // Act
    const { blocks } = article(file);

    // Assess
    expect(blocks.length).toBeGreaterThan(10);
    for (const { text } of blocks) {
      expect(text).not.toMatch(
        /\{%|%\}|\{\{|\}\}|\{@|@\}|<img|<Banner|<Screenshot|<\/|<!--|^import |\bimport \w+ from|```/,
      );
      expect(text).not.toMatch(/\b(const|let) \w+ = |\.pipe\(|OP_CHECKSIG/);
      expect(text).toBe(text.replace(/\s+/g, ' ').trim());
    }
  });

  it.each(FILES)('%s: every link is absolute and listed once', (file) => {
    // Act
    const { links } = article(file);

    // Assess
    expect(links.every((link) => /^https?:\/\//.test(link))).toBe(true);
    expect(new Set(links).size).toBe(links.length);
  });

  it('bitcoin-zkcp: title from the front matter, reference links resolved, figures and signature kept', () => {
    // Act
    const source = article('bitcoin-zkcp.md');
    const body = bodyOf('bitcoin-zkcp.md');

    // Assess
    expect(source.title).toBe('The first successful Zero-Knowledge Contingent Payment');
    expect(source.tags).toEqual(['privacy', 'cryptography', 'zero-knowledge', 'verifiability']);
    expect(source.links).toEqual(
      expect.arrayContaining([
        'https://mempool.space/tx/8e5df5f792ac4e98cca87f10aba7947337684a5a0a7333ab897fb9c9d616ba9e',
        'https://mempool.space/tx/200554139d1e3fe6e499f6ffb0b6e01e706eb8c897293a7f6a26d25e39623fae',
        'https://web.archive.org/web/20191122230510/https://people.xiph.org/~greg/confidential_values.txt',
        'https://web.archive.org/web/20190203034901/https://people.xiph.org/~greg/simple_verifyable_execution.txt',
      ]),
    );
    expect(source.links[0]).toBe('http://fc16.ifca.ai/');
    expect(body).toContain('as are the range proofs in Confidential Transaction.');
    expect(body).not.toContain('][');
    expect(extractFacts(body).numbers).toEqual(expect.arrayContaining(['16x16', '0.10', '20']));
    expect(source.blocks).toContainEqual({
      type: 'list-item',
      text: '8e5df5f792ac4e98cca87f10aba7947337684a5a0a7333ab897fb9c9d616ba9e',
    });
    expect(source.blocks.at(-1)).toEqual({ type: 'paragraph', text: 'Gregory Maxwell' });
    expect(source.blocks).toContainEqual({ type: 'heading', text: 'How ZKCP works', level: 2 });
  });

  it('coinbase: Liquid notes and indented code gone, product pairs and inline code names kept', () => {
    // Act
    const source = article('coinbase-arbitrage-ticker.md');
    const body = bodyOf('coinbase-arbitrage-ticker.md');

    // Assess
    expect(source.title).toBe('Introduction to filters');
    expect(extractFacts(body).tickers).toEqual(expect.arrayContaining(['BTC-USD', 'BTC-EUR', 'BTC-GBP']));
    expect(body).toContain("We'll spin up an FXService instance");
    expect(body).not.toContain('fully-fledged arbitrage bot');
    expect(body).not.toContain("productId: 'LTC-BTC'");
    // Relative links (cbptt_about.html) are dropped; their text stays.
    expect(body).toContain('As was mentioned in the Overview, one of');
    expect(source.links).toEqual(['http://openExchangeRates.org', 'https://coimarketcap.com']);
    expect(source.tags).toEqual(expect.arrayContaining(['tutorials', 'arbitrage', 'Coinbase Pro']));
  });

  it('questdb: MDX imports and components, the truncate marker and the placeholder gone, figures and curly quotes kept', () => {
    // Act
    const source = article('questdb-why-timeseries.md');
    const body = bodyOf('questdb-why-timeseries.md');

    // Assess
    expect(source.title).toBe(
      'What is time-series data, and why are we building a time-series database (TSDB)?',
    );
    expect(body).toContain(
      'we decided to put together an online demo, which features a 1.6 billion rows dataset',
    );
    expect(extractFacts(body).numbers).toEqual(
      expect.arrayContaining(['1.6 billion', '350GB', '24', '192 GB']),
    );
    expect(body).toContain('time-series databases (“TSDB”)');
    expect(body).toContain('QuestDB’s data layout');
    expect(body).not.toContain('Photo by');
    expect(body).not.toContain('Apple’s share price');
    expect(source.blocks[0]!.text).toMatch(/^Like all good superheroes/);
    expect(source.blocks).toContainEqual({ type: 'list-item', text: 'Downsampling' });
    expect(source.links).not.toContainEqual(expect.stringContaining('unsplash'));
  });

  it('strata: a link to a Liquid address stays as its text, the <img> is gone', () => {
    // Act
    const source = article('strata-overview.md');
    const body = bodyOf('strata-overview.md');

    // Assess
    expect(source.title).toBe('Strata Overview');
    expect(body).toContain('Support is limited and only available via public forums.');
    expect(body).not.toContain('site.baseurl');
    expect(source.links).toEqual([
      'https://opengamma.com',
      'https://web.archive.org/web/20170101145841/https://www.oracle.com/javaone/dukes-choice-award.html',
    ]);
    expect(source.blocks.filter((block) => block.type === 'list-item')).toHaveLength(10);
    expect(source.blocks.at(-1)!.text).toBe(
      "Strata won the Duke's Choice Award for Financial Services 2016, presented at JavaOne:",
    );
  });
});
