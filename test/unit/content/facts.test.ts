import { describe, expect, it } from '@jest/globals';
import { extractFacts, factProblems, withoutThreadNumbering } from '@shared/content/facts';
import type { ContentSource } from '@shared/content/model';

function source(text: string, overrides: Partial<ContentSource> = {}): ContentSource {
  return {
    kind: 'text',
    title: 'A post',
    canonicalUrl: null,
    tags: [],
    tone: null,
    blocks: [{ type: 'paragraph', text }],
    links: [],
    ...overrides,
  };
}

describe('extractFacts', () => {
  it('reads figures as written: decimals, dimensions, grouped numbers, scales, units, percents, money, dates', () => {
    // Prepare
    const text =
      'On 2016-02-26 a 16x16 Sudoku sold for 0.10 BTC. The file has 1,339 words, the demo 1.6 billion rows ' +
      '(350GB) on 192 GB of memory. Fees fell 5% and BTC hit $42,000.';

    // Act
    const { numbers } = extractFacts(text);

    // Assess
    expect(numbers).toEqual([
      '2016-02-26',
      '16x16',
      '0.10',
      '1,339',
      '1.6 billion',
      '350GB',
      '192 GB',
      '5%',
      '$42,000',
    ]);
  });

  it('does not read identifiers, hashes or the digits of a URL as figures', () => {
    // Prepare
    const text =
      'SHA256 on a c5.metal box, txid 8e5df5f792ac4e98cca87f10aba7947337684a5a0a7333ab897fb9c9d616ba9e, ' +
      'see https://eprint.iacr.org/2012/215 and t004_fxfilter.ts.';

    // Act
    const facts = extractFacts(text);

    // Assess
    expect(facts.numbers).toEqual([]);
    expect(facts.links).toEqual(['https://eprint.iacr.org/2012/215']);
  });

  it('reads cashtags and pairs written with a slash or a hyphen, not $42 or UTF-8', () => {
    // Act
    const { tickers } = extractFacts('$BTC and $ETH: BTC/USDT, BTC-USD and LTC-BTC; $42 in UTF-8, e-book.');

    // Assess
    expect(tickers).toEqual(['$BTC', '$ETH', 'BTC/USDT', 'BTC-USD', 'LTC-BTC']);
  });

  it('lists each link once, in order, without trailing punctuation', () => {
    // Act
    const { links } = extractFacts(
      'Go to https://a.example.com/x. Then https://b.example.org, then https://a.example.com/x',
    );

    // Assess
    expect(links).toEqual(['https://a.example.com/x', 'https://b.example.org']);
  });
});

describe('factProblems', () => {
  const zkcp = source(
    'I purchased a 16x16 Sudoku solution for 0.10 BTC. It took about 20 seconds. BTC-USD traded near $42,000.',
    {
      title: 'ZKCP in 2016',
      links: ['https://z.cash/zkcp3.pdf'],
      canonicalUrl: 'https://bitcoincore.org/zkcp/',
    },
  );

  it('passes a version that restates only what the source says', () => {
    // Act
    const problems = factProblems(
      'A 16x16 Sudoku for 0.10 BTC in 20 seconds, 2016 #bitcoin $BTC BTC/USD $42,000 https://z.cash/zkcp3.pdf https://bitcoincore.org/zkcp',
      zkcp,
    );

    // Assess
    expect(problems).toEqual([]);
  });

  it('flags a figure, a ticker and a link the source does not have', () => {
    // Act
    const problems = factProblems('Up 12% on ETH-USD, $SOL too: https://example.com/pump', zkcp);

    // Assess
    expect(problems).toEqual([
      { kind: 'number', value: '12%' },
      { kind: 'ticker', value: 'ETH-USD' },
      { kind: 'ticker', value: '$SOL' },
      { kind: 'link', value: 'https://example.com/pump' },
    ]);
  });

  it('counts a figure written differently from the source as introduced', () => {
    // Act
    const problems = factProblems('It sold near 42000 dollars, 0.1 BTC.', zkcp);

    // Assess
    expect(problems).toEqual([
      { kind: 'number', value: '42000' },
      { kind: 'number', value: '0.1' },
    ]);
  });

  it('keeps the scale of a figure: 1.6 million is not 1.6 billion', () => {
    // Prepare
    const questdb = source('The demo has 1.6 billion rows.');

    // Act + Assess
    expect(factProblems('1.6 billion rows', questdb)).toEqual([]);
    expect(factProblems('1.6 million rows', questdb)).toEqual([{ kind: 'number', value: '1.6 million' }]);
  });

  it('reads the facts of an insight as part of its source', () => {
    // Prepare
    const insight = source('SMA cross promoted on BTC/USDT.', {
      kind: 'insight',
      facts: { trades: 42, ratio: 0.71 },
    });

    // Act + Assess
    expect(factProblems('0.71 over 42 trades on BTC/USDT', insight)).toEqual([]);
  });

  it('leaves thread numbering to the caller to strip', () => {
    // Act + Assess
    expect(factProblems('1/5 A 16x16 Sudoku', zkcp)).toEqual([
      { kind: 'number', value: '1' },
      { kind: 'number', value: '5' },
    ]);
    expect(factProblems(withoutThreadNumbering('1/5 A 16x16 Sudoku'), zkcp)).toEqual([]);
    expect(withoutThreadNumbering('A 16x16 Sudoku (2/5)')).toBe('A 16x16 Sudoku');
  });
});
