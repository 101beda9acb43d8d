/**
 * Keywords and hashtags from the source's own words: nouns and noun phrases by frequency (wink-nlp's part-of-speech
 * tags), so every hashtag is a word or phrase a reader can find in the text. Cashtags and pairs stay as written.
 */
import type { ContentSource } from '../model';
import { englishNlp } from '../sentences';

/** A keyword: a noun or noun phrase the source uses. */
export interface Keyword {
  /** As the text writes it, in lower case unless it is a name or an acronym ("time series", "QuestDB"). */
  readonly text: string;
  /** Its words as written, for the hashtag. */
  readonly words: readonly string[];
  readonly score: number;
  /** Said in the title. */
  readonly inTitle: boolean;
  /** A name or acronym ("QuestDB", "ZKCP"). */
  readonly proper: boolean;
  /** More than one word, or a plural: reads as a subject on its own ("time series", "filters"). */
  readonly subject: boolean;
}

/** What the offline generator knows of the source's vocabulary. */
export interface Vocabulary {
  /** Best first. */
  readonly keywords: readonly Keyword[];
  /** What the piece is about, as the text writes it ("time series", "ZKCP"), or null. */
  readonly topic: string | null;
  /** Hashtags made from the keywords, best first ("#TimeSeries"). */
  readonly hashtags: readonly string[];
  /** Cashtags as written ("$BTC"), in order of first appearance. */
  readonly cashtags: readonly string[];
  /** Lower-case word → lemma, from the same parse ("databases" → "database"). */
  readonly lemmas: ReadonlyMap<string, string>;
  /** Lower-case words wink-nlp flags as stop words. */
  readonly stopWords: ReadonlySet<string>;
}

const NOUNS = new Set(['NOUN', 'PROPN']);
const PHRASE_PARTS = new Set(['NOUN', 'PROPN', 'ADJ']);

/** Words too general to be a hashtag on their own. */
const GENERIC = new Set([
  'way',
  'thing',
  'lot',
  'part',
  'example',
  'use',
  'case',
  'article',
  'post',
  'tutorial',
  'today',
  'time',
  'day',
  'year',
  'number',
  'kind',
  'type',
  'people',
  'idea',
  'fact',
  'point',
  'order',
  'end',
  'something',
  'anything',
  'everything',
  'one',
  'other',
  'same',
  'new',
  'first',
  'own',
  'introduction',
  'overview',
  'guide',
  'summary',
  'announcement',
  'update',
]);

const CASHTAG = /(?<![\p{L}\p{N}_$])\$[A-Z][A-Z0-9]{1,9}(?![\p{L}\p{N}_])/gu;
/** A pair's halves are symbols, not words to hashtag ("BTC-USD" must not become #BTCUSD). */
const PAIR = /(?<![\p{L}\p{N}_/-])[A-Z][A-Z0-9]{1,9}[/-][A-Z][A-Z0-9]{1,9}(?![\p{L}\p{N}_])/gu;

/** A word in a hashtag: names and acronyms as written ("QuestDB", "TSDB"), other words capitalised. */
function camel(word: string): string {
  if (/\p{Lu}/u.test(word.slice(1))) return word;
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** "time series" → "#TimeSeries"; null when the words cannot make a hashtag (digits, symbols). */
export function hashtagFor(words: readonly string[]): string | null {
  if (words.length === 0 || words.some((word) => !/^\p{L}+$/u.test(word))) return null;
  return `#${words.map(camel).join('')}`;
}

interface Tally {
  count: number;
  /** Occurrences tagged as a name. */
  properCount: number;
  inTitle: boolean;
  inHeading: boolean;
  /** Surface forms (words as written) with how often each appears not at a sentence start. */
  forms: Map<string, number>;
}

/** The form to show: the one most often written mid-sentence, so "Time series" at a sentence start reads "time series". */
function bestForm(tally: Tally, proper: boolean): string[] {
  let best = '';
  let bestCount = -1;
  for (const [form, count] of tally.forms) {
    if (count > bestCount) {
      best = form;
      bestCount = count;
    }
  }
  const words = best.split(' ');
  if (!proper && bestCount === 0 && words[0] && !/\p{Lu}/u.test(words[0].slice(1))) {
    words[0] = words[0].toLowerCase();
  }
  return words;
}

function tagWeight(keyword: Keyword): number {
  return (
    keyword.score + (keyword.inTitle ? 10 : 0) + (keyword.proper ? 5 : 0) + (keyword.words.length > 1 ? 3 : 0)
  );
}

/** The keyword that names the subject best: a phrase, name or plural, said in the title if possible. */
export function topicOf(
  keywords: readonly Keyword[],
  allowed: (text: string) => boolean = () => true,
): string | null {
  let best: Keyword | null = null;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const keyword of keywords) {
    if (!keyword.subject || !allowed(keyword.text)) continue;
    const score = tagWeight(keyword);
    if (score > bestScore) {
      best = keyword;
      bestScore = score;
    }
  }
  return best?.text ?? null;
}

/** The vocabulary of a source: keywords, hashtags, cashtags, lemmas and stop words, from one parse. */
export function vocabularyOf(source: ContentSource): Vocabulary {
  const nlp = englishNlp();
  const its = nlp.its;
  // wink-nlp's typings give `its.lemma` a signature `out` does not accept, though it works at run time.
  const lemmaOf = its.lemma as unknown as typeof its.normal;
  const lemmas = new Map<string, string>();
  const stopWords = new Set<string>();
  const tallies = new Map<string, Tally>();
  const pairWords = new Set<string>();

  const parts: { text: string; title: boolean; heading: boolean }[] = [
    { text: source.title, title: true, heading: false },
    ...source.blocks.map((block) => ({ text: block.text, title: false, heading: block.type === 'heading' })),
  ];
  for (const part of parts) {
    for (const pair of part.text.match(PAIR) ?? [])
      for (const half of pair.split(/[/-]/)) pairWords.add(half);
  }

  const record = (
    key: string,
    form: string,
    midSentence: boolean,
    proper: boolean,
    part: (typeof parts)[0],
  ) => {
    let tally = tallies.get(key);
    if (!tally) {
      tally = { count: 0, properCount: 0, inTitle: false, inHeading: false, forms: new Map() };
      tallies.set(key, tally);
    }
    tally.count++;
    tally.inTitle ||= part.title;
    tally.inHeading ||= part.heading;
    if (proper) tally.properCount++;
    tally.forms.set(form, (tally.forms.get(form) ?? 0) + (midSentence ? 1 : 0));
  };

  for (const part of parts) {
    if (part.text.trim() === '') continue;
    // Token attributes for the whole block at once: one array per attribute is far cheaper than per sentence.
    const tokens = nlp.readDoc(part.text).tokens();
    const values = tokens.out(its.value);
    const types = tokens.out(its.type);
    const pos = tokens.out(its.pos);
    const lemma = tokens.out(lemmaOf);
    const stop = tokens.out(its.stopWordFlag) as unknown as boolean[];
    const spaces = tokens.out(its.precedingSpaces);
    {
      const sentenceStart = (i: number) => i === 0 || /^[.!?…]$/.test(values[i - 1]!);
      let run: number[] = [];
      const closeRun = () => {
        // A phrase ends in a noun; trim trailing adjectives, keep at most the last three words.
        while (run.length > 0 && !NOUNS.has(pos[run[run.length - 1]!]!)) run.pop();
        while (run.length > 0 && !NOUNS.has(pos[run[0]!]!) && pos[run[0]!] !== 'ADJ') run.shift();
        // Every two- and three-word stretch ending in a noun counts: "time series" inside "time series data" too.
        for (let end = 1; end < run.length; end++) {
          if (!NOUNS.has(pos[run[end]!]!) || GENERIC.has(values[run[end]!]!.toLowerCase())) continue;
          for (let start = Math.max(0, end - 2); start < end; start++) {
            const words = run.slice(start, end + 1);
            if (pos[words[0]!] !== 'ADJ' && !NOUNS.has(pos[words[0]!]!)) continue;
            const form = words.map((i) => values[i]!).join(' ');
            const key = words.map((i) => lemma[i]!.toLowerCase()).join(' ');
            const proper = words.every((i) => pos[i] === 'PROPN');
            record(key, form, !sentenceStart(words[0]!), proper, part);
          }
        }
        run = [];
      };
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!;
        const lower = value.toLowerCase();
        if (types[i] === 'word') {
          lemmas.set(lower, lemma[i]!.toLowerCase());
          if (stop[i]) stopWords.add(lower);
        }
        const usable =
          types[i] === 'word' &&
          !stop[i] &&
          /^\p{L}[\p{L}'’]*$/u.test(value) &&
          value.length >= 2 &&
          !pairWords.has(value);
        // A hyphen between two words ("time-series") joins them, as a space would.
        const joined =
          i > 0 && spaces[i] === '' && value === '-' && types[i + 1] === 'word' && run.length > 0;
        if (joined) continue;
        if (usable && PHRASE_PARTS.has(pos[i]!)) {
          if (NOUNS.has(pos[i]!) && value.length >= 3 && !/['’]/.test(value) && !GENERIC.has(lower)) {
            record(lemma[i]!.toLowerCase(), value, !sentenceStart(i), pos[i] === 'PROPN', part);
          }
          run.push(i);
        } else {
          closeRun();
        }
      }
      closeRun();
    }
  }

  const keywords: Keyword[] = [];
  for (const [key, tally] of tallies) {
    const phrase = key.includes(' ');
    // A word or phrase said once is not what the piece is about, unless the title says it.
    if (tally.count < 2 && !tally.inTitle) continue;
    // A name is tagged as one most of the time and written with a capital ("Buyer" opening a sentence is not).
    const words = bestForm(tally, 2 * tally.properCount > tally.count);
    const proper = 2 * tally.properCount > tally.count && /\p{Lu}/u.test(words.join(''));
    const score =
      tally.count * (phrase ? 2.5 : 1) +
      (tally.inTitle ? 3 : 0) +
      (tally.inHeading ? 1 : 0) +
      (proper ? 0.5 : 0);
    const subject = phrase || proper || words.join(' ').toLowerCase() !== key;
    keywords.push({ text: words.join(' '), words, score, inTitle: tally.inTitle, proper, subject });
  }
  keywords.sort((a, b) => b.score - a.score || a.text.localeCompare(b.text));

  const hashtags: string[] = [];
  const taken: string[][] = [];
  // Tags lead with what the title and names say, then the most frequent words.
  const tagOrder = [...keywords].sort((a, b) => tagWeight(b) - tagWeight(a) || a.text.localeCompare(b.text));
  for (const keyword of tagOrder) {
    const lower = keyword.words.map((word) => word.toLowerCase());
    // One tag per idea: "#TimeSeries" makes "#Series" and "#TimeSeriesData" redundant.
    if (taken.some((other) => other.some((word) => lower.includes(word)))) continue;
    const tag = hashtagFor(keyword.words);
    if (!tag || hashtags.includes(tag)) continue;
    hashtags.push(tag);
    taken.push(lower);
    if (hashtags.length >= 8) break;
  }

  const cashtags = [...new Set(parts.flatMap((part) => part.text.match(CASHTAG) ?? []))];
  return { keywords, topic: topicOf(keywords), hashtags, cashtags, lemmas, stopWords };
}
