/**
 * Offline repurposing speed: the questdb article (about 1,500 words of body) into every platform's version,
 * checked, in-process. Baseline, measured in the same run: splitting the article into sentences and counting
 * them, the floor any extractive generator pays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countIn, wordCount } from '@shared/content/count';
import { finalizeVersion } from '@shared/content/finalize';
import { PLATFORM_LIMITS } from '@shared/content/limits';
import { DEFAULT_BRAND_VOICE, PLATFORM_IDS, TONES } from '@shared/content/model';
import { generateOffline } from '@shared/content/offline';
import { resolveRequest } from '@shared/content/repurpose';
import { splitSentences } from '@shared/content/sentences';
import { parseSource } from '@shared/content/source';
import { medianMs } from './measure';

const TARGET_MS = 50;

/** One row of the content table. */
export interface ContentBenchmarkRow {
  benchmark: string;
  words: number;
  versions: number;
  /** Generating and checking every version. */
  flywheelMs: number;
  /** Generating only (the offline generator's own share). */
  generateMs: number;
  baselineMs: number;
  /** How many times the baseline's time the work takes. */
  ratio: number;
  targetMs?: number;
  meetsTarget?: boolean;
}

/** Runs the content benchmark; `log` reports progress. */
export function contentBenchmark(log: (line: string) => void): ContentBenchmarkRow[] {
  const file = 'questdb-why-timeseries.md';
  const source = parseSource(
    readFileSync(join(__dirname, '..', 'data', 'articles', file), 'utf8'),
    'markdown',
    {
      fileName: file,
    },
  );
  const words = source.blocks.reduce((sum, block) => sum + wordCount(block.text), 0);
  const baseline = () => {
    let count = 0;
    for (const block of source.blocks) {
      for (const sentence of splitSentences(block.text)) count += countIn(sentence, 'code-points');
    }
    return count;
  };
  const baselineMs = medianMs(baseline, 1000);
  const rows: ContentBenchmarkRow[] = [];
  for (const tone of TONES) {
    log(`content: ${file} into every platform, ${tone}…`);
    const request = resolveRequest(source, { tone, voice: DEFAULT_BRAND_VOICE });
    const generateMs = medianMs(() => generateOffline(source, request), 1000);
    const flywheelMs = medianMs(() => {
      for (const candidate of generateOffline(source, request)) finalizeVersion(candidate, source, request);
    }, 1000);
    rows.push({
      benchmark: `${file} → ${PLATFORM_IDS.length} versions (${tone})`,
      words,
      versions: Object.keys(PLATFORM_LIMITS).length,
      flywheelMs,
      generateMs,
      baselineMs,
      ratio: flywheelMs / baselineMs,
      targetMs: TARGET_MS,
      meetsTarget: flywheelMs < TARGET_MS,
    });
  }
  return rows;
}

/** The content table, for `npm run bench`. */
export function renderContent(
  rows: readonly ContentBenchmarkRow[],
  table: (header: string[], rows: string[][]) => string,
): string {
  return `\nOffline repurposing of a ${rows[0]!.words}-word article into every platform, each version checked (median of repeated runs):\n${table(
    ['benchmark', 'words', 'versions', 'flywheel ms', 'of which generate', 'baseline ms', 'ratio', 'target'],
    rows.map((row) => [
      row.benchmark,
      String(row.words),
      String(row.versions),
      row.flywheelMs.toFixed(2),
      row.generateMs.toFixed(2),
      row.baselineMs.toFixed(2),
      `${row.ratio.toFixed(1)}×`,
      row.targetMs === undefined ? '' : `< ${row.targetMs} ms ${row.meetsTarget ? 'met' : 'MISSED'}`,
    ]),
  )}\nbaseline = splitting the article into sentences (wink-nlp) and counting them; flywheel = generate + finalize (checks); ratio = flywheel ÷ baseline.\n`;
}
