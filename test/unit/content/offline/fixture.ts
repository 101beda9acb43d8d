/** A small article written for these tests, with figures, a cashtag and a pair. */
import type { ContentSource } from '@shared/content/model';

/** An article about time series and funding rates, long enough for every platform. */
export function sampleSource(overrides: Partial<ContentSource> = {}): ContentSource {
  const paragraphs = [
    'Time series data is a sequence of measurements ordered by time. Every trade on an exchange is a point in a time series.',
    'Funding rates on perpetual futures are paid every 8 hours between long and short traders. When the funding rate is positive, longs pay shorts.',
    'We measured the BTC-USD funding rate across 3 exchanges for 90 days. The average funding rate was 0.01% per period, but spikes reached 0.3% during rallies.',
    'A time series database stores these points in columns and partitions them by time. Queries over a time range only read the partitions they need.',
    'Traders who watch funding rates can spot crowded positions early. $BTC funding spikes often came before sharp reversals in our sample.',
    'Backtests on the funding rate signal need clean time series data without gaps. Missing points distort the signal and inflate returns.',
    'Storing raw ticks lets you rebuild any bar size later. Aggregated bars alone cannot tell you what happened inside each bar.',
    'Why does this matter for a small desk? A small desk cannot afford to trade on stale or broken data.',
    'The lesson is simple: treat your time series data as the product, and your strategies will follow.',
  ];
  return {
    kind: 'markdown',
    title: 'Funding rates as time series data',
    canonicalUrl: 'https://blog.example.com/funding-rates',
    tags: ['funding'],
    tone: null,
    blocks: [
      { type: 'heading', text: 'Funding rates as time series data', level: 1 },
      ...paragraphs.map((text) => ({ type: 'paragraph' as const, text })),
    ],
    links: [],
    ...overrides,
  };
}
