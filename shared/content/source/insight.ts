import type { ContentSource, SourceBlock } from '../model';

/**
 * The detail of a `SweepCompleted` event, as events/catalog.ts defines it. Domain code may not import events/,
 * so the caller validates with SweepCompletedSchema and passes the parsed detail.
 */
export interface SweepCompletedDetail {
  readonly sweepId: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
}

/** The fields of a `StrategyPromoted` detail an insight tells (the caller validates with StrategyPromotedSchema). */
export interface StrategyPromotedDetail {
  readonly market: string;
  readonly sweepId: string;
  readonly strategy: { readonly name: string };
  readonly params: Readonly<Record<string, number | boolean>>;
  readonly objective: string;
  readonly walkForwardSettings: {
    readonly mode: 'rolling' | 'anchored';
    readonly folds: number;
    readonly inSample: number;
  };
  readonly walkForward: {
    readonly objective: number | null;
    readonly inSampleObjective: number | null;
    readonly ratio: number | null;
    readonly trades: number;
  };
  readonly reason: string;
}

/** A figure as an insight writes it: large values to two decimals, others to four significant digits. */
function figure(value: number): number {
  if (Number.isInteger(value)) return value;
  return Math.abs(value) >= 1000 ? Number(value.toFixed(2)) : Number(value.toPrecision(4));
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function paragraphs(sentences: readonly string[]): SourceBlock[] {
  return sentences.map((text) => ({ type: 'paragraph', text }));
}

function sweepCompleted(detail: SweepCompletedDetail): ContentSource {
  const { sweepId, total, done, failed } = detail;
  const sentences = [
    `Sweep ${sweepId} has finished: ${done} of ${plural(total, 'backtest job', 'backtest jobs')} completed.`,
    failed === 0
      ? 'Every job succeeded.'
      : `${plural(failed, 'job', 'jobs')} failed and went to the dead-letter queue.`,
  ];
  return {
    kind: 'insight',
    title: `Sweep ${sweepId} completed`,
    canonicalUrl: null,
    tags: ['backtesting'],
    tone: 'analytical',
    blocks: paragraphs(sentences),
    links: [],
    facts: { sweepId, total, done, failed },
  };
}

function strategyPromoted(detail: StrategyPromotedDetail): ContentSource {
  const { market, sweepId, objective, reason, params } = detail;
  const name = detail.strategy.name;
  const { mode, folds, inSample } = detail.walkForwardSettings;
  const inSamplePercent = figure(inSample * 100);
  const outOfSample = detail.walkForward.objective === null ? null : figure(detail.walkForward.objective);
  const inSampleObjective =
    detail.walkForward.inSampleObjective === null ? null : figure(detail.walkForward.inSampleObjective);
  const ratio = detail.walkForward.ratio === null ? null : figure(detail.walkForward.ratio);
  const trades = detail.walkForward.trades;

  const sentences = [
    `${name} is now the promoted strategy on ${market}.`,
    `Sweep ${sweepId} ranked it first by ${objective}, and it was validated walk-forward over ${plural(folds, `${mode} fold`, `${mode} folds`)} with ${inSamplePercent}% of each fold in sample.`,
  ];
  if (outOfSample === null) {
    sentences.push(
      `Out of sample it made ${plural(trades, 'trade', 'trades')}, too few to measure its ${objective}.`,
    );
  } else {
    const against = inSampleObjective === null ? '' : `, against ${inSampleObjective} in sample`;
    const kept = ratio === null ? '' : ` (a walk-forward ratio of ${ratio})`;
    sentences.push(
      `Out of sample its ${objective} was ${outOfSample}${against}${kept}, over ${plural(trades, 'trade', 'trades')}.`,
    );
  }
  const paramEntries = Object.entries(params);
  if (paramEntries.length > 0) {
    const listed = paramEntries.map(([key, value]) => `${key} = ${String(value)}`);
    const joined =
      listed.length === 1 ? listed[0]! : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)!}`;
    sentences.push(`Its parameters are ${joined}.`);
  }
  sentences.push(sentence(`Why it was promoted: ${reason}`));

  const facts: Record<string, string | number> = {
    market,
    sweepId,
    strategy: name,
    objective,
    walkForwardMode: mode,
    folds,
    inSamplePercent,
    trades,
    reason,
  };
  if (outOfSample !== null) facts.walkForwardObjective = outOfSample;
  if (inSampleObjective !== null) facts.inSampleObjective = inSampleObjective;
  if (ratio !== null) facts.walkForwardRatio = ratio;
  for (const [key, value] of paramEntries)
    facts[`param.${key}`] = typeof value === 'number' ? value : String(value);

  return {
    kind: 'insight',
    title: `${name} promoted on ${market}`,
    canonicalUrl: null,
    tags: ['algotrading', 'backtesting'],
    tone: 'analytical',
    blocks: paragraphs(sentences),
    links: [],
    facts,
  };
}

/**
 * A system insight as a source, in plain sentences with its figures, so either generator can repurpose it. The
 * caller validates the detail against the event catalog's schema first.
 */
export function insightSource(detailType: 'SweepCompleted', detail: SweepCompletedDetail): ContentSource;
export function insightSource(detailType: 'StrategyPromoted', detail: StrategyPromotedDetail): ContentSource;
export function insightSource(
  detailType: 'SweepCompleted' | 'StrategyPromoted',
  detail: SweepCompletedDetail | StrategyPromotedDetail,
): ContentSource;
export function insightSource(
  detailType: 'SweepCompleted' | 'StrategyPromoted',
  detail: SweepCompletedDetail | StrategyPromotedDetail,
): ContentSource {
  return detailType === 'SweepCompleted'
    ? sweepCompleted(detail as SweepCompletedDetail)
    : strategyPromoted(detail as StrategyPromotedDetail);
}
